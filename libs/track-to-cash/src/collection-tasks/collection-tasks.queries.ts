import { ForbiddenException, Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import type { CollectionTask, CollectionTaskStatus } from '../../../sales/src/collections/collection-schedule';
import { FINANCE_ASSIGNEE } from '../../../sales/src/collections/collection-schedule';
import type { ReadScope } from '../../../platform/src/auth/read-scope';
import { READ_DATA_SOURCE } from '../../../platform/src/cqrs/tokens';
import { encodeCursor, type PageRequest } from '../../../platform/src/http/pagination';
import { ValidationFailedException } from '../../../platform/src/http/problem';
import { candidateSql, type TaskTimes, tasksOfOrders } from './collection-tasks.read-model';
import type { CollectionTaskDto, CollectionTasksPageDto } from './collection-tasks.response.dto';

export const TASK_STATUSES: readonly CollectionTaskStatus[] = ['UPCOMING', 'DUE', 'OVERDUE', 'DONE', 'CANCELLED'];
/** The worklist: what is to be done now. */
export const DEFAULT_TASK_STATUSES: readonly CollectionTaskStatus[] = ['DUE', 'OVERDUE'];
const OPEN: ReadonlySet<CollectionTaskStatus> = new Set(['UPCOMING', 'DUE', 'OVERDUE']);

/** Who may be asked about: everyone, or a set of salespeople (a rep: themselves; a manager: their team and themselves). */
export interface TaskScope {
  readonly scope: ReadScope;
  /** The caller's own salesperson id (a manager's tasks are assigned to it). */
  readonly self: string | null;
}

export class ListCollectionTasksQuery {
  constructor(
    /** A salesperson id or `finance`; null: every task the caller may see. */
    readonly assignee: string | null,
    readonly statuses: readonly CollectionTaskStatus[],
    readonly times: TaskTimes,
    readonly access: TaskScope,
    readonly page: PageRequest,
  ) {}
}

/** The sort key: OVERDUE first, then by due date, then by task id. */
type SortKey = readonly [number, string, string];
const sortKey = (t: CollectionTask): SortKey => [t.status === 'OVERDUE' ? 0 : 1, t.dueDate, t.taskId];
function compareKeys(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
}

function decodeKey(after: string): SortKey {
  try {
    const k = JSON.parse(after) as unknown;
    if (
      Array.isArray(k) &&
      k.length === 3 &&
      (k[0] === 0 || k[0] === 1) &&
      typeof k[1] === 'string' &&
      typeof k[2] === 'string'
    ) {
      return [k[0], k[1], k[2]];
    }
  } catch {
    /* not ours */
  }
  throw new ValidationFailedException([
    { field: 'cursor', message: 'cursor must be a nextCursor from a previous page' },
  ]);
}

export function toTaskDto(t: CollectionTask): CollectionTaskDto {
  return {
    taskId: t.taskId,
    orderId: t.orderId,
    customerId: t.customerId,
    invoiceId: t.invoiceId,
    policyId: t.policyId,
    stepId: t.stepId,
    action: t.action,
    responsible: t.responsible,
    assignees: [...t.assignees],
    scheduledDate: t.scheduledDate,
    dueDate: t.dueDate,
    status: t.status,
    daysPastDue: t.daysPastDue,
    doneAt: t.doneAt,
    doneByActionId: t.doneByActionId,
    raisedBy: t.raisedBy,
    raisedByPromiseId: t.raisedByPromiseId,
    pausedByDisputeId: t.pausedByDisputeId,
    openAmount: { amount: t.openAmount, currency: t.currency },
  };
}

/**
 * Each person's worklist: the tasks of the receivables that may concern the assignee (credited to
 * them or to a salesperson they manage; every receivable for `finance`), computed at asOf by the
 * collection schedule function, kept when an assignee is in the caller's scope and the status is
 * asked for, OVERDUE first then by due date. Receivables settled for good (or not invoiced) by
 * asOf are skipped without computing them when only open statuses are asked for.
 */
@QueryHandler(ListCollectionTasksQuery)
export class ListCollectionTasksHandler implements IQueryHandler<ListCollectionTasksQuery, CollectionTasksPageDto> {
  constructor(@Inject(READ_DATA_SOURCE) private readonly db: DataSource) {}

  async execute(q: ListCollectionTasksQuery): Promise<CollectionTasksPageDto> {
    const visible = await this.visibleSalespeople(q.access);
    let wanted: ReadonlySet<string> | null; // assignees to keep; null: all
    if (q.assignee !== null) {
      if (visible !== null && !visible.has(q.assignee)) {
        throw new ForbiddenException(`You may not read the collection tasks of ${q.assignee}`);
      }
      wanted = new Set([q.assignee]);
    } else wanted = visible;

    const p: unknown[] = [q.times.asOf.toISOString()];
    if (q.times.knownAt) p.push(q.times.knownAt.toISOString());
    const openOnly = q.statuses.every((s) => OPEN.has(s));
    const where = [candidateSql('$1::timestamptz', q.times.knownAt ? '$2::timestamptz' : null, openOnly)];
    if (wanted !== null && !wanted.has(FINANCE_ASSIGNEE)) {
      // Credited to one of them, or to a salesperson one of them manages (MANAGER steps).
      p.push([...wanted]);
      const n = `$${p.length}::text[]`;
      where.push(`EXISTS (SELECT 1 FROM ct_order_credits c WHERE c.order_id = o.order_id
                     AND (c.salesperson_id = ANY(${n})
                          OR c.salesperson_id IN (SELECT s.salesperson_id FROM ct_salespeople s WHERE s.manager_id = ANY(${n}))))`);
    }
    const ids = (
      (await this.db.query(
        `SELECT o.order_id FROM ct_orders o WHERE ${where.join(' AND ')} ORDER BY o.order_id`,
        p,
      )) as Array<{ order_id: string }>
    ).map((r) => r.order_id);

    const statuses = new Set(q.statuses);
    const after = q.page.after === null ? null : decodeKey(q.page.after);
    const tasks = (await tasksOfOrders(this.db, ids, q.times))
      .filter((t) => statuses.has(t.status))
      .filter((t) => wanted === null || t.assignees.some((a) => wanted.has(a)))
      .map((t) => ({ t, key: sortKey(t) }))
      .filter(({ key }) => after === null || compareKeys(key, after) > 0)
      .sort((a, b) => compareKeys(a.key, b.key));
    const page = tasks.slice(0, q.page.limit);
    const last = page[page.length - 1];
    return {
      asOf: q.times.asOf.toISOString(),
      items: page.map(({ t }) => toTaskDto(t)),
      nextCursor: tasks.length > q.page.limit && last ? encodeCursor(JSON.stringify(last.key)) : null,
    };
  }

  /** The salespeople whose tasks the caller may read (null: everyone's, finance's too). */
  private async visibleSalespeople(access: TaskScope): Promise<ReadonlySet<string> | null> {
    const { scope, self } = access;
    if (scope.kind === 'all') return null;
    if (scope.kind === 'salesperson') return new Set([scope.salespersonId]);
    const team = (await this.db.query('SELECT salesperson_id FROM ct_salespeople WHERE team_id = $1', [
      scope.teamId,
    ])) as Array<{ salesperson_id: string }>;
    return new Set([...team.map((r) => r.salesperson_id), ...(self ? [self] : [])]);
  }
}
