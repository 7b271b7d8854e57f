/**
 * Lag: the time from a command's 201 to its effect being visible in the ledger, while commands
 * are sent at a fixed rate (open loop: a command starts every 1/rate s whether or not earlier
 * ones have answered, up to `maxInFlight`).
 *
 * "Visible" = the commission-ledger checkpoint has reached the command's global position: the
 * ledger's rows of that event are committed in the same transaction as that checkpoint, so from
 * then on every ledger query sees them. One watcher reads the checkpoint every `pollMs` and stamps
 * each waiting command when it is passed (resolution: the poll interval plus one query).
 */
import { Pool } from 'pg';
import { percentile } from './measure';

export interface LagResult {
  readonly sent: number;
  readonly accepted: number;
  readonly failed: number;
  readonly firstError: string | null;
  /** Commands per second actually started (the target rate unless the client fell behind). */
  readonly achievedRate: number;
  /** ms from 201 to visible in the ledger, sorted. */
  readonly lags: readonly number[];
  /** ms from sending to 201, sorted. */
  readonly latencies: readonly number[];
  /** Commands whose effect was not seen within the drain timeout after the load. */
  readonly unseen: number;
}

export interface LagOptions {
  readonly rate: number;
  readonly seconds: number;
  readonly pollMs?: number;
  readonly maxInFlight?: number;
  /** Sends one command; answers its global position (the 201's `position`). */
  readonly send: (n: number) => Promise<bigint>;
}

export async function measureLag(databaseUrl: string, options: LagOptions): Promise<LagResult> {
  const pollMs = options.pollMs ?? 2;
  const maxInFlight = options.maxInFlight ?? 256;
  const pool = new Pool({ connectionString: databaseUrl, max: 1, application_name: 'bench-lag-watcher' });
  const waiting: Array<{ position: bigint; acceptedAt: number }> = [];
  const lags: number[] = [];
  const latencies: number[] = [];
  let failed = 0;
  let firstError: string | null = null;
  let sent = 0;
  let inFlight = 0;
  let watching = true;
  const watcher = (async () => {
    while (watching || waiting.length > 0) {
      const r = await pool.query<{ p: string | null }>(
        `SELECT global_position::text AS p FROM projection_checkpoints WHERE name = 'commission-ledger'`,
      );
      const now = performance.now();
      const at = BigInt(r.rows[0]?.p ?? '-1');
      for (let i = waiting.length - 1; i >= 0; i--) {
        const w = waiting[i]!;
        if (w.position <= at) {
          lags.push(now - w.acceptedAt);
          waiting.splice(i, 1);
        }
      }
      await new Promise((res) => setTimeout(res, pollMs));
    }
  })();
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const pending = new Set<Promise<void>>();
  try {
    for (let n = 0; ; n++) {
      const due = started + (n * 1000) / options.rate;
      if (due >= deadline) break;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((res) => setTimeout(res, wait));
      if (inFlight >= maxInFlight) {
        failed++;
        firstError ??= `more than ${maxInFlight} commands in flight: the server fell behind the rate`;
        continue;
      }
      sent++;
      inFlight++;
      const t = performance.now();
      const p = options
        .send(n)
        .then(
          (position) => {
            const acceptedAt = performance.now();
            latencies.push(acceptedAt - t);
            waiting.push({ position, acceptedAt });
          },
          (error: unknown) => {
            failed++;
            firstError ??= error instanceof Error ? error.message : String(error);
          },
        )
        .finally(() => {
          inFlight--;
          pending.delete(p);
        });
      pending.add(p);
    }
    const achievedRate = sent / ((performance.now() - started) / 1000);
    await Promise.all(pending);
    // Let the ledger catch up with what was accepted (bounded).
    const drainUntil = performance.now() + 60_000;
    while (waiting.length > 0 && performance.now() < drainUntil) await new Promise((res) => setTimeout(res, 20));
    const unseen = waiting.length;
    waiting.length = 0;
    watching = false;
    await watcher;
    lags.sort((a, b) => a - b);
    latencies.sort((a, b) => a - b);
    return { sent, accepted: latencies.length, failed, firstError, achievedRate, lags, latencies, unseen };
  } finally {
    watching = false;
    waiting.length = 0;
    await watcher.catch(() => undefined);
    await pool.end();
  }
}

export const lagSummary = (r: LagResult) =>
  `${r.accepted} accepted of ${r.sent} sent at ${r.achievedRate.toFixed(0)}/s; ` +
  `201 latency p50 ${percentile(r.latencies, 50).toFixed(1)} ms, p99 ${percentile(r.latencies, 99).toFixed(1)} ms` +
  (r.unseen > 0 ? `; ${r.unseen} never seen in the ledger within 60 s` : '') +
  (r.failed > 0 ? `; ${r.failed} failed (${r.firstError})` : '');
