/**
 * Random valid histories for property-based tests (fast-check).
 *
 * `scenarioArbitrary()` draws raw choices: plans (BOOKING/COLLECTION, any rate, window and
 * clawback percentage), salespeople and their plan assignments, customers, orders with credits
 * summing to 10000, and per order a list of commands (invoice, payment, cancellation with or
 * without an amount, return, write-off with or without an amount) at random business times, plus
 * administrative commands (late assignments, credit reassignments, adjustments, payouts,
 * terminations) interleaved with them.
 *
 * `simulate(scenario)` turns those choices into commands in one global order and decides each of
 * them with the REAL pure deciders (libs/sales/src/**\/*.decide.ts, libs/commissions/src/**\/*.decide.ts)
 * on the state folded by the real evolve functions. Amounts are picked from the state at that
 * moment (a share of the receivable, the whole net, one more than allowed, ...), so most commands
 * are accepted; a refused command is kept with its refusal code and appends nothing. The result
 * feeds the unit tier (events → pure projections) and the e2e tier (the same commands over HTTP,
 * where every command must be accepted or refused exactly as the deciders said).
 */
import fc from 'fast-check';
import { type DomainEvent, DomainError } from '../../libs/eventsourcing/src/decider';
import type { StoredEvent } from '../../libs/eventsourcing/src/event';
import { deterministicUuid } from '../../libs/eventsourcing/src/ids';
import { decidePostAdjustment } from '../../libs/commissions/src/adjustments/post-adjustment/post-adjustment.decide';
import {
  type CommissionAccountState,
  type CommissionContext,
  evolveCommissionAccount,
  initialCommissionAccount,
} from '../../libs/commissions/src/commission-account.state';
import { commissionStream } from '../../libs/commissions/src/contracts/commissions.events';
import { decideRecordPayout } from '../../libs/commissions/src/payouts/record-payout/record-payout.decide';
import {
  type Basis,
  type CustomerRegistered,
  type OrderEvent,
  type PlanCreated,
  type PlanTier,
  type QuotaSet,
  type SaleBooked,
  type SalesCredit,
  type SecondarySaleReported,
  streams,
} from '../../libs/sales/src/contracts/sales.events';
import type { CommissionsRecalculated } from '../../libs/commissions/src/contracts/commissions.events';
import {
  creditsOn,
  type CustomerState,
  evolveCustomer,
  initialCustomerState,
} from '../../libs/sales/src/customers/customer.state';
import { decideReassignSalesCredits } from '../../libs/sales/src/customers/reassign-sales-credits/reassign-sales-credits.decide';
import { decideRegisterCustomer } from '../../libs/sales/src/customers/register-customer/register-customer.decide';
import { decideBookSale } from '../../libs/sales/src/orders/book-sale/book-sale.decide';
import { decideCancelOrder } from '../../libs/sales/src/orders/cancel-order/cancel-order.decide';
import { decideIssueInvoice } from '../../libs/sales/src/orders/issue-invoice/issue-invoice.decide';
import {
  evolveOrder,
  initialOrderState,
  net,
  type OrderState,
  receivable,
} from '../../libs/sales/src/orders/order.state';
import { decideReceivePayment } from '../../libs/sales/src/orders/receive-payment/receive-payment.decide';
import { decideReturnGoods } from '../../libs/sales/src/orders/return-goods/return-goods.decide';
import { decideWriteOff } from '../../libs/sales/src/orders/write-off/write-off.decide';
import type { CreatePlan } from '../../libs/sales/src/plans/create-plan/create-plan.command';
import { decideCreatePlan } from '../../libs/sales/src/plans/create-plan/create-plan.decide';
import { evolvePlan, initialPlanState, type PlanState } from '../../libs/sales/src/plans/plan.state';
import { decideAssignPlan } from '../../libs/sales/src/salespeople/assign-plan/assign-plan.decide';
import { decideRegisterSalesperson } from '../../libs/sales/src/salespeople/register-salesperson/register-salesperson.decide';
import { decideSetQuota } from '../../libs/sales/src/salespeople/set-quota/set-quota.decide';
import {
  applicableAssignment,
  evolveSalesperson,
  initialSalespersonState,
  type SalespersonState,
} from '../../libs/sales/src/salespeople/salesperson.state';
import { decideTerminateSalesperson } from '../../libs/sales/src/salespeople/terminate-salesperson/terminate-salesperson.decide';
import { addDays, utcDate } from '../../libs/shared-kernel/src/time';

// ---------------------------------------------------------------------------------------------
// Raw choices
// ---------------------------------------------------------------------------------------------

export interface PlanSpec {
  readonly basis: Basis;
  readonly rateBps: number;
  readonly windowDays: number;
  readonly percentBps: number;
  /** The optional fields of issue 10 (docs/plans-and-channels.md); only rich scenarios set them. */
  readonly extras?: PlanExtras;
}

/** PlanCreated's optional fields, each present only when given. */
export interface PlanExtras {
  readonly tiers?: readonly PlanTier[];
  readonly overrideRateBps?: number;
  readonly holdbackBps?: number;
  readonly primaryDistributorSalesEarn?: boolean;
  readonly secondaryRateBps?: number;
}

/** Credits drawn as salesperson picks and cut points in 1..9999 (the splits are the gaps). */
export interface CreditsSpec {
  readonly picks: readonly number[];
  readonly cuts: readonly number[];
}

/** How a command's amount is chosen from the order's state when its turn comes. */
export type AmountChoice =
  | { readonly kind: 'omit' } // no amount (cancellation, write-off), else the maximum
  | { readonly kind: 'max' } // exactly what the rule allows
  | { readonly kind: 'over' } // one more than the rule allows: refused
  | { readonly kind: 'share'; readonly bps: number }; // a share of the maximum, at least 1

export type OpKind = 'invoice' | 'payment' | 'cancel' | 'return' | 'writeOff';

export interface OpSpec {
  readonly kind: OpKind;
  /** Days after the booking (orders with monotonic dates: and never before the previous command). */
  readonly days: number;
  readonly ms: number;
  readonly amount: AmountChoice;
  /** Invoices: days from the issue date to the due date (negative: refused). */
  readonly dueInDays: number;
}

export interface OrderSpec {
  readonly customer: number;
  readonly amount: number;
  /** Booking day, counted from 2026-01-01. */
  readonly day: number;
  readonly ms: number;
  /** null: the customer's credits on the booking date. */
  readonly credits: CreditsSpec | null;
  /** Business times of its commands never go back (else each is drawn after the booking). */
  readonly monotonic: boolean;
  readonly ops: readonly OpSpec[];
  /** Rich scenarios: the order's business unit. */
  readonly businessUnit?: string | null;
}

/** A quota of a salesperson for a year, for one business unit or none. */
export interface QuotaSpec {
  readonly salesperson: number;
  readonly year: number;
  readonly businessUnit: string | null;
  readonly amount: number;
}

export type AdminSpec =
  | { readonly kind: 'assign'; readonly salesperson: number; readonly plan: number; readonly day: number }
  | { readonly kind: 'reassign'; readonly customer: number; readonly day: number; readonly credits: CreditsSpec }
  | { readonly kind: 'adjust'; readonly salesperson: number; readonly month: number; readonly amount: number }
  | { readonly kind: 'payout'; readonly salesperson: number; readonly day: number; readonly amount: number }
  | { readonly kind: 'terminate'; readonly salesperson: number; readonly day: number }
  // Rich scenarios only:
  | ({ readonly kind: 'quota' } & QuotaSpec)
  | {
      readonly kind: 'secondary';
      /** Picks one of the distributors (nothing when there is none). */
      readonly distributor: number;
      readonly day: number;
      readonly ms: number;
      readonly amount: number;
      readonly businessUnit: string | null;
    }
  | {
      readonly kind: 'recalculate';
      readonly salesperson: number;
      /** Months from 2026-01 of fromPeriod; null: every open period. */
      readonly fromMonth: number | null;
    };

export interface Scenario {
  readonly plans: readonly PlanSpec[];
  readonly salespeople: number;
  /** Recorded before any order: salesperson, plan, effectiveFrom day from 2025-12-01. */
  readonly assignments: ReadonlyArray<{ readonly salesperson: number; readonly plan: number; readonly day: number }>;
  readonly customers: ReadonlyArray<{
    readonly termsDays: number;
    readonly credits: CreditsSpec;
    /** Rich scenarios: registered as a distributor (POST /api/v1/distributors). */
    readonly distributor?: boolean;
  }>;
  readonly orders: readonly OrderSpec[];
  readonly admin: readonly AdminSpec[];
  /** Which queue (an order's commands, or the admin commands) moves next, modulo the open ones. */
  readonly interleave: readonly number[];
  /** Rich scenarios: each salesperson's manager, an earlier salesperson's index (null: none). */
  readonly managers?: ReadonlyArray<number | null>;
  /** Rich scenarios: quotas recorded before any order. */
  readonly quotas?: readonly QuotaSpec[];
}

export interface ScenarioOptions {
  readonly minPlans?: number;
  readonly maxPlans?: number;
  readonly maxSalespeople?: number;
  readonly minOrders?: number;
  readonly maxOrders?: number;
  readonly maxOpsPerOrder?: number;
  readonly maxAdmin?: number;
}

const DAY_MS = 86_400_000;
const DAY0 = Date.UTC(2026, 0, 1);

const creditsArb = (maxPeople: number): fc.Arbitrary<CreditsSpec> =>
  fc.record({
    picks: fc.array(fc.nat({ max: maxPeople - 1 }), { minLength: 1, maxLength: 4 }),
    cuts: fc.array(fc.integer({ min: 1, max: 9999 }), { maxLength: 3 }),
  });

const amountChoiceArb: fc.Arbitrary<AmountChoice> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'omit' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'max' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'over' as const }) },
  {
    weight: 6,
    arbitrary: fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 100 })).map((bps) => ({
      kind: 'share' as const,
      bps,
    })),
  },
);

const opArb: fc.Arbitrary<OpSpec> = fc.record({
  kind: fc.oneof(
    { weight: 3, arbitrary: fc.constant('payment' as const) },
    { weight: 2, arbitrary: fc.constant('invoice' as const) },
    { weight: 2, arbitrary: fc.constant('cancel' as const) },
    { weight: 2, arbitrary: fc.constant('return' as const) },
    { weight: 2, arbitrary: fc.constant('writeOff' as const) },
  ),
  // Often on the edges of the usual clawback windows (0, 30, 90 days), where off-by-one errors hide.
  days: fc.oneof(
    fc.integer({ min: 0, max: 120 }),
    fc.integer({ min: -3, max: 420 }),
    fc.constantFrom(0, 1, 29, 30, 31, 89, 90, 91),
  ),
  ms: fc.oneof(fc.integer({ min: 0, max: DAY_MS - 1 }), fc.constant(0)),
  amount: amountChoiceArb,
  dueInDays: fc.integer({ min: -2, max: 90 }),
});

/** Order amounts: small (rounding at its edges), ordinary, and large (past 2^53 once multiplied). */
const orderAmountArb = fc.oneof(
  fc.integer({ min: 1, max: 1_000 }),
  fc.integer({ min: 1, max: 100_000_000 }),
  fc.integer({ min: 1, max: 1_000_000_000_000 }),
);

export function scenarioArbitrary(options: ScenarioOptions = {}): fc.Arbitrary<Scenario> {
  const maxPlans = options.maxPlans ?? 3;
  const maxPeople = options.maxSalespeople ?? 4;
  const minOrders = options.minOrders ?? 1;
  const maxOrders = options.maxOrders ?? 8;
  const maxOps = options.maxOpsPerOrder ?? 6;
  const maxAdmin = options.maxAdmin ?? 6;
  const planArb: fc.Arbitrary<PlanSpec> = fc.record({
    basis: fc.constantFrom<Basis>('BOOKING', 'COLLECTION'),
    rateBps: fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(0, 1, 333, 1000, 10_000)),
    windowDays: fc.oneof(fc.integer({ min: 0, max: 400 }), fc.constantFrom(0, 30, 90)),
    percentBps: fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(0, 5000, 10_000)),
  });
  const adminArb: fc.Arbitrary<AdminSpec> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('assign' as const),
        salesperson: fc.nat({ max: maxPeople - 1 }),
        plan: fc.nat({ max: maxPlans - 1 }),
        day: fc.integer({ min: 0, max: 450 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('reassign' as const),
        customer: fc.nat({ max: 1 }),
        day: fc.integer({ min: 0, max: 365 }),
        credits: creditsArb(maxPeople),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('adjust' as const),
        salesperson: fc.nat({ max: maxPeople - 1 }),
        month: fc.integer({ min: 0, max: 17 }),
        amount: fc.integer({ min: -1_000_000, max: 1_000_000 }).filter((n) => n !== 0),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('payout' as const),
        salesperson: fc.nat({ max: maxPeople - 1 }),
        day: fc.integer({ min: 0, max: 540 }),
        amount: fc.integer({ min: 1, max: 5_000_000 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('terminate' as const),
        salesperson: fc.nat({ max: maxPeople - 1 }),
        day: fc.integer({ min: 0, max: 400 }),
      }),
    },
  );
  return fc.record({
    plans: fc.array(planArb, { minLength: Math.min(options.minPlans ?? 1, maxPlans), maxLength: maxPlans }),
    salespeople: fc.integer({ min: 1, max: maxPeople }),
    assignments: fc.array(
      fc.record({
        salesperson: fc.nat({ max: maxPeople - 1 }),
        plan: fc.nat({ max: maxPlans - 1 }),
        day: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 200 })),
      }),
      { maxLength: maxPeople * 2 },
    ),
    customers: fc.array(fc.record({ termsDays: fc.integer({ min: 0, max: 120 }), credits: creditsArb(maxPeople) }), {
      minLength: 1,
      maxLength: 2,
    }),
    orders: fc.array(
      fc.record({
        customer: fc.nat({ max: 1 }),
        amount: orderAmountArb,
        day: fc.integer({ min: 0, max: 364 }),
        ms: fc.integer({ min: 0, max: DAY_MS - 1 }),
        credits: fc.option(creditsArb(maxPeople), { nil: null }),
        monotonic: fc.boolean(),
        ops: fc.array(opArb, { maxLength: maxOps }),
      }),
      { minLength: minOrders, maxLength: maxOrders },
    ),
    admin: fc.array(adminArb, { maxLength: maxAdmin }),
    interleave: fc.array(fc.nat(), { maxLength: 64 }),
  });
}

/**
 * Histories with every rule of docs/plans-and-channels.md switched on: tiered plans (the first
 * tier {0, rateBps}, up to 5 tiers), override rates, holdbacks, primaryDistributorSalesEarn and
 * secondaryRateBps on random plans (flat ones stay among them); managers; distributors among the
 * customers (their orders are primary sales); orders with business units; quotas with and
 * without a business unit, before the orders and between them (replacing earlier ones); secondary
 * sales of the distributors; and recalculations after late plan assignments.
 */
export function richScenarioArbitrary(options: ScenarioOptions = {}): fc.Arbitrary<Scenario> {
  const maxPlans = options.maxPlans ?? 3;
  const maxPeople = options.maxSalespeople ?? 4;
  const maxOrders = options.maxOrders ?? 8;
  const rateArb = fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(0, 1, 2000, 10_000));
  const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
  const extrasArb = fc.record({
    tiered: fc.nat({ max: 2 }).map((n) => n > 0 || undefined),
    moreTiers: fc.array(
      fc.record({
        step: fc.oneof(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom(2500, 5000, 10_000)),
        rateBps: rateArb,
      }),
      { maxLength: 4 },
    ),
    overrideRateBps: fc.option(rateArb, { nil: undefined, freq: 5 }),
    holdbackBps: optional(fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(0, 2000, 10_000))),
    primaryDistributorSalesEarn: optional(fc.boolean()),
    secondaryRateBps: optional(rateArb),
  });
  const unitArb = fc.constantFrom<string | null>(null, 'BU1', 'BU2');
  const quotaArb: fc.Arbitrary<QuotaSpec> = fc.record({
    salesperson: fc.nat({ max: maxPeople - 1 }),
    year: fc.constantFrom(2026, 2026, 2027),
    businessUnit: unitArb,
    amount: fc.oneof(
      fc.integer({ min: 1, max: 1_000 }),
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.integer({ min: 1, max: 100_000_000 }),
      fc.integer({ min: 1, max: 1_000_000_000_000 }),
    ),
  });
  const richAdminArb: fc.Arbitrary<AdminSpec> = fc.oneof(
    { weight: 2, arbitrary: quotaArb.map((q) => ({ kind: 'quota' as const, ...q })) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('secondary' as const),
        distributor: fc.nat({ max: 2 }),
        day: fc.integer({ min: 0, max: 420 }),
        ms: fc.integer({ min: 0, max: DAY_MS - 1 }),
        amount: orderAmountArb,
        businessUnit: unitArb,
      }),
    },
    {
      // Late assignments effective before most bookings: what recalculations are for.
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('assign' as const),
        salesperson: fc.nat({ max: maxPeople - 1 }),
        plan: fc.nat({ max: maxPlans - 1 }),
        day: fc.integer({ min: 0, max: 250 }),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('recalculate' as const),
        salesperson: fc.nat({ max: maxPeople - 1 }),
        fromMonth: fc.option(fc.integer({ min: 0, max: 14 }), { nil: null }),
      }),
    },
  );
  return fc
    .record({
      base: scenarioArbitrary({ ...options, minPlans: options.minPlans ?? 2, maxAdmin: options.maxAdmin ?? 8 }),
      extras: fc.array(extrasArb, { minLength: maxPlans, maxLength: maxPlans }),
      managers: fc.array(fc.option(fc.nat({ max: maxPeople - 1 }), { nil: null, freq: 4 }), {
        minLength: maxPeople,
        maxLength: maxPeople,
      }),
      // Customer 1 (when there is one) is mostly a distributor, customer 0 sometimes.
      distributors: fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })),
      thirdCustomer: fc.option(
        fc.record({ termsDays: fc.integer({ min: 0, max: 120 }), credits: creditsArb(maxPeople) }),
        {
          nil: null,
        },
      ),
      units: fc.array(unitArb, { minLength: maxOrders, maxLength: maxOrders }),
      orderCustomers: fc.array(fc.nat({ max: 2 }), { minLength: maxOrders, maxLength: maxOrders }),
      // Quotas mostly near what each salesperson sells, so that sales cross the tiers' bands.
      quotas: fc.array(fc.tuple(quotaArb, fc.option(fc.integer({ min: 300, max: 30_000 }), { nil: null, freq: 4 })), {
        minLength: 2,
        maxLength: 8,
      }),
      planOf: fc.array(fc.nat({ max: maxPlans - 1 }), { minLength: maxPeople, maxLength: maxPeople }),
      people: fc.integer({ min: Math.min(3, maxPeople), max: maxPeople }),
      richAdmin: fc.array(richAdminArb, { maxLength: 12 }),
      merge: fc.array(fc.boolean(), { maxLength: 16 }),
    })
    .map(
      ({
        base,
        extras,
        managers,
        distributors,
        thirdCustomer,
        units,
        orderCustomers,
        quotas,
        planOf,
        people,
        richAdmin,
        merge,
      }) => {
        // Every salesperson on a plan from the start (later assignments still come), quotas scaled.
        const perPerson = Math.max(1, Math.floor(base.orders.reduce((a, o) => a + o.amount, 0) / people));
        const scaled = quotas.map(([q, scaleBps]) =>
          scaleBps === null ? q : { ...q, amount: Math.max(1, Math.floor((perPerson * scaleBps) / 10_000)) },
        );
        const customers = [...base.customers, ...(thirdCustomer ? [thirdCustomer] : [])].map((c, i) => ({
          ...c,
          distributor: i === 0 ? distributors[0] === 0 : i === 1 ? distributors[1] >= 2 : true,
        }));
        // Interleave the rich admin commands with the others.
        const admin: AdminSpec[] = [];
        const rest = [...base.admin];
        const more = [...richAdmin];
        for (let i = 0; rest.length + more.length > 0; i++) {
          const fromMore = rest.length === 0 || (more.length > 0 && (merge[i % Math.max(merge.length, 1)] ?? true));
          admin.push((fromMore ? more.shift() : rest.shift())!);
        }
        return {
          ...base,
          plans: base.plans.map((p, i) => {
            const e = extras[i];
            if (!e) return p;
            let from = 0;
            const tiers = e.tiered
              ? [
                  { fromAttainmentBps: 0, rateBps: p.rateBps },
                  ...e.moreTiers.map((t) => ({ fromAttainmentBps: (from += t.step), rateBps: t.rateBps })),
                ]
              : undefined;
            const planExtras: PlanExtras = {
              ...(tiers ? { tiers } : {}),
              ...(e.overrideRateBps !== undefined ? { overrideRateBps: e.overrideRateBps } : {}),
              ...(e.holdbackBps !== undefined ? { holdbackBps: e.holdbackBps } : {}),
              ...(e.primaryDistributorSalesEarn !== undefined
                ? { primaryDistributorSalesEarn: e.primaryDistributorSalesEarn }
                : {}),
              ...(e.secondaryRateBps !== undefined ? { secondaryRateBps: e.secondaryRateBps } : {}),
            };
            return { ...p, extras: planExtras };
          }),
          salespeople: people,
          assignments: [
            ...planOf.slice(0, people).map((plan, salesperson) => ({ salesperson, plan, day: 0 })),
            ...base.assignments,
          ],
          managers,
          customers,
          orders: base.orders.map((o, i) => ({
            ...o,
            customer: thirdCustomer ? (orderCustomers[i] ?? o.customer) : o.customer,
            businessUnit: units[i] ?? null,
          })),
          quotas: scaled,
          admin,
        };
      },
    );
}

/**
 * The same scenario with every flat plan written as one tier {0, rateBps}: it must earn exactly
 * the same (docs/plans-and-channels.md § Attainment).
 */
export function withSingleTiers(scenario: Scenario): Scenario {
  return {
    ...scenario,
    plans: scenario.plans.map((p) =>
      p.extras?.tiers ? p : { ...p, extras: { ...p.extras, tiers: [{ fromAttainmentBps: 0, rateBps: p.rateBps }] } },
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Simulation with the real deciders
// ---------------------------------------------------------------------------------------------

export interface HttpCall {
  readonly method: 'POST' | 'PUT';
  readonly path: string;
  readonly body: Record<string, unknown>;
}

export interface HistoryStep {
  /** The command's type and own id (what makes a retry recognisable). */
  readonly commandType: string;
  readonly commandId: string;
  readonly streamId: string;
  /** What the decider decided: empty when refused. */
  readonly events: readonly DomainEvent[];
  /** The refusal's code (e.g. OVERPAYMENT), or null when accepted. */
  readonly refusal: string | null;
  /** The same command as an HTTP request of api.md. */
  readonly http: HttpCall;
}

export interface History {
  readonly steps: readonly HistoryStep[];
  readonly salespersonIds: readonly string[];
  readonly orderIds: readonly string[];
  /** Each order's state after the whole history (as evolveOrder folds its accepted events). */
  readonly orders: ReadonlyMap<string, OrderState>;
}

const USD = (amount: number) => ({ amount, currency: 'USD' });
const instant = (ms: number) => new Date(ms).toISOString();

/** Distinct salespeople with splits summing to exactly 10000 (each ≥ 1). */
export function creditsFrom(spec: CreditsSpec, salespersonIds: readonly string[]): SalesCredit[] {
  const people = [...new Set(spec.picks.map((p) => p % salespersonIds.length))];
  const cuts = [...new Set(spec.cuts)].sort((a, b) => a - b).slice(0, people.length - 1);
  const bounds = [0, ...cuts, 10_000];
  return bounds.slice(1).map((end, i) => ({
    salespersonId: salespersonIds[people[i] ?? 0] ?? '',
    splitBps: end - (bounds[i] ?? 0),
  }));
}

function resolveAmount(choice: AmountChoice, max: number, omittable: boolean): number | null {
  switch (choice.kind) {
    case 'omit':
      return omittable ? null : Math.max(max, 1);
    case 'max':
      return Math.max(max, 1);
    case 'over':
      return Math.max(max, 0) + 1;
    case 'share':
      return Math.max(1, Math.ceil((Math.max(max, 0) * choice.bps) / 10_000));
  }
}

/**
 * Decides every command of the scenario, in one global order, with the real deciders. `prefix`
 * makes every id unique, so several histories can share one database.
 */
export function simulate(scenario: Scenario, prefix = ''): History {
  const steps: HistoryStep[] = [];
  const plans = new Map<string, PlanState>();
  const salespeople = new Map<string, SalespersonState>();
  const customers = new Map<string, CustomerState>();
  const orders = new Map<string, OrderState>();
  const accounts = new Map<string, CommissionAccountState>();
  let seq = 0;
  const nextId = (kind: string) => `${prefix}${kind}${++seq}`;

  function run<E extends DomainEvent>(
    commandType: string,
    commandId: string,
    streamId: string,
    http: HttpCall,
    decide: () => readonly E[],
    evolve: (event: E) => void,
  ): void {
    try {
      const events = decide();
      events.forEach(evolve);
      steps.push({ commandType, commandId, streamId, events, refusal: null, http });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      steps.push({ commandType, commandId, streamId, events: [], refusal: error.code, http });
    }
  }

  const planIds = scenario.plans.map((_, i) => `${prefix}P${i}`);
  const salespersonIds = Array.from({ length: scenario.salespeople }, (_, i) => `${prefix}S${i}`);
  const customerIds = scenario.customers.map((_, i) => `${prefix}C${i}`);
  const orderIds = scenario.orders.map((_, i) => `${prefix}O${i}`);

  scenario.plans.forEach((p, i) => {
    const planId = planIds[i] ?? '';
    const clawback = { windowDays: p.windowDays, percentBps: p.percentBps };
    const extras: PlanExtras = p.extras ?? {};
    const command: CreatePlan & PlanExtras = {
      type: 'CreatePlan',
      planId,
      name: `plan ${i}`,
      currency: 'USD',
      basis: p.basis,
      rateBps: p.rateBps,
      clawback,
      at: '2025-12-01T00:00:00.000Z',
      ...extras,
    };
    run(
      'CreatePlan',
      planId,
      streams.plan(planId),
      {
        method: 'POST',
        path: '/api/v1/plans',
        body: { planId, name: `plan ${i}`, currency: 'USD', basis: p.basis, rateBps: p.rateBps, clawback, ...extras },
      },
      // The optional fields as PlanCreated carries them, whether or not this decider knows them yet.
      () =>
        decideCreatePlan(command, plans.get(planId) ?? initialPlanState()).map((e): PlanCreated => ({
          ...e,
          data: { ...e.data, ...extras },
        })),
      (e) => plans.set(planId, evolvePlan(plans.get(planId) ?? initialPlanState(), e)),
    );
  });

  const evolveSp = (id: string) => (e: Parameters<typeof evolveSalesperson>[1]) =>
    salespeople.set(id, evolveSalesperson(salespeople.get(id) ?? initialSalespersonState(), e));

  salespersonIds.forEach((salespersonId, i) => {
    const teamId = `${prefix}T${i % 2}`;
    // A manager is always registered before their reports (an earlier index).
    const managerIndex = scenario.managers?.[i] ?? null;
    const managerId = managerIndex !== null && managerIndex < i ? (salespersonIds[managerIndex] ?? null) : null;
    run(
      'RegisterSalesperson',
      salespersonId,
      streams.salesperson(salespersonId),
      {
        method: 'POST',
        path: '/api/v1/salespeople',
        body: {
          salespersonId,
          name: `person ${i}`,
          teamId,
          hiredOn: '2025-01-01',
          ...(managerId ? { managerId } : {}),
        },
      },
      () =>
        decideRegisterSalesperson(
          {
            type: 'RegisterSalesperson',
            salespersonId,
            name: `person ${i}`,
            managerId,
            teamId,
            hiredOn: '2025-01-01',
          },
          salespeople.get(salespersonId) ?? initialSalespersonState(),
        ),
      evolveSp(salespersonId),
    );
  });

  const assign = (salesperson: number, plan: number, day: number) => {
    const salespersonId = salespersonIds[salesperson % salespersonIds.length] ?? '';
    const planId = planIds[plan % planIds.length] ?? '';
    const assignmentId = nextId('A');
    const effectiveFrom = addDays('2025-12-01', day);
    run(
      'AssignPlan',
      assignmentId,
      streams.salesperson(salespersonId),
      {
        method: 'POST',
        path: `/api/v1/salespeople/${salespersonId}/plan-assignments`,
        body: { assignmentId, planId, effectiveFrom },
      },
      () =>
        decideAssignPlan(
          { type: 'AssignPlan', salespersonId, assignmentId, planId, effectiveFrom },
          salespeople.get(salespersonId) ?? initialSalespersonState(),
          plans.get(planId) ?? initialPlanState(),
        ),
      evolveSp(salespersonId),
    );
  };
  for (const a of scenario.assignments) assign(a.salesperson, a.plan, a.day);

  const setQuota = (q: QuotaSpec) => {
    const salespersonId = salespersonIds[q.salesperson % salespersonIds.length] ?? '';
    const quotaId = nextId('Q');
    const monthlyWeightsBps = [...Array.from({ length: 11 }, () => 833), 837];
    const bu = q.businessUnit;
    run(
      'SetQuota',
      quotaId,
      streams.quota(salespersonId, q.year, bu),
      {
        method: 'PUT',
        path: `/api/v1/salespeople/${salespersonId}/quotas/${q.year}`,
        body: { quotaId, annualTarget: USD(q.amount), monthlyWeightsBps, ...(bu ? { businessUnit: bu } : {}) },
      },
      () =>
        decideSetQuota(
          { type: 'SetQuota', quotaId, salespersonId, year: q.year, annualTarget: USD(q.amount), monthlyWeightsBps },
          { quotaIds: [] },
          salespeople.get(salespersonId) ?? initialSalespersonState(),
        ).map((e): QuotaSet => (bu ? { ...e, data: { ...e.data, businessUnit: bu } } : e)),
      () => undefined,
    );
  };
  for (const q of scenario.quotas ?? []) setQuota(q);

  const distributorIds = customerIds.filter((_, i) => scenario.customers[i]?.distributor === true);
  scenario.customers.forEach((c, i) => {
    const customerId = customerIds[i] ?? '';
    const salesCredits = creditsFrom(c.credits, salespersonIds);
    const distributor = c.distributor === true;
    const body = { name: `customer ${i}`, paymentTermsDays: c.termsDays, salesCredits };
    run(
      distributor ? 'RegisterDistributor' : 'RegisterCustomer',
      customerId,
      streams.customer(customerId),
      distributor
        ? { method: 'POST', path: '/api/v1/distributors', body: { distributorId: customerId, ...body } }
        : { method: 'POST', path: '/api/v1/customers', body: { customerId, ...body } },
      () =>
        decideRegisterCustomer(
          {
            type: 'RegisterCustomer',
            customerId,
            name: `customer ${i}`,
            paymentTermsDays: c.termsDays,
            creditLimit: null,
            salesCredits,
            at: '2025-12-01T00:00:00.000Z',
          },
          customers.get(customerId) ?? initialCustomerState(),
          salespeople,
        ).map((e): CustomerRegistered => (distributor ? { ...e, data: { ...e.data, distributor: true } } : e)),
      (e) => customers.set(customerId, evolveCustomer(customers.get(customerId) ?? initialCustomerState(), e)),
    );
  });

  // One queue per order (its booking, then its commands), and one for the admin commands.
  const cursors = new Map<string, number>();
  const evolveOrderOf = (orderId: string) => (e: OrderEvent) =>
    orders.set(orderId, evolveOrder(orders.get(orderId) ?? initialOrderState(), e));

  const book = (spec: OrderSpec, orderId: string) => {
    const customerId = customerIds[spec.customer % customerIds.length] ?? '';
    const bookedAtMs = DAY0 + spec.day * DAY_MS + spec.ms;
    const bookedAt = instant(bookedAtMs);
    cursors.set(orderId, bookedAtMs);
    const salesCredits = spec.credits ? creditsFrom(spec.credits, salespersonIds) : null;
    const businessUnit = spec.businessUnit ?? null;
    const toDistributor = distributorIds.includes(customerId);
    run(
      'BookSale',
      orderId,
      streams.order(orderId),
      {
        method: 'POST',
        path: '/api/v1/orders',
        body: {
          orderId,
          customerId,
          amount: USD(spec.amount),
          bookedAt,
          ...(salesCredits ? { salesCredits } : {}),
          ...(businessUnit ? { businessUnit } : {}),
        },
      },
      () =>
        decideBookSale(
          {
            type: 'BookSale',
            orderId,
            customerId,
            amount: USD(spec.amount),
            bookedAt,
            salesCredits,
            businessUnit,
            lines: [],
          },
          orders.get(orderId) ?? initialOrderState(),
          { customer: customers.get(customerId) ?? initialCustomerState(), salespeople, plans },
        ).map((e): SaleBooked => (toDistributor ? { ...e, data: { ...e.data, toDistributor: true } } : e)),
      evolveOrderOf(orderId),
    );
  };

  const operate = (spec: OrderSpec, op: OpSpec, orderId: string) => {
    const state = orders.get(orderId) ?? initialOrderState();
    const bookedAtMs = DAY0 + spec.day * DAY_MS + spec.ms;
    let atMs: number;
    if (spec.monotonic) {
      // Never before the previous command of the order (nor the booking).
      atMs = Math.max(cursors.get(orderId) ?? bookedAtMs, bookedAtMs + Math.abs(op.days) * DAY_MS + op.ms);
      cursors.set(orderId, atMs);
    } else {
      atMs = bookedAtMs + op.days * DAY_MS + op.ms;
    }
    const at = instant(atMs);
    const a = state.exists ? state.amounts : null;
    const reason = 'property test';
    const path = (tail: string) => `/api/v1/orders/${orderId}/${tail}`;
    const evolve = evolveOrderOf(orderId);
    const stream = streams.order(orderId);
    switch (op.kind) {
      case 'invoice': {
        const amount = resolveAmount(op.amount, a ? net(a) - a.invoiced : 1, false) ?? 1;
        const invoiceId = nextId('INV');
        const dueDate = addDays(utcDate(at), op.dueInDays);
        const body = { invoiceId, amount: USD(amount), issuedAt: at, dueDate };
        return run(
          'IssueInvoice',
          invoiceId,
          stream,
          { method: 'POST', path: path('invoices'), body },
          () => decideIssueInvoice({ type: 'IssueInvoice', orderId, ...body }, state),
          evolve,
        );
      }
      case 'payment': {
        const amount = resolveAmount(op.amount, a ? receivable(a) : 1, false) ?? 1;
        const paymentId = nextId('PAY');
        const body = { paymentId, amount: USD(amount), receivedAt: at };
        return run(
          'ReceivePayment',
          paymentId,
          stream,
          { method: 'POST', path: path('payments'), body },
          () => decideReceivePayment({ type: 'ReceivePayment', orderId, ...body }, state),
          evolve,
        );
      }
      case 'cancel': {
        const amount = resolveAmount(op.amount, a ? net(a) : 1, true);
        const cancellationId = nextId('CAN');
        return run(
          'CancelOrder',
          cancellationId,
          stream,
          {
            method: 'POST',
            path: path('cancellations'),
            body: { cancellationId, cancelledAt: at, reason, ...(amount !== null ? { amount: USD(amount) } : {}) },
          },
          () =>
            decideCancelOrder(
              {
                type: 'CancelOrder',
                orderId,
                cancellationId,
                cancelledAt: at,
                reason,
                amount: amount !== null ? USD(amount) : null,
              },
              state,
            ),
          evolve,
        );
      }
      case 'return': {
        const amount = resolveAmount(op.amount, a ? net(a) : 1, false) ?? 1;
        const returnId = nextId('RET');
        const body = { returnId, returnedAt: at, reason, amount: USD(amount) };
        return run(
          'ReturnGoods',
          returnId,
          stream,
          { method: 'POST', path: path('returns'), body },
          () => decideReturnGoods({ type: 'ReturnGoods', orderId, ...body }, state),
          evolve,
        );
      }
      case 'writeOff': {
        const amount = resolveAmount(op.amount, a ? receivable(a) : 1, true);
        const writeOffId = nextId('WO');
        return run(
          'WriteOffDebt',
          writeOffId,
          stream,
          {
            method: 'POST',
            path: path('write-offs'),
            body: { writeOffId, writtenOffAt: at, reason, ...(amount !== null ? { amount: USD(amount) } : {}) },
          },
          () =>
            decideWriteOff(
              {
                type: 'WriteOffDebt',
                orderId,
                writeOffId,
                writtenOffAt: at,
                reason,
                amount: amount !== null ? USD(amount) : null,
              },
              state,
            ),
          evolve,
        );
      }
    }
  };

  const commissionContext = (salespersonId: string, onDate: string): CommissionContext => {
    const sp = salespeople.get(salespersonId) ?? initialSalespersonState();
    let planCurrency: string | null = null;
    if (sp.exists) {
      const assignment = applicableAssignment(sp.assignments, onDate) ?? sp.assignments[sp.assignments.length - 1];
      const plan = assignment ? plans.get(assignment.planId) : undefined;
      if (plan?.exists) planCurrency = plan.currency;
    }
    return { salespersonExists: sp.exists, planCurrency, closedPeriods: new Set() };
  };
  const evolveAccount = (id: string) => (e: Parameters<typeof evolveCommissionAccount>[1]) =>
    accounts.set(id, evolveCommissionAccount(accounts.get(id) ?? initialCommissionAccount(), e));

  const administer = (spec: AdminSpec) => {
    switch (spec.kind) {
      case 'assign':
        return assign(spec.salesperson, spec.plan, spec.day);
      case 'reassign': {
        const customerId = customerIds[spec.customer % customerIds.length] ?? '';
        const reassignmentId = nextId('RA');
        const effectiveFrom = addDays('2026-01-01', spec.day);
        const salesCredits = creditsFrom(spec.credits, salespersonIds);
        return run(
          'ReassignSalesCredits',
          reassignmentId,
          streams.customer(customerId),
          {
            method: 'POST',
            path: `/api/v1/customers/${customerId}/sales-credits`,
            body: { reassignmentId, effectiveFrom, salesCredits },
          },
          () =>
            decideReassignSalesCredits(
              { type: 'ReassignSalesCredits', customerId, reassignmentId, effectiveFrom, salesCredits },
              customers.get(customerId) ?? initialCustomerState(),
              salespeople,
            ),
          (e) => customers.set(customerId, evolveCustomer(customers.get(customerId) ?? initialCustomerState(), e)),
        );
      }
      case 'adjust': {
        const salespersonId = salespersonIds[spec.salesperson % salespersonIds.length] ?? '';
        const adjustmentId = nextId('ADJ');
        const period = `${2026 + Math.floor(spec.month / 12)}-${String((spec.month % 12) + 1).padStart(2, '0')}`;
        const at = '2026-01-01T00:00:00.000Z';
        return run(
          'PostAdjustment',
          adjustmentId,
          commissionStream(salespersonId),
          {
            method: 'POST',
            path: `/api/v1/salespeople/${salespersonId}/adjustments`,
            body: { adjustmentId, period, amount: USD(spec.amount), reason: 'property test' },
          },
          () =>
            decidePostAdjustment(
              {
                type: 'PostAdjustment',
                adjustmentId,
                salespersonId,
                period,
                amount: USD(spec.amount),
                reason: 'property test',
                approvedBy: 'test-admin',
                at,
              },
              accounts.get(salespersonId) ?? initialCommissionAccount(),
              commissionContext(salespersonId, utcDate(at)),
            ),
          evolveAccount(salespersonId),
        );
      }
      case 'payout': {
        const salespersonId = salespersonIds[spec.salesperson % salespersonIds.length] ?? '';
        const payoutId = nextId('PO');
        const paidAt = instant(DAY0 + spec.day * DAY_MS);
        return run(
          'RecordPayout',
          payoutId,
          commissionStream(salespersonId),
          {
            method: 'POST',
            path: '/api/v1/payouts',
            body: { payoutId, salespersonId, amount: USD(spec.amount), paidAt },
          },
          () =>
            decideRecordPayout(
              { type: 'RecordPayout', payoutId, salespersonId, amount: USD(spec.amount), paidAt },
              accounts.get(salespersonId) ?? initialCommissionAccount(),
              commissionContext(salespersonId, utcDate(paidAt)),
            ),
          evolveAccount(salespersonId),
        );
      }
      case 'quota':
        return setQuota(spec);
      case 'secondary': {
        if (distributorIds.length === 0) return;
        const distributorId = distributorIds[spec.distributor % distributorIds.length] ?? '';
        const distributor = customers.get(distributorId) ?? initialCustomerState();
        if (!distributor.exists) return;
        const saleId = nextId('SS');
        const soldAt = instant(DAY0 + spec.day * DAY_MS + spec.ms);
        // The distributor's sales credits on soldAt, stamped on the event like a sale's.
        const salesCredits = creditsOn(distributor, utcDate(soldAt)).map((c) => ({
          salespersonId: c.salespersonId,
          splitBps: c.splitBps,
        }));
        const event: SecondarySaleReported = {
          type: 'SecondarySaleReported',
          occurredAt: soldAt,
          data: {
            saleId,
            distributorId,
            amount: USD(spec.amount),
            soldAt,
            endCustomer: null,
            businessUnit: spec.businessUnit,
            salesCredits,
          },
        };
        return run(
          'ReportSecondarySale',
          saleId,
          streams.secondarySale(saleId),
          {
            method: 'POST',
            path: `/api/v1/distributors/${distributorId}/secondary-sales`,
            body: {
              saleId,
              amount: USD(spec.amount),
              soldAt,
              ...(spec.businessUnit ? { businessUnit: spec.businessUnit } : {}),
            },
          },
          () => [event],
          () => undefined,
        );
      }
      case 'recalculate': {
        const salespersonId = salespersonIds[spec.salesperson % salespersonIds.length] ?? '';
        const recalculationId = nextId('RC');
        const fromPeriod =
          spec.fromMonth === null
            ? null
            : `${2026 + Math.floor(spec.fromMonth / 12)}-${String((spec.fromMonth % 12) + 1).padStart(2, '0')}`;
        const reason = 'property test';
        const event: CommissionsRecalculated = {
          type: 'CommissionsRecalculated',
          occurredAt: '2027-01-01T00:00:00.000Z',
          data: { recalculationId, salespersonId, fromPeriod, reason, requestedBy: 'test-admin' },
        };
        return run(
          'RecalculateCommissions',
          recalculationId,
          commissionStream(salespersonId),
          {
            method: 'POST',
            path: `/api/v1/salespeople/${salespersonId}/recalculations`,
            body: { recalculationId, reason, ...(fromPeriod ? { fromPeriod } : {}) },
          },
          () => [event],
          () => undefined,
        );
      }
      case 'terminate': {
        const salespersonId = salespersonIds[spec.salesperson % salespersonIds.length] ?? '';
        const terminatedOn = addDays('2026-01-01', spec.day);
        const current = salespeople.get(salespersonId);
        // Its command id is the salesperson's: a second one would be a retry (or a 409), not a decision.
        if (current?.exists && current.terminatedOn !== null) return;
        return run(
          'TerminateSalesperson',
          `${salespersonId}:termination`,
          streams.salesperson(salespersonId),
          { method: 'POST', path: `/api/v1/salespeople/${salespersonId}/termination`, body: { terminatedOn } },
          () =>
            decideTerminateSalesperson(
              { type: 'TerminateSalesperson', salespersonId, terminatedOn },
              salespeople.get(salespersonId) ?? initialSalespersonState(),
            ),
          evolveSp(salespersonId),
        );
      }
    }
  };

  const queues: Array<Array<() => void>> = scenario.orders.map((spec, i) => {
    const orderId = orderIds[i] ?? '';
    return [() => book(spec, orderId), ...spec.ops.map((op) => () => operate(spec, op, orderId))];
  });
  queues.push(scenario.admin.map((spec) => () => administer(spec)));
  for (let i = 0; ; i++) {
    const open = queues.filter((q) => q.length > 0);
    if (open.length === 0) break;
    const pick = scenario.interleave.length > 0 ? (scenario.interleave[i % scenario.interleave.length] ?? 0) : 0;
    open[pick % open.length]?.shift()?.();
  }

  return { steps, salespersonIds, orderIds, orders };
}

/**
 * The accepted events as the store would keep them: in global order, positions 1, 2, ...,
 * deterministic ids, and a record time that moves forward one second per event.
 */
export function storedEvents(history: History, recordedFrom = Date.UTC(2027, 0, 1)): StoredEvent[] {
  const out: StoredEvent[] = [];
  const revisions = new Map<string, bigint>();
  for (const step of history.steps) {
    for (const event of step.events) {
      const position = BigInt(out.length + 1);
      const revision = revisions.get(step.streamId) ?? 0n;
      revisions.set(step.streamId, revision + 1n);
      out.push({
        id: deterministicUuid('property-test-event', step.streamId, revision.toString()),
        type: event.type,
        schemaVersion: 1,
        data: event.data,
        occurredAt: event.occurredAt,
        metadata: {
          actor: 'test-admin',
          commandId: step.commandId,
          commandType: step.commandType,
          correlationId: step.commandId,
          causationId: step.commandId,
        },
        streamId: step.streamId,
        streamRevision: revision,
        globalPosition: position,
        logPosition: { major: position, minor: position },
        recordedAt: new Date(recordedFrom + out.length * 1000).toISOString(),
      });
    }
  }
  return out;
}

/**
 * The seed of a property test: a fixed one (CI is deterministic), FC_SEED=<integer> to replay one,
 * or FC_SEED=random for a fresh one each run (fast-check prints it when a property fails).
 */
export function propertySeed(fixed: number): number {
  const text = process.env.FC_SEED;
  if (!text) return fixed;
  if (text === 'random') return Date.now() ^ (Math.random() * 0x7fffffff);
  const seed = Number(text);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", got ${text}`);
  return seed;
}

/** numRuns, overridable with FC_RUNS (e.g. FC_RUNS=5000 for a longer hunt). */
export function propertyRuns(fixed: number): number {
  const runs = Number(process.env.FC_RUNS ?? fixed);
  return Number.isInteger(runs) && runs > 0 ? runs : fixed;
}
