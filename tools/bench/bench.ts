/**
 * npm run bench [-- --quick] [--events N] [--seed S] [--seconds S] [--only …]
 *
 * Generates a deterministic history (tools/bench/history.ts) into an empty event store (the
 * embedded PostgreSQL in a fresh temporary DATA_DIR, or DATABASE_URL, whose log must be empty),
 * then measures, each beside a raw-PostgreSQL (or peer) baseline run against the same server:
 *
 * - rebuild: every rebuildable projection rebuilt from zero in one pass over the log
 *   (`engine.rebuildMany`): log events / seconds, and the peak RSS; baseline: a minimal SQL projection;
 * - queries: ledger, dashboard, aging and the track-to-cash list with 100 concurrent clients;
 * - append: commands/s through the HTTP API with 32 concurrent clients, p50/p99; baseline:
 *   single-row INSERT transactions with 8 clients;
 * - lag: 201 → visible in the ledger at 500 commands/s (tools/bench/lag.ts);
 * - import: `npm run import` of a JSONL file vs COPY of the same rows (tools/bench/import-bench.ts);
 * - peer: append and read-all on our store vs Emmett's PostgreSQL event store (tools/bench/peer.ts).
 *
 * Prints a table and writes bench/results/latest.json (and latest-<quick|full>.json).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { allProjectors, APP_SCHEMA } from '../../libs/bootstrap/src/schema';
import { startSystem } from '../../libs/bootstrap/src/system';
import { appendInTransaction } from '../../libs/eventstore-postgres/src/postgres-event-store';
import { PostgresEventStore } from '../../libs/eventstore-postgres/src/postgres-event-store';
import { withUpcasting } from '../../libs/feed/src/event-schemas/published-events';
import { mintLocalAdminToken } from '../../libs/platform/src/auth/local-secret';
import { readSettings } from '../../libs/platform/src/config/settings';
import { createDataSource, migrate } from '../../libs/platform/src/database/data-source';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../libs/platform/src/database/embedded-postgres';
import { ProjectionEngine } from '../../libs/projections/src/projection-engine';
import { runCli } from '../cli/cli-context';
import { count, createProgress, formatDuration } from '../cli/progress';
import { minimalSqlProjection, singleRowInserts } from './baselines';
import { customerId, generateHistory, salespersonId, type StreamAppend } from './history';
import { writeNewStreams } from './bulk-write';
import { closedLoop, type LoadResult, percentile, withPeakRss } from './measure';
import { type Figure, figure } from './figure';
import { importBenchmark } from './import-bench';
import { lagSummary, measureLag } from './lag';
import { peerBenchmark } from './peer';

const USAGE = `usage: npm run bench [-- --quick] [--events N] [--seed S] [--seconds S] [--only rebuild,queries,append,lag,import,peer]
  --quick      100,000 events and shorter load phases (under 3 minutes)
  --events N   events to generate (default 1,000,000)
  --seconds S  length of each load phase (default 30, quick 10)
  --load-through-append  load the history with appendInTransaction per stream (slow) instead of bulk INSERTs`;

interface Options {
  readonly quick: boolean;
  readonly events: number;
  readonly seed: number;
  readonly seconds: number;
  readonly only: readonly string[] | null;
  /** bulk: many streams per INSERT (bulk-write.ts); append: appendInTransaction per stream. */
  readonly loadPath: 'bulk' | 'append';
}

function parseArgs(args: readonly string[]): Options | null {
  const value = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (args.includes('--help')) return null;
  const quick = args.includes('--quick');
  const events = Number(value('--events') ?? (quick ? 100_000 : 1_000_000));
  const seed = Number(value('--seed') ?? 42);
  const seconds = Number(value('--seconds') ?? (quick ? 5 : 30));
  if (![events, seed, seconds].every((n) => Number.isFinite(n) && n > 0)) throw new Error(USAGE);
  const only = value('--only')?.split(',') ?? null;
  const loadPath = args.includes('--load-through-append') ? 'append' : 'bulk';
  return { quick, events, seed, seconds, only, loadPath };
}

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Writes the history straight to the store: `appendInTransaction` per stream, many streams per transaction. */
async function load(databaseUrl: string, options: Options): Promise<{ events: number; seconds: number }> {
  const writers = 2;
  const perTransaction = 500;
  const pool = new Pool({ connectionString: databaseUrl, max: writers, application_name: 'bench-load' });
  const history = generateHistory({ seed: options.seed, events: options.events });
  const progress = createProgress(process.stdout, 'events');
  progress.startPhase('load history', options.events);
  const started = performance.now();
  let events = 0;
  const nextBatch = (): StreamAppend[] => {
    const batch: StreamAppend[] = [];
    for (let r = history.next(); !r.done; r = history.next()) {
      batch.push(r.value);
      if (batch.length >= perTransaction) break;
    }
    return batch;
  };
  try {
    await Promise.all(
      Array.from({ length: writers }, async () => {
        const client = await pool.connect();
        try {
          for (let batch = nextBatch(); batch.length > 0; batch = nextBatch()) {
            await client.query('BEGIN');
            let n = 0;
            if (options.loadPath === 'bulk') n = await writeNewStreams(client, batch);
            else
              for (const a of batch) {
                await appendInTransaction(client, a.streamId, a.events, 'no_stream');
                n += a.events.length;
              }
            await client.query('COMMIT');
            events += n;
            progress.advance(n);
          }
        } finally {
          client.release();
        }
      }),
    );
  } finally {
    progress.endPhase();
    progress.stop();
    await pool.end();
  }
  return { events, seconds: (performance.now() - started) / 1000 };
}

function machine(databaseVersion: string): Record<string, string | number> {
  const mem = readFileSync('/proc/meminfo', 'utf8').match(/MemTotal:\s+(\d+)/)?.[1];
  let nproc = cpus().length;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    // keep os.cpus()
  }
  return {
    cpus: nproc,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: mem ? round(Number(mem) / 1024 / 1024, 1) : 0,
    node: process.version,
    postgres: databaseVersion,
  };
}

function printTable(figures: readonly Figure[]): void {
  const rows = figures.map((f) => [
    f.name,
    `${count(f.value)} ${f.unit}`,
    f.baseline === null ? '' : `${count(f.baseline)} ${f.unit}`,
    f.ratio === null ? '' : f.ratio.toFixed(3),
  ]);
  const header = ['figure', 'value', 'baseline', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
}

const latencyFigures = (name: string, r: LoadResult): Figure[] => [
  figure(`${name} p50`, percentile(r.latencies, 50), 'ms'),
  figure(`${name} p99`, percentile(r.latencies, 99), 'ms'),
];

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const wants = (part: string) => options.only === null || options.only.includes(part);
  const settings = readSettings(process.env);
  let embedded: EmbeddedDatabase | null = null;
  let dataDir: string | null = null;
  let databaseUrl = settings.databaseUrl;
  const runStarted = Date.now();
  if (!databaseUrl) {
    dataDir = mkdtempSync(join(tmpdir(), 'commissions-bench-'));
    chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as another user that must reach its directory
    process.stdout.write(`Starting an embedded PostgreSQL under ${dataDir}\n`);
    embedded = await startEmbeddedPostgres(dataDir);
    // The superuser: the bench creates scratch databases (import, peer) and loads the log
    // directly; the app role's grants (ADR 0009) cost nothing per statement.
    databaseUrl = embedded.superuserUrl;
  }
  const figures: Figure[] = [];
  const notes: string[] = [];
  let save = (): void => undefined;
  try {
    await migrate(databaseUrl, APP_SCHEMA);
    const admin = new Pool({ connectionString: databaseUrl, max: 1 });
    const version =
      (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?';
    const existing = (await admin.query<{ n: string }>('SELECT count(*)::text AS n FROM es_events')).rows[0]?.n;
    if (existing !== '0') {
      await admin.end();
      throw new Error(
        `The event log at DATABASE_URL is not empty (${existing} events): the benchmark needs an empty database`,
      );
    }
    save = () => {
      const result = {
        run: {
          mode: options.quick ? 'quick' : 'full',
          events: options.events,
          seed: options.seed,
          secondsPerLoadPhase: options.seconds,
          at: new Date().toISOString(),
          durationSeconds: round((Date.now() - runStarted) / 1000),
          database: embedded ? 'embedded PostgreSQL' : 'DATABASE_URL',
          machine: machine(version),
          notes,
        },
        figures,
      };
      const dir = join(process.cwd(), 'bench', 'results');
      mkdirSync(dir, { recursive: true });
      const json = `${JSON.stringify(result, null, 2)}\n`;
      writeFileSync(join(dir, 'latest.json'), json);
      writeFileSync(join(dir, `latest-${result.run.mode}.json`), json);
    };
    const push = figures.push.bind(figures);
    figures.push = (...items: Figure[]) => {
      const n = push(...items);
      for (const f of items)
        process.stdout.write(
          `  = ${f.name}: ${count(f.value)} ${f.unit}${f.baseline === null ? '' : ` (baseline ${count(f.baseline)})`}\n`,
        );
      save();
      return n;
    };
    // The load is measured too (generation, hashing and writing in one process): not a figure of the issue.
    const loaded = await load(databaseUrl, options);
    figures.push(
      figure(
        options.loadPath === 'bulk'
          ? 'load: generate + bulk INSERT, 500 new streams per statement, 2 writers'
          : 'load: generate + appendInTransaction per stream, 500 streams per transaction, 2 writers',
        loaded.events / loaded.seconds,
        'events/s',
      ),
    );
    await admin.query('VACUUM ANALYZE es_events');
    process.stdout.write(`Loaded ${count(loaded.events)} events in ${formatDuration(loaded.seconds * 1000)}\n`);

    // Rebuild every rebuildable projection from zero, then the minimal SQL projection.
    const dataSource = createDataSource(databaseUrl, APP_SCHEMA, 'bench');
    await dataSource.initialize();
    const store = withUpcasting(PostgresEventStore.connect(databaseUrl, { listen: false }));
    const engine = new ProjectionEngine(allProjectors(), store, dataSource, { connectionString: databaseUrl });
    const rebuildable = engine.projectors.filter((p) => p.rebuildable !== false).map((p) => p.name);
    if (wants('rebuild')) {
      // The baseline first, on the freshly loaded server, then ours on the same events.
      process.stdout.write('rebuild baseline: minimal SQL projection over the whole log…\n');
      const baselineStarted = performance.now();
      const read = await minimalSqlProjection(databaseUrl);
      const baselineRate = read / ((performance.now() - baselineStarted) / 1000);
      const progress = createProgress(process.stdout, 'events');
      const { peakRssMb, result: seconds } = await withPeakRss(async () => {
        const started = performance.now();
        let done = 0;
        progress.startPhase(`rebuild ${rebuildable.join(' + ')} (one pass)`, loaded.events);
        await engine.rebuildMany(rebuildable, {
          onProgress: (applied) => {
            progress.advance(applied - done);
            done = applied;
          },
        });
        progress.endPhase();
        progress.stop();
        return (performance.now() - started) / 1000;
      });
      figures.push(
        figure(
          `rebuild: ${rebuildable.length} projections from zero, one pass over the log`,
          loaded.events / seconds,
          'events/s',
          baselineRate,
          `${count(loaded.events)} events in ${seconds.toFixed(1)} s, each projection writing on its own connection`,
        ),
        figure('rebuild peak RSS (bench process)', peakRssMb, 'MB', null, `over ${count(loaded.events)} events`),
      );
    }
    await store.close();
    await dataSource.destroy();

    if (wants('append') || wants('queries') || wants('lag')) {
      const secret = randomBytes(32).toString('base64url'); // this run's only: no secret in the code
      const system = await startSystem({
        role: 'all',
        // The bench measures the system, not the per-client rate limiter: off.
        settings: { ...settings, databaseUrl, authJwtSecret: secret, authJwksUrl: null, rateLimitPerSecond: 0 },
        port: 0,
        logger: ['error'],
      });
      try {
        const token = mintLocalAdminToken(secret);
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        process.stdout.write('Waiting for the live projections to catch up (log seals cover the whole log once)…\n');
        const catchUpStarted = performance.now();
        await system.engine.waitUntilCaughtUp(30 * 60_000);
        notes.push(`live projections caught up ${formatDuration(performance.now() - catchUpStarted)} after start`);
        const base = system.url!;
        const get = async (path: string) => {
          const response = await fetch(`${base}/api/v1${path}`, { headers, signal: AbortSignal.timeout(60_000) });
          await response.arrayBuffer();
          if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
        };
        const post = async (path: string, body: unknown) => {
          const response = await fetch(`${base}/api/v1${path}`, {
            method: 'POST',
            headers,
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(60_000),
          });
          const text = await response.text();
          if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${text.slice(0, 200)}`);
        };

        if (wants('queries')) {
          const period = '2026-03';
          const asOf = '2026-06-30T23:59:59Z';
          const queries: [string, (n: number) => string][] = [
            ['ledger', (n) => `/salespeople/${salespersonId(2 + ((n * 7919) % 999))}/ledger?period=${period}`],
            ['dashboard (team)', () => `/dashboard?period=${period}&groupBy=team`],
            ['aging (salesperson)', () => `/aging?groupBy=salesperson&asOf=${asOf}`],
            ['track-to-cash list (OVERDUE, 100)', () => `/track-to-cash?status=OVERDUE&asOf=${asOf}&limit=100`],
          ];
          for (const [name, path] of queries) {
            process.stdout.write(`queries: ${name}, 100 clients, ${options.seconds} s…\n`);
            const r = await closedLoop(100, options.seconds, (client, n) => get(path(client * 1000 + n)));
            figures.push(figure(`query ${name}`, r.ok / r.seconds, 'req/s'), ...latencyFigures(`query ${name}`, r));
            if (r.failed > 0) notes.push(`query ${name}: ${r.failed} failed (${r.firstError})`);
          }
        }

        if (wants('append')) {
          process.stdout.write(`append: 32 clients through HTTP, ${options.seconds} s…\n`);
          // Each client books orders and invoices and pays each one: three commands on one new order stream.
          const r = await closedLoop(32, options.seconds, async (client, n) => {
            const orderId = `B${options.seed}-${client}-${Math.floor(n / 3)}`;
            const step = n % 3;
            if (step === 0) {
              await post('/orders', {
                orderId,
                customerId: customerId(1 + ((client * 7919 + n) % 20_000)),
                amount: { amount: 250_000, currency: 'USD' },
                bookedAt: '2026-06-01T10:00:00Z',
              });
            } else if (step === 1) {
              await post(`/orders/${orderId}/invoices`, {
                invoiceId: `${orderId}-I1`,
                amount: { amount: 250_000, currency: 'USD' },
                issuedAt: '2026-06-02T10:00:00Z',
                dueDate: '2026-07-02',
              });
            } else {
              await post(`/orders/${orderId}/payments`, {
                paymentId: `${orderId}-P1`,
                amount: { amount: 250_000, currency: 'USD' },
                receivedAt: '2026-06-20T10:00:00Z',
              });
            }
          });
          if (r.failed > 0) notes.push(`append: ${r.failed} failed (${r.firstError})`);
          process.stdout.write(`append baseline: single-row INSERT transactions, 8 clients, ${options.seconds} s…\n`);
          const b = await singleRowInserts(databaseUrl, 8, options.seconds);
          figures.push(
            figure('append via HTTP, 32 clients', r.ok / r.seconds, 'commands/s', b.ok / b.seconds),
            ...latencyFigures('append via HTTP', r),
            ...latencyFigures('baseline single-row INSERT (8 clients)', b),
          );
        }

        if (wants('lag')) {
          const rate = 500;
          process.stdout.write(`lag: ${rate} commands/s through HTTP for ${options.seconds} s…\n`);
          // Bookings, and payments of orders whose booking was accepted (open loop: never ahead of it).
          let order = 0;
          const booked: string[] = [];
          const r = await measureLag(databaseUrl, {
            rate,
            seconds: options.seconds,
            send: async (n) => {
              const paid = n % 2 === 1 ? booked.shift() : undefined;
              const step = paid === undefined ? 0 : 1;
              const orderId = paid ?? `L${options.seed}-${++order}`;
              const body =
                step === 0
                  ? {
                      orderId,
                      customerId: customerId(1 + ((n * 7919) % 20_000)),
                      amount: { amount: 120_000, currency: 'USD' },
                      bookedAt: '2026-06-03T10:00:00Z',
                    }
                  : {
                      paymentId: `${orderId}-P1`,
                      amount: { amount: 120_000, currency: 'USD' },
                      receivedAt: '2026-06-10T10:00:00Z',
                    };
              const path = step === 0 ? '/orders' : `/orders/${orderId}/payments`;
              const response = await fetch(`${base}/api/v1${path}`, {
                method: 'POST',
                headers,
                body: JSON.stringify(body),
                signal: AbortSignal.timeout(60_000),
              });
              const text = await response.text();
              if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${text.slice(0, 200)}`);
              if (step === 0) booked.push(orderId);
              return BigInt((JSON.parse(text) as { position: string }).position);
            },
          });
          const note = lagSummary(r);
          figures.push(
            figure(`lag 201 → ledger p50 at ${rate} commands/s`, percentile(r.lags, 50), 'ms', null, note),
            figure(`lag 201 → ledger p99 at ${rate} commands/s`, percentile(r.lags, 99), 'ms', null, note),
          );
          if (r.failed > 0 || r.unseen > 0) notes.push(`lag: ${note}`);
        }
      } finally {
        // Queries the clients gave up on may still be computing: do not wait for them forever.
        await Promise.race([system.close(), new Promise((r) => setTimeout(r, 20_000).unref())]);
      }
    }

    if (wants('import')) {
      const events = options.quick ? 20_000 : 200_000;
      process.stdout.write(`import: npm run import of ~${count(events)} events' worth of commands, then COPY…\n`);
      figures.push(...(await importBenchmark(databaseUrl, { events, seed: options.seed })));
    }
    if (wants('peer')) {
      process.stdout.write(`peer: our store and Emmett's on the same server, 32 clients, ${options.seconds} s each…\n`);
      figures.push(...(await peerBenchmark(databaseUrl, { seconds: options.seconds, clients: 32 })));
    }
    await admin.end();
    save();
    printTable(figures);
    for (const n of notes) process.stdout.write(`note: ${n}\n`);
    process.stdout.write(`\nWrote bench/results/latest.json (${formatDuration(Date.now() - runStarted)} in all)\n`);
    return 0;
  } finally {
    await embedded?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

runCli(main);
