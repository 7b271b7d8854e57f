/**
 * Money and basis-point arithmetic: integers only, exact (BigInt), rounded half up once.
 * Framework-free domain code.
 */
export interface Money {
  /** Minor units (cents). */
  readonly amount: number;
  /** ISO-4217 code. */
  readonly currency: string;
}

export const BPS = 10_000n;

/** round(numerator / denominator), halves away from zero; denominator > 0. */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  const q = (2n * n + denominator) / (2n * denominator);
  return negative ? -q : q;
}

/** commission(A, split, rate) = roundHalfUp(A × split × rate / 10^8) (domain.md §1). */
export function commission(amount: bigint, splitBps: bigint, rateBps: bigint): bigint {
  return roundHalfUp(amount * splitBps * rateBps, BPS * BPS);
}

/** A clawback: roundHalfUp(commission(X, split, rate) × percentBps / 10^4). */
export function clawback(amount: bigint, splitBps: bigint, rateBps: bigint, percentBps: bigint): bigint {
  return roundHalfUp(commission(amount, splitBps, rateBps) * percentBps, BPS);
}

/** Credited amount = roundHalfUp(A × s / 10^4) (domain.md §5). */
export function credited(amount: bigint, splitBps: bigint): bigint {
  return roundHalfUp(amount * splitBps, BPS);
}

/** A JSON-safe integer from a bigint that must fit in 2^53. */
export function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${value} does not fit in a JSON-safe integer`);
  }
  return Number(value);
}
