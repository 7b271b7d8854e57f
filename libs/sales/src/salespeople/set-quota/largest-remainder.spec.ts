import { largestRemainder } from './largest-remainder';

describe('largest remainder', () => {
  it('splits exactly, giving leftover units to the largest remainders, ties to the earlier month', () => {
    // 100 × 834 / 10^4 = 8.34 (months 1-4), 100 × 833 / 10^4 = 8.33: floors sum to 96, the 4 left go to months 1-4
    const weights = [834, 834, 834, 834, 833, 833, 833, 833, 833, 833, 833, 833];
    expect(largestRemainder(100, weights)).toEqual([9, 9, 9, 9, 8, 8, 8, 8, 8, 8, 8, 8]);
  });

  it('always sums to the annual amount', () => {
    const weights = [500, 700, 900, 800, 800, 900, 600, 600, 1000, 1100, 1000, 1100];
    for (const amount of [0, 1, 7, 999_999, 12_000_000_01, Number.MAX_SAFE_INTEGER]) {
      const parts = largestRemainder(amount, weights);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(amount);
      expect(parts).toHaveLength(12);
    }
  });

  it('ties go to the earlier month', () => {
    // 10 split in 12 equal-ish weights: 10 × 833/10^4 = 0.833 each for months 5-12, 0.834 for 1-4
    expect(largestRemainder(10, [834, 834, 834, 834, 833, 833, 833, 833, 833, 833, 833, 833])).toEqual([
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0,
    ]);
    expect(largestRemainder(1, [5000, 5000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toEqual([
      1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
  });
});
