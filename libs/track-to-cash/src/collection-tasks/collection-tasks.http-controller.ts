import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import type { EventStore } from '../../../eventsourcing/src/event-store.port';
import type { CollectionTaskStatus } from '../../../sales/src/collections/collection-schedule';
import { type AuthUser, CurrentUser } from '../../../platform/src/auth/auth-user';
import { readScopeOf } from '../../../platform/src/auth/read-scope';
import { Roles } from '../../../platform/src/auth/roles';
import { DATA_SOURCE, EVENT_STORE, PROJECTION_ENGINE } from '../../../platform/src/cqrs/tokens';
import { ConsistentRead } from '../../../platform/src/http/consistent-read';
import { IdParamPipe } from '../../../platform/src/http/id-param.pipe';
import { parsePage } from '../../../platform/src/http/pagination';
import { ProjectionBehindException, ValidationFailedException } from '../../../platform/src/http/problem';
import { parseInstant } from '../../../platform/src/http/query-params';
import { Ctx, type RequestContext } from '../../../platform/src/http/request-context';
import type { ProjectionEngine } from '../../../projections/src/projection-engine';
import { DEFAULT_TASK_STATUSES, ListCollectionTasksQuery, TASK_STATUSES } from './collection-tasks.queries';
import { CollectionTasksPageDto, FallDueScanDto } from './collection-tasks.response.dto';
import { CollectionDueScan } from './due-scan/collection-due-scan';
import { FallDueScanRequestDto } from './fall-due-scan.request.dto';

const READERS = ['manager', 'rep', 'compliance', 'finance', 'sales-ops'] as const;
const ids = new IdParamPipe();
/** How long an explicit scan waits for the collection-tasks read model to catch up with the log. */
const SCAN_CATCH_UP_MS = 5000;

function parseStatuses(value: unknown): CollectionTaskStatus[] {
  if (value === undefined || value === '') return [...DEFAULT_TASK_STATUSES];
  const parts = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : null;
  if (!parts || parts.length > 10 || parts.some((s) => !(TASK_STATUSES as readonly string[]).includes(s))) {
    throw new ValidationFailedException([
      { field: 'status', message: `status must be a comma-separated list of ${TASK_STATUSES.join(', ')}` },
    ]);
  }
  return [...new Set(parts as CollectionTaskStatus[])];
}

/**
 * asOf/knownAt as every query reads them, within years 1900–9998: the schedule adds days to asOf
 * (an open dispute lasts until the day after it), which past year 9999 is no date at all.
 */
function instantParam(value: string | undefined, field: string): Date | null {
  const t = parseInstant(value, field);
  if (t !== null && (t.getUTCFullYear() < 1900 || t.getUTCFullYear() > 9998)) {
    throw new ValidationFailedException([{ field, message: `${field} must be within the years 1900 to 9998` }]);
  }
  return t;
}

@ApiTags('collections')
@Controller('collection-tasks')
export class CollectionTasksHttpController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(PROJECTION_ENGINE) private readonly engine: ProjectionEngine,
  ) {}

  @Get()
  @Roles(...READERS)
  @ConsistentRead('collection-tasks')
  @ApiOperation({
    summary: "A person's collection worklist at asOf",
    description:
      'The collection tasks of every receivable (invoice), computed at asOf by its collection policy, actions, ' +
      'promises and disputes; OVERDUE first, then by due date. A rep reads their own tasks, a manager those of ' +
      'their team and their own, finance, compliance, sales-ops and admin everyone’s (`assignee=finance`: the ' +
      'finance team’s).',
  })
  @ApiQuery({ name: 'assignee', required: false, example: 'alice', description: 'A salesperson id, or finance' })
  @ApiQuery({
    name: 'status',
    required: false,
    example: 'DUE,OVERDUE',
    description: `Comma-separated, of ${TASK_STATUSES.join(', ')}; default DUE,OVERDUE`,
  })
  @ApiQuery({
    name: 'asOf',
    required: false,
    example: '2026-03-01T00:00:00Z',
    description: 'Business time; default now',
  })
  @ApiQuery({ name: 'knownAt', required: false, description: 'Record time: what the system knew then' })
  @ApiQuery({ name: 'limit', required: false, example: 100 })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ type: CollectionTasksPageDto })
  list(
    @CurrentUser() user: AuthUser,
    @Query('assignee') assignee?: string,
    @Query('status') status?: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<CollectionTasksPageDto> {
    const statuses = parseStatuses(status);
    const who = assignee === undefined || assignee === '' ? null : ids.transform(assignee);
    const scope = readScopeOf(user);
    const self = user.roles.includes('manager') && user.salespersonId ? user.salespersonId : null;
    return this.queries.execute(
      new ListCollectionTasksQuery(
        who,
        statuses,
        { asOf: instantParam(asOf, 'asOf') ?? new Date(), knownAt: instantParam(knownAt, 'knownAt') },
        { scope, self },
        parsePage(limit, cursor),
      ),
    );
  }

  @Post('fall-due-scan')
  @Roles('finance') // and admin
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record the collection tasks that have fallen due by asOf (the due scan, run now)',
    description:
      'Appends one CollectionTaskFellDue per task due by asOf’s UTC date (DUE or OVERDUE) that has not fallen due ' +
      'before: exactly once per task, however often and however concurrently it runs. The server also runs it every ' +
      'COLLECTION_DUE_SCAN_SECONDS. Downstream services subscribe to CollectionTaskFellDue (feed, SSE, webhooks); ' +
      'this system sends no e-mail.',
  })
  @ApiBody({ type: FallDueScanRequestDto, examples: { example: { value: { asOf: '2026-03-01T00:00:00Z' } } } })
  @ApiOkResponse({ type: FallDueScanDto })
  async scan(@Body() body: FallDueScanRequestDto, @Ctx() ctx: RequestContext): Promise<FallDueScanDto> {
    const now = new Date();
    const asOf = body.asOf === undefined ? now : new Date(body.asOf);
    if (asOf.getTime() > now.getTime()) {
      throw new ValidationFailedException([{ field: 'asOf', message: 'asOf must not be in the future' }]);
    }
    try {
      await this.engine.waitUntilCaughtUp(SCAN_CATCH_UP_MS, ['collection-tasks']);
    } catch {
      throw new ProjectionBehindException(1, 'The collection-tasks projection has not caught up with the log yet');
    }
    const report = await new CollectionDueScan(this.store, this.db).run(asOf, {
      actor: ctx.actor,
      correlationId: ctx.correlationId,
    });
    return { ...report, fellDue: report.fellDue.map((f) => ({ ...f })) };
  }
}
