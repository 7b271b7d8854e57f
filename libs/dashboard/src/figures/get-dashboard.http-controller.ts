import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../../../platform/src/auth/auth-user';
import { readScopeOf } from '../../../platform/src/auth/read-scope';
import { Roles } from '../../../platform/src/auth/roles';
import { ConsistentRead } from '../../../platform/src/http/consistent-read';
import { parseInstant, parseOneOf, parsePeriod } from '../../../platform/src/http/query-params';
import { DashboardDto } from './dashboard.response.dto';
import { type DashboardGroupBy, GetDashboardQuery } from './get-dashboard.query-handler';

const GROUPS: DashboardGroupBy[] = ['salesperson', 'team', 'businessUnit'];

@ApiTags('dashboard')
@Controller('dashboard')
export class GetDashboardHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('manager', 'rep', 'compliance', 'finance', 'sales-ops')
  @ConsistentRead('dashboard', 'commission-ledger', 'track-to-cash')
  @ApiQuery({ name: 'period', required: false, example: '2026-01', description: 'YYYY-MM; default: the current month' })
  @ApiQuery({ name: 'groupBy', required: false, enum: GROUPS, description: 'default salesperson' })
  @ApiQuery({ name: 'asOf', required: false, example: '2026-01-31T23:59:59Z' })
  @ApiQuery({ name: 'knownAt', required: false })
  @ApiOkResponse({ type: DashboardDto })
  get(
    @CurrentUser() user: AuthUser,
    @Query('period') period?: string,
    @Query('groupBy') groupBy?: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
  ): Promise<DashboardDto> {
    const group = parseOneOf<DashboardGroupBy>(groupBy, GROUPS, 'groupBy', 'salesperson');
    return this.queries.execute(
      new GetDashboardQuery(
        parsePeriod(period),
        group,
        parseInstant(asOf, 'asOf') ?? new Date(),
        parseInstant(knownAt, 'knownAt'),
        readScopeOf(user),
      ),
    );
  }
}
