/**
 * The rules of a plan's optional terms (docs/plans-and-channels.md § Plans): pure, shared by the
 * request validation (400 VALIDATION_FAILED naming `tiers`) and the create-plan decider.
 */
import type { PlanTier } from '../contracts/sales.events';

export const MAX_TIERS = 20;
/** 100× the quota. */
export const MAX_FROM_ATTAINMENT_BPS = 1_000_000;

const isIntIn = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/**
 * Why `tiers` breaks the rules, or null when it keeps them: 1–20 tiers, each
 * `fromAttainmentBps` an integer 0..1,000,000 and `rateBps` an integer 0..10000, the first exactly
 * `{fromAttainmentBps: 0, rateBps: <the plan's rateBps>}`, `fromAttainmentBps` strictly ascending.
 */
export function tiersProblem(tiers: readonly PlanTier[], rateBps: number): string | null {
  if (!Array.isArray(tiers) || tiers.length < 1 || tiers.length > MAX_TIERS) {
    return `tiers must be a list of 1 to ${MAX_TIERS} tiers`;
  }
  for (const [i, tier] of tiers.entries()) {
    if (tier === null || typeof tier !== 'object') return `tiers[${i}] must be {fromAttainmentBps, rateBps}`;
    if (!isIntIn(tier.fromAttainmentBps, 0, MAX_FROM_ATTAINMENT_BPS)) {
      return `tiers[${i}].fromAttainmentBps must be an integer from 0 to ${MAX_FROM_ATTAINMENT_BPS}`;
    }
    if (!isIntIn(tier.rateBps, 0, 10_000)) return `tiers[${i}].rateBps must be an integer from 0 to 10000`;
  }
  const [first] = tiers;
  if (first!.fromAttainmentBps !== 0 || first!.rateBps !== rateBps) {
    return `tiers must start with {fromAttainmentBps: 0, rateBps: ${rateBps}} (the plan's rateBps)`;
  }
  for (let i = 1; i < tiers.length; i++) {
    if (tiers[i]!.fromAttainmentBps <= tiers[i - 1]!.fromAttainmentBps) {
      return `tiers must have strictly ascending fromAttainmentBps (tiers[${i}])`;
    }
  }
  return null;
}
