/**
 * An independent model of docs/plans-and-channels.md (tiers, quotas and business units, manager
 * overrides, distributors and secondary sales, recalculation) on top of domain.md §2/§4, written
 * plainly from the rules and NOT from the ledger projection: what each event earns, claws back
 * or adjusts, for whom. The property tests (commission-ledger.invariants.spec.ts) compare it with
 * the projection entry for entry.
 *
 * Units. Attainment is counted exactly, in units of A × splitBps (minor units × 10^4). A quota Q
 * (minor units) is Q × 10^4 of those units, so band i of a plan covers
 * [Q × from_i, Q × from_(i+1)) units. A credit's weight W = Σ part_i × rate_i over the range its
 * credited amount occupies; it earns roundHalfUp(W / 10^8) at booking, and a payment P (or a
 * reduction X) is valued at the credit's blended rate: roundHalfUp(P × W / (A × 10^8)). For a
 * flat plan W = A × s × r and these are commission(A, s, r) and commission(P, s, r) exactly.
 *
 * Holdbacks do not change the amounts of EARNED and CLAWBACK entries (they only split them into
 * held and payable), so the model leaves them out.
 */
import type { StoredEvent } from '../../libs/eventsourcing/src/event';
import type {
  DebtWrittenOff,
  OrderCancelled,
  PaymentReceived,
  PlanAssigned,
  PlanCreated,
  ProductReturned,
  QuotaSet,
  SaleBooked,
  SalespersonRegistered,
  SecondarySaleReported,
} from '../../libs/sales/src/contracts/sales.events';
import type { CommissionsRecalculated } from '../../libs/commissions/src/contracts/commissions.events';
import { addDays, daysBetween, periodOf, utcDate } from '../../libs/shared-kernel/src/time';

type Plan = PlanCreated['data'];
type Assignment = PlanAssigned['data'];

const E4 = 10_000n;
const E8 = 100_000_000n;

/** round(n / d) with halves away from zero, d > 0 (written here again, not imported). */
function half(n: bigint, d: bigint): bigint {
  const neg = n < 0n;
  const a = neg ? -n : n;
  const q = a / d;
  const r = a - q * d;
  const out = 2n * r >= d ? q + 1n : q;
  return neg ? -out : out;
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);

/** Who gets an entry, what kind, how much, on which order or secondary sale, in which role. */
export interface ModelEntry {
  readonly salespersonId: string;
  readonly type: 'EARNED' | 'CLAWBACK' | 'ADJUSTMENT';
  readonly amount: bigint;
  /** The order, or the secondary sale's id. */
  readonly orderId: string;
  /** DIRECT: the salesperson's own credit; OVERRIDE: a manager's override of a report's credit. */
  readonly role: 'DIRECT' | 'OVERRIDE';
  /** Overrides: the report whose credit earned it. */
  readonly ofSalespersonId: string | null;
  /**
   * Holdbacks: held by an EARNED entry (≥ 0), taken from what is held by a CLAWBACK (≤ 0); null
   * where the model does not say (adjustments, and entries of a credit once recalculated).
   */
  readonly held: bigint | null;
}

/** Something that happened to an order after its booking, as a credit's replay needs it. */
type Trigger =
  | { readonly kind: 'payment'; readonly amount: bigint }
  | {
      readonly kind: 'reduction';
      readonly writeOff: boolean;
      readonly amount: bigint;
      readonly refundPart: bigint;
      readonly at: string;
    };

/** A salesperson's direct credit on an order, with what the model needs to replay it. */
export interface ModelCredit {
  readonly orderId: string;
  readonly salespersonId: string;
  readonly splitBps: bigint;
  readonly amount: bigint;
  readonly bookedAt: string;
  readonly toDistributor: boolean;
  /**
   * Attainment before the sale (as booked) and the annual quota (null: none) known when its rate
   * was last computed: at booking, or at a recalculation (the quota "known when the event is
   * processed", the recalculation being that event).
   */
  readonly before: bigint;
  quota: bigint | null;
  readonly triggers: Trigger[];
  assignmentId: string | null;
  plan: Plan | null;
  earned: bigint;
  clawed: bigint;
  /** Held on this credit and not yet taken by a clawback; null once recalculated (not modelled). */
  heldLeft: bigint | null;
}

interface OverrideCredit {
  readonly orderId: string;
  readonly managerId: string;
  readonly report: ModelCredit;
  /**
   * The report's plan when the sale was booked: the override follows its earning trigger and
   * clawback policy for good, since a recalculation of the report does not recompute overrides.
   */
  readonly terms: Plan;
  readonly overrideRateBps: bigint;
  /** The manager's plan's holdback. */
  readonly holdbackBps: bigint;
  earned: bigint;
  clawed: bigint;
  heldLeft: bigint;
}

export interface PlanModel {
  /** Entries per source event id. */
  readonly entries: ReadonlyMap<string, readonly ModelEntry[]>;
  /** Every direct credit on an order at the end, with the plan it ends under. */
  readonly credits: readonly ModelCredit[];
  /** What a credit nets (earned − clawed) had it always been under `plan`: its replay. */
  replayNet(credit: ModelCredit, plan: Plan | null): bigint;
  /** How many credits' ranges crossed a band boundary (for the generator's guard). */
  readonly stats: { crossings: number; noQuota: number; overrides: number; recalculated: number };
}

/** The tiers of a plan; a flat plan is one tier {0, rateBps}. */
function tiersOf(plan: Plan): ReadonlyArray<{ from: bigint; rate: bigint }> {
  const tiers = plan.tiers && plan.tiers.length > 0 ? plan.tiers : [{ fromAttainmentBps: 0, rateBps: plan.rateBps }];
  return tiers.map((t) => ({ from: BigInt(t.fromAttainmentBps), rate: BigInt(t.rateBps) }));
}

/**
 * W = Σ part_i × rate_i of the range [before, before + e) (units A × s). Without a quota the
 * whole range earns the first tier's rate; a negative part lies in the first band.
 */
function weight(plan: Plan, e: bigint, before: bigint, quota: bigint | null): { w: bigint; bands: number } {
  const tiers = tiersOf(plan);
  if (quota === null) return { w: e * (tiers[0]?.rate ?? 0n), bands: 1 };
  const start = before;
  const end = before + e;
  let w = 0n;
  let bands = 0;
  tiers.forEach((t, i) => {
    const next = tiers[i + 1];
    const lo = i === 0 ? start : max(start, quota * t.from);
    const hi = next === undefined ? end : min(end, quota * next.from);
    if (hi > lo) {
      w += (hi - lo) * t.rate;
      bands++;
    }
  });
  return { w, bands };
}

/** The plan of a salesperson on a date: latest effectiveFrom ≤ date, ties to the later recorded. */
function applicable(list: readonly Assignment[], date: string): Assignment | null {
  let best: Assignment | null = null;
  for (const a of list) if (a.effectiveFrom <= date && (!best || a.effectiveFrom >= best.effectiveFrom)) best = a;
  return best;
}

/** What the credit earns on the booking (BOOKING basis) and on a payment (COLLECTION basis). */
function creditWeight(credit: ModelCredit, plan: Plan | null): bigint {
  if (!plan) return 0n;
  if (credit.toDistributor && plan.primaryDistributorSalesEarn !== true) return 0n;
  return weight(plan, credit.amount * credit.splitBps, credit.before, credit.quota).w;
}

/**
 * Whether a trigger is one the credit's plan earns on ("the same trigger that earned R
 * commission"), whatever the amount: the booking under BOOKING basis, a payment under
 * COLLECTION basis; a primary sale to a distributor only if the plan lets sell-in earn. A
 * manager's override follows it: this model reads "earned" as the trigger, not a non-zero amount.
 */
function earnsOn(credit: ModelCredit, plan: Plan | null, trigger: 'booking' | 'payment'): boolean {
  if (!plan) return false;
  if (credit.toDistributor && plan.primaryDistributorSalesEarn !== true) return false;
  return plan.basis === (trigger === 'booking' ? 'BOOKING' : 'COLLECTION');
}

/** A step of a credit under `plan`: the amount earned (> 0) or clawed back (> 0, capped), or 0. */
function earnOnBooking(credit: ModelCredit, plan: Plan | null, w: bigint): bigint {
  return plan?.basis === 'BOOKING' ? half(w, E8) : 0n;
}
function earnOnPayment(credit: ModelCredit, plan: Plan | null, w: bigint, payment: bigint): bigint {
  return plan?.basis === 'COLLECTION' ? half(payment * w, credit.amount * E8) : 0n;
}
/** The clawback base of a reduction under a plan, or null when it claws nothing back. */
function clawbackBase(credit: ModelCredit, plan: Plan | null, t: Trigger & { kind: 'reduction' }): bigint | null {
  if (!plan) return null;
  const base = plan.basis === 'BOOKING' ? t.amount : t.writeOff ? 0n : t.refundPart;
  if (base <= 0n || daysBetween(credit.bookedAt, t.at) > plan.clawback.windowDays) return null;
  return base;
}
function clawOnReduction(
  credit: ModelCredit,
  plan: Plan | null,
  w: bigint,
  t: Trigger & { kind: 'reduction' },
  left: bigint,
): bigint {
  const base = plan ? clawbackBase(credit, plan, t) : null;
  if (base === null || !plan) return 0n;
  const original = half(base * w, credit.amount * E8);
  const full = half(original * BigInt(plan.clawback.percentBps), E4);
  return max(0n, min(full, left));
}

/** The release date of a sale's holdback: its date + windowDays + 1 (the first day no clawback comes). */
const releaseOf = (soldAt: string, plan: Plan) => addDays(utcDate(soldAt), plan.clawback.windowDays + 1);
/** What an entry earned on `at` holds back: nothing on or after the release date. */
const holdOf = (amount: bigint, bps: bigint, at: string, release: string) =>
  utcDate(at) >= release ? 0n : half(amount * bps, E4);

export function planModel(events: readonly StoredEvent[]): PlanModel {
  const plans = new Map<string, Plan>();
  const assignments = new Map<string, Assignment[]>();
  const managers = new Map<string, string | null>();
  const quotas = new Map<string, bigint>(); // sp|year|bu → latest annual target
  const attainment = new Map<string, bigint>(); // sp|year → units
  const credits = new Map<string, ModelCredit[]>();
  const overrides = new Map<string, OverrideCredit[]>();
  const entries = new Map<string, ModelEntry[]>();
  const stats = { crossings: 0, noQuota: 0, overrides: 0, recalculated: 0 };

  const post = (eventId: string, entry: ModelEntry) => entries.set(eventId, [...(entries.get(eventId) ?? []), entry]);
  const yearOf = (instant: string) => Number(instant.slice(0, 4));
  const quotaOf = (sp: string, year: number): bigint | null => {
    let total: bigint | null = null;
    for (const [k, v] of quotas) {
      const [who, y] = k.split('|');
      if (who === sp && Number(y) === year) total = (total ?? 0n) + v;
    }
    return total;
  };
  const attained = (sp: string, year: number) => attainment.get(`${sp}|${year}`) ?? 0n;
  const attain = (sp: string, year: number, units: bigint) =>
    attainment.set(`${sp}|${year}`, attained(sp, year) + units);
  const planOn = (sp: string, date: string) => {
    const a = applicable(assignments.get(sp) ?? [], date);
    const plan = a ? plans.get(a.planId) : undefined;
    return a && plan ? { assignmentId: a.assignmentId, plan } : null;
  };
  /** The manager who earns an override on `sp`'s credits on `date`, and at what rate. */
  const overrideOf = (sp: string, date: string, credited: readonly string[]) => {
    const managerId = managers.get(sp) ?? null;
    if (!managerId || credited.includes(managerId)) return null;
    const plan = planOn(managerId, date)?.plan;
    const rate = BigInt(plan?.overrideRateBps ?? 0);
    return rate > 0n ? { managerId, rate, holdbackBps: BigInt(plan?.holdbackBps ?? 0) } : null;
  };

  /**
   * A report earned on a trigger of base `base`: their manager's override
   * roundHalfUp(base × s × overrideRateBps / 10^8), if any. Returns what it earned.
   */
  const overrideEarn = (
    eventId: string,
    orderId: string,
    managerId: string,
    reportId: string,
    split: bigint,
    rate: bigint,
    base: bigint,
    hold: (amount: bigint) => bigint,
  ) => {
    const amount = half(base * split * rate, E8);
    if (amount <= 0n) return { amount: 0n, held: 0n };
    stats.overrides++;
    const held = hold(amount);
    post(eventId, {
      salespersonId: managerId,
      type: 'EARNED',
      amount,
      orderId,
      role: 'OVERRIDE',
      ofSalespersonId: reportId,
      held,
    });
    return { amount, held };
  };
  const overrideOnOrder = (
    eventId: string,
    credit: ModelCredit,
    trigger: 'booking' | 'payment',
    base: bigint,
    at: string,
  ) => {
    const o = (overrides.get(credit.orderId) ?? []).find((x) => x.report === credit);
    if (!o || !earnsOn(credit, o.terms, trigger)) return;
    const release = releaseOf(credit.bookedAt, o.terms);
    const got = overrideEarn(
      eventId,
      o.orderId,
      o.managerId,
      credit.salespersonId,
      credit.splitBps,
      o.overrideRateBps,
      base,
      (amount) => holdOf(amount, o.holdbackBps, at, release),
    );
    o.earned += got.amount;
    o.heldLeft += got.held;
  };
  /** What a direct credit's EARNED entry on `at` holds back, added to what the credit holds. */
  const holdDirect = (credit: ModelCredit, amount: bigint, at: string): bigint | null => {
    if (credit.heldLeft === null || !credit.plan) return null;
    const held = holdOf(amount, BigInt(credit.plan.holdbackBps ?? 0), at, releaseOf(credit.bookedAt, credit.plan));
    credit.heldLeft += held;
    return held;
  };
  /** A clawback first takes from what is still held on the credit: the (≤ 0) part taken. */
  const takeHeld = (left: bigint | null, lost: bigint): bigint | null => (left === null ? null : -min(left, lost));

  /** A credit replayed from its booking under `plan`: what it would have earned and clawed back. */
  const replay = (credit: ModelCredit, plan: Plan | null) => {
    const w = creditWeight(credit, plan);
    let earned = earnOnBooking(credit, plan, w);
    let clawed = 0n;
    for (const t of credit.triggers) {
      if (t.kind === 'payment') earned += earnOnPayment(credit, plan, w, t.amount);
      else clawed += clawOnReduction(credit, plan, w, t, earned - clawed);
    }
    return { earned, clawed };
  };
  const replayNet = (credit: ModelCredit, plan: Plan | null): bigint => {
    const { earned, clawed } = replay(credit, plan);
    return earned - clawed;
  };

  for (const event of events) {
    switch (event.type) {
      case 'PlanCreated': {
        const d = event.data as Plan;
        plans.set(d.planId, d);
        break;
      }
      case 'PlanAssigned': {
        const d = event.data as Assignment;
        assignments.set(d.salespersonId, [...(assignments.get(d.salespersonId) ?? []), d]);
        break;
      }
      case 'SalespersonRegistered': {
        const d = event.data as SalespersonRegistered['data'];
        managers.set(d.salespersonId, d.managerId);
        break;
      }
      case 'QuotaSet': {
        const d = event.data as QuotaSet['data'];
        quotas.set(`${d.salespersonId}|${d.year}|${d.businessUnit ?? ''}`, BigInt(d.annualTarget.amount));
        break;
      }
      case 'SaleBooked': {
        const sale = event.data as SaleBooked['data'];
        const date = utcDate(sale.bookedAt);
        const year = yearOf(sale.bookedAt);
        const toDistributor = sale.toDistributor === true;
        const credited = sale.salesCredits.map((c) => c.salespersonId);
        const list: ModelCredit[] = [];
        const overridesOfOrder: OverrideCredit[] = [];
        for (const given of sale.salesCredits) {
          const found = planOn(given.salespersonId, date);
          const units = BigInt(sale.amount.amount) * BigInt(given.splitBps);
          const credit: ModelCredit = {
            orderId: sale.orderId,
            salespersonId: given.salespersonId,
            splitBps: BigInt(given.splitBps),
            amount: BigInt(sale.amount.amount),
            bookedAt: sale.bookedAt,
            toDistributor,
            before: attained(given.salespersonId, year),
            quota: quotaOf(given.salespersonId, year),
            triggers: [],
            assignmentId: found?.assignmentId ?? null,
            plan: found?.plan ?? null,
            earned: 0n,
            clawed: 0n,
            heldLeft: 0n,
          };
          list.push(credit);
          // Primary sales to distributors never count toward attainment.
          if (!toDistributor) attain(given.salespersonId, year, units);
          if (credit.plan) {
            const { bands } = weight(credit.plan, units, credit.before, credit.quota);
            if (bands > 1) stats.crossings++;
            if (credit.quota === null) stats.noQuota++;
          }
          // An override only on a credit that earns under the report's plan at booking (none is
          // added later, by a recalculation).
          const o = overrideOf(given.salespersonId, date, credited);
          const earning = credit.plan && !(toDistributor && credit.plan.primaryDistributorSalesEarn !== true);
          if (o && earning && credit.plan) {
            overridesOfOrder.push({
              terms: credit.plan,
              orderId: sale.orderId,
              managerId: o.managerId,
              report: credit,
              overrideRateBps: o.rate,
              holdbackBps: o.holdbackBps,
              earned: 0n,
              clawed: 0n,
              heldLeft: 0n,
            });
          }
          const earned = earnOnBooking(credit, credit.plan, creditWeight(credit, credit.plan));
          if (earned > 0n) {
            credit.earned = earned;
            post(event.id, {
              salespersonId: credit.salespersonId,
              type: 'EARNED',
              amount: earned,
              orderId: sale.orderId,
              role: 'DIRECT',
              ofSalespersonId: null,
              held: holdDirect(credit, earned, sale.bookedAt),
            });
          }
        }
        credits.set(sale.orderId, list);
        overrides.set(sale.orderId, overridesOfOrder);
        for (const credit of list) {
          overrideOnOrder(event.id, credit, 'booking', credit.amount, sale.bookedAt);
        }
        break;
      }
      case 'PaymentReceived': {
        const p = event.data as PaymentReceived['data'];
        const amount = BigInt(p.amount.amount);
        for (const credit of credits.get(p.orderId) ?? []) {
          credit.triggers.push({ kind: 'payment', amount });
          const earned = earnOnPayment(credit, credit.plan, creditWeight(credit, credit.plan), amount);
          overrideOnOrder(event.id, credit, 'payment', amount, p.receivedAt);
          if (earned <= 0n) continue;
          credit.earned += earned;
          post(event.id, {
            salespersonId: credit.salespersonId,
            type: 'EARNED',
            amount: earned,
            orderId: p.orderId,
            role: 'DIRECT',
            ofSalespersonId: null,
            held: holdDirect(credit, earned, p.receivedAt),
          });
        }
        break;
      }
      case 'OrderCancelled':
      case 'ProductReturned':
      case 'DebtWrittenOff': {
        const writeOff = event.type === 'DebtWrittenOff';
        const r = event.data as OrderCancelled['data'] | ProductReturned['data'] | DebtWrittenOff['data'];
        const at = writeOff
          ? (r as DebtWrittenOff['data']).writtenOffAt
          : event.type === 'OrderCancelled'
            ? (r as OrderCancelled['data']).cancelledAt
            : (r as ProductReturned['data']).returnedAt;
        const t: Trigger & { kind: 'reduction' } = {
          kind: 'reduction',
          writeOff,
          amount: BigInt(r.amount.amount),
          refundPart: writeOff ? 0n : BigInt((r as OrderCancelled['data']).refundPart),
          at,
        };
        for (const credit of credits.get(r.orderId) ?? []) {
          credit.triggers.push(t);
          // Cancellations and returns lower the attainment of the year they are dated in.
          if (!writeOff && !credit.toDistributor) attain(credit.salespersonId, yearOf(at), -t.amount * credit.splitBps);
          const w = creditWeight(credit, credit.plan);
          const clawed = clawOnReduction(credit, credit.plan, w, t, credit.earned - credit.clawed);
          if (clawed > 0n) {
            credit.clawed += clawed;
            const held = takeHeld(credit.heldLeft, clawed);
            if (held !== null && credit.heldLeft !== null) credit.heldLeft += held;
            post(event.id, {
              salespersonId: credit.salespersonId,
              type: 'CLAWBACK',
              amount: -clawed,
              orderId: r.orderId,
              role: 'DIRECT',
              ofSalespersonId: null,
              held,
            });
          }
          // The manager's override: same base, window and percentage, at the override rate.
          const ov = (overrides.get(r.orderId) ?? []).find((x) => x.report === credit);
          const base = ov ? clawbackBase(credit, ov.terms, t) : null;
          if (!ov || base === null) continue;
          const full = half(
            half(base * credit.splitBps * ov.overrideRateBps, E8) * BigInt(ov.terms.clawback.percentBps),
            E4,
          );
          const lost = max(0n, min(full, ov.earned - ov.clawed));
          if (lost <= 0n) continue;
          ov.clawed += lost;
          const held = -min(ov.heldLeft, lost);
          ov.heldLeft += held;
          post(event.id, {
            salespersonId: ov.managerId,
            type: 'CLAWBACK',
            amount: -lost,
            orderId: r.orderId,
            role: 'OVERRIDE',
            ofSalespersonId: credit.salespersonId,
            held,
          });
        }
        break;
      }
      case 'SecondarySaleReported': {
        const s = event.data as SecondarySaleReported['data'];
        const date = utcDate(s.soldAt);
        const year = yearOf(s.soldAt);
        const amount = BigInt(s.amount.amount);
        const credited = s.salesCredits.map((c) => c.salespersonId);
        for (const given of s.salesCredits) {
          const split = BigInt(given.splitBps);
          const units = amount * split;
          const before = attained(given.salespersonId, year);
          attain(given.salespersonId, year, units);
          const plan = planOn(given.salespersonId, date)?.plan;
          if (!plan) continue;
          const w =
            plan.secondaryRateBps !== undefined
              ? units * BigInt(plan.secondaryRateBps)
              : weight(plan, units, before, quotaOf(given.salespersonId, year)).w;
          const earned = half(w, E8);
          // The manager earns on the trigger whatever the report's amount (it may round to 0).
          const o = overrideOf(given.salespersonId, date, credited);
          if (o) {
            const release = releaseOf(s.soldAt, plan);
            overrideEarn(event.id, s.saleId, o.managerId, given.salespersonId, split, o.rate, amount, (x) =>
              holdOf(x, o.holdbackBps, s.soldAt, release),
            );
          }
          if (earned <= 0n) continue;
          post(event.id, {
            salespersonId: given.salespersonId,
            type: 'EARNED',
            amount: earned,
            orderId: s.saleId,
            role: 'DIRECT',
            ofSalespersonId: null,
            held: holdOf(earned, BigInt(plan.holdbackBps ?? 0), s.soldAt, releaseOf(s.soldAt, plan)),
          });
        }
        break;
      }
      case 'CommissionsRecalculated': {
        const d = event.data as CommissionsRecalculated['data'];
        for (const list of credits.values()) {
          for (const credit of list) {
            if (credit.salespersonId !== d.salespersonId) continue;
            if (d.fromPeriod !== null && periodOf(credit.bookedAt) < d.fromPeriod) continue;
            const now = planOn(credit.salespersonId, utcDate(credit.bookedAt));
            if ((now?.assignmentId ?? null) === credit.assignmentId) continue;
            const newPlan = now?.plan ?? null;
            const before = credit.earned - credit.clawed;
            // The credit replayed from its booking under the new plan and the quota known now (its
            // attainment before the sale stays as booked): its earnings and clawbacks.
            credit.quota = quotaOf(credit.salespersonId, yearOf(credit.bookedAt));
            const { earned, clawed } = replay(credit, newPlan);
            credit.assignmentId = now?.assignmentId ?? null;
            credit.plan = newPlan;
            credit.earned = earned;
            credit.clawed = clawed;
            credit.heldLeft = null; // what a recalculation does to holdbacks is not modelled
            stats.recalculated++;
            const difference = earned - clawed - before;
            if (difference === 0n) continue;
            post(event.id, {
              salespersonId: credit.salespersonId,
              type: 'ADJUSTMENT',
              amount: difference,
              orderId: credit.orderId,
              role: 'DIRECT',
              ofSalespersonId: null,
              held: null,
            });
          }
        }
        break;
      }
    }
  }
  return { entries, credits: [...credits.values()].flat(), replayNet, stats };
}
