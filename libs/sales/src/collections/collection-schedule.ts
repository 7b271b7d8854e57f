/**
 * The collection schedule of one order's receivables (issue 9, item 2), as a pure function of the
 * recorded facts and an `asOf` (and optionally `knownAt`): no clock, no I/O, no framework. The
 * collection tasks read model and the due-task feed compute their rows with it.
 *
 * Rules (docs/collections-and-credit.md § Collection policies, actions, promises and disputes):
 * - **Receivable** = an invoice of the order. Its open amount follows `invoiceOpenAmounts`
 *   (payments, write-offs and unpaid reductions settle invoices oldest first).
 * - **Policy** of an invoice: the customer's assignment with the latest `effectiveFrom` ≤ the
 *   invoice's issue date (ties: the one recorded last), among the assignments known at `knownAt`;
 *   none, or an unknown policy id: DEFAULT_COLLECTION_POLICY.
 * - **Scheduled date** of a step = the invoice's due date + offsetDays, never before the issue date.
 * - **Disputes** (in the order raised): a dispute raised on date D and resolved on date R pauses the
 *   schedule for R − D days: every step whose date is ≥ D moves R − D days later; steps already
 *   due before D keep their date. A dispute still open at `asOf` counts as resolved the day after
 *   asOf, so the steps it holds stay UPCOMING (with `pausedByDisputeId`).
 * - **Promises** (by promised date): a promise made at instant M to pay A by date P is **kept**
 *   when the invoice's open amount at the end of P is 0 or at least A lower than just before M;
 *   it is judged from the day after P on (asOf's date > P). A **broken** promise raises the next
 *   step: the first step not done by P whose date is after P gets the date P + 1 and
 *   `raisedBy: 'BROKEN_PROMISE'` (each broken promise raises a different step; none left: nothing).
 * - **Status** at asOf's date: DONE once an action for the step was taken (the earliest is
 *   `doneAt`); else CANCELLED when the invoice's open amount is 0 (nothing left to collect); else
 *   UPCOMING before the due date, DUE from it for OVERDUE_GRACE_DAYS days, OVERDUE after.
 * - **Assignees**: SALESPERSON → the order's credited salespeople; MANAGER → their managers
 *   (a salesperson without a manager → `finance`); FINANCE → `finance`. Sorted, distinct.
 */
import type { DomainEvent } from '../../../eventsourcing/src/decider';
import { addDays, daysBetween, utcDate } from '../../../shared-kernel/src/time';
import {
  type CollectionAction,
  type CollectionOrderEvent,
  type CollectionPolicyAssigned,
  type CollectionPolicyCreated,
  type CollectionResponsible,
  DEFAULT_COLLECTION_POLICY,
  DEFAULT_COLLECTION_POLICY_ID,
} from '../contracts/collections.events';
import type { OrderEvent } from '../contracts/sales.events';
import { evolveOrder, initialOrderState, type OrderAmounts } from '../orders/order.state';
import { invoiceOpenAmounts, type IssuedInvoice } from './receivable';

/** A fact as the store recorded it: the event plus its record time. */
export type RecordedFact<E extends DomainEvent> = E & { readonly recordedAt: string };

export interface CollectionScheduleInput {
  /** Every event of the order's stream (`order-<id>`), in stream order, with its record time. */
  readonly orderEvents: readonly RecordedFact<OrderEvent | CollectionOrderEvent>[];
  /** The `CollectionPolicyAssigned` events of the order's customer, in stream order. */
  readonly policyAssignments: readonly RecordedFact<CollectionPolicyAssigned>[];
  /** Created policies by id (`CollectionPolicyCreated` data). `default` need not be given. */
  readonly policies: Readonly<Record<string, CollectionPolicyCreated['data']>>;
  /** The manager of each credited salesperson (null or absent: none). */
  readonly managers: Readonly<Record<string, string | null>>;
  /** Business time: facts with occurredAt ≤ asOf count, and statuses are judged on its UTC date. */
  readonly asOf: string;
  /** Record time: only facts recorded at or before it count. Default: everything given. */
  readonly knownAt?: string;
}

export type CollectionTaskStatus = 'UPCOMING' | 'DUE' | 'OVERDUE' | 'DONE' | 'CANCELLED';

/** The assignee of every FINANCE step (and of MANAGER steps of a salesperson without a manager). */
export const FINANCE_ASSIGNEE = 'finance';
/** A task is DUE on its due date and this many days after; OVERDUE from the next day. */
export const OVERDUE_GRACE_DAYS = 3;

export interface CollectionTask {
  /** `<orderId>:<invoiceId>:<stepId>`: stable across rebuilds. */
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
  /** The invoice's due date + offsetDays (not before the issue date), before pauses and escalations. */
  readonly scheduledDate: string;
  /** After dispute pauses and broken-promise escalations. */
  readonly dueDate: string;
  readonly status: CollectionTaskStatus;
  /** Days past the due date at asOf (0 unless DUE or OVERDUE). */
  readonly daysPastDue: number;
  /** takenAt of the earliest action recorded for this step (DONE only). */
  readonly doneAt: string | null;
  readonly doneByActionId: string | null;
  readonly raisedBy: 'BROKEN_PROMISE' | null;
  readonly raisedByPromiseId: string | null;
  /** An open dispute holds this step (it is then UPCOMING). */
  readonly pausedByDisputeId: string | null;
  /** The invoice's open amount at asOf (minor units). */
  readonly openAmount: number;
  readonly currency: string;
}

type Fact = RecordedFact<OrderEvent | CollectionOrderEvent>;

const at = (instant: string) => Date.parse(instant);

/** The tasks of every invoice of the order, invoices in issue order, steps in policy order. */
export function collectionTasks(input: CollectionScheduleInput): CollectionTask[] {
  const asOfDate = utcDate(input.asOf);
  const known = (f: { recordedAt: string }) => input.knownAt === undefined || at(f.recordedAt) <= at(input.knownAt);
  const facts = input.orderEvents.filter((f) => known(f) && at(f.occurredAt) <= at(input.asOf));
  const sale = facts.find((f) => f.type === 'SaleBooked');
  if (!sale || sale.type !== 'SaleBooked') return [];
  const order = sale.data;

  const openWith = (include: (f: Fact) => boolean) => {
    const chosen = facts.filter(include);
    return invoiceOpenAmounts(amountsOf(chosen), invoicesOf(chosen));
  };
  const openNow = openWith(() => true);
  const assignments = input.policyAssignments.filter(known);
  const salespeople = [...new Set(order.salesCredits.map((c) => c.salespersonId))].sort();

  const tasks: CollectionTask[] = [];
  for (const invoice of invoicesOf(facts)) {
    const policy = policyFor(invoice, assignments, input.policies);
    const ofInvoice = facts.filter(
      (f): f is RecordedFact<CollectionOrderEvent> => isCollectionFact(f) && f.data.invoiceId === invoice.invoiceId,
    );
    const issuedDate = utcDate(invoice.issuedAt);
    const steps = policy.steps.map((step) => {
      const scheduled = maxDate(addDays(invoice.dueDate, step.offsetDays), issuedDate);
      return {
        step,
        scheduled,
        due: scheduled,
        pausedBy: null as string | null,
        raisedBy: null as string | null,
        done: firstAction(ofInvoice, step.stepId),
      };
    });

    // Disputes pause the schedule, in the order they were raised.
    for (const dispute of disputesOf(ofInvoice).sort((a, b) => cmp(a.from, b.from))) {
      const until = dispute.until ?? addDays(asOfDate, 1);
      const pause = Math.max(0, daysBetween(dispute.from, until));
      for (const s of steps) {
        if (s.due < dispute.from) continue;
        s.due = addDays(s.due, pause);
        if (dispute.until === null) s.pausedBy = dispute.disputeId;
      }
    }

    // Broken promises raise the next step, in promised-date order.
    const promises = ofInvoice
      .filter(
        (f): f is RecordedFact<Extract<CollectionOrderEvent, { type: 'PaymentPromised' }>> =>
          f.type === 'PaymentPromised',
      )
      .map((f, index) => ({ ...f.data, madeAt: f.occurredAt, index }))
      .sort((a, b) => cmp(a.promisedDate, b.promisedDate) || a.index - b.index);
    for (const promise of promises) {
      if (asOfDate <= promise.promisedDate) continue; // not yet judged
      const before = openWith((f) => at(f.occurredAt) < at(promise.madeAt)).get(invoice.invoiceId) ?? 0;
      const after = openWith((f) => utcDate(f.occurredAt) <= promise.promisedDate).get(invoice.invoiceId) ?? 0;
      if (after === 0 || before - after >= promise.amount.amount) continue; // kept
      const next = steps.find(
        (s) =>
          s.raisedBy === null &&
          s.due > promise.promisedDate &&
          !(s.done && utcDate(s.done.takenAt) <= promise.promisedDate),
      );
      if (!next) continue;
      next.due = minDate(next.due, addDays(promise.promisedDate, 1));
      next.raisedBy = promise.promiseId;
    }

    const open = openNow.get(invoice.invoiceId) ?? 0;
    for (const s of steps) {
      let status: CollectionTaskStatus;
      if (s.done) status = 'DONE';
      else if (open === 0) status = 'CANCELLED';
      else if (asOfDate < s.due) status = 'UPCOMING';
      else status = daysBetween(s.due, asOfDate) > OVERDUE_GRACE_DAYS ? 'OVERDUE' : 'DUE';
      tasks.push({
        taskId: `${order.orderId}:${invoice.invoiceId}:${s.step.stepId}`,
        orderId: order.orderId,
        customerId: order.customerId,
        invoiceId: invoice.invoiceId,
        policyId: policy.policyId,
        stepId: s.step.stepId,
        action: s.step.action,
        responsible: s.step.responsible,
        assignees: assigneesOf(s.step.responsible, salespeople, input.managers),
        scheduledDate: s.scheduled,
        dueDate: s.due,
        status,
        daysPastDue: status === 'DUE' || status === 'OVERDUE' ? daysBetween(s.due, asOfDate) : 0,
        doneAt: status === 'DONE' && s.done ? s.done.takenAt : null,
        doneByActionId: status === 'DONE' && s.done ? s.done.actionId : null,
        raisedBy: s.raisedBy === null ? null : 'BROKEN_PROMISE',
        raisedByPromiseId: s.raisedBy,
        pausedByDisputeId: status === 'UPCOMING' ? s.pausedBy : null,
        openAmount: open,
        currency: order.amount.currency,
      });
    }
  }
  return tasks;
}

/**
 * The policy of an invoice: the assignment with the latest effectiveFrom ≤ its issue date (ties:
 * the one recorded last, i.e. later in the list), else the default.
 */
export function policyFor(
  invoice: Pick<IssuedInvoice, 'issuedAt'>,
  assignments: readonly CollectionPolicyAssigned[],
  policies: Readonly<Record<string, CollectionPolicyCreated['data']>>,
): CollectionPolicyCreated['data'] {
  const issued = utcDate(invoice.issuedAt);
  let best: CollectionPolicyAssigned['data'] | undefined;
  for (const a of assignments) {
    if (a.data.effectiveFrom <= issued && (!best || best.effectiveFrom <= a.data.effectiveFrom)) best = a.data;
  }
  if (!best || best.policyId === DEFAULT_COLLECTION_POLICY_ID) return DEFAULT_COLLECTION_POLICY;
  return policies[best.policyId] ?? DEFAULT_COLLECTION_POLICY;
}

function assigneesOf(
  responsible: CollectionResponsible,
  salespeople: readonly string[],
  managers: Readonly<Record<string, string | null>>,
): string[] {
  if (responsible === 'SALESPERSON') return [...salespeople];
  if (responsible === 'FINANCE') return [FINANCE_ASSIGNEE];
  return [...new Set(salespeople.map((s) => managers[s] ?? FINANCE_ASSIGNEE))].sort();
}

function isCollectionFact(f: Fact): f is RecordedFact<CollectionOrderEvent> {
  return (
    f.type === 'CollectionActionTaken' ||
    f.type === 'PaymentPromised' ||
    f.type === 'InvoiceDisputed' ||
    f.type === 'InvoiceDisputeResolved'
  );
}

function amountsOf(facts: readonly Fact[]): OrderAmounts {
  let state = initialOrderState();
  for (const f of facts) if (!isCollectionFact(f)) state = evolveOrder(state, f);
  return state.exists
    ? state.amounts
    : { booked: 0, cancelled: 0, returned: 0, invoiced: 0, payments: 0, refunds: 0, writtenOff: 0 };
}

function invoicesOf(facts: readonly Fact[]): IssuedInvoice[] {
  const invoices: IssuedInvoice[] = [];
  for (const f of facts) {
    if (f.type === 'InvoiceIssued')
      invoices.push({
        invoiceId: f.data.invoiceId,
        amount: f.data.amount.amount,
        issuedAt: f.data.issuedAt,
        dueDate: f.data.dueDate,
      });
  }
  return invoices;
}

function firstAction(facts: readonly RecordedFact<CollectionOrderEvent>[], stepId: string) {
  let first: { takenAt: string; actionId: string } | null = null;
  for (const f of facts) {
    if (f.type !== 'CollectionActionTaken' || f.data.stepId !== stepId) continue;
    if (!first || at(f.data.takenAt) < at(first.takenAt))
      first = { takenAt: f.data.takenAt, actionId: f.data.actionId };
  }
  return first;
}

function disputesOf(facts: readonly RecordedFact<CollectionOrderEvent>[]) {
  const disputes = new Map<string, { disputeId: string; from: string; until: string | null }>();
  for (const f of facts) {
    if (f.type === 'InvoiceDisputed')
      disputes.set(f.data.disputeId, { disputeId: f.data.disputeId, from: utcDate(f.data.disputedAt), until: null });
    if (f.type === 'InvoiceDisputeResolved') {
      const d = disputes.get(f.data.disputeId);
      if (d) d.until = utcDate(f.data.resolvedAt);
    }
  }
  return [...disputes.values()];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const maxDate = (a: string, b: string) => (a < b ? b : a);
const minDate = (a: string, b: string) => (a < b ? a : b);
