import type { DataSource } from 'typeorm';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { handleCommand } from '../../../../eventsourcing/src/handle-command';
import { deterministicUuid } from '../../../../eventsourcing/src/ids';
import type { CollectionTask } from '../../../../sales/src/collections/collection-schedule';
import { candidateSql, ORDERS_PER_CHUNK, tasksOfOrders } from '../collection-tasks.read-model';
import {
  COLLECTION_TASK_SCHEMA_VERSIONS,
  type CollectionTaskFellDue,
  collectionTaskStreams,
} from '../contracts/collection-tasks.events';
import { recordTaskFellDueDecider } from './record-task-fell-due.decide';

export interface FallDueScanReport {
  readonly asOf: string;
  /** Receivables whose tasks were computed. */
  readonly receivables: number;
  /** Tasks this scan recorded as fallen due, with the position of their event. */
  readonly fellDue: ReadonlyArray<{ taskId: string; dueDate: string; position: string }>;
  /** Due tasks recorded before (by an earlier or a concurrent scan): nothing appended for them. */
  readonly alreadyFallen: number;
}

/** Who appends the events of a scan: a user (POST …/fall-due-scan) or the scheduler. */
export interface ScanActor {
  readonly actor: string;
  readonly correlationId: string;
}

export const SCHEDULER_ACTOR = 'system:collection-due-scan';

/**
 * The due scan: the tasks that have fallen due by asOf's date (status DUE or OVERDUE: due date ≤
 * asOf's UTC date, neither done nor cancelled) get one `CollectionTaskFellDue` each, on the
 * task's own stream `collection-task-<taskId>`. Exactly once per task: the command id is the
 * task id (a repeat decides nothing; event ids derive from it), so a retry, a second scan or
 * another instance scanning at the same moment never doubles it. Tasks the read model already
 * shows as fallen (ct_fallen_due) are skipped without touching the store.
 *
 * Not a projection: falling due depends on the clock (asOf), which projections never read.
 */
export class CollectionDueScan {
  constructor(
    private readonly store: EventStore,
    private readonly db: DataSource,
  ) {}

  async run(asOf: Date, by: ScanActor): Promise<FallDueScanReport> {
    const fellDue: Array<{ taskId: string; dueDate: string; position: string }> = [];
    let alreadyFallen = 0;
    let receivables = 0;
    let after = '';
    for (;;) {
      const ids = (
        (await this.db.query(
          `SELECT o.order_id FROM ct_orders o
            WHERE ${candidateSql('$1::timestamptz', null, true)} AND o.order_id > $2
            ORDER BY o.order_id LIMIT $3`,
          [asOf.toISOString(), after, ORDERS_PER_CHUNK],
        )) as Array<{ order_id: string }>
      ).map((r) => r.order_id);
      if (ids.length === 0) break;
      after = ids[ids.length - 1]!;
      receivables += ids.length;
      const due = (await tasksOfOrders(this.db, ids, { asOf, knownAt: null })).filter(
        (t) => t.status === 'DUE' || t.status === 'OVERDUE',
      );
      if (due.length > 0) {
        const recorded = new Set(
          (
            (await this.db.query('SELECT task_id FROM ct_fallen_due WHERE task_id = ANY($1::text[])', [
              due.map((t) => t.taskId),
            ])) as Array<{ task_id: string }>
          ).map((r) => r.task_id),
        );
        for (const task of due) {
          if (recorded.has(task.taskId)) {
            alreadyFallen++;
            continue;
          }
          const result = await this.record(task, by);
          if (result.appended) {
            fellDue.push({ taskId: task.taskId, dueDate: task.dueDate, position: result.globalPosition.toString() });
          } else alreadyFallen++;
        }
      }
      if (ids.length < ORDERS_PER_CHUNK) break;
    }
    return { asOf: asOf.toISOString(), receivables, fellDue, alreadyFallen };
  }

  private record(task: CollectionTask, by: ScanActor) {
    const data: CollectionTaskFellDue['data'] = {
      taskId: task.taskId,
      orderId: task.orderId,
      customerId: task.customerId,
      invoiceId: task.invoiceId,
      policyId: task.policyId,
      stepId: task.stepId,
      action: task.action,
      responsible: task.responsible,
      assignees: [...task.assignees],
      dueDate: task.dueDate,
      openAmount: { amount: task.openAmount, currency: task.currency },
    };
    return handleCommand(
      this.store,
      collectionTaskStreams.task(task.taskId),
      recordTaskFellDueDecider,
      { type: 'RecordTaskFellDue', task: data },
      {
        commandType: 'RecordTaskFellDue',
        commandId: task.taskId,
        actor: by.actor,
        correlationId: by.correlationId,
        causationId: deterministicUuid('RecordTaskFellDue', task.taskId),
        // The task alone identifies the command: scans at other instants (other open amounts) are repeats.
        request: { taskId: task.taskId },
      },
      COLLECTION_TASK_SCHEMA_VERSIONS,
    );
  }
}
