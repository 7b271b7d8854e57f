/**
 * Quotas (from what each rep will book, so that attainment varies around 100 %), manual
 * adjustments and monthly payouts (from the local ledger model, so balances are paid out).
 */
import { addDays, instant, nextPeriod, periodOf, periodsBetween } from './calendar';
import {
  type DemoPerson,
  FIRST_DAY,
  LAST_DAY,
  largestRemainder,
  type LedgerModel,
  type ModelEntry,
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

/**
 * Annual targets a little above or below what each rep will actually book in the covered months,
 * so attainment varies around 100 %.
 */
export function quotaCommands(rng: Rng, reps: readonly DemoPerson[], orders: readonly BookedOrder[]): SeedCommand[] {
  const bookedBy = new Map<string, number>();
  for (const o of orders) {
    for (const c of o.credits) {
      const key = `${c.salespersonId}|${o.bookedAt.slice(0, 7)}`;
      bookedBy.set(key, (bookedBy.get(key) ?? 0) + Math.floor((o.amount * c.splitBps + 5_000) / 10_000));
    }
  }
  const commands: SeedCommand[] = [];
  for (const rep of reps) {
    for (const year of [2025, 2026]) {
      const hiredMonth = rep.hiredOn.startsWith(String(year)) ? Number(rep.hiredOn.slice(5, 7)) : 1;
      const firstMonth = Math.max(hiredMonth, year === 2025 ? Number(FIRST_DAY.slice(5, 7)) : 1);
      const weights = seasonalWeights(rng, firstMonth);
      let booked = 0;
      let coveredWeight = 0;
      for (let m = firstMonth; m <= 12; m++) {
        const period = `${year}-${String(m).padStart(2, '0')}`;
        if (period > periodOf(LAST_DAY)) continue;
        booked += bookedBy.get(`${rep.salespersonId}|${period}`) ?? 0;
        coveredWeight += weights[m - 1] as number;
      }
      const annual = coveredWeight > 0 ? (booked * 10_000) / coveredWeight : 0;
      const target = Math.max(100_000, Math.round((annual * rng.between(0.85, 1.2)) / 100_000) * 100_000);
      commands.push({
        type: 'SetQuota',
        method: 'PUT',
        path: `/salespeople/${rep.salespersonId}/quotas/${year}`,
        body: { quotaId: `Q-${rep.salespersonId}-${year}`, annualTarget: usd(target), monthlyWeightsBps: weights },
      });
    }
  }
  return commands;
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
    ledger.add(rep.salespersonId, date, 'ADJUSTMENT', amount, period);
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
 * Monthly payouts on the 10th of the next month: the positive balance of the local ledger model
 * (whole dollars). A leaver gets a final payout on their last day and nothing after.
 */
export function payoutCommands(reps: readonly DemoPerson[], ledger: LedgerModel): Dated[] {
  const dated: Dated[] = [];
  for (const rep of reps) {
    const entries = [...(ledger.entries.get(rep.salespersonId) ?? [])];
    let paid = 0;
    const pay = (payoutId: string, date: string, paidAt: string, balanceThrough: (e: ModelEntry) => boolean) => {
      const balance = entries.filter(balanceThrough).reduce((sum, e) => sum + e.amount, 0) - paid;
      const amount = Math.floor(balance / 100) * 100;
      if (amount < 100) return;
      paid += amount;
      dated.push({
        date,
        command: {
          type: 'RecordPayout',
          method: 'POST',
          path: '/payouts',
          body: { payoutId, salespersonId: rep.salespersonId, amount: usd(amount), paidAt },
        },
      });
    };
    for (const period of periodsBetween(periodOf(FIRST_DAY), periodOf(addDays(LAST_DAY, -40)))) {
      const date = `${nextPeriod(period)}-10`;
      if (date > LAST_DAY || (rep.terminatedOn !== null && date > rep.terminatedOn)) break;
      pay(`PO-${rep.salespersonId}-${period}`, date, instant(date, 9 * 3600), (e) => e.period <= period);
    }
    if (rep.terminatedOn !== null) {
      const last = rep.terminatedOn;
      pay(`PO-${rep.salespersonId}-final`, last, instant(last, 16 * 3600), (e) => e.date <= last);
    }
    for (const d of dated.filter((x) => x.command.body.salespersonId === rep.salespersonId)) {
      const amount = (d.command.body.amount as { amount: number }).amount;
      ledger.add(rep.salespersonId, d.date, 'PAYOUT', -amount);
    }
  }
  return dated;
}
