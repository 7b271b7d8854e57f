/**
 * The commission ledger as a pure function of events in global order (domain.md §4).
 * No clock, no randomness, no I/O: `projectLedger(view, event)` returns the changes that event
 * causes, given what earlier events built (`LedgerView`). The projector loads the view from its
 * tables and writes the changes; tests run it on plain objects.
 */
import { deterministicUuid } from '../../../eventsourcing/src/ids';
import {
  comparePositions,
  type LogPosition,
  parseLogPosition,
  type StoredEvent,
} from '../../../eventsourcing/src/event';
import { BPS, commission, roundHalfUp } from '../../../shared-kernel/src/money';
import { daysBetween, periodOf, utcDate } from '../../../shared-kernel/src/time';
import type {
  Basis,
  DebtWrittenOff,
  OrderCancelled,
  PaymentReceived,
  PlanAssigned,
  PlanCreated,
  ProductReturned,
  SaleBooked,
  SalespersonRegistered,
} from '../../../sales/src/contracts/sales.events';
import type { AdjustmentPosted, PayoutRecorded, PeriodClosed } from '../contracts/commissions.events';
import { applicableAssignment, type Assignment } from '../../../sales/src/salespeople/salesperson.state';

export interface PlanTerms {
  readonly planId: string;
  readonly name: string;
  readonly currency: string;
  readonly basis: Basis;
  readonly rateBps: number;
  readonly windowDays: number;
  readonly percentBps: number;
}

export type EntryType = 'EARNED' | 'CLAWBACK' | 'ADJUSTMENT' | 'PAYOUT';

export interface LedgerEntry {
  readonly entryId: string;
  readonly salespersonId: string;
  readonly type: EntryType;
  /** Signed minor units: EARNED and positive adjustments add, CLAWBACK and PAYOUT subtract. */
  readonly amount: bigint;
  readonly currency: string;
  readonly period: string;
  readonly originalPeriod: string | null;
  readonly orderId: string | null;
  readonly sourceEventId: string;
  readonly sourcePosition: bigint;
  /** The source event's place in the global log: what a period close compares with its checkpoint. */
  readonly sourceLogPosition: LogPosition;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly explanation: EntryExplanation;
}

export type Trigger =
  'SALE_BOOKED' | 'PAYMENT_RECEIVED' | 'CANCELLATION' | 'RETURN' | 'WRITE_OFF' | 'MANUAL_ADJUSTMENT' | 'PAYOUT';

export interface EntryExplanation {
  readonly trigger: Trigger;
  /** The amount the formula starts from (sale, payment, reduction or refunded part). */
  readonly baseAmount: number;
  /** Commission entries only (null for adjustments and payouts). */
  readonly splitBps: number | null;
  readonly rateBps: number | null;
  /** Clawbacks only: the share of the commission taken back. */
  readonly percentBps: number | null;
  readonly planId: string | null;
  readonly assignmentId: string | null;
  readonly formula: string;
  /** Adjustments: why, and who approved it. */
  readonly reason?: string;
  readonly approvedBy?: string;
  /** Clawbacks only: commission(baseAmount, splitBps, rateBps) before the percentage. */
  readonly originalCommission?: number;
  readonly daysSinceBooking?: number;
  readonly windowDays?: number;
  /** Clawbacks only: set when the cap (never more than earned on the order) reduced it. */
  readonly cappedFrom?: number;
  /** Set when a period close moved the entry to the next period: that PeriodClosed event's id. */
  readonly repostedByEventId?: string;
}

/** Where an entry sits in the ledger, as a period close needs to see it. */
export interface PostedEntry {
  readonly entryId: string;
  readonly salespersonId: string;
  readonly period: string;
  readonly originalPeriod: string | null;
  readonly sourceLogPosition: LogPosition;
}

/** One salesperson's credit on one order, as the ledger needs it for later events. */
export interface OrderCredit {
  readonly orderId: string;
  readonly salespersonId: string;
  readonly splitBps: number;
  /** The plan applied at booking; null when none applied (NO_PLAN). */
  readonly planId: string | null;
  readonly assignmentId: string | null;
  readonly bookedAt: string;
  readonly earned: bigint;
  readonly clawedBack: bigint;
}

export interface LedgerException {
  readonly exceptionId: string;
  readonly code: 'NO_PLAN';
  readonly orderId: string;
  readonly salespersonId: string;
  readonly detail: string;
  readonly sourcePosition: bigint;
}

export type LedgerChange =
  | { readonly kind: 'plan'; readonly plan: PlanTerms }
  | {
      readonly kind: 'salesperson';
      readonly salespersonId: string;
      readonly name: string;
      readonly teamId: string | null;
      readonly managerId: string | null;
    }
  | { readonly kind: 'assignment'; readonly salespersonId: string; readonly assignment: Assignment }
  | { readonly kind: 'entry'; readonly entry: LedgerEntry }
  | { readonly kind: 'order-credit'; readonly credit: OrderCredit }
  | { readonly kind: 'period-closed'; readonly period: string }
  | {
      /**
       * An entry already posted to a period a PeriodClosed closes, from an event after the
       * close's checkpoint (not in its recorded statements), moves to the next period. It keeps
       * its entryId; `originalPeriod` is its business period.
       */
      readonly kind: 'repost';
      readonly entryId: string;
      readonly salespersonId: string;
      readonly fromPeriod: string;
      readonly toPeriod: string;
      readonly originalPeriod: string;
      /** Record time of the PeriodClosed event (knownAt before it shows the entry where it was). */
      readonly at: string;
      readonly closeEventId: string;
    }
  | { readonly kind: 'exception'; readonly exception: LedgerException };

/** What earlier events built, as the projection needs to see it. */
export interface LedgerView {
  plan(planId: string): PlanTerms | undefined;
  /** Assignments of a salesperson in the order they were recorded. */
  assignments(salespersonId: string): readonly Assignment[];
  /** The credits of an order as booked, with what each has earned and lost so far. */
  orderCredits(orderId: string): readonly OrderCredit[];
  /** The latest closed period, if any (periods close in order). */
  closedThrough(): string | null;
  /**
   * Entries posted to `throughPeriod` or earlier whose source event comes after `after` in the
   * global log (comparePositions > 0), in ledger order.
   */
  entriesPostedAfter(throughPeriod: string, after: LogPosition): readonly PostedEntry[];
}

/** The event types this projection reads. */
export const LEDGER_EVENT_TYPES = [
  'PlanCreated',
  'SalespersonRegistered',
  'PlanAssigned',
  'SaleBooked',
  'PaymentReceived',
  'OrderCancelled',
  'ProductReturned',
  'DebtWrittenOff',
  'AdjustmentPosted',
  'PayoutRecorded',
  'PeriodClosed',
] as const;

export function ledgerEntryId(sourceEventId: string, salespersonId: string, type: EntryType): string {
  return deterministicUuid('ledger-entry', sourceEventId, salespersonId, type);
}

/**
 * The changes an event causes. An entry whose period is already closed is posted to the first
 * open period instead, keeping its own period as `originalPeriod` (a prior-period entry).
 * PeriodClosed reposts what came after its checkpoint (see onPeriodClosed).
 */
export function projectLedger(view: LedgerView, event: StoredEvent): LedgerChange[] {
  const closed = view.closedThrough();
  const changes = projectEvent(view, event);
  if (closed === null) return changes;
  const firstOpen = nextPeriod(closed);
  return changes.map((c) =>
    c.kind === 'entry' && c.entry.period <= closed
      ? { kind: 'entry', entry: { ...c.entry, period: firstOpen, originalPeriod: c.entry.period } }
      : c,
  );
}

export function nextPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

function projectEvent(view: LedgerView, event: StoredEvent): LedgerChange[] {
  switch (event.type) {
    case 'PeriodClosed':
      return onPeriodClosed(view, event as StoredEvent<'PeriodClosed', PeriodClosed['data']>);
    case 'PlanCreated': {
      const d = (event as StoredEvent<'PlanCreated', PlanCreated['data']>).data;
      return [
        {
          kind: 'plan',
          plan: {
            planId: d.planId,
            name: d.name,
            currency: d.currency,
            basis: d.basis,
            rateBps: d.rateBps,
            windowDays: d.clawback.windowDays,
            percentBps: d.clawback.percentBps,
          },
        },
      ];
    }
    case 'SalespersonRegistered': {
      const d = (event as StoredEvent<'SalespersonRegistered', SalespersonRegistered['data']>).data;
      return [
        { kind: 'salesperson', salespersonId: d.salespersonId, name: d.name, teamId: d.teamId, managerId: d.managerId },
      ];
    }
    case 'PlanAssigned': {
      const d = (event as StoredEvent<'PlanAssigned', PlanAssigned['data']>).data;
      return [
        {
          kind: 'assignment',
          salespersonId: d.salespersonId,
          assignment: { assignmentId: d.assignmentId, planId: d.planId, effectiveFrom: d.effectiveFrom },
        },
      ];
    }
    case 'SaleBooked':
      return onSaleBooked(view, event as StoredEvent<'SaleBooked', SaleBooked['data']>);
    case 'PaymentReceived':
      return onPayment(view, event as StoredEvent<'PaymentReceived', PaymentReceived['data']>);
    case 'OrderCancelled': {
      const d = (event as StoredEvent<'OrderCancelled', OrderCancelled['data']>).data;
      return onReduction(view, event, 'CANCELLATION', d.orderId, d.cancelledAt, d.amount.amount, d.refundPart);
    }
    case 'ProductReturned': {
      const d = (event as StoredEvent<'ProductReturned', ProductReturned['data']>).data;
      return onReduction(view, event, 'RETURN', d.orderId, d.returnedAt, d.amount.amount, d.refundPart);
    }
    case 'AdjustmentPosted': {
      const d = (event as StoredEvent<'AdjustmentPosted', AdjustmentPosted['data']>).data;
      return [
        manualEntry(event, d.salespersonId, 'ADJUSTMENT', BigInt(d.amount.amount), d.amount.currency, d.period, {
          trigger: 'MANUAL_ADJUSTMENT',
          baseAmount: d.amount.amount,
          splitBps: null,
          rateBps: null,
          percentBps: null,
          planId: null,
          assignmentId: null,
          formula: 'amount as approved',
          reason: d.reason,
          approvedBy: d.approvedBy,
        }),
      ];
    }
    case 'PayoutRecorded': {
      const d = (event as StoredEvent<'PayoutRecorded', PayoutRecorded['data']>).data;
      return [
        manualEntry(event, d.salespersonId, 'PAYOUT', -BigInt(d.amount.amount), d.amount.currency, periodOf(d.paidAt), {
          trigger: 'PAYOUT',
          baseAmount: d.amount.amount,
          splitBps: null,
          rateBps: null,
          percentBps: null,
          planId: null,
          assignmentId: null,
          formula: '−amount paid',
        }),
      ];
    }
    case 'DebtWrittenOff': {
      const d = (event as StoredEvent<'DebtWrittenOff', DebtWrittenOff['data']>).data;
      // Nothing was earned on unpaid debt under COLLECTION: its refund part is 0.
      return onReduction(view, event, 'WRITE_OFF', d.orderId, d.writtenOffAt, d.amount.amount, 0);
    }
    default:
      return [];
  }
}

/**
 * Closing P records statements computed from the ledger at its checkpoint `throughLogPosition`
 * (H). An event after H that the ledger applied before this PeriodClosed was posted to P (or
 * earlier) but is not in the recorded statements: its entries move to the first open period,
 * nextPeriod(P), as prior-period entries. Compare log positions, never global positions (the
 * PostgreSQL store orders by (transaction id, sequence): a lower global position can come later).
 * Events without throughLogPosition (recorded before it existed) repost nothing.
 */
function onPeriodClosed(view: LedgerView, event: StoredEvent<'PeriodClosed', PeriodClosed['data']>): LedgerChange[] {
  const { period, throughLogPosition } = event.data;
  const changes: LedgerChange[] = [{ kind: 'period-closed', period }];
  const through = typeof throughLogPosition === 'string' ? parseLogPosition(throughLogPosition) : null;
  if (!through) return changes;
  const toPeriod = nextPeriod(period);
  for (const entry of view.entriesPostedAfter(period, through)) {
    changes.push({
      kind: 'repost',
      entryId: entry.entryId,
      salespersonId: entry.salespersonId,
      fromPeriod: entry.period,
      toPeriod,
      originalPeriod: entry.originalPeriod ?? entry.period,
      at: event.recordedAt,
      closeEventId: event.id,
    });
  }
  return changes;
}

function onSaleBooked(view: LedgerView, event: StoredEvent<'SaleBooked', SaleBooked['data']>): LedgerChange[] {
  const sale = event.data;
  const bookingDate = utcDate(sale.bookedAt);
  const changes: LedgerChange[] = [];
  for (const given of sale.salesCredits) {
    const assignment = applicableAssignment(view.assignments(given.salespersonId), bookingDate);
    const plan = assignment ? view.plan(assignment.planId) : undefined;
    const credit: OrderCredit = {
      orderId: sale.orderId,
      salespersonId: given.salespersonId,
      splitBps: given.splitBps,
      planId: assignment && plan ? plan.planId : null,
      assignmentId: assignment && plan ? assignment.assignmentId : null,
      bookedAt: sale.bookedAt,
      earned: 0n,
      clawedBack: 0n,
    };
    if (!assignment || !plan) {
      changes.push({ kind: 'order-credit', credit });
      changes.push({
        kind: 'exception',
        exception: {
          exceptionId: deterministicUuid('ledger-exception', event.id, given.salespersonId, 'NO_PLAN'),
          code: 'NO_PLAN',
          orderId: sale.orderId,
          salespersonId: given.salespersonId,
          detail: `No plan applies to ${given.salespersonId} on ${bookingDate}: the sale earns nothing for them`,
          sourcePosition: event.globalPosition,
        },
      });
      continue;
    }
    if (plan.basis !== 'BOOKING') {
      changes.push({ kind: 'order-credit', credit }); // COLLECTION basis earns on payments
      continue;
    }
    const amount = commission(BigInt(sale.amount.amount), BigInt(credit.splitBps), BigInt(plan.rateBps));
    changes.push({ kind: 'order-credit', credit: { ...credit, earned: amount } });
    if (amount === 0n) continue;
    changes.push(
      earnedEntry(
        event,
        credit,
        plan,
        assignment.assignmentId,
        amount,
        sale.amount.amount,
        'SALE_BOOKED',
        sale.bookedAt,
      ),
    );
  }
  return changes;
}

function manualEntry(
  event: StoredEvent,
  salespersonId: string,
  type: 'ADJUSTMENT' | 'PAYOUT',
  amount: bigint,
  currency: string,
  period: string,
  explanation: EntryExplanation,
): LedgerChange {
  return {
    kind: 'entry',
    entry: {
      entryId: ledgerEntryId(event.id, salespersonId, type),
      salespersonId,
      type,
      amount,
      currency,
      period,
      originalPeriod: null,
      orderId: null,
      sourceEventId: event.id,
      sourcePosition: event.globalPosition,
      sourceLogPosition: event.logPosition,
      occurredAt: event.occurredAt,
      recordedAt: event.recordedAt,
      explanation,
    },
  };
}

function earnedEntry(
  event: StoredEvent,
  credit: OrderCredit,
  plan: PlanTerms,
  assignmentId: string,
  amount: bigint,
  baseAmount: number,
  trigger: Trigger,
  at: string,
): LedgerChange {
  return {
    kind: 'entry',
    entry: {
      entryId: ledgerEntryId(event.id, credit.salespersonId, 'EARNED'),
      salespersonId: credit.salespersonId,
      type: 'EARNED',
      amount,
      currency: plan.currency,
      period: periodOf(at),
      originalPeriod: null,
      orderId: credit.orderId,
      sourceEventId: event.id,
      sourcePosition: event.globalPosition,
      sourceLogPosition: event.logPosition,
      occurredAt: event.occurredAt,
      recordedAt: event.recordedAt,
      explanation: {
        trigger,
        baseAmount,
        splitBps: credit.splitBps,
        rateBps: plan.rateBps,
        percentBps: null,
        planId: plan.planId,
        assignmentId,
        formula: 'roundHalfUp(baseAmount × splitBps × rateBps / 10^8)',
      },
    },
  };
}

/** COLLECTION basis: a payment of P earns commission(P, s, r) in the payment's period. */
function onPayment(view: LedgerView, event: StoredEvent<'PaymentReceived', PaymentReceived['data']>): LedgerChange[] {
  const payment = event.data;
  const changes: LedgerChange[] = [];
  for (const credit of view.orderCredits(payment.orderId)) {
    const plan = credit.planId ? view.plan(credit.planId) : undefined;
    if (!plan || plan.basis !== 'COLLECTION' || !credit.assignmentId) continue;
    const amount = commission(BigInt(payment.amount.amount), BigInt(credit.splitBps), BigInt(plan.rateBps));
    if (amount === 0n) continue;
    changes.push({ kind: 'order-credit', credit: { ...credit, earned: credit.earned + amount } });
    changes.push(
      earnedEntry(
        event,
        credit,
        plan,
        credit.assignmentId,
        amount,
        payment.amount.amount,
        'PAYMENT_RECEIVED',
        payment.receivedAt,
      ),
    );
  }
  return changes;
}

/**
 * Cancellations, returns and write-offs within the clawback window take back
 * roundHalfUp(commission(X, s, r) × percentBps / 10^4), never more than is left of what the
 * order earned the salesperson. X is the whole amount under BOOKING basis, the refunded part under
 * COLLECTION basis (nothing was earned on unpaid amounts).
 */
function onReduction(
  view: LedgerView,
  event: StoredEvent,
  trigger: 'CANCELLATION' | 'RETURN' | 'WRITE_OFF',
  orderId: string,
  at: string,
  amount: number,
  refundPart: number,
): LedgerChange[] {
  const changes: LedgerChange[] = [];
  for (const credit of view.orderCredits(orderId)) {
    const plan = credit.planId ? view.plan(credit.planId) : undefined;
    if (!plan || !credit.assignmentId) continue;
    const base = plan.basis === 'BOOKING' ? amount : refundPart;
    const days = daysBetween(credit.bookedAt, at);
    if (base <= 0 || days > plan.windowDays) continue;
    const original = commission(BigInt(base), BigInt(credit.splitBps), BigInt(plan.rateBps));
    const computed = roundHalfUp(original * BigInt(plan.percentBps), BPS);
    const left = credit.earned - credit.clawedBack;
    const clawed = computed > left ? left : computed;
    if (clawed <= 0n) continue;
    changes.push({ kind: 'order-credit', credit: { ...credit, clawedBack: credit.clawedBack + clawed } });
    changes.push({
      kind: 'entry',
      entry: {
        entryId: ledgerEntryId(event.id, credit.salespersonId, 'CLAWBACK'),
        salespersonId: credit.salespersonId,
        type: 'CLAWBACK',
        amount: -clawed,
        currency: plan.currency,
        period: periodOf(at),
        originalPeriod: null,
        orderId,
        sourceEventId: event.id,
        sourcePosition: event.globalPosition,
        sourceLogPosition: event.logPosition,
        occurredAt: event.occurredAt,
        recordedAt: event.recordedAt,
        explanation: {
          trigger,
          baseAmount: base,
          splitBps: credit.splitBps,
          rateBps: plan.rateBps,
          percentBps: plan.percentBps,
          planId: plan.planId,
          assignmentId: credit.assignmentId,
          formula: 'roundHalfUp(roundHalfUp(baseAmount × splitBps × rateBps / 10^8) × percentBps / 10^4)',
          originalCommission: Number(original),
          daysSinceBooking: days,
          windowDays: plan.windowDays,
          ...(clawed !== computed ? { cappedFrom: Number(computed) } : {}),
        },
      },
    });
  }
  return changes;
}

/** An in-memory view, for tests and for applying a batch on top of what was loaded. */
export class InMemoryLedgerView implements LedgerView {
  readonly plans = new Map<string, PlanTerms>();
  readonly assignmentsBySalesperson = new Map<string, Assignment[]>();
  readonly creditsByOrder = new Map<string, OrderCredit[]>();
  lastClosed: string | null = null;
  /** Entries as posted, in ledger order: loaded ones first, then those applied (a batch's). */
  readonly posted = new Map<string, PostedEntry>();

  closedThrough(): string | null {
    return this.lastClosed;
  }

  entriesPostedAfter(throughPeriod: string, after: LogPosition): readonly PostedEntry[] {
    return [...this.posted.values()].filter(
      (e) => e.period <= throughPeriod && comparePositions(e.sourceLogPosition, after) > 0,
    );
  }

  /** Makes an entry written before (loaded from the read model) visible to a period close. */
  remember(entry: PostedEntry): void {
    this.posted.set(entry.entryId, entry);
  }

  plan(planId: string): PlanTerms | undefined {
    return this.plans.get(planId);
  }

  assignments(salespersonId: string): readonly Assignment[] {
    return this.assignmentsBySalesperson.get(salespersonId) ?? [];
  }

  orderCredits(orderId: string): readonly OrderCredit[] {
    return this.creditsByOrder.get(orderId) ?? [];
  }

  /** Makes a change visible to the events after it. */
  apply(change: LedgerChange): void {
    if (change.kind === 'period-closed' && (this.lastClosed === null || change.period > this.lastClosed)) {
      this.lastClosed = change.period;
    }
    if (change.kind === 'order-credit') {
      const list = this.creditsByOrder.get(change.credit.orderId) ?? [];
      const i = list.findIndex((c) => c.salespersonId === change.credit.salespersonId);
      if (i >= 0) list[i] = change.credit;
      else list.push(change.credit);
      this.creditsByOrder.set(change.credit.orderId, list);
    }
    if (change.kind === 'entry') {
      const e = change.entry;
      this.remember({
        entryId: e.entryId,
        salespersonId: e.salespersonId,
        period: e.period,
        originalPeriod: e.originalPeriod,
        sourceLogPosition: e.sourceLogPosition,
      });
    }
    if (change.kind === 'repost') {
      const e = this.posted.get(change.entryId);
      if (e) this.posted.set(change.entryId, { ...e, period: change.toPeriod, originalPeriod: change.originalPeriod });
    }
    if (change.kind === 'plan') this.plans.set(change.plan.planId, change.plan);
    if (change.kind === 'assignment') {
      const list = this.assignmentsBySalesperson.get(change.salespersonId) ?? [];
      list.push(change.assignment);
      this.assignmentsBySalesperson.set(change.salespersonId, list);
    }
  }
}
