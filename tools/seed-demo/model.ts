/**
 * What every part of the demo generator shares: the story's dates, the shapes of the commands and
 * of the company, the plans, and the money arithmetic of domain.md (integer minor units, round half
 * up once per entry), so that the local model computes exactly what the server will.
 */
import { periodOf } from './calendar';

/** The story runs over 18 months. Nothing is dated after LAST_DAY. */
export const FIRST_DAY = '2025-06-01';
export const LAST_DAY = '2026-11-30';
/** Finance has closed every month of the story through this one (the later ones are still open). */
export const CLOSED_THROUGH = '2026-09';
export const CURRENCY = 'USD';
export const DEFAULT_SEED = 42;
export const DEFAULT_ORDERS = 20_000;

export type BusinessUnit = 'enterprise' | 'smb' | 'public';

/** Every command the seed sends, in the order the summary lists them. */
export const COMMAND_TYPES = [
  'CreatePlan',
  'RegisterSalesperson',
  'AssignPlan',
  'SetQuota',
  'RegisterCustomer',
  'RegisterDistributor',
  'ReassignSalesCredits',
  'SetCreditLimit',
  'CreateCollectionPolicy',
  'AssignCollectionPolicy',
  'TerminateSalesperson',
  'BookSale',
  'IssueInvoice',
  'ReceivePayment',
  'CancelOrder',
  'ReturnGoods',
  'WriteOffDebt',
  'ReportSecondarySale',
  'RecordCollectionAction',
  'PromisePayment',
  'DisputeInvoice',
  'ResolveInvoiceDispute',
  'PostAdjustment',
  'RecalculateCommissions',
  'RecordPayout',
  'ClosePeriod',
  'RunDueScan',
] as const;

export type CommandType = (typeof COMMAND_TYPES)[number];

/** One HTTP command: `method /api/v1{path}` with a JSON body. */
export interface SeedCommand {
  readonly type: CommandType;
  readonly method: 'POST' | 'PUT';
  readonly path: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** Commands that must be sent one after the other (they build on each other, e.g. one order's). */
export type Chain = readonly SeedCommand[];

/** Chains of one step may run concurrently; the steps of a phase run one after the other. */
export interface Phase {
  readonly name: string;
  readonly steps: readonly (readonly Chain[])[];
}

export interface Credit {
  readonly salespersonId: string;
  readonly splitBps: number;
}

export interface PlanTier {
  readonly fromAttainmentBps: number;
  readonly rateBps: number;
}

export interface DemoPlan {
  readonly planId: string;
  readonly name: string;
  readonly basis: 'BOOKING' | 'COLLECTION';
  readonly rateBps: number;
  readonly windowDays: number;
  readonly percentBps: number;
  /** The optional terms of docs/plans-and-channels.md, sent only when set. */
  readonly tiers?: readonly PlanTier[];
  readonly overrideRateBps?: number;
  readonly holdbackBps?: number;
  readonly primaryDistributorSalesEarn?: boolean;
  readonly secondaryRateBps?: number;
}

export interface DemoAssignment {
  readonly assignmentId: string;
  readonly planId: string;
  readonly effectiveFrom: string;
}

export interface DemoPerson {
  readonly salespersonId: string;
  readonly name: string;
  readonly teamId: string;
  /** null for the team's manager. */
  readonly managerId: string | null;
  readonly hiredOn: string;
  terminatedOn: string | null;
  readonly assignments: DemoAssignment[];
}

export type PayerProfile = 'prompt' | 'late' | 'installments' | 'bad';

export interface CreditsFrom {
  /** null: since registration. */
  readonly effectiveFrom: string | null;
  readonly reassignmentId: string | null;
  readonly credits: readonly Credit[];
}

export interface DemoCustomer {
  readonly customerId: string;
  /** A distributor (POST /distributors): its orders are primary sales (sell-in), it reports secondary sales. */
  readonly distributor?: true;
  readonly name: string;
  readonly businessUnit: BusinessUnit;
  readonly paymentTermsDays: number;
  readonly creditLimit: number | null;
  readonly profile: PayerProfile;
  /** First day the customer buys (after their salespeople were hired). */
  readonly since: string;
  /** Relative order frequency. */
  readonly weight: number;
  readonly history: CreditsFrom[];
}

/** One ledger entry as the local model expects the commission ledger to post it. */
export interface ModelEntry {
  /** When it became known (a recalculation's adjustment: the day it was asked for, dated in an earlier period). */
  readonly date: string;
  readonly period: string;
  readonly type: 'EARNED' | 'CLAWBACK' | 'ADJUSTMENT' | 'PAYOUT';
  /** Signed minor units. */
  readonly amount: number;
  /** Holdbacks: held by an EARNED entry (> 0), taken from what is held by a CLAWBACK (< 0); 0 when none. */
  readonly held: number;
  /** The day the hold is released (null when nothing is held). */
  readonly releaseOn: string | null;
}

export const TEAMS = [
  { teamId: 'north', name: 'North' },
  { teamId: 'south', name: 'South' },
  { teamId: 'west', name: 'West' },
] as const;

export const PLANS: readonly DemoPlan[] = [
  {
    planId: 'PLAN-BOOK-8',
    name: 'Field sales: 8 % on booking',
    basis: 'BOOKING',
    rateBps: 800,
    windowDays: 90,
    percentBps: 10_000,
  },
  {
    planId: 'PLAN-BOOK-6-ENT',
    name: 'Enterprise: 6 % on booking, 180-day half clawback',
    basis: 'BOOKING',
    rateBps: 600,
    windowDays: 180,
    percentBps: 5_000,
  },
  {
    planId: 'PLAN-COLL-5',
    name: 'Inside sales: 5 % on collection',
    basis: 'COLLECTION',
    rateBps: 500,
    windowDays: 60,
    percentBps: 5_000,
  },
  {
    planId: 'PLAN-COLL-7-ACC',
    name: 'Accelerator: 7 % on collection',
    basis: 'COLLECTION',
    rateBps: 700,
    windowDays: 120,
    percentBps: 10_000,
  },
  {
    planId: 'PLAN-BOOK-TIERED',
    name: 'Quota accelerator: 6 % on booking, 9 % above quota, 12 % above 120 %, 10 % held back',
    basis: 'BOOKING',
    rateBps: 600,
    windowDays: 90,
    percentBps: 10_000,
    tiers: [
      { fromAttainmentBps: 0, rateBps: 600 },
      { fromAttainmentBps: 10_000, rateBps: 900 },
      { fromAttainmentBps: 12_000, rateBps: 1_200 },
    ],
    holdbackBps: 1_000,
  },
  {
    planId: 'PLAN-CHANNEL',
    name: 'Channel: 5 % on booking, 3 % on distributor sell-through, nothing on sell-in',
    basis: 'BOOKING',
    rateBps: 500,
    windowDays: 90,
    percentBps: 10_000,
    primaryDistributorSalesEarn: false,
    secondaryRateBps: 300,
  },
  {
    planId: 'PLAN-MGR-OVERRIDE',
    name: "Team manager: 1.5 % override on direct reports' sales, 20 % held back",
    basis: 'BOOKING',
    rateBps: 500,
    windowDays: 90,
    percentBps: 10_000,
    overrideRateBps: 150,
    holdbackBps: 2_000,
  },
];

/** The field plans reps start on or move to; the others are given to a few people on purpose. */
export const FIELD_PLAN_IDS: readonly string[] = ['PLAN-BOOK-8', 'PLAN-BOOK-6-ENT', 'PLAN-COLL-5', 'PLAN-COLL-7-ACC'];
export const TIERED_PLAN_ID = 'PLAN-BOOK-TIERED';
export const CHANNEL_PLAN_ID = 'PLAN-CHANNEL';
export const MANAGER_PLAN_ID = 'PLAN-MGR-OVERRIDE';

export const planById = (planId: string): DemoPlan => {
  const plan = PLANS.find((p) => p.planId === planId);
  if (!plan) throw new Error(`no plan ${planId}`);
  return plan;
};

/** Share of the year's bookings per month (Jan..Dec, bps): quarter ends are busy, summer is quiet. */
export const SEASON = [700, 700, 900, 800, 800, 900, 600, 600, 900, 1000, 1000, 1100];

const BPS = 10_000n;

/** roundHalfUp(n / d) for n ≥ 0, d > 0. */
export function roundHalfUp(n: bigint, d: bigint): bigint {
  return (2n * n + d) / (2n * d);
}

/** domain.md §1: commission(A, split, rate) = roundHalfUp(A × split × rate / 10^8). */
export function commission(amount: number, splitBps: number, rateBps: number): number {
  return Number(roundHalfUp(BigInt(amount) * BigInt(splitBps) * BigInt(rateBps), BPS * BPS));
}

/** A rate in bps as the exact fraction num / den (a flat rate is r / 1, a blended one weight / credited amount). */
export interface Rate {
  readonly num: bigint;
  readonly den: bigint;
}

export const flatRate = (rateBps: number): Rate => ({ num: BigInt(rateBps), den: 1n });

/** roundHalfUp(base × split × rate / 10^8), the rate exact: `commission` when it is flat. */
export function commissionAt(base: number, splitBps: number, rate: Rate): number {
  return Number(roundHalfUp(BigInt(base) * BigInt(splitBps) * rate.num, rate.den * BPS * BPS));
}

/** roundHalfUp(x × percentBps / 10^4). */
export function percentOf(amount: number, percentBps: number): number {
  return Number(roundHalfUp(BigInt(amount) * BigInt(percentBps), BPS));
}

/**
 * Marginal tiers (docs/plans-and-channels.md § Tiers): the credit A × s occupies the attainment
 * range [before, before + A × s) in exact units; band i is [quota × from_i, quota × from_(i+1)),
 * the first also everything below, the last everything above. The blended rate is
 * Σ part × rate / (A × s).
 */
export function tieredRate(before: bigint, exact: bigint, annualQuota: bigint, tiers: readonly PlanTier[]): Rate {
  const end = before + exact;
  let weight = 0n;
  tiers.forEach((tier, i) => {
    const next = tiers[i + 1];
    const bandFrom = annualQuota * BigInt(tier.fromAttainmentBps);
    const from = i === 0 || before > bandFrom ? before : bandFrom;
    const bandTo = next ? annualQuota * BigInt(next.fromAttainmentBps) : null;
    const to = bandTo === null || end < bandTo ? end : bandTo;
    if (to > from) weight += (to - from) * BigInt(tier.rateBps);
  });
  return { num: weight, den: exact };
}

export const usd = (amount: number) => ({ amount, currency: CURRENCY });
/** Whole dollars, at least one. */
export const dollars = (cents: number) => Math.max(100, Math.round(cents / 100) * 100);

/**
 * Largest-remainder split of `total` by `weights` (ties to the earlier index): the parts sum to
 * exactly `total`.
 */
export function largestRemainder(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i] = (parts[i] as number) + 1;
    left--;
  }
  return parts;
}

/** The assignment that applies on a date: the latest effective on or before it (the later recorded on a tie). */
export function applicableAssignment(assignments: readonly DemoAssignment[], date: string): DemoAssignment | undefined {
  let best: DemoAssignment | undefined;
  for (const a of assignments)
    if (a.effectiveFrom <= date && (!best || a.effectiveFrom >= best.effectiveFrom)) best = a;
  return best;
}

export function applicablePlan(person: DemoPerson, date: string): DemoPlan | undefined {
  const best = applicableAssignment(person.assignments, date);
  return best ? planById(best.planId) : undefined;
}

/** The customer's credits on a date: the latest reassignment effective on or before it, else the first. */
export function creditsOn(customer: DemoCustomer, date: string): readonly Credit[] {
  let best = customer.history[0] as CreditsFrom;
  for (const entry of customer.history) {
    if (
      entry.effectiveFrom !== null &&
      entry.effectiveFrom <= date &&
      (best.effectiveFrom ?? '') <= entry.effectiveFrom
    ) {
      best = entry;
    }
  }
  return best.credits;
}

/** The local model of the commission ledgers: what each salesperson's ledger will show. */
export class LedgerModel {
  readonly entries = new Map<string, ModelEntry[]>();

  add(
    salespersonId: string,
    date: string,
    type: ModelEntry['type'],
    amount: number,
    options: { period?: string; held?: number; releaseOn?: string | null } = {},
  ): void {
    if (amount === 0) return;
    let list = this.entries.get(salespersonId);
    if (!list) this.entries.set(salespersonId, (list = []));
    const held = options.held ?? 0;
    list.push({
      date,
      period: options.period ?? periodOf(date),
      type,
      amount,
      held,
      releaseOn: held !== 0 ? (options.releaseOn ?? null) : null,
    });
  }
}

/**
 * What is still held at the end of `period` (the ledger's heldBalance): holds posted by then whose
 * release falls in a later period (a hold is released in the period of its release date, or the
 * period it was posted to if later).
 */
export function heldBalance(entries: readonly ModelEntry[], period: string): number {
  let held = 0;
  for (const e of entries) {
    if (e.held === 0 || e.period > period) continue;
    const released = e.releaseOn === null || periodOf(e.releaseOn) < e.period ? e.period : periodOf(e.releaseOn);
    if (released > period) held += e.held;
  }
  return held;
}
