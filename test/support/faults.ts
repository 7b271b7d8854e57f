/**
 * Shared pieces of the fault-injection suite (test/faults): seeds, command histories drawn with
 * fast-check and decided by the real deciders (order-history.ts), a client that resends a command
 * whose answer was lost, the exactly-once check of the log against the acknowledged commands, and
 * the figures each test writes to test/artifacts/reliability/faults-<name>.json.
 */
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { type History, type HistoryStep, scenarioArbitrary, type ScenarioOptions, simulate } from './order-history';
import { ROOT } from './processes';

/** A fixed seed in CI; FAULTS_SEED=<integer> replays another, FAULTS_SEED=random explores. */
export function faultSeed(fixed: number): number {
  const text = process.env.FAULTS_SEED;
  if (!text) return fixed;
  if (text === 'random') return (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
  const seed = Number(text);
  if (!Number.isInteger(seed)) throw new Error(`FAULTS_SEED must be an integer or "random", got ${text}`);
  return seed;
}

/** A positive integer from the environment, else `fixed`. */
export function envCount(name: string, fixed: number): number {
  const n = Number(process.env[name] ?? fixed);
  return Number.isInteger(n) && n > 0 ? n : fixed;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same fault schedule. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `lanes` independent histories (ids prefixed per lane), drawn from one seed. */
export function histories(seed: number, lanes: number, options: ScenarioOptions, prefix = 'f'): History[] {
  const scenarios = fc.sample(scenarioArbitrary(options), { seed, numRuns: lanes });
  return scenarios.map((scenario, i) => simulate(scenario, `${prefix}${i}-`));
}

export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly retryAfter: string | null;
  readonly body: Record<string, unknown> | null;
}

/**
 * One HTTP request with a bound: an answer, or `lost` (connection refused or cut, no answer) or
 * `timeout` (no answer within `timeoutMs`).
 */
export async function request(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 10_000,
): Promise<Answer | 'lost' | 'timeout'> {
  try {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> | null = null;
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {
      /* not JSON */
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      retryAfter: response.headers.get('retry-after'),
      body: parsed,
    };
  } catch (error) {
    const name = (error as { name?: string }).name;
    return name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'lost';
  }
}

/**
 * The command id the server records in the events' metadata for a step. The histories label a
 * termination `<salespersonId>:termination`; the server's TerminateSalesperson uses the
 * salesperson's id (there is one termination per salesperson).
 */
export const serverCommandId = (step: HistoryStep): string =>
  step.commandType === 'TerminateSalesperson' ? step.commandId.replace(/:termination$/, '') : step.commandId;

/** Events in the log recorded for a step's command (by the command type and id in their metadata). */
export async function eventsOf(db: DataSource, step: HistoryStep): Promise<number> {
  const [row] = (await db.query(
    `SELECT count(*)::int AS n FROM es_events WHERE metadata->>'commandType' = $1 AND metadata->>'commandId' = $2`,
    [step.commandType, serverCommandId(step)],
  )) as Array<{ n: number }>;
  return row?.n ?? 0;
}

/** What a command finally got: 201, or the refusal's code. */
export type Outcome = { readonly status: number; readonly code: string | null };

/** The decider's verdict on a step as the API must answer it: 201 or its refusal code. */
export const expectedCode = (step: HistoryStep): string | null => step.refusal;

export interface ExactlyOnceReport {
  /** Acknowledged or refused not as the deciders decided. */
  readonly outcomeMismatches: string[];
  /** Acknowledged commands with fewer events in the log than decided. */
  readonly eventsLost: string[];
  /** Commands with more events in the log than decided (applied twice), or refused ones with any. */
  readonly duplicates: string[];
  /** Events in es_events, and the sum of the accepted commands' decided events. */
  readonly eventsInLog: number;
  readonly eventsExpected: number;
  /** Events whose metadata names no command of the histories. */
  readonly strayEvents: number;
}

/**
 * Checks the log against the commands: every acknowledged (201) command has exactly the events
 * its decider decided (by the command type and id recorded in each event's metadata, on its
 * stream), a refused one has none, and nothing else is in the log.
 */
export async function checkExactlyOnce(
  db: DataSource,
  steps: ReadonlyArray<{ step: HistoryStep; outcome: Outcome | null }>,
): Promise<ExactlyOnceReport> {
  const rows = (await db.query(
    `SELECT metadata->>'commandType' AS type, metadata->>'commandId' AS id, stream_id, count(*)::int AS n
       FROM es_events GROUP BY 1, 2, 3`,
  )) as Array<{ type: string; id: string; stream_id: string; n: number }>;
  const counts = new Map(rows.map((r) => [`${r.type}|${r.id}|${r.stream_id}`, r.n]));
  const outcomeMismatches: string[] = [];
  const eventsLost: string[] = [];
  const duplicates: string[] = [];
  let eventsExpected = 0;
  let matched = 0;
  for (const { step, outcome } of steps) {
    const label = `${step.commandType} ${step.commandId}`;
    const acknowledged = outcome?.status === 201;
    const expected = expectedCode(step);
    if (outcome === null || (expected === null) !== acknowledged || (!acknowledged && outcome.code !== expected)) {
      outcomeMismatches.push(`${label}: expected ${expected ?? '201'}, got ${JSON.stringify(outcome)}`);
    }
    const key = `${step.commandType}|${serverCommandId(step)}|${step.streamId}`;
    const stored = counts.get(key) ?? 0;
    if (counts.has(key)) matched += stored;
    const decided = step.refusal === null ? step.events.length : 0;
    if (acknowledged) eventsExpected += decided;
    if (acknowledged && stored < decided) eventsLost.push(`${label}: ${stored} of ${decided} events`);
    if (stored > decided) duplicates.push(`${label}: ${stored} events, ${decided} decided`);
  }
  const eventsInLog = rows.reduce((a, r) => a + r.n, 0);
  return { outcomeMismatches, eventsLost, duplicates, eventsInLog, eventsExpected, strayEvents: eventsInLog - matched };
}

/** Writes a test's figures to test/artifacts/reliability/faults-<name>.json (git-ignored). */
export function writeFigures(name: string, figures: Record<string, unknown>): void {
  const dir = join(ROOT, 'test', 'artifacts', 'reliability');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `faults-${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface LaneStats {
  /** HTTP requests made, retries included. */
  requests: number;
  acknowledged: number;
  refused: number;
  /** Requests that got no answer (connection refused or cut) and were sent again. */
  unanswered: number;
  /** Commands that lost at least one answer and were sent again with the same ids. */
  lostAnswers: number;
  /** Requests that got no answer within the bound. */
  timeouts: number;
  status503: number;
  /** 503s that were not problem+json `UNAVAILABLE`/`PROJECTION_BEHIND` with a Retry-After. */
  bad503: number;
  status500: number;
  /** Any other 5xx. */
  other5xx: number;
  rateLimited: number;
}

export const newLaneStats = (): LaneStats => ({
  requests: 0,
  unanswered: 0,
  acknowledged: 0,
  refused: 0,
  lostAnswers: 0,
  timeouts: 0,
  status503: 0,
  bad503: 0,
  status500: 0,
  other5xx: 0,
  rateLimited: 0,
});

export interface LaneOptions {
  readonly baseUrl: string;
  readonly token: string;
  readonly steps: readonly HistoryStep[];
  readonly stats: LaneStats;
  /** Called once per command whose answer was lost, before it is sent again. */
  readonly beforeResend?: (step: HistoryStep) => Promise<void>;
  /** Called after each final answer (for fault schedules counted in commands). */
  readonly onAnswered?: () => void;
  /** Give up on one command after this long without a final answer. */
  readonly perCommandMs?: number;
  readonly requestTimeoutMs?: number;
}

/**
 * Sends a history's commands one after the other like a careful client: a command without an
 * answer (lost, timed out) or answered 503/429 is sent again, with the same ids and body, until it
 * gets a final answer (2xx or 4xx).
 */
export async function runLane(options: LaneOptions): Promise<Array<{ step: HistoryStep; outcome: Outcome | null }>> {
  const { stats } = options;
  const out: Array<{ step: HistoryStep; outcome: Outcome | null }> = [];
  for (const step of options.steps) {
    const deadline = Date.now() + (options.perCommandMs ?? 90_000);
    let outcome: Outcome | null = null;
    let lost = false;
    while (outcome === null && Date.now() < deadline) {
      stats.requests++;
      const answer = await request(
        options.baseUrl,
        options.token,
        step.http.method,
        step.http.path,
        step.http.body,
        options.requestTimeoutMs,
      );
      if (answer === 'lost' || answer === 'timeout') {
        if (answer === 'timeout') stats.timeouts++;
        stats.unanswered++;
        await sleep(250);
        if (!lost) {
          lost = true;
          stats.lostAnswers++;
          await options.beforeResend?.(step);
        }
        continue;
      }
      if (answer.status === 503) {
        stats.status503++;
        const code = answer.body?.code;
        if (
          !answer.contentType.startsWith('application/problem+json') ||
          (code !== 'UNAVAILABLE' && code !== 'PROJECTION_BEHIND') ||
          !answer.retryAfter
        ) {
          stats.bad503++;
        }
        await sleep(200);
        continue;
      }
      if (answer.status === 429) {
        stats.rateLimited++;
        await sleep(1000 * Math.min(Number(answer.retryAfter ?? 1) || 1, 5));
        continue;
      }
      if (answer.status === 500) stats.status500++;
      else if (answer.status > 500) stats.other5xx++;
      if (answer.status >= 500) {
        await sleep(200);
        continue;
      }
      if (answer.status === 201) stats.acknowledged++;
      else stats.refused++;
      outcome = { status: answer.status, code: typeof answer.body?.code === 'string' ? answer.body.code : null };
    }
    out.push({ step, outcome });
    options.onAnswered?.();
  }
  return out;
}
