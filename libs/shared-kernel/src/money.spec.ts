import { clawback, commission, credited, roundHalfUp } from './money';
import { daysBetween, periodOf, addDays, isValidDate } from './time';

describe('money', () => {
  it('rounds half up (away from zero) and never through floating point', () => {
    expect(roundHalfUp(5n, 10n)).toBe(1n);
    expect(roundHalfUp(4n, 10n)).toBe(0n);
    expect(roundHalfUp(15n, 10n)).toBe(2n);
    expect(roundHalfUp(-15n, 10n)).toBe(-2n);
    expect(commission(333n, 3333n, 1000n)).toBe(11n);
    expect(commission(4_000_000n, 6000n, 500n)).toBe(120_000n); // domain.md §6, P2 variant
  });

  it('claws back a percentage of the commission, rounded once more', () => {
    expect(clawback(1_000_000n, 6000n, 1000n, 10000n)).toBe(60_000n); // example 1, step 3
    expect(clawback(333n, 3333n, 1000n, 5000n)).toBe(6n); // 11 × 0.5 = 5.5 → 6
  });

  it('credits a split of an amount', () => {
    expect(credited(10_000_000n, 6000n)).toBe(6_000_000n);
    expect(credited(333n, 3333n)).toBe(111n);
  });
});

describe('business time', () => {
  it('counts days between UTC calendar dates', () => {
    expect(daysBetween('2026-01-10T23:59:00Z', '2026-03-01T00:00:00Z')).toBe(50);
    expect(daysBetween('2026-01-10', '2026-05-01')).toBe(111);
    expect(addDays('2026-01-10', 30)).toBe('2026-02-09');
  });

  it('knows periods and real dates', () => {
    expect(periodOf('2026-12-31T23:59:59.999Z')).toBe('2026-12');
    expect(periodOf('2026-01-01')).toBe('2026-01');
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2028-02-29')).toBe(true);
  });
});
