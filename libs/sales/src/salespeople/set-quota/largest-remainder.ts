/**
 * Splits an integer amount by weights (bps summing to 10000) so the parts sum exactly to the
 * amount: each part is floor(amount × w / 10^4), and the units left over go one each to the
 * parts with the largest remainders, ties to the earlier part (domain.md §2).
 */
export function largestRemainder(amount: number, weightsBps: readonly number[]): number[] {
  const total = BigInt(amount);
  const exact = weightsBps.map((w) => total * BigInt(w));
  const parts = exact.map((x) => x / 10_000n);
  let left = total - parts.reduce((a, b) => a + b, 0n);
  const order = exact
    .map((x, i) => ({ i, remainder: x % 10_000n }))
    .sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1));
  for (const { i } of order) {
    if (left <= 0n) break;
    parts[i] = (parts[i] ?? 0n) + 1n;
    left -= 1n;
  }
  return parts.map(Number);
}
