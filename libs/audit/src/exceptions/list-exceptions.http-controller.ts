import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../../../platform/src/auth/auth-user';
import { readScopeOf } from '../../../platform/src/auth/read-scope';
import { Roles } from '../../../platform/src/auth/roles';
import { ConsistentRead } from '../../../platform/src/http/consistent-read';
import { type Page, parsePage } from '../../../platform/src/http/pagination';
import { ValidationFailedException } from '../../../platform/src/http/problem';
import { LedgerExceptionDto, LedgerExceptionPageDto } from './exception.response.dto';
import { ListExceptionsQuery } from './list-exceptions.query-handler';

const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
const CURSOR_KEY = /^\d{1,19}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

@ApiTags('audit')
@Controller('exceptions')
export class ListExceptionsHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('compliance', 'finance', 'sales-ops', 'manager', 'rep')
  @ConsistentRead('commission-ledger')
  @ApiOperation({
    summary: 'The exceptions list: events the ledger could not turn into commission (NO_PLAN, …)',
    description: 'Oldest first. A manager sees their team’s, a rep their own.',
  })
  @ApiQuery({ name: 'code', required: false, example: 'NO_PLAN' })
  @ApiQuery({ name: 'limit', required: false, example: 100, description: '1-1000, default 100' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiOkResponse({ type: LedgerExceptionPageDto })
  list(
    @CurrentUser() user: AuthUser,
    @Query('code') code?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<LedgerExceptionDto>> {
    if (code !== undefined && code !== '' && (typeof code !== 'string' || !CODE.test(code))) {
      throw new ValidationFailedException([
        { field: 'code', message: 'code must be an exception code such as NO_PLAN' },
      ]);
    }
    const page = parsePage(limit, cursor);
    if (page.after !== null && !CURSOR_KEY.test(page.after)) {
      throw new ValidationFailedException([
        { field: 'cursor', message: 'cursor must be a nextCursor from a previous page' },
      ]);
    }
    const scope = readScopeOf(user);
    return this.queries.execute(new ListExceptionsQuery(code ? { code } : {}, scope, page));
  }
}
