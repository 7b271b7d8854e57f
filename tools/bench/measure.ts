/** Small measuring helpers of the benchmark: percentiles, a concurrency pool, an RSS sampler. */

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export interface LoadResult {
  readonly ok: number;
  readonly failed: number;
  readonly seconds: number;
  /** Latencies of the successful calls, ms, sorted. */
  readonly latencies: readonly number[];
  readonly firstError: string | null;
}

/**
 * `clients` loops, each calling `call(clientIndex, n)` back to back until `seconds` have passed
 * (calls in flight at the deadline complete and count). A call that throws counts as failed.
 */
export async function closedLoop(
  clients: number,
  seconds: number,
  call: (client: number, n: number) => Promise<void>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failed = 0;
  let firstError: string | null = null;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let n = 0; performance.now() < deadline; n++) {
        const t = performance.now();
        try {
          await call(client, n);
          latencies.push(performance.now() - t);
        } catch (error) {
          failed++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { ok: latencies.length, failed, seconds: (performance.now() - started) / 1000, latencies, firstError };
}

/** Samples the process's resident set size while `work` runs; answers the peak in MB. */
export async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peakRssMb: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}
