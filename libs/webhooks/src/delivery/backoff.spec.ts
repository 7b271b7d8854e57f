import fc from 'fast-check';
import { backoffCeiling, backoffDelay } from './backoff';

describe('exponential backoff with full jitter', () => {
  const policy = { baseMs: 1_000, maxMs: 300_000 };

  it('the ceiling doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 9, 10, 11, 50, 5_000].map((n) => backoffCeiling(n, policy))).toEqual([
      1_000, 2_000, 4_000, 8_000, 256_000, 300_000, 300_000, 300_000, 300_000,
    ]);
  });

  it('every delay is a whole number of ms in [0, ceiling), whatever the attempt and the random draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -3, max: 10_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (attempt, r, baseMs, extra) => {
          const p = { baseMs, maxMs: baseMs + extra };
          const delay = backoffDelay(attempt, p, () => r);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(backoffCeiling(attempt, p));
          expect(delay).toBeLessThanOrEqual(p.maxMs);
        },
      ),
    );
  });

  it('the jitter spreads: many draws cover the range instead of repeating one value', () => {
    const delays = Array.from({ length: 2_000 }, () => backoffDelay(4, policy));
    expect(Math.min(...delays)).toBeLessThan(1_000);
    expect(Math.max(...delays)).toBeGreaterThan(7_000);
    expect(new Set(delays).size).toBeGreaterThan(1_000);
  });
});
