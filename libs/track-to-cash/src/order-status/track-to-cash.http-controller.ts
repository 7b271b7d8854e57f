import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../../../platform/src/auth/auth-user';
import { readScopeOf } from '../../../platform/src/auth/read-scope';
import { Roles } from '../../../platform/src/auth/roles';
import { ConsistentRead } from '../../../platform/src/http/consistent-read';
import { IdParamPipe } from '../../../platform/src/http/id-param.pipe';
import { parsePage } from '../../../platform/src/http/pagination';
import { ValidationFailedException } from '../../../platform/src/http/problem';
import { parseInstant, parseOneOf } from '../../../platform/src/http/query-params';
import { AgingDto, TrackToCashDto, TrackToCashPageDto } from './track-to-cash.response.dto';
import {
  type AgingGroupBy,
  GetAgingQuery,
  GetOrderTrackToCashQuery,
  ListTrackToCashQuery,
} from './track-to-cash.queries';

const STATUSES = ['CANCELLED', 'PAID', 'WRITTEN_OFF', 'OVERDUE', 'PARTIALLY_PAID', 'INVOICED', 'BOOKED'];
const GROUPS: AgingGroupBy[] = ['salesperson', 'customer', 'team'];
const ids = new IdParamPipe();
const READERS = ['manager', 'rep', 'compliance', 'finance', 'sales-ops'] as const;

/** asOf (business time) defaults to now; knownAt (record time) to everything recorded. */
function times(asOf?: string, knownAt?: string): { asOf: Date; knownAt: Date | null } {
  return { asOf: parseInstant(asOf, 'asOf') ?? new Date(), knownAt: parseInstant(knownAt, 'knownAt') };
}

@ApiTags('track-to-cash')
@Controller()
export class TrackToCashHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get('orders/:id/track-to-cash')
  @Roles(...READERS)
  @ConsistentRead('track-to-cash')
  @ApiQuery({
    name: 'asOf',
    required: false,
    example: '2026-02-15T00:00:00Z',
    description: 'Business time; default now',
  })
  @ApiQuery({ name: 'knownAt', required: false, description: 'Record time: what the system knew then' })
  @ApiOkResponse({ type: TrackToCashDto })
  order(
    @CurrentUser() user: AuthUser,
    @Param('id', IdParamPipe) orderId: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
  ): Promise<TrackToCashDto> {
    const t = times(asOf, knownAt);
    return this.queries.execute(new GetOrderTrackToCashQuery(orderId, t.asOf, t.knownAt, readScopeOf(user)));
  }

  @Get('track-to-cash')
  @Roles(...READERS)
  @ConsistentRead('track-to-cash')
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  @ApiQuery({ name: 'salespersonId', required: false })
  @ApiQuery({ name: 'customerId', required: false })
  @ApiQuery({ name: 'asOf', required: false, example: '2026-02-15T00:00:00Z' })
  @ApiQuery({ name: 'knownAt', required: false })
  @ApiQuery({ name: 'limit', required: false, example: 100 })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ type: TrackToCashPageDto })
  list(
    @CurrentUser() user: AuthUser,
    @Query('status') status?: string,
    @Query('salespersonId') salespersonId?: string,
    @Query('customerId') customerId?: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<TrackToCashPageDto> {
    if (status !== undefined && status !== '' && !STATUSES.includes(status)) {
      throw new ValidationFailedException([
        { field: 'status', message: `status must be one of ${STATUSES.join(', ')}` },
      ]);
    }
    const t = times(asOf, knownAt);
    return this.queries.execute(
      new ListTrackToCashQuery(
        {
          ...(status ? { status } : {}),
          ...(salespersonId ? { salespersonId: ids.transform(salespersonId) } : {}),
          ...(customerId ? { customerId: ids.transform(customerId) } : {}),
        },
        t.asOf,
        t.knownAt,
        readScopeOf(user),
        parsePage(limit, cursor),
      ),
    );
  }

  @Get('aging')
  @Roles(...READERS)
  @ConsistentRead('track-to-cash')
  @ApiQuery({ name: 'groupBy', required: false, enum: GROUPS, description: 'default salesperson' })
  @ApiQuery({ name: 'asOf', required: false, example: '2026-02-15T00:00:00Z' })
  @ApiQuery({ name: 'knownAt', required: false })
  @ApiOkResponse({ type: AgingDto })
  aging(
    @CurrentUser() user: AuthUser,
    @Query('groupBy') groupBy?: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
  ): Promise<AgingDto> {
    const group = parseOneOf<AgingGroupBy>(groupBy, GROUPS, 'groupBy', 'salesperson');
    const t = times(asOf, knownAt);
    return this.queries.execute(new GetAgingQuery(group, t.asOf, t.knownAt, readScopeOf(user)));
  }
}
