/**
 * Exponential backoff with full jitter: the wait before retry n (n ≥ 1, after the n-th failed
 * attempt) is uniform in [0, min(maxMs, baseMs · 2^(n-1))). Full jitter spreads the retries of many
 * subscriptions that failed together (a receiver that was down) instead of synchronising them.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

/** The upper bound of the wait before retry `attempt` (1-based). */
export function backoffCeiling(attempt: number, policy: BackoffPolicy): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 52);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
}

/** A wait before retry `attempt`, in whole milliseconds; `random` in [0, 1) (Math.random by default). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const r = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  return Math.floor(r * backoffCeiling(attempt, policy));
}
