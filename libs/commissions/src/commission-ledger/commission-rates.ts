/**
 * Rates of richer plans (docs/plans-and-channels.md): marginal tiers by attainment, the blended
 * rate a sale keeps for its payments and clawbacks, and holdbacks. Exact integer arithmetic,
 * framework-free. Attainment is counted in "exact units": amount × splitBps (minor units × 10^4),
 * so nothing is rounded before the one rounding of an entry.
 */
import { BPS, roundHalfUp } from '../../../shared-kernel/src/money';

/** A rate in basis points as the exact fraction `num / den` (a flat rate is `r / 1`). */
export interface Rate {
  readonly num: bigint;
  readonly den: bigint;
}

export interface Tier {
  readonly fromAttainmentBps: number;
  readonly rateBps: number;
}

/** The part of a sale's credited amount that fell in one band, in exact units. */
export interface TierPart {
  readonly fromAttainmentBps: number;
  readonly rateBps: number;
  readonly part: bigint;
}

export const NO_RATE: Rate = Object.freeze({ num: 0n, den: 1n });

export function flatRate(rateBps: number): Rate {
  return { num: BigInt(rateBps), den: 1n };
}

/** Commission on `base` minor units at split `splitBps` and `rate`: roundHalfUp(base × s × rate / 10^8). */
export function commissionAt(base: bigint, splitBps: number, rate: Rate): bigint {
  return roundHalfUp(base * BigInt(splitBps) * rate.num, rate.den * BPS * BPS);
}

/** The rate written as the explanation shows it: an integer of bps, or `num/den` when blended. */
export function rateText(rate: Rate): string {
  return rate.den === 1n ? rate.num.toString() : `${rate.num}/${rate.den}`;
}

/**
 * Marginal tiers: the credited amount `exact` (A × s) occupies the attainment range
 * [before, before + exact); band i covers [quota × from_i, quota × from_(i+1)) in the same units
 * (the first band also everything below, the last everything above). Each part earns its band's
 * rate; the blended rate is Σ part × rate / exact.
 */
export function tieredRate(
  before: bigint,
  exact: bigint,
  annualQuota: bigint,
  tiers: readonly Tier[],
): { rate: Rate; parts: TierPart[] } {
  if (exact <= 0n || tiers.length === 0) return { rate: flatRate(tiers[0]?.rateBps ?? 0), parts: [] };
  const end = before + exact;
  const parts: TierPart[] = [];
  let weight = 0n;
  tiers.forEach((tier, i) => {
    const lo = i === 0 ? null : annualQuota * BigInt(tier.fromAttainmentBps);
    const next = tiers[i + 1];
    const hi = next ? annualQuota * BigInt(next.fromAttainmentBps) : null;
    const from = lo === null || before > lo ? before : lo;
    const to = hi === null || end < hi ? end : hi;
    if (to <= from) return;
    const part = to - from;
    parts.push({ fromAttainmentBps: tier.fromAttainmentBps, rateBps: tier.rateBps, part });
    weight += part * BigInt(tier.rateBps);
  });
  return { rate: { num: weight, den: exact }, parts };
}

/** The first day no clawback can come: the sale's date + windowDays + 1 (YYYY-MM-DD). */
export function releaseDate(saleDate: string, windowDays: number): string {
  const d = new Date(`${saleDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + windowDays + 1);
  return d.toISOString().slice(0, 10);
}

/** What an entry earned on `earnedOn` holds back: roundHalfUp(amount × h / 10^4) while before its release. */
export function heldBack(amount: bigint, holdbackBps: number, earnedOn: string, releaseOn: string | null): bigint {
  if (holdbackBps <= 0 || releaseOn === null || earnedOn >= releaseOn || amount <= 0n) return 0n;
  return roundHalfUp(amount * BigInt(holdbackBps), BPS);
}
