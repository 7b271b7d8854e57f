/**
 * Quotas (from what each rep will book, so that attainment varies around 100 %; per business unit
 * for one team), manual adjustments and monthly payouts (from the local ledger model, so that what
 * is payable is paid out).
 */
import { addDays, instant, nextPeriod, periodOf, periodsBetween } from './calendar';
import type { ModelSecondarySale } from './commissions';
import {
  type DemoPerson,
  FIRST_DAY,
  heldBalance,
  LAST_DAY,
  largestRemainder,
  type LedgerModel,
  SEASON,
  type SeedCommand,
  usd,
} from './model';
import type { BookedOrder } from './orders';
import type { Rng } from './prng';

const ADJUSTMENT_REASONS_UP = [
  'SPIFF: new logo in a strategic account',
  'Split dispute settled in the rep’s favour',
  'Quarter-end accelerator approved by sales ops',
];
const ADJUSTMENT_REASONS_DOWN = [
  'Correction: commission on a duplicated order',
  'Split dispute settled: share moved to a teammate',
];

/**
 * Seasonal weights (bps, exactly 10000) over the months from `firstMonth` (1-12) on, each person a
 * little different; months before are 0 (not yet hired, or before the story starts).
 */
function seasonalWeights(rng: Rng, firstMonth: number): number[] {
  const raw = SEASON.map((w, i) => (i + 1 < firstMonth ? 0 : w * rng.between(0.85, 1.15)));
  return largestRemainder(10_000, raw);
}

export interface Quotas {
  readonly commands: SeedCommand[];
  /** `${salespersonId}|${year}` → the sum of the year's quotas (what tiers measure attainment against). */
  readonly annual: Map<string, number>;
}

const roundTarget = (amount: number) => Math.max(100_000, Math.round(amount / 100_000) * 100_000);

/**
 * Annual targets a little above or below what each rep will actually book in the covered months
 * (sell-in to distributors excluded, their secondary sales included), so attainment varies around
 * 100 %; the reps on the quota accelerator get targets they beat in 2026. The reps of
 * `unitQuotaTeam` get one quota per business unit they sell in instead of one for the year.
 */
export function quotaCommands(
  rng: Rng,
  reps: readonly DemoPerson[],
  orders: readonly BookedOrder[],
  secondarySales: readonly ModelSecondarySale[],
  options: { readonly accelerated: readonly DemoPerson[]; readonly unitQuotaTeam: string },
): Quotas {
  /** `${salespersonId}|${period}` → business unit → credited amount. */
  const bookedBy = new Map<string, Map<string, number>>();
  const book = (salespersonId: string, date: string, unit: string, amount: number, splitBps: number) => {
    const key = `${salespersonId}|${date.slice(0, 7)}`;
    const units = bookedBy.get(key) ?? new Map<string, number>();
    units.set(unit, (units.get(unit) ?? 0) + Math.floor((amount * splitBps + 5_000) / 10_000));
    bookedBy.set(key, units);
  };
  for (const o of orders) {
    if (o.sellIn) continue;
    for (const c of o.credits) book(c.salespersonId, o.bookedAt, o.customer.businessUnit, o.amount, c.splitBps);
  }
  for (const s of secondarySales) {
    for (const c of s.credits) book(c.salespersonId, s.soldOn, '', s.amount, c.splitBps);
  }
  const commands: SeedCommand[] = [];
  const annual = new Map<string, number>();
  for (const rep of reps) {
    for (const year of [2025, 2026]) {
      const hiredMonth = rep.hiredOn.startsWith(String(year)) ? Number(rep.hiredOn.slice(5, 7)) : 1;
      const firstMonth = Math.max(hiredMonth, year === 2025 ? Number(FIRST_DAY.slice(5, 7)) : 1);
      const weights = seasonalWeights(rng, firstMonth);
      const booked = new Map<string, number>();
      let coveredWeight = 0;
      for (let m = firstMonth; m <= 12; m++) {
        const period = `${year}-${String(m).padStart(2, '0')}`;
        if (period > periodOf(LAST_DAY)) continue;
        for (const [unit, amount] of bookedBy.get(`${rep.salespersonId}|${period}`) ?? [])
          booked.set(unit, (booked.get(unit) ?? 0) + amount);
        coveredWeight += weights[m - 1] as number;
      }
      const annualOf = (amount: number) => (coveredWeight > 0 ? (amount * 10_000) / coveredWeight : 0);
      const factor = options.accelerated.includes(rep) ? rng.between(0.7, 0.8) : rng.between(0.85, 1.2);
      const body = (quotaId: string, target: number) => ({
        quotaId,
        annualTarget: usd(target),
        monthlyWeightsBps: weights,
      });
      const path = `/salespeople/${rep.salespersonId}/quotas/${year}`;
      const units = [...booked]
        .filter(([unit, amount]) => unit !== '' && amount > 0)
        .map(([unit]) => unit)
        .sort();
      let sum = 0;
      if (rep.teamId === options.unitQuotaTeam && units.length > 0) {
        // What is not in a unit (secondary sales) goes with the largest unit.
        const largest = units.reduce((a, b) => ((booked.get(a) ?? 0) >= (booked.get(b) ?? 0) ? a : b));
        for (const unit of units) {
          const amount = (booked.get(unit) ?? 0) + (unit === largest ? (booked.get('') ?? 0) : 0);
          const target = roundTarget(annualOf(amount) * factor);
          sum += target;
          commands.push({
            type: 'SetQuota',
            method: 'PUT',
            path,
            body: { ...body(`Q-${rep.salespersonId}-${year}-${unit}`, target), businessUnit: unit },
          });
        }
      } else {
        const total = [...booked.values()].reduce((a, b) => a + b, 0);
        sum = roundTarget(annualOf(total) * factor);
        commands.push({ type: 'SetQuota', method: 'PUT', path, body: body(`Q-${rep.salespersonId}-${year}`, sum) });
      }
      annual.set(`${rep.salespersonId}|${year}`, sum);
    }
  }
  return { commands, annual };
}

export interface Dated {
  readonly date: string;
  readonly command: SeedCommand;
}

export function adjustmentCommands(
  rng: Rng,
  reps: readonly DemoPerson[],
  orders: number,
  ledger: LedgerModel,
): Dated[] {
  const count = Math.max(4, Math.round(orders / 2000));
  const dated: Dated[] = [];
  for (let i = 0; i < count; i++) {
    const rep = rng.pick(reps);
    const periods = periodsBetween('2025-07', '2026-10').filter(
      (p) => p >= periodOf(rep.hiredOn) && (rep.terminatedOn === null || p < periodOf(rep.terminatedOn)),
    );
    if (periods.length === 0) continue;
    const period = rng.pick(periods);
    const up = rng.chance(0.6);
    const amount = up ? rng.int(5, 30) * 5_000 : -rng.int(2, 16) * 5_000;
    const date = `${period}-25`;
    ledger.add(rep.salespersonId, date, 'ADJUSTMENT', amount, { period });
    dated.push({
      date,
      command: {
        type: 'PostAdjustment',
        method: 'POST',
        path: `/salespeople/${rep.salespersonId}/adjustments`,
        body: {
          adjustmentId: `ADJ-${String(i + 1).padStart(4, '0')}`,
          period,
          amount: usd(amount),
          reason: rng.pick(up ? ADJUSTMENT_REASONS_UP : ADJUSTMENT_REASONS_DOWN),
        },
      },
    });
  }
  return dated;
}

/**
 * Monthly payouts on the 10th of the next month: what the local ledger model says is payable then
 * (the balance of the entries known by then, less what is still held back; whole dollars). A
 * leaver gets a final payout on their last day and nothing after.
 */
export function payoutCommands(people: readonly DemoPerson[], ledger: LedgerModel): Dated[] {
  const dated: Dated[] = [];
  for (const person of people) {
    const entries = [...(ledger.entries.get(person.salespersonId) ?? [])];
    const theirs: Dated[] = [];
    let paid = 0;
    const pay = (payoutId: string, date: string, paidAt: string, period: string) => {
      const known = entries.filter((e) => e.period <= period && e.date <= date);
      const payable = known.reduce((sum, e) => sum + e.amount, 0) - heldBalance(known, period) - paid;
      const amount = Math.floor(payable / 100) * 100;
      if (amount < 100) return;
      paid += amount;
      theirs.push({
        date,
        command: {
          type: 'RecordPayout',
          method: 'POST',
          path: '/payouts',
          body: { payoutId, salespersonId: person.salespersonId, amount: usd(amount), paidAt },
        },
      });
    };
    for (const period of periodsBetween(periodOf(FIRST_DAY), periodOf(addDays(LAST_DAY, -40)))) {
      const date = `${nextPeriod(period)}-10`;
      if (date > LAST_DAY || (person.terminatedOn !== null && date > person.terminatedOn)) break;
      pay(`PO-${person.salespersonId}-${period}`, date, instant(date, 9 * 3600), period);
    }
    if (person.terminatedOn !== null) {
      const last = person.terminatedOn;
      pay(`PO-${person.salespersonId}-final`, last, instant(last, 16 * 3600), periodOf(last));
    }
    for (const d of theirs) {
      const amount = (d.command.body.amount as { amount: number }).amount;
      ledger.add(person.salespersonId, d.date, 'PAYOUT', -amount);
    }
    dated.push(...theirs);
  }
  return dated;
}
