/**
 * The collection tasks' read model as pure functions of the events (no clock): per receivable,
 * the facts the collection schedule needs — the booking (customer, sales credits, terms), every
 * invoice, payment, cancellation, return and write-off, the collection actions, promises to pay
 * and disputes — and beside them the salespeople's managers and teams, the collection policies and
 * each customer's policy assignments, and the tasks already announced as fallen due. Tasks
 * themselves depend on `asOf` and are computed at query time by the collection schedule function.
 *
 * Each fact keeps the event's `data` as it is (the published contract), so the query hands the
 * schedule function exactly what the events said.
 */
import type { StoredEvent } from '../../../eventsourcing/src/event';
import type { SaleBooked, SalespersonRegistered } from '../../../sales/src/contracts/sales.events';
import {
  addMilestone,
  emptyTotals,
  type Milestone,
  type OrderTotals,
  projectTrackToCash,
} from '../order-status/track-to-cash.projection';

/** Order-stream events that change the receivable's amounts (track-to-cash milestones). */
export const MONEY_FACT_TYPES = [
  'SaleBooked',
  'InvoiceIssued',
  'PaymentReceived',
  'OrderCancelled',
  'ProductReturned',
  'DebtWrittenOff',
] as const;

/** Order-stream events of the collection process (the collection write side's contracts). */
export const COLLECTION_FACT_TYPES = [
  'CollectionActionTaken',
  'PaymentPromised',
  'InvoiceDisputed',
  'InvoiceDisputeResolved',
] as const;

/** Events of a collection policy's own stream. */
export const POLICY_TYPES = ['CollectionPolicyCreated'] as const;
/** A customer's policy (on the customer's stream). */
export const CUSTOMER_POLICY_TYPES = ['CollectionPolicyAssigned'] as const;
/** A task announced as fallen due (our own event, see due-scan). */
export const FELL_DUE_TYPE = 'CollectionTaskFellDue';

/** One fact of a receivable: the event's data as published, with its times. */
export interface OrderFact {
  readonly orderId: string;
  readonly type: string;
  /** Business time (the event's occurredAt). */
  readonly at: string;
  readonly recordedAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface BookedOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly currency: string;
  readonly bookedAt: string;
  readonly recordedAt: string;
  readonly salesCredits: SaleBooked['data']['salesCredits'];
  /** Totals after the booking (net 0 until the BOOKED milestone is folded in). */
  readonly totals: OrderTotals;
}

export type CollectionTasksChange =
  | { readonly kind: 'order'; readonly order: BookedOrder }
  | {
      readonly kind: 'fact';
      readonly fact: OrderFact;
      /** A money fact's track-to-cash milestone, folded into the order's running totals. */
      readonly milestone: Milestone | null;
    }
  | {
      readonly kind: 'salesperson';
      readonly salespersonId: string;
      readonly managerId: string | null;
      readonly teamId: string | null;
      readonly recordedAt: string;
    }
  | {
      readonly kind: 'policy';
      readonly policyId: string;
      readonly type: string;
      readonly at: string;
      readonly recordedAt: string;
      readonly data: Readonly<Record<string, unknown>>;
    }
  | {
      readonly kind: 'customer-policy';
      readonly customerId: string;
      readonly type: string;
      readonly at: string;
      readonly recordedAt: string;
      readonly data: Readonly<Record<string, unknown>>;
    }
  | { readonly kind: 'fell-due'; readonly taskId: string; readonly orderId: string; readonly recordedAt: string };

const MONEY = new Set<string>(MONEY_FACT_TYPES);
const COLLECTION = new Set<string>(COLLECTION_FACT_TYPES);
const POLICY = new Set<string>(POLICY_TYPES);
const CUSTOMER_POLICY = new Set<string>(CUSTOMER_POLICY_TYPES);

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function projectCollectionTasks(event: StoredEvent): CollectionTasksChange[] {
  const data = (event.data ?? {}) as Record<string, unknown>;
  if (event.type === 'SalespersonRegistered') {
    const d = data as unknown as SalespersonRegistered['data'];
    return [
      {
        kind: 'salesperson',
        salespersonId: d.salespersonId,
        managerId: d.managerId ?? null,
        teamId: d.teamId ?? null,
        recordedAt: event.recordedAt,
      },
    ];
  }
  if (MONEY.has(event.type) || COLLECTION.has(event.type)) {
    const orderId = text(data['orderId']);
    if (!orderId) return [];
    const out: CollectionTasksChange[] = [];
    let milestone: Milestone | null = null;
    if (MONEY.has(event.type)) {
      for (const change of projectTrackToCash(event)) {
        if (change.kind === 'order') {
          const d = data as unknown as SaleBooked['data'];
          out.push({
            kind: 'order',
            order: {
              orderId,
              customerId: d.customerId,
              currency: change.order.currency,
              bookedAt: change.order.bookedAt,
              recordedAt: event.recordedAt,
              salesCredits: change.order.salesCredits,
              totals: emptyTotals(change.order, event.recordedAt),
            },
          });
        } else if (change.kind === 'milestone') milestone = change.milestone;
      }
    }
    const fact: OrderFact = { orderId, type: event.type, at: event.occurredAt, recordedAt: event.recordedAt, data };
    out.push({ kind: 'fact', fact, milestone });
    return out;
  }
  if (POLICY.has(event.type)) {
    const policyId = text(data['policyId']);
    return policyId
      ? [{ kind: 'policy', policyId, type: event.type, at: event.occurredAt, recordedAt: event.recordedAt, data }]
      : [];
  }
  if (CUSTOMER_POLICY.has(event.type)) {
    const customerId = text(data['customerId']);
    return customerId
      ? [
          {
            kind: 'customer-policy',
            customerId,
            type: event.type,
            at: event.occurredAt,
            recordedAt: event.recordedAt,
            data,
          },
        ]
      : [];
  }
  if (event.type === FELL_DUE_TYPE) {
    const taskId = text(data['taskId']);
    const orderId = text(data['orderId']);
    return taskId && orderId ? [{ kind: 'fell-due', taskId, orderId, recordedAt: event.recordedAt }] : [];
  }
  return [];
}

/** Folds a money fact's milestone into the order's running totals (track-to-cash's arithmetic). */
export function foldTotals(totals: OrderTotals, milestone: Milestone | null): OrderTotals {
  return milestone && milestone.orderId === totals.orderId ? addMilestone(totals, milestone) : totals;
}
