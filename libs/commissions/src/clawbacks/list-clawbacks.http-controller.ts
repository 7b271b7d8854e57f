import { Controller, ForbiddenException, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../../../platform/src/auth/auth-user';
import { readScopeOf } from '../../../platform/src/auth/read-scope';
import { Roles } from '../../../platform/src/auth/roles';
import { ConsistentRead } from '../../../platform/src/http/consistent-read';
import { IdParamPipe } from '../../../platform/src/http/id-param.pipe';
import { parsePage } from '../../../platform/src/http/pagination';
import { ValidationFailedException } from '../../../platform/src/http/problem';
import { parseInstant } from '../../../platform/src/http/query-params';
import { isValidPeriod } from '../../../shared-kernel/src/time';
import { ClawbackPageDto } from './clawback.response.dto';
import { ListClawbacksQuery } from './list-clawbacks.query-handler';

const ids = new IdParamPipe();

@ApiTags('ledger')
@Controller('clawbacks')
export class ListClawbacksHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('manager', 'rep', 'compliance', 'finance', 'sales-ops')
  @ConsistentRead('commission-ledger')
  @ApiQuery({ name: 'salespersonId', required: false, example: 'alice' })
  @ApiQuery({ name: 'orderId', required: false, example: 'O1' })
  @ApiQuery({ name: 'period', required: false, example: '2026-03' })
  @ApiQuery({ name: 'knownAt', required: false, example: '2026-04-01T00:00:00Z' })
  @ApiQuery({ name: 'limit', required: false, example: 100 })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ type: ClawbackPageDto })
  list(
    @CurrentUser() user: AuthUser,
    @Query('salespersonId') salespersonId?: string,
    @Query('orderId') orderId?: string,
    @Query('period') period?: string,
    @Query('knownAt') knownAt?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<ClawbackPageDto> {
    if (period !== undefined && period !== '' && !isValidPeriod(period)) {
      throw new ValidationFailedException([{ field: 'period', message: 'period must be a month YYYY-MM' }]);
    }
    const scope = readScopeOf(user);
    if (scope.kind === 'salesperson' && salespersonId && salespersonId !== scope.salespersonId) {
      throw new ForbiddenException(`You may not read the data of salesperson ${salespersonId}`);
    }
    return this.queries.execute(
      new ListClawbacksQuery(
        {
          ...(salespersonId ? { salespersonId: ids.transform(salespersonId) } : {}),
          ...(orderId ? { orderId: ids.transform(orderId) } : {}),
          ...(period ? { period } : {}),
          knownAt: parseInstant(knownAt, 'knownAt'),
        },
        scope,
        parsePage(limit, cursor),
      ),
    );
  }
}
