import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../../../platform/src/auth/auth-user';
import { Roles } from '../../../platform/src/auth/roles';
import { ConsistentRead } from '../../../platform/src/http/consistent-read';
import { IdParamPipe } from '../../../platform/src/http/id-param.pipe';
import { parseInstant, parsePeriod } from '../../../platform/src/http/query-params';
import { GetLedgerQuery } from './get-ledger.query-handler';
import { LedgerDto } from './ledger.response.dto';

@ApiTags('ledger')
@Controller('salespeople/:id/ledger')
export class GetLedgerHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('manager', 'rep', 'compliance', 'finance', 'sales-ops')
  @ConsistentRead('commission-ledger')
  @ApiQuery({ name: 'period', required: false, example: '2026-01', description: 'YYYY-MM; default: the current month' })
  @ApiQuery({
    name: 'knownAt',
    required: false,
    example: '2026-02-01T00:00:00Z',
    description: 'Record time: what the system knew then',
  })
  @ApiOkResponse({ type: LedgerDto })
  get(
    @Param('id', IdParamPipe) salespersonId: string,
    @CurrentUser() user: AuthUser,
    @Query('period') period?: string,
    @Query('knownAt') knownAt?: string,
  ): Promise<LedgerDto> {
    // A manager reads their team, a rep only themselves (403 FORBIDDEN otherwise): see the handler.
    return this.queries.execute(
      new GetLedgerQuery(salespersonId, parsePeriod(period), parseInstant(knownAt, 'knownAt'), user),
    );
  }
}
