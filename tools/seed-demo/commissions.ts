/**
 * The local model of what the commission ledger posts (domain.md §4 and docs/plans-and-channels.md),
 * written independently of the server's projection: each credited sale (an order's booking or a
 * distributor's secondary sale) and each of an order's payments and reductions, in the order the
 * seed sends them, for every salesperson and their manager's override; then the retroactive
 * recalculation of one salesperson. Flat plans do not depend on that order. Tiered plans do (a
 * sale's rate depends on the attainment before it), which is why every order crediting a
 * salesperson on a tiered plan is sent in one chain, in the order modelled here (see demo-company.ts).
 */
import { addDays, daysBetween, periodOf } from './calendar';
import {
  applicableAssignment,
  type Credit,
  commissionAt,
  type DemoAssignment,
  type DemoPerson,
  type DemoPlan,
  flatRate,
  type LedgerModel,
  percentOf,
  planById,
  type Rate,
  tieredRate,
} from './model';
import type { BookedOrder, OrderFact } from './orders';

/** One earner's credit on a sale: a direct credit, or a manager's override on a report's. */
interface ModelCredit {
  readonly salespersonId: string;
  readonly overrideOf: string | null;
  readonly splitBps: number;
  readonly planId: string;
  readonly assignmentId: string;
  readonly rate: Rate;
  /** The sale's terms (an override follows its report's): basis, clawback window and percentage. */
  readonly basis: 'BOOKING' | 'COLLECTION';
  readonly windowDays: number;
  readonly percentBps: number;
  /** The earner's plan's holdback and the sale's release date. */
  readonly holdbackBps: number;
  readonly releaseOn: string;
  /** Exact attainment (A × s units) before the sale, for a recalculation. */
  readonly attainmentBefore: bigint;
  earned: number;
  clawedBack: number;
  held: number;
}

/** A secondary sale (sell-through) as the ledger sees it. */
export interface ModelSecondarySale {
  readonly soldOn: string;
  readonly amount: number;
  readonly credits: readonly Credit[];
}

/** A plan assignment recorded late, and the recalculation that follows it. */
export interface Correction {
  readonly salesperson: DemoPerson;
  readonly assignment: DemoAssignment;
  readonly fromPeriod: string;
  /** The day it is recorded and recalculated (its adjustments are paid from the next payout on). */
  readonly date: string;
}

/** What an entry earned on `earnedOn` holds back until its release date. */
function heldBack(amount: number, holdbackBps: number, earnedOn: string, releaseOn: string): number {
  if (holdbackBps <= 0 || earnedOn >= releaseOn || amount <= 0) return 0;
  return percentOf(amount, holdbackBps);
}

export class CommissionModel {
  /** `${salespersonId}|${year}` → credited net bookings, exact units (A × s). */
  private readonly attainment = new Map<string, bigint>();
  /** The credits of each order, for its later events and for a recalculation. */
  private readonly orderCredits = new Map<string, ModelCredit[]>();
  /** Salespeople on a tiered plan → the first day a sale of theirs earned above the first tier. */
  readonly accelerated = new Map<string, string>();

  constructor(
    private readonly people: ReadonlyMap<string, DemoPerson>,
    /** `${salespersonId}|${year}` → the sum of the year's quotas (minor units). */
    private readonly annualQuotas: ReadonlyMap<string, number>,
    private readonly ledger: LedgerModel,
  ) {}

  /** Every order's booking, then its payments and reductions, order after order. */
  orders(orders: readonly BookedOrder[]): void {
    for (const order of orders) {
      const bookedOn = order.bookedAt.slice(0, 10);
      const credits = this.sale(bookedOn, order.amount, order.credits, order.sellIn, false);
      this.orderCredits.set(order.orderId, credits);
      for (const fact of order.facts) this.fact(order, credits, fact);
    }
  }

  secondarySale(sale: ModelSecondarySale): void {
    this.sale(sale.soldOn, sale.amount, sale.credits, false, true);
  }

  private attainmentOf(salespersonId: string, year: number): bigint {
    return this.attainment.get(`${salespersonId}|${year}`) ?? 0n;
  }

  private addAttainment(salespersonId: string, year: number, exact: bigint): void {
    this.attainment.set(`${salespersonId}|${year}`, this.attainmentOf(salespersonId, year) + exact);
  }

  /** The rate of a credit: a secondary rate, tiers at the attainment before the sale, or flat. */
  private rateOf(
    plan: DemoPlan,
    salespersonId: string,
    year: number,
    exact: bigint,
    before: bigint,
    secondary: boolean,
  ) {
    if (secondary && plan.secondaryRateBps !== undefined) return flatRate(plan.secondaryRateBps);
    if (!plan.tiers) return flatRate(plan.rateBps);
    const quota = this.annualQuotas.get(`${salespersonId}|${year}`) ?? 0;
    if (quota <= 0) return flatRate(plan.tiers[0]!.rateBps);
    return tieredRate(before, exact, BigInt(quota), plan.tiers);
  }

  private earn(credit: ModelCredit, base: number, date: string): void {
    const amount = commissionAt(base, credit.splitBps, credit.rate);
    if (amount === 0) return;
    const held = heldBack(amount, credit.holdbackBps, date, credit.releaseOn);
    credit.earned += amount;
    credit.held += held;
    this.ledger.add(credit.salespersonId, date, 'EARNED', amount, { held, releaseOn: credit.releaseOn });
  }

  /** A credited sale: attainment (never for sell-in), each credit's rate, earnings and overrides. */
  private sale(date: string, amount: number, given: readonly Credit[], sellIn: boolean, secondary: boolean) {
    const year = Number(date.slice(0, 4));
    const direct = new Set(given.map((c) => c.salespersonId));
    const credits: ModelCredit[] = [];
    for (const c of given) {
      const exact = BigInt(amount) * BigInt(c.splitBps);
      const before = this.attainmentOf(c.salespersonId, year);
      if (!sellIn) this.addAttainment(c.salespersonId, year, exact);
      const person = this.people.get(c.salespersonId)!;
      const assignment = applicableAssignment(person.assignments, date);
      if (!assignment) continue; // NO_PLAN: earns nothing
      const plan = planById(assignment.planId);
      if (sellIn && plan.primaryDistributorSalesEarn !== true) continue; // sell-in earns nothing on this plan
      const credit: ModelCredit = {
        salespersonId: c.salespersonId,
        overrideOf: null,
        splitBps: c.splitBps,
        planId: plan.planId,
        assignmentId: assignment.assignmentId,
        rate: this.rateOf(plan, c.salespersonId, year, exact, before, secondary),
        basis: plan.basis,
        windowDays: plan.windowDays,
        percentBps: plan.percentBps,
        holdbackBps: plan.holdbackBps ?? 0,
        releaseOn: addDays(date, plan.windowDays + 1),
        attainmentBefore: before,
        earned: 0,
        clawedBack: 0,
        held: 0,
      };
      if (plan.tiers && credit.rate.num > BigInt(plan.tiers[0]!.rateBps) * credit.rate.den) {
        if (!this.accelerated.has(c.salespersonId)) this.accelerated.set(c.salespersonId, date);
      }
      if (plan.basis === 'BOOKING' || secondary) this.earn(credit, amount, date);
      credits.push(credit);
      // The manager's override on this credit, if the manager's plan has one on the sale's date.
      const managerId = person.managerId;
      if (managerId === null || direct.has(managerId)) continue;
      const managerAssignment = applicableAssignment(this.people.get(managerId)!.assignments, date);
      const managerPlan = managerAssignment ? planById(managerAssignment.planId) : undefined;
      if (!managerAssignment || !managerPlan || (managerPlan.overrideRateBps ?? 0) <= 0) continue;
      const override: ModelCredit = {
        ...credit,
        salespersonId: managerId,
        overrideOf: c.salespersonId,
        planId: managerPlan.planId,
        assignmentId: managerAssignment.assignmentId,
        rate: flatRate(managerPlan.overrideRateBps!),
        holdbackBps: managerPlan.holdbackBps ?? 0,
        earned: 0,
        clawedBack: 0,
        held: 0,
      };
      if (plan.basis === 'BOOKING' || secondary) this.earn(override, amount, date);
      credits.push(override);
    }
    return credits;
  }

  /** A payment (COLLECTION credits earn) or a reduction (attainment, clawbacks within the window). */
  private fact(order: BookedOrder, credits: readonly ModelCredit[], fact: OrderFact): void {
    if (fact.kind === 'payment') {
      for (const credit of credits) if (credit.basis === 'COLLECTION') this.earn(credit, fact.amount, fact.date);
      return;
    }
    if (fact.kind !== 'writeOff' && !order.sellIn) {
      const year = Number(fact.date.slice(0, 4));
      for (const c of order.credits)
        this.addAttainment(c.salespersonId, year, -BigInt(fact.amount) * BigInt(c.splitBps));
    }
    for (const credit of credits) {
      const clawed = clawback(credit, order.bookedAt, fact);
      if (!clawed) continue;
      credit.clawedBack += clawed.amount;
      credit.held -= clawed.fromHeld;
      this.ledger.add(credit.salespersonId, fact.date, 'CLAWBACK', -clawed.amount, {
        held: -clawed.fromHeld,
        releaseOn: credit.releaseOn,
      });
    }
  }

  /**
   * The retroactive recalculation: each direct credit of the salesperson on an order booked from
   * `fromPeriod` on, whose applicable assignment is now another one, recomputed under the new plan
   * over the order's facts; the difference of its net is an ADJUSTMENT in the booking period.
   */
  recalculate(orders: readonly BookedOrder[], correction: Correction): void {
    const { salesperson, fromPeriod, date } = correction;
    const assignments = [...salesperson.assignments, correction.assignment];
    for (const order of orders) {
      const bookedOn = order.bookedAt.slice(0, 10);
      if (periodOf(bookedOn) < fromPeriod) continue;
      const credit = this.orderCredits
        .get(order.orderId)
        ?.find((c) => c.salespersonId === salesperson.salespersonId && c.overrideOf === null);
      if (!credit) continue;
      const now = applicableAssignment(assignments, bookedOn)!;
      if (now.assignmentId === credit.assignmentId) continue;
      const plan = planById(now.planId);
      if (order.sellIn && plan.primaryDistributorSalesEarn !== true) continue; // not modelled: no such credit
      const given = order.credits.find((c) => c.salespersonId === salesperson.salespersonId)!;
      const exact = BigInt(order.amount) * BigInt(given.splitBps);
      const next: ModelCredit = {
        ...credit,
        planId: plan.planId,
        assignmentId: now.assignmentId,
        rate: this.rateOf(
          plan,
          salesperson.salespersonId,
          Number(bookedOn.slice(0, 4)),
          exact,
          credit.attainmentBefore,
          false,
        ),
        basis: plan.basis,
        windowDays: plan.windowDays,
        percentBps: plan.percentBps,
        earned: 0,
        clawedBack: 0,
      };
      if (plan.basis === 'BOOKING') next.earned = commissionAt(order.amount, next.splitBps, next.rate);
      for (const fact of order.facts) {
        if (fact.kind === 'payment') {
          if (plan.basis === 'COLLECTION') next.earned += commissionAt(fact.amount, next.splitBps, next.rate);
          continue;
        }
        const clawed = clawback(next, order.bookedAt, fact);
        if (clawed) next.clawedBack += clawed.amount;
      }
      const difference = next.earned - next.clawedBack - (credit.earned - credit.clawedBack);
      this.ledger.add(salesperson.salespersonId, date, 'ADJUSTMENT', difference, { period: periodOf(bookedOn) });
    }
  }
}

/**
 * What a reduction takes back from a credit within its window: roundHalfUp(commission at the
 * credit's rate × percentBps / 10^4) of the whole amount (BOOKING) or the refunded part (COLLECTION),
 * capped at what is left of its earnings, first from what is still held.
 */
function clawback(credit: ModelCredit, bookedAt: string, fact: OrderFact): { amount: number; fromHeld: number } | null {
  const base = credit.basis === 'BOOKING' ? fact.amount : fact.kind === 'writeOff' ? 0 : fact.refundPart;
  if (base <= 0 || daysBetween(bookedAt, fact.date) > credit.windowDays) return null;
  const computed = percentOf(commissionAt(base, credit.splitBps, credit.rate), credit.percentBps);
  const amount = Math.min(computed, credit.earned - credit.clawedBack);
  if (amount <= 0) return null;
  const fromHeld = credit.held < amount ? Math.max(credit.held, 0) : amount;
  return { amount, fromHeld };
}
