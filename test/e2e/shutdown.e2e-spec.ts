/**
 * Graceful shutdown of the built all-in-one app, as a real process (issue #8 part 6). Requests
 * are genuinely held in flight: read-your-writes queries (X-Consistent-Position) wait for the
 * track-to-cash projection, whose lock this test holds (as another projector process would) until
 * the drain has begun. On SIGTERM: /health answers 503 `draining` (ready false, live true) during
 * the readiness delay, then new connections are refused; the held queries still complete with
 * their normal 200 answers once the projection moves; the event stream ends; the process exits 0
 * within the bound; and the projection's checkpoint is a position whose batches were applied
 * whole and once (events applied = events up to the checkpoint; read model rows = bookings up to
 * it; after a restart it catches up to exactly the rows of a rebuild).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { type RunningSystem, startSystem } from '../../libs/bootstrap/src/system';
import { readSettings } from '../../libs/platform/src/config/settings';
import { adminToken, Api, givenReferenceData, TEST_SECRET } from '../support/http';
import { freePort, ROOT, startApp, type Started, waitForHealthy } from '../support/processes';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

jest.setTimeout(240_000);

const ORDERS = 200;
const BATCH = 3;
// Short: the held queries wait at most 5 s (CONSISTENCY_TIMEOUT_MS) and must outlast it plus the lock hand-over.
const READINESS_DELAY_MS = 800;
const SHUTDOWN_TIMEOUT_MS = 15_000;
const HELD = 3;
const LOCK_NAMESPACE = 7_340_021; // the projection runner's advisory lock namespace
const PROJECTION = 'track-to-cash';

let db: TestDatabase;
let app: Started | null = null;
let restarted: RunningSystem | null = null;
const figures: Record<string, unknown> = {};

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/** The track-to-cash read model, without surrogate sequences. */
async function readModel(): Promise<unknown> {
  return {
    orders: await query('SELECT * FROM ttc_orders ORDER BY order_id'),
    credits: await query('SELECT * FROM ttc_order_credits ORDER BY order_id, salesperson_id'),
    milestones: await query(
      'SELECT order_id, type, at, amount, due_date, refund_part, ref, recorded_at FROM ttc_milestones ORDER BY seq',
    ),
  };
}

async function checkpoint(): Promise<{ position: string | null; applied: number }> {
  const [row] = await query<{ position: string | null; applied: number }>(
    `SELECT global_position::text AS position, events_applied::int AS applied FROM projection_checkpoints WHERE name = $1`,
    [PROJECTION],
  );
  return row ?? { position: null, applied: 0 };
}

const orderPositions: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  // Given a log of reference data and ORDERS bookings, written by an API alone (no projector).
  const setup = await startSystem({
    role: 'api',
    settings: { ...readSettings({}), databaseUrl: db.url, authJwtSecret: TEST_SECRET },
    port: 0,
    logger: false,
  });
  try {
    const api = new Api(setup.url!, adminToken());
    await givenReferenceData(api);
    for (let i = 0; i < ORDERS; i++) {
      const r = await api.post('/api/v1/orders', {
        orderId: `O${i}`,
        customerId: 'C1',
        amount: { amount: 1000 + i, currency: 'USD' },
        bookedAt: `2026-0${1 + (i % 6)}-1${i % 10}T08:00:00Z`,
      });
      if (r.status !== 201) throw new Error(JSON.stringify(r.body));
      orderPositions.push(r.body.position as string);
    }
  } finally {
    await setup.close();
  }
});

afterAll(async () => {
  if (app && app.child.exitCode === null) {
    app.child.kill('SIGKILL');
    await app.exited;
  }
  await restarted?.close();
  await db?.drop();
  mkdirSync(join(ROOT, 'test', 'artifacts', 'reliability'), { recursive: true });
  writeFileSync(
    join(ROOT, 'test', 'artifacts', 'reliability', 'observability-shutdown.json'),
    `${JSON.stringify({ recordedAt: new Date().toISOString(), ...figures }, null, 2)}\n`,
  );
});

it('drains on SIGTERM: readiness first, held requests answered, stream ended, exit 0, whole batches only', async () => {
  // The "other projector": holds the track-to-cash lock, so the app's runner waits in standby.
  const holder = new Client({ connectionString: db.url });
  await holder.connect();
  await holder.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_NAMESPACE, PROJECTION]);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  app = startApp('all-in-one', {
    DATABASE_URL: db.url,
    AUTH_JWT_SECRET: TEST_SECRET,
    PORT: String(port),
    PROJECTION_BATCH_SIZE: String(BATCH),
    SHUTDOWN_READINESS_DELAY_MS: String(READINESS_DELAY_MS),
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    RATE_LIMIT_PER_SECOND: '0',
    LOG_LEVEL: 'info',
  });
  await waitForHealthy(url, app, 90_000);
  const api = new Api(url, adminToken());

  // When HELD read-your-writes queries wait for the 10th booking to be projected...
  const target = orderPositions[9]!;
  const settled: Array<{ status: number; body: Record<string, unknown>; atMs: number } | null> = [];
  let t0 = 0;
  const held = Array.from({ length: HELD }, (_, i) =>
    api.get(`/api/v1/orders/O${i}/track-to-cash`, { 'X-Consistent-Position': target }).then((r) => {
      settled[i] = { status: r.status, body: r.body, atMs: Date.now() - t0 };
      return r;
    }),
  );
  // ...and an event stream is open...
  const stream = await fetch(`${url}/api/v1/events/stream`, { headers: { authorization: `Bearer ${adminToken()}` } });
  expect(stream.status).toBe(200);
  let streamEndedAtMs: number | null = null;
  const streamDone = (async () => {
    const reader = stream.body!.getReader();
    try {
      while (!(await reader.read()).done) {
        /* events and heartbeats */
      }
    } catch {
      /* cut */
    }
    streamEndedAtMs = Date.now() - t0;
  })();
  // ...all in flight (the scrape itself is one more)...
  for (let i = 0; ; i++) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const inFlight = Number(/^http_requests_in_flight (\d+)$/m.exec(text)?.[1] ?? 0);
    if (inFlight >= HELD + 2) break;
    if (i > 200) throw new Error(`requests not in flight: ${inFlight}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  expect(settled.filter(Boolean)).toEqual([]);

  // ...when the process gets SIGTERM,
  t0 = Date.now();
  app.child.kill('SIGTERM');

  // then /health says draining (not ready, still live) during the readiness delay,
  let draining: { status: number; body: Record<string, unknown> } | null = null;
  let drainingAnswers = 0;
  let refusedAtMs: number | null = null;
  while (Date.now() - t0 < READINESS_DELAY_MS + 5_000) {
    try {
      const r = await fetch(`${url}/health`);
      const body = (await r.json()) as Record<string, unknown>;
      if (r.status === 503) {
        draining ??= { status: r.status, body };
        drainingAnswers++;
      }
    } catch {
      refusedAtMs = Date.now() - t0; // then new connections are refused
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(draining).toEqual({
    status: 503,
    body: expect.objectContaining({ status: 'draining', ready: false, live: true }),
  });
  expect(refusedAtMs).not.toBeNull();
  expect(refusedAtMs!).toBeGreaterThanOrEqual(READINESS_DELAY_MS - 100);
  // the held queries are still waiting: nothing was cut
  expect(settled.filter(Boolean)).toEqual([]);
  expect(app.child.exitCode).toBeNull();

  // When the other projector lets go, the app's runner takes the projection and moves it...
  await holder.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_NAMESPACE, PROJECTION]);
  await holder.end();
  const replies = await Promise.all(held);
  // ...and the held queries get their normal answers.
  replies.forEach((r, i) => {
    expect(r.status).toBe(200);
    expect(r.body).toEqual(expect.objectContaining({ orderId: `O${i}` }));
  });

  // The process exits 0 within the bound; the event stream was ended.
  const exit = await app.exited;
  const exitMs = Date.now() - t0;
  expect(exit).toEqual({ code: 0, signal: null });
  expect(exitMs).toBeLessThan(READINESS_DELAY_MS + SHUTDOWN_TIMEOUT_MS + 5_000);
  await streamDone;
  expect(streamEndedAtMs).not.toBeNull();
  expect(streamEndedAtMs!).toBeLessThan(exitMs);

  const lines = app
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const done = lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('Shut down in'));
  expect(done).toBeDefined();
  const drain = done!.drain as {
    inFlightAtClose: number;
    abandoned: number;
    completedWhileDraining: number;
    drainMs: number;
    timedOut: boolean;
  };
  expect(drain.timedOut).toBe(false);
  expect(drain.abandoned).toBe(0);
  // the held queries (and maybe one /health poll of this test that came just before the close)
  expect(drain.inFlightAtClose).toBeGreaterThanOrEqual(HELD);
  expect(drain.inFlightAtClose).toBeLessThanOrEqual(HELD + 1);
  // the access lines of the held queries: 200, as slow as the drain
  const heldLines = lines.filter((l) => l.msg === 'request' && l.route === '/api/v1/orders/:id/track-to-cash');
  expect(heldLines.map((l) => l.status)).toEqual(replies.map(() => 200));

  // The checkpoint is a position whose batches were applied whole and once.
  const cp = await checkpoint();
  const [upTo] = await query<{ events: number; bookings: number; head: string }>(
    `SELECT count(*) FILTER (WHERE global_position <= $1)::int AS events,
            count(*) FILTER (WHERE global_position <= $1 AND event_type = 'SaleBooked')::int AS bookings,
            max(global_position)::text AS head
       FROM es_events`,
    [cp.position],
  );
  expect(cp.position).not.toBeNull();
  expect(BigInt(cp.position!)).toBeGreaterThanOrEqual(BigInt(target));
  expect(cp.applied).toBe(upTo!.events);
  const [orders] = await query<{ n: number }>('SELECT count(*)::int AS n FROM ttc_orders');
  expect(orders!.n).toBe(upTo!.bookings);
  const stoppedMidCatchUp = cp.position !== upTo!.head;
  if (stoppedMidCatchUp) expect(cp.applied % BATCH).toBe(0); // whole batches of BATCH

  // After a restart it catches up; the read model equals a rebuild from zero.
  restarted = await startSystem({
    role: 'all',
    settings: { ...readSettings({}), databaseUrl: db.url, authJwtSecret: TEST_SECRET },
    port: 0,
    logger: false,
  });
  await restarted.engine.waitUntilCaughtUp(60_000, [PROJECTION]);
  const [all] = await query<{ n: number }>('SELECT count(*)::int AS n FROM es_events');
  expect((await checkpoint()).applied).toBe(all!.n);
  const incremental = await readModel();
  expect((incremental as { orders: unknown[] }).orders).toHaveLength(ORDERS);
  await restarted.engine.rebuild(PROJECTION);
  await restarted.engine.waitUntilCaughtUp(60_000, [PROJECTION]);
  expect(await readModel()).toEqual(incremental);

  Object.assign(figures, {
    orders: ORDERS,
    batchSize: BATCH,
    readinessDelayMs: READINESS_DELAY_MS,
    shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS,
    heldRequests: HELD,
    heldAnsweredAtMs: settled.map((s) => s?.atMs),
    heldStatuses: replies.map((r) => r.status),
    drainingHealthAnswers: drainingAnswers,
    newConnectionsRefusedAtMs: refusedAtMs,
    eventStreamEndedAtMs: streamEndedAtMs,
    exitCode: exit.code,
    exitMs,
    drain,
    shutdownTotalMs: done!.totalMs,
    checkpoint: { globalPosition: cp.position, eventsApplied: cp.applied, head: upTo!.head, stoppedMidCatchUp },
  });
});
