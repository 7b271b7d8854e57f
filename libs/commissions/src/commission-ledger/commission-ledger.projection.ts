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
import { BPS, roundHalfUp } from '../../../shared-kernel/src/money';
import { daysBetween, periodOf, utcDate } from '../../../shared-kernel/src/time';
import type {
  Basis,
  DebtWrittenOff,
  OrderCancelled,
  PaymentReceived,
  PlanAssigned,
  PlanCreated,
  ProductReturned,
  QuotaSet,
  SaleBooked,
  SalesCredit,
  SalespersonRegistered,
  SecondarySaleReported,
} from '../../../sales/src/contracts/sales.events';
import type {
  AdjustmentPosted,
  CommissionsRecalculated,
  PayoutRecorded,
  PeriodClosed,
} from '../contracts/commissions.events';
import { applicableAssignment, type Assignment } from '../../../sales/src/salespeople/salesperson.state';
import {
  commissionAt,
  flatRate,
  heldBack,
  NO_RATE,
  type Rate,
  rateText,
  releaseDate,
  type Tier,
  tieredRate,
  type TierPart,
} from './commission-rates';

export interface PlanTerms {
  readonly planId: string;
  readonly name: string;
  readonly currency: string;
  readonly basis: Basis;
  readonly rateBps: number;
  readonly windowDays: number;
  readonly percentBps: number;
  /** Marginal tiers (null: the flat rateBps). */
  readonly tiers: readonly Tier[] | null;
  /** A manager on this plan earns this on their direct reports' credits (0: none). */
  readonly overrideRateBps: number;
  /** Share of each earned commission held back until its sale's window has passed (0: none). */
  readonly holdbackBps: number;
  readonly primaryDistributorSalesEarn: boolean;
  /** Flat rate of secondary sales (null: as a primary sale). */
  readonly secondaryRateBps: number | null;
}

/** A plan's terms from its PlanCreated data (absent optional fields read as their defaults). */
export function planTerms(d: PlanCreated['data']): PlanTerms {
  return {
    planId: d.planId,
    name: d.name,
    currency: d.currency,
    basis: d.basis,
    rateBps: d.rateBps,
    windowDays: d.clawback.windowDays,
    percentBps: d.clawback.percentBps,
    tiers: d.tiers && d.tiers.length > 0 ? d.tiers.map((t) => ({ ...t })) : null,
    overrideRateBps: d.overrideRateBps ?? 0,
    holdbackBps: d.holdbackBps ?? 0,
    primaryDistributorSalesEarn: d.primaryDistributorSalesEarn ?? false,
    secondaryRateBps: d.secondaryRateBps ?? null,
  };
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
  /**
   * Holdbacks: the part of this entry held until `releaseOn` (≥ 0 on EARNED entries, ≤ 0 on a
   * clawback that takes from what is held); 0 and null when nothing is held.
   */
  readonly held: bigint;
  readonly releaseOn: string | null;
}

export type Trigger =
  | 'SALE_BOOKED'
  | 'PAYMENT_RECEIVED'
  | 'SECONDARY_SALE'
  | 'CANCELLATION'
  | 'RETURN'
  | 'WRITE_OFF'
  | 'MANUAL_ADJUSTMENT'
  | 'RECALCULATION'
  | 'PAYOUT';

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
  /** Tiered plans: the blended rate `num/den` bps, and at booking the parts per band. */
  readonly blendedRateBps?: string;
  readonly tierParts?: ReadonlyArray<{ fromAttainmentBps: number; rateBps: number; part: string }>;
  /** Tiered plans at booking: attainment before the sale (exact units, A × s) and the annual quota. */
  readonly attainmentBefore?: string;
  readonly annualQuota?: number | null;
  /** Manager overrides: whose credit this override is on, at the manager plan's overrideRateBps. */
  readonly override?: { readonly ofSalespersonId: string };
  /** Secondary sales: the sale and its distributor. */
  readonly secondarySaleId?: string;
  readonly distributorId?: string;
  /** Holdbacks: the plan's holdbackBps, the amount held and its release date. */
  readonly holdbackBps?: number;
  readonly heldBack?: number;
  readonly releaseOn?: string;
  /** Clawbacks: the part taken from what was still held on the credit. */
  readonly fromHeld?: number;
  /** Recalculations: the plan before and after, and the credit's net (earned − clawed back) under each. */
  readonly previousPlanId?: string | null;
  readonly previousAssignmentId?: string | null;
  readonly previousNet?: number;
  readonly newNet?: number;
}

/** Where an entry sits in the ledger, as a period close needs to see it. */
export interface PostedEntry {
  readonly entryId: string;
  readonly salespersonId: string;
  readonly period: string;
  readonly originalPeriod: string | null;
  readonly sourceLogPosition: LogPosition;
}

/**
 * One salesperson's credit on one order, as the ledger needs it for later events: a direct credit
 * (overrideOf null) or a manager's override on a direct report's credit (overrideOf = the report).
 */
export interface OrderCredit {
  readonly orderId: string;
  readonly salespersonId: string;
  readonly overrideOf: string | null;
  readonly splitBps: number;
  /** The plan applied at booking (an override: the manager's); null when none applied (NO_PLAN). */
  readonly planId: string | null;
  readonly assignmentId: string | null;
  readonly bookedAt: string;
  readonly earned: bigint;
  readonly clawedBack: bigint;
  /** The rate it earns at: the plan's (flat), the blended rate of its tiers, or the override rate. */
  readonly rate: Rate;
  /** The sale's plan terms it follows (an override: the report's): basis and clawback policy. */
  readonly basis: Basis | null;
  readonly windowDays: number;
  readonly percentBps: number;
  /** The sale amount A (null on credits projected before it was kept: rebuild to recalculate them). */
  readonly saleAmount: bigint | null;
  /** A primary sale to a distributor (sell-in): never counts toward attainment. */
  readonly sellIn: boolean;
  /** The salesperson's attainment (exact units) just before the sale, for a recalculation. */
  readonly attainmentBefore: bigint | null;
  /** Holdbacks: the earner plan's holdbackBps, the release date, and what is still held. */
  readonly holdbackBps: number;
  readonly releaseOn: string | null;
  readonly held: bigint;
}

/** A payment or reduction of an order, kept for recalculations. */
export interface OrderFact {
  readonly orderId: string;
  readonly eventId: string;
  readonly trigger: 'PAYMENT_RECEIVED' | 'CANCELLATION' | 'RETURN' | 'WRITE_OFF';
  readonly amount: bigint;
  readonly refundPart: bigint;
  readonly at: string;
}

export interface LedgerException {
  readonly exceptionId: string;
  readonly code: 'NO_PLAN' | 'NO_QUOTA' | 'OVERRIDE_CURRENCY_MISMATCH' | 'RECALCULATION_NEEDS_REBUILD';
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
  | { readonly kind: 'order-fact'; readonly fact: OrderFact }
  | {
      /** A salesperson's quota for a year and business unit ('' for none), in minor units. */
      readonly kind: 'quota';
      readonly salespersonId: string;
      readonly year: number;
      readonly businessUnit: string;
      readonly annualTarget: bigint;
    }
  | {
      /** A salesperson's credited net bookings in a year, in exact units (A × s), after an event. */
      readonly kind: 'attainment';
      readonly salespersonId: string;
      readonly year: number;
      readonly total: bigint;
    }
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
  | { readonly kind: 'exception'; readonly exception: LedgerException }
  | {
      /** A recalculation gave a credit booked without a plan its plan: its NO_PLAN is resolved. */
      readonly kind: 'exception-resolved';
      readonly code: 'NO_PLAN';
      readonly orderId: string;
      readonly salespersonId: string;
      readonly byEventId: string;
      /** Record time of the resolving event. */
      readonly at: string;
    };

/** What earlier events built, as the projection needs to see it. */
export interface LedgerView {
  plan(planId: string): PlanTerms | undefined;
  /** Assignments of a salesperson in the order they were recorded. */
  assignments(salespersonId: string): readonly Assignment[];
  /** The credits of an order as booked, with what each has earned and lost so far. */
  orderCredits(orderId: string): readonly OrderCredit[];
  /** The latest closed period, if any (periods close in order). */
  closedThrough(): string | null;
  /** A registered salesperson's manager (undefined: not registered). */
  managerOf(salespersonId: string): string | null | undefined;
  /** Credited net bookings of the year so far, exact units (A × s); 0 when none. */
  attainment(salespersonId: string, year: number): bigint;
  /** The sum of the salesperson's quotas of the year known so far; null when none is set. */
  annualQuota(salespersonId: string, year: number): bigint | null;
  /** The direct credits of a salesperson, in booking order (for a recalculation). */
  directCredits(salespersonId: string): readonly OrderCredit[];
  /** The payments and reductions of an order, in processing order (for a recalculation). */
  orderFacts(orderId: string): readonly OrderFact[];
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
  'QuotaSet',
  'SaleBooked',
  'SecondarySaleReported',
  'PaymentReceived',
  'OrderCancelled',
  'ProductReturned',
  'DebtWrittenOff',
  'AdjustmentPosted',
  'PayoutRecorded',
  'PeriodClosed',
  'CommissionsRecalculated',
] as const;

/**
 * An entry's id, stable across rebuilds: from its source event, salesperson and type, plus what
 * tells apart several entries of one event for one salesperson (a manager's override on each of
 * their reports; a recalculation's adjustment per order).
 */
export function ledgerEntryId(
  sourceEventId: string,
  salespersonId: string,
  type: EntryType,
  ...detail: string[]
): string {
  return deterministicUuid('ledger-entry', sourceEventId, salespersonId, type, ...detail);
}

/** The id of a credit's entry: an override's names the report whose credit it is on. */
function creditEntryId(
  event: StoredEvent,
  credit: { salespersonId: string; overrideOf: string | null },
  type: EntryType,
) {
  return credit.overrideOf === null
    ? ledgerEntryId(event.id, credit.salespersonId, type)
    : ledgerEntryId(event.id, credit.salespersonId, type, 'override', credit.overrideOf);
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
      return [{ kind: 'plan', plan: planTerms(d) }];
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
    case 'QuotaSet': {
      const d = (event as StoredEvent<'QuotaSet', QuotaSet['data']>).data;
      return [
        {
          kind: 'quota',
          salespersonId: d.salespersonId,
          year: d.year,
          businessUnit: d.businessUnit ?? '',
          annualTarget: BigInt(d.annualTarget.amount),
        },
      ];
    }
    case 'SaleBooked':
      return onSaleBooked(view, event as StoredEvent<'SaleBooked', SaleBooked['data']>);
    case 'SecondarySaleReported':
      return onSecondarySale(view, event as StoredEvent<'SecondarySaleReported', SecondarySaleReported['data']>);
    case 'CommissionsRecalculated':
      return onRecalculation(view, event as StoredEvent<'CommissionsRecalculated', CommissionsRecalculated['data']>);
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

/** The fields of an entry that name its source event (its lineage). */
function sourceOf(event: StoredEvent) {
  return {
    sourceEventId: event.id,
    sourcePosition: event.globalPosition,
    sourceLogPosition: event.logPosition,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
  };
}

const yearOf = (dateOrInstant: string) => Number(dateOrInstant.slice(0, 4));

/** The exact credited amount A × s (minor units × 10^4): what attainment counts. */
const exactCredit = (amount: bigint, splitBps: number) => amount * BigInt(splitBps);

/**
 * The rate a credit earns at on a sale: the secondary rate (secondary sales, when the plan sets
 * one), else the plan's tiers at the salesperson's attainment, else its flat rate. Tiers without a
 * quota for the year earn the first tier's rate (and say NO_QUOTA).
 */
function saleRate(
  view: LedgerView,
  plan: PlanTerms,
  salespersonId: string,
  year: number,
  exact: bigint,
  before: bigint,
  secondary: boolean,
): { rate: Rate; parts: TierPart[] | null; quota: bigint | null; noQuota: boolean } {
  if (secondary && plan.secondaryRateBps !== null) {
    return { rate: flatRate(plan.secondaryRateBps), parts: null, quota: null, noQuota: false };
  }
  if (!plan.tiers) return { rate: flatRate(plan.rateBps), parts: null, quota: null, noQuota: false };
  const quota = view.annualQuota(salespersonId, year);
  if (quota === null || quota <= 0n) {
    return { rate: flatRate(plan.tiers[0]?.rateBps ?? plan.rateBps), parts: null, quota, noQuota: true };
  }
  const { rate, parts } = tieredRate(before, exact, quota, plan.tiers);
  return { rate, parts, quota, noQuota: false };
}

function tierExplanation(
  rate: Rate,
  parts: TierPart[] | null,
  before: bigint,
  quota: bigint | null,
): Partial<EntryExplanation> {
  if (!parts) return {};
  return {
    blendedRateBps: rateText(rate),
    tierParts: parts.map((p) => ({
      fromAttainmentBps: p.fromAttainmentBps,
      rateBps: p.rateBps,
      part: p.part.toString(),
    })),
    attainmentBefore: before.toString(),
    annualQuota: quota === null ? null : Number(quota),
  };
}

/** A credited sale as the ledger sees it: an order's booking or a distributor's secondary sale. */
interface CreditedSale {
  readonly event: StoredEvent;
  /** Null for a secondary sale (no order: nothing follows it). */
  readonly orderId: string | null;
  readonly secondarySaleId: string | null;
  readonly distributorId: string | null;
  readonly amount: bigint;
  readonly currency: string;
  readonly at: string;
  readonly credits: readonly SalesCredit[];
  readonly sellIn: boolean;
  readonly trigger: 'SALE_BOOKED' | 'SECONDARY_SALE';
}

function onSaleBooked(view: LedgerView, event: StoredEvent<'SaleBooked', SaleBooked['data']>): LedgerChange[] {
  const sale = event.data;
  return onCreditedSale(view, {
    event,
    orderId: sale.orderId,
    secondarySaleId: null,
    distributorId: sale.toDistributor === true ? sale.customerId : null,
    amount: BigInt(sale.amount.amount),
    currency: sale.amount.currency,
    at: sale.bookedAt,
    credits: sale.salesCredits,
    sellIn: sale.toDistributor === true,
    trigger: 'SALE_BOOKED',
  });
}

function onSecondarySale(
  view: LedgerView,
  event: StoredEvent<'SecondarySaleReported', SecondarySaleReported['data']>,
): LedgerChange[] {
  const sale = event.data;
  return onCreditedSale(view, {
    event,
    orderId: null,
    secondarySaleId: sale.saleId,
    distributorId: sale.distributorId,
    amount: BigInt(sale.amount.amount),
    currency: sale.amount.currency,
    at: sale.soldAt,
    credits: sale.salesCredits,
    sellIn: false,
    trigger: 'SECONDARY_SALE',
  });
}

/**
 * A sale's credits: attainment (never for sell-in), the plan and rate of each credited salesperson,
 * what they earn now (BOOKING basis, and every secondary sale), holdbacks, and their managers'
 * overrides. Orders keep a credit per earner for the events that follow.
 */
function onCreditedSale(view: LedgerView, sale: CreditedSale): LedgerChange[] {
  const { event } = sale;
  const saleDate = utcDate(sale.at);
  const year = yearOf(saleDate);
  const secondary = sale.trigger === 'SECONDARY_SALE';
  const direct = new Set(sale.credits.map((c) => c.salespersonId));
  const changes: LedgerChange[] = [];
  const exception = (code: LedgerException['code'], salespersonId: string, detail: string) =>
    changes.push({
      kind: 'exception',
      exception: {
        exceptionId: deterministicUuid('ledger-exception', event.id, salespersonId, code),
        code,
        orderId: sale.orderId ?? sale.secondarySaleId ?? '',
        salespersonId,
        detail,
        sourcePosition: event.globalPosition,
      },
    });
  for (const given of sale.credits) {
    const sp = given.salespersonId;
    const exact = exactCredit(sale.amount, given.splitBps);
    const before = view.attainment(sp, year);
    if (!sale.sellIn) changes.push({ kind: 'attainment', salespersonId: sp, year, total: before + exact });
    const assignment = applicableAssignment(view.assignments(sp), saleDate);
    const plan = assignment ? view.plan(assignment.planId) : undefined;
    const base: OrderCredit = {
      orderId: sale.orderId ?? '',
      salespersonId: sp,
      overrideOf: null,
      splitBps: given.splitBps,
      planId: null,
      assignmentId: null,
      bookedAt: sale.at,
      earned: 0n,
      clawedBack: 0n,
      rate: NO_RATE,
      basis: null,
      windowDays: 0,
      percentBps: 0,
      saleAmount: sale.amount,
      sellIn: sale.sellIn,
      attainmentBefore: before,
      holdbackBps: 0,
      releaseOn: null,
      held: 0n,
    };
    const keep = (credit: OrderCredit) => {
      if (sale.orderId !== null) changes.push({ kind: 'order-credit', credit });
    };
    if (!assignment || !plan) {
      keep(base);
      exception(
        'NO_PLAN',
        sp,
        `No plan applies to ${sp} on ${saleDate}: the ${secondary ? 'secondary ' : ''}sale earns nothing for them`,
      );
      continue;
    }
    const releaseOn = releaseDate(saleDate, plan.windowDays);
    const terms = {
      planId: plan.planId,
      assignmentId: assignment.assignmentId,
      basis: plan.basis,
      windowDays: plan.windowDays,
      percentBps: plan.percentBps,
      holdbackBps: plan.holdbackBps,
      releaseOn,
    };
    if (sale.sellIn && !plan.primaryDistributorSalesEarn) {
      keep({ ...base, ...terms }); // a primary sale to a distributor earns nothing under this plan
      continue;
    }
    const priced = saleRate(view, plan, sp, year, exact, before, secondary);
    if (priced.noQuota) {
      exception(
        'NO_QUOTA',
        sp,
        `${sp} has no quota for ${year}: the sale earns the first tier's rate of plan ${plan.planId}`,
      );
    }
    let credit: OrderCredit = { ...base, ...terms, rate: priced.rate };
    const extra = {
      ...tierExplanation(priced.rate, priced.parts, before, priced.quota),
      ...(secondary ? { secondarySaleId: sale.secondarySaleId ?? '', distributorId: sale.distributorId ?? '' } : {}),
    };
    if (plan.basis === 'BOOKING' || secondary) {
      const earned = earn(event, credit, plan, sale.amount, sale.trigger, sale.at, extra);
      credit = earned.credit;
      changes.push(...earned.changes);
    }
    keep(credit);
    changes.push(...overrides(view, sale, credit, plan, direct));
  }
  return changes;
}

/**
 * The manager's override on a direct report's credit, if the manager is on a plan with an
 * override rate at the sale's date, in the sale's currency, and not credited on the sale directly.
 * It follows the report's credit: the same basis, window and percentage, at the override rate.
 */
function overrides(
  view: LedgerView,
  sale: CreditedSale,
  report: OrderCredit,
  reportPlan: PlanTerms,
  direct: ReadonlySet<string>,
): LedgerChange[] {
  const managerId = view.managerOf(report.salespersonId);
  if (!managerId || direct.has(managerId)) return [];
  const saleDate = utcDate(sale.at);
  const assignment = applicableAssignment(view.assignments(managerId), saleDate);
  const plan = assignment ? view.plan(assignment.planId) : undefined;
  if (!assignment || !plan || plan.overrideRateBps <= 0) return [];
  if (plan.currency !== sale.currency) {
    return [
      {
        kind: 'exception',
        exception: {
          exceptionId: deterministicUuid(
            'ledger-exception',
            sale.event.id,
            managerId,
            'OVERRIDE_CURRENCY_MISMATCH',
            report.salespersonId,
          ),
          code: 'OVERRIDE_CURRENCY_MISMATCH',
          orderId: sale.orderId ?? sale.secondarySaleId ?? '',
          salespersonId: managerId,
          detail: `Plan ${plan.planId} of ${managerId} is in ${plan.currency}, the sale in ${sale.currency}: no override on ${report.salespersonId}'s credit`,
          sourcePosition: sale.event.globalPosition,
        },
      },
    ];
  }
  let credit: OrderCredit = {
    ...report,
    salespersonId: managerId,
    overrideOf: report.salespersonId,
    planId: plan.planId,
    assignmentId: assignment.assignmentId,
    earned: 0n,
    clawedBack: 0n,
    rate: flatRate(plan.overrideRateBps),
    attainmentBefore: null,
    holdbackBps: plan.holdbackBps,
    held: 0n,
  };
  const changes: LedgerChange[] = [];
  if (reportPlan.basis === 'BOOKING' || sale.trigger === 'SECONDARY_SALE') {
    const extra = sale.trigger === 'SECONDARY_SALE' ? { secondarySaleId: sale.secondarySaleId ?? '' } : {};
    const earned = earn(sale.event, credit, plan, sale.amount, sale.trigger, sale.at, extra);
    credit = earned.credit;
    changes.push(...earned.changes);
  }
  if (sale.orderId !== null) changes.push({ kind: 'order-credit', credit });
  return changes;
}

/** EARNED on `base` at the credit's rate, with its holdback; the credit updated. */
function earn(
  event: StoredEvent,
  credit: OrderCredit,
  plan: PlanTerms,
  base: bigint,
  trigger: Trigger,
  at: string,
  extra: Partial<EntryExplanation> = {},
): { credit: OrderCredit; changes: LedgerChange[] } {
  const amount = commissionAt(base, credit.splitBps, credit.rate);
  if (amount === 0n) return { credit, changes: [] };
  const held = heldBack(amount, credit.holdbackBps, utcDate(at), credit.releaseOn);
  const updated = { ...credit, earned: credit.earned + amount, held: credit.held + held };
  const flat = credit.rate.den === 1n;
  const explanation: EntryExplanation = {
    trigger,
    baseAmount: Number(base),
    splitBps: credit.splitBps,
    rateBps: flat ? Number(credit.rate.num) : null,
    percentBps: null,
    planId: plan.planId,
    assignmentId: credit.assignmentId,
    formula: flat
      ? 'roundHalfUp(baseAmount × splitBps × rateBps / 10^8)'
      : 'roundHalfUp(baseAmount × splitBps × blendedRateBps / 10^8)',
    ...(flat ? {} : { blendedRateBps: rateText(credit.rate) }),
    ...(credit.overrideOf !== null ? { override: { ofSalespersonId: credit.overrideOf } } : {}),
    ...extra,
    ...(credit.holdbackBps > 0 && credit.releaseOn !== null
      ? { holdbackBps: credit.holdbackBps, heldBack: Number(held), releaseOn: credit.releaseOn }
      : {}),
  };
  return {
    credit: updated,
    changes: [
      {
        kind: 'entry',
        entry: {
          entryId: creditEntryId(event, credit, 'EARNED'),
          salespersonId: credit.salespersonId,
          type: 'EARNED',
          amount,
          currency: plan.currency,
          period: periodOf(at),
          originalPeriod: null,
          orderId: credit.orderId === '' ? null : credit.orderId,
          ...sourceOf(event),
          explanation,
          held,
          releaseOn: held > 0n ? credit.releaseOn : null,
        },
      },
    ],
  };
}

/** COLLECTION basis: a payment of P earns commissionAt(P, s, rate) in the payment's period. */
function onPayment(view: LedgerView, event: StoredEvent<'PaymentReceived', PaymentReceived['data']>): LedgerChange[] {
  const payment = event.data;
  const changes: LedgerChange[] = [
    {
      kind: 'order-fact',
      fact: {
        orderId: payment.orderId,
        eventId: event.id,
        trigger: 'PAYMENT_RECEIVED',
        amount: BigInt(payment.amount.amount),
        refundPart: 0n,
        at: payment.receivedAt,
      },
    },
  ];
  for (const credit of view.orderCredits(payment.orderId)) {
    const plan = credit.planId ? view.plan(credit.planId) : undefined;
    if (!plan || credit.basis !== 'COLLECTION' || !credit.assignmentId) continue;
    const earned = earn(event, credit, plan, BigInt(payment.amount.amount), 'PAYMENT_RECEIVED', payment.receivedAt);
    if (earned.changes.length === 0) continue;
    changes.push({ kind: 'order-credit', credit: earned.credit }, ...earned.changes);
  }
  return changes;
}

/**
 * Cancellations, returns and write-offs within the clawback window take back
 * roundHalfUp(commissionAt(X, s, rate) × percentBps / 10^4), never more than is left of what the
 * order earned the credit, first from what is still held. X is the whole amount under BOOKING
 * basis, the refunded part under COLLECTION basis (nothing was earned on unpaid amounts).
 * Cancellations and returns also lower the attainment of the year they are dated in.
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
  const changes: LedgerChange[] = [
    {
      kind: 'order-fact',
      fact: { orderId, eventId: event.id, trigger, amount: BigInt(amount), refundPart: BigInt(refundPart), at },
    },
  ];
  const year = yearOf(utcDate(at));
  for (const credit of view.orderCredits(orderId)) {
    if (trigger !== 'WRITE_OFF' && credit.overrideOf === null && !credit.sellIn) {
      const total = view.attainment(credit.salespersonId, year) - exactCredit(BigInt(amount), credit.splitBps);
      changes.push({ kind: 'attainment', salespersonId: credit.salespersonId, year, total });
      // visible to the next credit of the same salesperson (none: one direct credit each)
    }
    const plan = credit.planId ? view.plan(credit.planId) : undefined;
    if (!plan || !credit.assignmentId) continue;
    const clawed = clawback(credit, trigger, at, amount, refundPart);
    if (!clawed) continue;
    changes.push({ kind: 'order-credit', credit: clawed.credit });
    changes.push({
      kind: 'entry',
      entry: {
        entryId: creditEntryId(event, credit, 'CLAWBACK'),
        salespersonId: credit.salespersonId,
        type: 'CLAWBACK',
        amount: -clawed.amount,
        currency: plan.currency,
        period: periodOf(at),
        originalPeriod: null,
        orderId,
        ...sourceOf(event),
        explanation: {
          trigger,
          baseAmount: clawed.base,
          splitBps: credit.splitBps,
          rateBps: credit.rate.den === 1n ? Number(credit.rate.num) : null,
          percentBps: credit.percentBps,
          planId: plan.planId,
          assignmentId: credit.assignmentId,
          formula:
            credit.rate.den === 1n
              ? 'roundHalfUp(roundHalfUp(baseAmount × splitBps × rateBps / 10^8) × percentBps / 10^4)'
              : 'roundHalfUp(roundHalfUp(baseAmount × splitBps × blendedRateBps / 10^8) × percentBps / 10^4)',
          ...(credit.rate.den === 1n ? {} : { blendedRateBps: rateText(credit.rate) }),
          ...(credit.overrideOf !== null ? { override: { ofSalespersonId: credit.overrideOf } } : {}),
          originalCommission: Number(clawed.original),
          daysSinceBooking: clawed.days,
          windowDays: credit.windowDays,
          ...(clawed.amount !== clawed.computed ? { cappedFrom: Number(clawed.computed) } : {}),
          ...(clawed.fromHeld > 0n ? { fromHeld: Number(clawed.fromHeld) } : {}),
        },
        held: -clawed.fromHeld,
        releaseOn: clawed.fromHeld > 0n ? credit.releaseOn : null,
      },
    });
  }
  return changes;
}

/** What a reduction claws back from a credit (null: nothing), and the credit after it. */
function clawback(
  credit: OrderCredit,
  trigger: 'CANCELLATION' | 'RETURN' | 'WRITE_OFF',
  at: string,
  amount: number,
  refundPart: number,
): {
  credit: OrderCredit;
  amount: bigint;
  computed: bigint;
  original: bigint;
  base: number;
  days: number;
  fromHeld: bigint;
} | null {
  if (credit.basis === null) return null;
  // Nothing was earned on unpaid debt under COLLECTION: a write-off's refund part is 0.
  const base = credit.basis === 'BOOKING' ? amount : trigger === 'WRITE_OFF' ? 0 : refundPart;
  const days = daysBetween(credit.bookedAt, at);
  if (base <= 0 || days > credit.windowDays) return null;
  const original = commissionAt(BigInt(base), credit.splitBps, credit.rate);
  const computed = roundHalfUp(original * BigInt(credit.percentBps), BPS);
  const left = credit.earned - credit.clawedBack;
  const clawed = computed > left ? left : computed;
  if (clawed <= 0n) return null;
  const held = credit.held > 0n ? credit.held : 0n;
  const fromHeld = held < clawed ? held : clawed;
  return {
    credit: { ...credit, clawedBack: credit.clawedBack + clawed, held: credit.held - fromHeld },
    amount: clawed,
    computed,
    original,
    base,
    days,
    fromHeld,
  };
}

/**
 * Retroactive recalculation (docs/plans-and-channels.md): each direct credit of the salesperson on
 * an order booked in an open period (from `fromPeriod`), whose applicable assignment now differs
 * from the one it was computed under, is recomputed under the new plan over the order's payments
 * and reductions; the difference of its net (earned − clawed back) is posted as an ADJUSTMENT in
 * the order's booking period, and the credit follows the new plan from then on. Holds already made
 * stay until their release date; the adjustment holds nothing.
 */
function onRecalculation(
  view: LedgerView,
  event: StoredEvent<'CommissionsRecalculated', CommissionsRecalculated['data']>,
): LedgerChange[] {
  const d = event.data;
  const closed = view.closedThrough();
  const changes: LedgerChange[] = [];
  for (const credit of view.directCredits(d.salespersonId)) {
    const period = periodOf(credit.bookedAt);
    if ((closed !== null && period <= closed) || (d.fromPeriod !== null && period < d.fromPeriod)) continue;
    const bookingDate = utcDate(credit.bookedAt);
    const assignment = applicableAssignment(view.assignments(d.salespersonId), bookingDate);
    const plan = assignment ? view.plan(assignment.planId) : undefined;
    if (!assignment || !plan || assignment.assignmentId === credit.assignmentId) continue;
    if (credit.saleAmount === null || credit.attainmentBefore === null) {
      changes.push({
        kind: 'exception',
        exception: {
          exceptionId: deterministicUuid('ledger-exception', event.id, d.salespersonId, credit.orderId),
          code: 'RECALCULATION_NEEDS_REBUILD',
          orderId: credit.orderId,
          salespersonId: d.salespersonId,
          detail: `The credit of ${d.salespersonId} on ${credit.orderId} was projected before sale amounts were kept: rebuild the ledger, then recalculate`,
          sourcePosition: event.globalPosition,
        },
      });
      continue;
    }
    const exact = exactCredit(credit.saleAmount, credit.splitBps);
    const earns = !credit.sellIn || plan.primaryDistributorSalesEarn;
    const priced = earns
      ? saleRate(view, plan, d.salespersonId, yearOf(bookingDate), exact, credit.attainmentBefore, false)
      : { rate: NO_RATE };
    let next: OrderCredit = {
      ...credit,
      planId: plan.planId,
      assignmentId: assignment.assignmentId,
      rate: priced.rate,
      basis: plan.basis,
      windowDays: plan.windowDays,
      percentBps: plan.percentBps,
      holdbackBps: 0,
      earned: plan.basis === 'BOOKING' ? commissionAt(credit.saleAmount, credit.splitBps, priced.rate) : 0n,
      clawedBack: 0n,
    };
    for (const fact of view.orderFacts(credit.orderId)) {
      if (fact.trigger === 'PAYMENT_RECEIVED') {
        if (plan.basis === 'COLLECTION') {
          next = { ...next, earned: next.earned + commissionAt(fact.amount, next.splitBps, next.rate) };
        }
        continue;
      }
      const clawed = clawback(next, fact.trigger, fact.at, Number(fact.amount), Number(fact.refundPart));
      if (clawed) next = { ...clawed.credit, held: next.held };
    }
    next = { ...next, holdbackBps: plan.holdbackBps, held: credit.held };
    changes.push({ kind: 'order-credit', credit: next });
    if (credit.planId === null) {
      changes.push({
        kind: 'exception-resolved',
        code: 'NO_PLAN',
        orderId: credit.orderId,
        salespersonId: d.salespersonId,
        byEventId: event.id,
        at: event.recordedAt,
      });
    }
    const previousNet = credit.earned - credit.clawedBack;
    const newNet = next.earned - next.clawedBack;
    if (newNet === previousNet) continue;
    changes.push({
      kind: 'entry',
      entry: {
        entryId: ledgerEntryId(event.id, d.salespersonId, 'ADJUSTMENT', credit.orderId),
        salespersonId: d.salespersonId,
        type: 'ADJUSTMENT',
        amount: newNet - previousNet,
        currency: plan.currency,
        period,
        originalPeriod: null,
        orderId: credit.orderId,
        ...sourceOf(event),
        explanation: {
          trigger: 'RECALCULATION',
          baseAmount: Number(credit.saleAmount),
          splitBps: credit.splitBps,
          rateBps: next.rate.den === 1n ? Number(next.rate.num) : null,
          percentBps: null,
          planId: plan.planId,
          assignmentId: assignment.assignmentId,
          formula: 'new (earned − clawed back) − previous (earned − clawed back), over the order as recorded',
          ...(next.rate.den === 1n ? {} : { blendedRateBps: rateText(next.rate) }),
          previousPlanId: credit.planId,
          previousAssignmentId: credit.assignmentId,
          previousNet: Number(previousNet),
          newNet: Number(newNet),
          reason: d.reason,
          approvedBy: d.requestedBy,
        },
        held: 0n,
        releaseOn: null,
      },
    });
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
      ...sourceOf(event),
      explanation,
      held: 0n,
      releaseOn: null,
    },
  };
}

/** The key of a credit within its order: the earner and, for an override, whose credit it is on. */
export const creditKey = (c: { salespersonId: string; overrideOf: string | null }) =>
  c.overrideOf === null ? c.salespersonId : `${c.salespersonId}\u0000${c.overrideOf}`;

/** An in-memory view, for tests and for applying a batch on top of what was loaded. */
export class InMemoryLedgerView implements LedgerView {
  readonly plans = new Map<string, PlanTerms>();
  readonly assignmentsBySalesperson = new Map<string, Assignment[]>();
  readonly creditsByOrder = new Map<string, OrderCredit[]>();
  readonly managers = new Map<string, string | null>();
  /** `${salespersonId}\u0000${year}` → exact units. */
  readonly attainments = new Map<string, bigint>();
  /** `${salespersonId}\u0000${year}` → business unit ('' for none) → annual target. */
  readonly quotas = new Map<string, Map<string, bigint>>();
  readonly factsByOrder = new Map<string, OrderFact[]>();
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

  managerOf(salespersonId: string): string | null | undefined {
    return this.managers.get(salespersonId);
  }

  attainment(salespersonId: string, year: number): bigint {
    return this.attainments.get(`${salespersonId}\u0000${year}`) ?? 0n;
  }

  annualQuota(salespersonId: string, year: number): bigint | null {
    const quotas = this.quotas.get(`${salespersonId}\u0000${year}`);
    if (!quotas || quotas.size === 0) return null;
    let total = 0n;
    for (const target of quotas.values()) total += target;
    return total;
  }

  directCredits(salespersonId: string): readonly OrderCredit[] {
    const out: OrderCredit[] = [];
    for (const credits of this.creditsByOrder.values()) {
      for (const c of credits) if (c.salespersonId === salespersonId && c.overrideOf === null) out.push(c);
    }
    return out.sort((a, b) =>
      a.bookedAt < b.bookedAt
        ? -1
        : a.bookedAt > b.bookedAt
          ? 1
          : a.orderId < b.orderId
            ? -1
            : a.orderId > b.orderId
              ? 1
              : 0,
    );
  }

  orderFacts(orderId: string): readonly OrderFact[] {
    return this.factsByOrder.get(orderId) ?? [];
  }

  /** Makes a change visible to the events after it. */
  apply(change: LedgerChange): void {
    switch (change.kind) {
      case 'period-closed':
        if (this.lastClosed === null || change.period > this.lastClosed) this.lastClosed = change.period;
        break;
      case 'order-credit': {
        const list = this.creditsByOrder.get(change.credit.orderId) ?? [];
        const key = creditKey(change.credit);
        const i = list.findIndex((c) => creditKey(c) === key);
        if (i >= 0) list[i] = change.credit;
        else list.push(change.credit);
        this.creditsByOrder.set(change.credit.orderId, list);
        break;
      }
      case 'order-fact': {
        const list = this.factsByOrder.get(change.fact.orderId) ?? [];
        if (!list.some((f) => f.eventId === change.fact.eventId)) list.push(change.fact);
        this.factsByOrder.set(change.fact.orderId, list);
        break;
      }
      case 'entry': {
        const e = change.entry;
        this.remember({
          entryId: e.entryId,
          salespersonId: e.salespersonId,
          period: e.period,
          originalPeriod: e.originalPeriod,
          sourceLogPosition: e.sourceLogPosition,
        });
        break;
      }
      case 'repost': {
        const e = this.posted.get(change.entryId);
        if (e)
          this.posted.set(change.entryId, { ...e, period: change.toPeriod, originalPeriod: change.originalPeriod });
        break;
      }
      case 'plan':
        this.plans.set(change.plan.planId, change.plan);
        break;
      case 'salesperson':
        this.managers.set(change.salespersonId, change.managerId);
        break;
      case 'assignment': {
        const list = this.assignmentsBySalesperson.get(change.salespersonId) ?? [];
        list.push(change.assignment);
        this.assignmentsBySalesperson.set(change.salespersonId, list);
        break;
      }
      case 'quota': {
        const key = `${change.salespersonId}\u0000${change.year}`;
        const quotas = this.quotas.get(key) ?? new Map<string, bigint>();
        quotas.set(change.businessUnit, change.annualTarget);
        this.quotas.set(key, quotas);
        break;
      }
      case 'attainment':
        this.attainments.set(`${change.salespersonId}\u0000${change.year}`, change.total);
        break;
      case 'exception':
      case 'exception-resolved':
        break;
    }
  }
}
