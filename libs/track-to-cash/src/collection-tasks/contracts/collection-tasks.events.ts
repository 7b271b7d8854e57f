/**
 * Public event contract of the due-task feed (issue 9, item 5): a collection task fell due. It is
 * appended by the due scan (due-scan/), never by a projection (falling due depends on the clock),
 * once per task, on the task's own stream `collection-task-<taskId>`. Downstream services
 * subscribe to it (GET /api/v1/events?types=CollectionTaskFellDue, the SSE stream, webhooks),
 * e.g. to send the reminder e-mails; this system sends no e-mail. Framework-free.
 */
import type { DomainEvent } from '../../../../eventsourcing/src/decider';
import type { CollectionAction, CollectionResponsible } from '../../../../sales/src/contracts/collections.events';
import type { Money } from '../../../../shared-kernel/src/money';

export type CollectionTaskFellDue = DomainEvent<
  'CollectionTaskFellDue',
  {
    /** `<orderId>:<invoiceId>:<stepId>` (the collection schedule's task id). */
    readonly taskId: string;
    readonly orderId: string;
    readonly customerId: string;
    readonly invoiceId: string;
    readonly policyId: string;
    readonly stepId: string;
    readonly action: CollectionAction;
    readonly responsible: CollectionResponsible;
    /** Salesperson ids and/or `finance`, sorted. */
    readonly assignees: readonly string[];
    /** The day the task fell due (YYYY-MM-DD); the event's occurredAt is that day's 00:00 UTC. */
    readonly dueDate: string;
    /** What was still open on the invoice when the scan found the task due. */
    readonly openAmount: Money;
  }
>;

export const COLLECTION_TASK_EVENT_TYPES = ['CollectionTaskFellDue'] as const;

export const COLLECTION_TASK_SCHEMA_VERSIONS: Readonly<Record<CollectionTaskFellDue['type'], number>> = {
  CollectionTaskFellDue: 1,
};

export const collectionTaskStreams = {
  task: (taskId: string) => `collection-task-${taskId}`,
};
