/**
 * Logs and metrics of the built all-in-one app, run as a real process (issue #8 parts 5 and 6):
 * its stdout is JSON lines; a request's correlation id (the client's X-Correlation-Id) is echoed,
 * is in its access line and in its event's metadata; an insane header gets a new id; /metrics is
 * valid Prometheus text whose command, HTTP and webhook counters move by exactly what was done.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { adminToken, Api, givenReferenceData, TEST_SECRET } from '../support/http';
import { freePort, ROOT, startApp, type Started, waitForHealthy } from '../support/processes';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(180_000);

let db: TestDatabase;
let app: Started;
let api: Api;
let url: string;
let receiver: WebhookReceiver;
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  // The receiver fails its first request (500) and accepts the others.
  receiver = await WebhookReceiver.start((n) => ({ status: n === 0 ? 500 : 200 }));
  const port = await freePort();
  app = startApp('all-in-one', {
    DATABASE_URL: db.url,
    AUTH_JWT_SECRET: TEST_SECRET,
    PORT: String(port),
    LOG_LEVEL: 'debug',
    RATE_LIMIT_PER_SECOND: '0',
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  });
  url = `http://127.0.0.1:${port}`;
  figures.startMs = await waitForHealthy(url, app, 90_000);
  api = new Api(url, adminToken());
  await givenReferenceData(api);
});

afterAll(async () => {
  if (app && app.child.exitCode === null) {
    app.child.kill('SIGTERM');
    await app.exited;
  }
  await receiver?.down();
  await db?.drop();
  mkdirSync(join(ROOT, 'test', 'artifacts', 'reliability'), { recursive: true });
  writeFileSync(
    join(ROOT, 'test', 'artifacts', 'reliability', 'observability-logs-metrics.json'),
    `${JSON.stringify({ recordedAt: new Date().toISOString(), ...figures }, null, 2)}\n`,
  );
});

/** Every line of the process's stdout+stderr so far, parsed (a line that is not JSON fails). */
function logLines(): Record<string, unknown>[] {
  return app
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
}

/** The samples of a Prometheus text exposition: `name{labels}` → value. */
async function scrape(): Promise<Map<string, number>> {
  const r = await fetch(`${url}/metrics`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const text = await r.text();
  const samples = new Map<string, number>();
  const declared = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)$/.exec(line);
    if (type) declared.add(type[1]!);
    if (line.startsWith('#')) {
      expect(line).toMatch(/^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$/);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (\S+)$/.exec(
      line,
    );
    if (!m) throw new Error(`invalid sample line: ${line}`);
    // every sample belongs to a declared metric (a histogram's _bucket/_sum/_count to its name)
    const base = m[1]!.replace(/_(bucket|sum|count)$/, '');
    expect(declared.has(m[1]!) || declared.has(base)).toBe(true);
    samples.set(`${m[1]}${m[2] ?? ''}`, m[3] === 'NaN' ? NaN : Number(m[3]!.replace('+Inf', 'Infinity')));
  }
  return samples;
}

const value = (s: Map<string, number>, key: string) => s.get(key) ?? 0;

/** Polls `check` until it answers something truthy (at most 30 s). */
async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = await check();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('given a command with X-Correlation-Id, then the id is echoed, in its access line and in its event metadata', async () => {
  const correlationId = `obs-${randomUUID()}`;
  const booked = await api.post(
    '/api/v1/orders',
    {
      orderId: 'LOG-1',
      customerId: 'C1',
      amount: { amount: 50000, currency: 'USD' },
      bookedAt: '2026-01-10T00:00:00Z',
    },
    { 'X-Correlation-Id': correlationId },
  );
  expect(booked.status).toBe(201);
  expect(booked.headers.get('x-correlation-id')).toBe(correlationId);

  // the event's metadata carries the same id
  const c = new Client({ connectionString: db.url });
  await c.connect();
  const rows = await c
    .query<{ correlation: string; actor: string }>(
      `SELECT metadata->>'correlationId' AS correlation, metadata->>'actor' AS actor FROM es_events
        WHERE global_position = $1`,
      [booked.body.position],
    )
    .finally(() => c.end());
  expect(rows.rows).toEqual([{ correlation: correlationId, actor: 'test-admin' }]);

  // one access line for the request: method, route template, status, duration, sub, id
  const access = await waitFor('the access line', async () => {
    const found = logLines().filter((l) => l.msg === 'request' && l.correlationId === correlationId);
    return found.length > 0 && found;
  });
  expect(access).toHaveLength(1);
  expect(access[0]).toMatchObject({
    level: 'info',
    context: 'Http',
    method: 'POST',
    route: '/api/v1/orders',
    status: 201,
    sub: 'test-admin',
    correlationId,
  });
  expect(typeof access[0]!.durationMs).toBe('number');
  // a line written inside the request (the command's debug line, which does not pass the id itself)
  const inside = logLines().filter((l) => l.context === 'Commands' && l.correlationId === correlationId);
  expect(inside).toEqual([
    expect.objectContaining({ level: 'debug', msg: 'command', command: 'BookSale', outcome: 'accepted' }),
  ]);
  expect(inside[0]!.position).toBe(booked.body.position);
  expect(typeof access[0]!.time).toBe('number');
  // never the Authorization header nor the body
  expect(app.output()).not.toContain(adminToken().split('.')[2]!);
  expect(app.output()).not.toContain('50000');
  figures.accessLine = access[0];
});

it('given an insane X-Correlation-Id, then a new id is made and used everywhere', async () => {
  const sent = 'bad id\r\n{"level":"fatal"}'.replace(/[\r\n]/g, ' ');
  const r = await api.get('/api/v1/orders/LOG-1/track-to-cash', { 'X-Correlation-Id': sent });
  const echoed = r.headers.get('x-correlation-id')!;
  expect(echoed).not.toBe(sent);
  expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
  const access = await waitFor('the access line', async () => {
    const found = logLines().filter((l) => l.msg === 'request' && l.correlationId === echoed);
    return found.length > 0 && found;
  });
  expect(access).toEqual([
    expect.objectContaining({ method: 'GET', route: '/api/v1/orders/:id/track-to-cash', status: r.status }),
  ]);
  // a request without the header gets one too
  const bare = await fetch(`${url}/health`);
  expect(bare.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
});

it('given commands and a webhook delivery that fails once, then the counters moved by exactly that', async () => {
  const before = await scrape();
  const sub = await api.post<{ secret: string }>('/api/v1/webhook-subscriptions', {
    url: receiver.url,
    eventTypes: [],
  });
  expect(sub.status).toBe(201);
  receiver.secret = sub.body.secret;

  const order = {
    orderId: 'MET-1',
    customerId: 'C1',
    amount: { amount: 1000, currency: 'USD' },
    bookedAt: '2026-01-11T00:00:00Z',
  };
  expect((await api.post('/api/v1/orders', order)).status).toBe(201); // accepted
  const repeat = await api.post('/api/v1/orders', order); // the same command again: idempotent
  expect(repeat.status).toBe(201);
  // a cancellation of an order that does not exist: refused by the decision (4xx, nothing appended)
  const rejected = await api.post('/api/v1/orders/NOPE/cancellations', {
    cancellationId: 'CAN-1',
    cancelledAt: '2026-01-12T00:00:00Z',
    reason: 'none',
  });
  expect(rejected.status).toBeGreaterThanOrEqual(400);
  expect(rejected.status).toBeLessThan(500);

  // the order's event reaches the receiver: a 500 first, then a 200
  await waitFor('the delivery', async () => receiver.log.some((e) => e.kind === 'answered' && e.status === 200));
  const refusedStatus = rejected.status;
  const answered = receiver.log.filter((e) => e.kind === 'answered');
  const after = await waitFor('the delivery to be counted', async () => {
    const s = await scrape();
    return value(s, 'webhook_deliveries_total{outcome="delivered"}') -
      value(before, 'webhook_deliveries_total{outcome="delivered"}') >=
      1
      ? s
      : null;
  });
  const delta = (key: string) => value(after, key) - value(before, key);

  expect(delta('commands_total{command="BookSale",outcome="accepted"}')).toBe(1);
  expect(delta('commands_total{command="BookSale",outcome="repeated"}')).toBe(1);
  expect(delta('command_duration_seconds_count{command="BookSale"}')).toBe(2);
  expect(delta('command_duration_seconds_bucket{command="BookSale",le="+Inf"}')).toBe(2);
  expect(value(after, 'command_duration_seconds_sum{command="BookSale"}')).toBeGreaterThan(
    value(before, 'command_duration_seconds_sum{command="BookSale"}'),
  );
  const cancelRejected = delta('commands_total{command="CancelOrder",outcome="rejected"}');
  expect(cancelRejected).toBe(1);
  expect(delta('commands_total{command="CancelOrder",outcome="error"}')).toBe(0);
  expect(delta('http_requests_total{method="POST",route="/api/v1/orders",status="201"}')).toBe(2);
  expect(delta('http_request_duration_seconds_count{method="POST",route="/api/v1/orders"}')).toBe(2);
  expect(delta('http_requests_total{method="POST",route="/api/v1/webhook-subscriptions",status="201"}')).toBe(1);
  // the route template, not the raw URL
  expect([...after.keys()].some((k) => k.includes('NOPE') || k.includes('MET-1'))).toBe(false);

  expect(answered.map((e) => (e as { status: number }).status)).toEqual([500, 200]);
  expect(delta('webhook_deliveries_total{outcome="delivered"}')).toBe(1);
  expect(delta('webhook_deliveries_total{outcome="failed"}')).toBe(1);
  expect(delta('webhook_delivery_failures_total')).toBe(1);

  for (const name of ['commission-ledger', 'track-to-cash', 'dashboard']) {
    expect(after.has(`projection_lag_events{projection="${name}"}`)).toBe(true);
    expect(after.get(`projection_lag_seconds{projection="${name}"}`)).toBeGreaterThanOrEqual(0);
  }
  expect(
    delta(`http_requests_total{method="POST",route="/api/v1/orders/:id/cancellations",status="${refusedStatus}"}`),
  ).toBe(1);
  figures.metricDeltas = {
    bookSaleAccepted: delta('commands_total{command="BookSale",outcome="accepted"}'),
    bookSaleRepeated: delta('commands_total{command="BookSale",outcome="repeated"}'),
    cancelOrderRefused: cancelRejected,
    postOrders201: delta('http_requests_total{method="POST",route="/api/v1/orders",status="201"}'),
    webhookDelivered: delta('webhook_deliveries_total{outcome="delivered"}'),
    webhookFailures: delta('webhook_delivery_failures_total'),
  };
});

it('given the whole run, then every line of the process output was a JSON log line', () => {
  const lines = logLines();
  expect(lines.length).toBeGreaterThan(5);
  for (const line of lines) {
    expect(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).toContain(line.level);
    expect(typeof line.msg).toBe('string');
  }
  figures.logLines = lines.length;
  figures.accessLines = lines.filter((l) => l.msg === 'request').length;
});
