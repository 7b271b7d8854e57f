/** One measured figure of the benchmark, as bench/results/latest.json records it. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** What it is compared with (same unit), if anything. */
  readonly baseline: number | null;
  /** value ÷ baseline. */
  readonly ratio: number | null;
  readonly note?: string;
}

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

export function figure(
  name: string,
  value: number,
  unit: string,
  baseline: number | null = null,
  note?: string,
): Figure {
  return {
    name,
    value: round(value, value < 100 ? 2 : 0),
    unit,
    baseline: baseline === null ? null : round(baseline, baseline < 100 ? 2 : 0),
    ratio: baseline === null || baseline === 0 ? null : round(value / baseline, 3),
    ...(note !== undefined ? { note } : {}),
  };
}
