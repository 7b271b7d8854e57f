import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../../../platform/src/auth/auth-user';
import { readScopeOf } from '../../../platform/src/auth/read-scope';
import { Roles } from '../../../platform/src/auth/roles';
import { ConsistentRead } from '../../../platform/src/http/consistent-read';
import { ValidationFailedException } from '../../../platform/src/http/problem';
import { parseInstant, parseOneOf, parsePeriod } from '../../../platform/src/http/query-params';
import { CollectionKpisDto } from './collection-kpis.response.dto';
import { type CollectionKpiGroupBy, GetCollectionKpisQuery } from './get-collection-kpis.query-handler';

const GROUPS: CollectionKpiGroupBy[] = ['salesperson', 'team', 'customer'];

@ApiTags('dashboard')
@Controller('dashboard')
export class GetCollectionKpisHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get('collection-kpis')
  @Roles('manager', 'rep', 'compliance', 'finance', 'sales-ops')
  @ConsistentRead('track-to-cash')
  @ApiQuery({ name: 'period', required: false, example: '2026-01', description: 'YYYY-MM; default: the current month' })
  @ApiQuery({ name: 'groupBy', required: false, enum: GROUPS, description: 'default salesperson' })
  @ApiQuery({ name: 'asOf', required: false, example: '2026-02-15T00:00:00Z' })
  @ApiQuery({ name: 'knownAt', required: false })
  @ApiOkResponse({ type: CollectionKpisDto })
  get(
    @CurrentUser() user: AuthUser,
    @Query('period') period?: string,
    @Query('groupBy') groupBy?: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
  ): Promise<CollectionKpisDto> {
    const group = parseOneOf<CollectionKpiGroupBy>(groupBy, GROUPS, 'groupBy', 'salesperson');
    const month = parsePeriod(period);
    const asOfAt = parseInstant(asOf, 'asOf');
    const knownAtAt = parseInstant(knownAt, 'knownAt');
    // PostgreSQL has no year 0: refuse it (and earlier) rather than fail in the query.
    const yearZero = [
      ['period', month < '0001' ? 0 : 1],
      ['asOf', asOfAt?.getUTCFullYear() ?? 1],
      ['knownAt', knownAtAt?.getUTCFullYear() ?? 1],
    ] as const;
    const refused = yearZero.filter(([, year]) => year < 1);
    if (refused.length > 0) {
      throw new ValidationFailedException(
        refused.map(([field]) => ({ field, message: `${field} must be in year 1 or later` })),
      );
    }
    return this.queries.execute(
      new GetCollectionKpisQuery(month, group, asOfAt ?? new Date(), knownAtAt, readScopeOf(user)),
    );
  }
}
