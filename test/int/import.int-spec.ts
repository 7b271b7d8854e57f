/**
 * `npm run import` on real PostgreSQL: the same command requests are sent to the HTTP API (one
 * system, one database) and imported into another database; the events must be the same, in the
 * same order, except what the API takes from the request (correlation and request ids) and from
 * the clock (CreatePlan, RegisterCustomer, PostAdjustment), and every refused line must be
 * refused with the API's status and code. The imported log's hash chains verify as intact; the
 * import continues streams that already exist (a first import of part of the file, then the whole
 * file in small transactions) and appends nothing when run again.
 */
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { createLogVerifier } from '../../libs/audit/src/verify-log/log-sources';
import { APP_SCHEMA } from '../../libs/bootstrap/src/schema';
import { PostgresEventStore } from '../../libs/eventstore-postgres/src/postgres-event-store';
import { withUpcasting } from '../../libs/feed/src/event-schemas/published-events';
import { createDataSource } from '../../libs/platform/src/database/data-source';
import { demoCommands } from '../../tools/import/demo-commands';
import { importLines, type ImportSummary } from '../../tools/import/importer';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startTestSystem, type TestSystem } from '../support/test-system';

interface Line {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
}

const usd = (amount: number) => ({ amount, currency: 'USD' });

/** The demo company (all accepted), then lines the API refuses, each for another reason. */
function commandLines(): Line[] {
  const lines: Line[] = [...demoCommands({ seed: 11, orders: 25 })].map((c) => ({
    method: c.method,
    path: c.path,
    body: { ...c.body },
  }));
  const invoice = lines.find((l) => l.path.endsWith('/invoices'))!;
  const orderId = invoice.path.split('/')[2]!;
  const booking = lines.find((l) => l.path === '/orders' && l.body.orderId === orderId)!;
  lines.push(
    // Field errors.
    { method: 'POST', path: '/orders', body: { ...booking.body, orderId: 'NEW-1', amount: { amount: -5 } } },
    // An order that does not exist.
    {
      method: 'POST',
      path: '/orders/NOPE/invoices',
      body: { invoiceId: 'I-x', amount: usd(1), issuedAt: '2026-01-01T00:00:00Z', dueDate: '2026-02-01' },
    },
    // The same order id with another body.
    { method: 'POST', path: '/orders', body: { ...booking.body, amount: usd(1234567) } },
    // A business rule: paying far more than is owed.
    {
      method: 'POST',
      path: `/orders/${orderId}/payments`,
      body: { paymentId: 'PAY-TOO-MUCH', amount: usd(10 ** 12), receivedAt: '2026-11-01T00:00:00Z' },
    },
    // A booking accepted after the refusals (the store is not left in a bad state by them).
    { method: 'POST', path: '/orders', body: { ...booking.body, orderId: 'NEW-2' } },
    // An invoice id already used on another order (the same booking): its event ids are taken.
    { method: 'POST', path: `/orders/NEW-2/invoices`, body: invoice.body },
  );
  return lines;
}

interface EventRow {
  event_id: string;
  stream_id: string;
  stream_revision: string;
  event_type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  occurred_at: Date;
}

const CLOCK_COMMANDS = new Set([
  'CreatePlan',
  'RegisterCustomer',
  'RegisterDistributor',
  'PostAdjustment',
  'RecalculateCommissions',
]);

/** An event as compared: without the request's own ids, and without what came from the clock. */
function comparable(row: EventRow) {
  const { correlationId: _c, causationId: _r, ...metadata } = row.metadata;
  const occurredAt = row.occurred_at.toISOString();
  const clock = CLOCK_COMMANDS.has(row.metadata.commandType as string);
  const data = clock
    ? JSON.parse(JSON.stringify(row.data), (_k, v: unknown) => (v === occurredAt ? '<clock>' : v))
    : row.data;
  return {
    id: row.event_id,
    stream: `${row.stream_id}@${row.stream_revision}`,
    type: row.event_type,
    schemaVersion: row.schema_version,
    data,
    metadata,
    occurredAt: clock ? '<clock>' : occurredAt,
  };
}

async function eventsOf(pool: Pool) {
  const r = await pool.query<EventRow>(
    `SELECT event_id::text AS event_id, stream_id, stream_revision::text AS stream_revision, event_type,
            schema_version, data, metadata, occurred_at FROM es_events ORDER BY global_position`,
  );
  return r.rows.map(comparable);
}

async function* linesOf(texts: readonly string[]): AsyncIterable<string> {
  for (const t of texts) yield t;
}

let system: TestSystem;
let db: TestDatabase;
let pool: Pool;
let dataSource: DataSource;
const lines = commandLines();
const texts = lines.map((l) => JSON.stringify(l));
/** What the API answered each line. */
const answers: { status: number; code: string | null }[] = [];

beforeAll(async () => {
  system = await startTestSystem();
  for (const l of lines) {
    const reply = await system.api.request(l.method, `/api/v1${l.path}`, l.body);
    answers.push({ status: reply.status, code: (reply.body as { code?: string } | null)?.code ?? null });
  }
  db = await createTestDatabase();
  pool = new Pool({ connectionString: db.url, max: 3 });
  dataSource = createDataSource(db.url, APP_SCHEMA);
  await dataSource.initialize();
}, 180_000);

afterAll(async () => {
  await pool?.end();
  await dataSource?.destroy();
  await db?.drop();
  await system?.close();
});

describe('npm run import', () => {
  let first: ImportSummary;
  let whole: ImportSummary;

  it('imports part of the file, then the whole file after it, continuing the streams it wrote', async () => {
    const part = Math.floor(texts.length * 0.6);
    first = await importLines(pool, linesOf(texts.slice(0, part)), { actor: 'test-admin' });
    expect(first.refused).toBe(0);
    expect(first.repeated).toBe(0);
    whole = await importLines(pool, linesOf(texts), {
      actor: 'test-admin',
      eventsPerTransaction: 25,
      linesPerChunk: 10,
    });
    expect(whole.repeated).toBe(first.appended);
    expect(whole.transactions).toBeGreaterThan(3);
  });

  it('appends exactly the events the API appended for the same requests, in the same order', async () => {
    const api = new Pool({ connectionString: system.db.url, max: 1 });
    try {
      const [expected, actual] = [await eventsOf(api), await eventsOf(pool)];
      expect(actual.length).toBe(expected.length);
      expect(actual).toEqual(expected);
    } finally {
      await api.end();
    }
  });

  it('refuses each refused line as the API did, by line number, and writes nothing for it', () => {
    const refusedByApi = answers.flatMap((a, i) =>
      a.status >= 400 ? [{ line: i + 1, status: a.status, code: a.code }] : [],
    );
    // The demo company is accepted whole; of the lines after it, all but the second booking are refused.
    expect(refusedByApi.map((r) => r.line)).toEqual([0, 1, 2, 3, 5].map((i) => lines.length - 5 + i));
    expect(refusedByApi.slice(0, 3).map((r) => r.code)).toEqual([
      'VALIDATION_FAILED',
      'NOT_FOUND',
      'IDEMPOTENCY_CONFLICT',
    ]);
    expect(refusedByApi[4]!.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(whole.refusals.map((r) => ({ line: r.line, status: r.status, code: r.code }))).toEqual(refusedByApi);
    expect(whole.refusals[0]!.errors?.map((e) => e.field)).toEqual(expect.arrayContaining(['amount.amount']));
    expect(whole.refused + whole.appended + whole.repeated).toBe(texts.length);
  });

  it('leaves hash chains that verify-log reports intact', async () => {
    const store = withUpcasting(PostgresEventStore.connect(db.url, { listen: false }));
    try {
      const result = await createLogVerifier(store, dataSource).verify({});
      expect(result.firstBrokenLink).toBeNull();
      expect(result.ok).toBe(true);
      expect(result.eventsChecked).toBe(first.events + whole.events);
    } finally {
      await store.close();
    }
  });

  it('appends nothing when the file is imported again', async () => {
    const before = await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM es_events');
    const again = await importLines(pool, linesOf(texts), { actor: 'test-admin' });
    expect(again).toMatchObject({ appended: 0, events: 0, transactions: 0, repeated: first.appended + whole.appended });
    expect(again.refusals.map((r) => r.code)).toEqual(whole.refusals.map((r) => r.code));
    const after = await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM es_events');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('writes nothing in a dry run', async () => {
    const fresh = await createTestDatabase();
    const p = new Pool({ connectionString: fresh.url, max: 2 });
    try {
      const dry = await importLines(p, linesOf(texts), { dryRun: true, actor: 'test-admin' });
      expect(dry.events).toBe(first.events + whole.events);
      expect(dry.refused).toBe(whole.refused);
      expect((await p.query<{ n: string }>('SELECT count(*)::text AS n FROM es_events')).rows[0]!.n).toBe('0');
    } finally {
      await p.end();
      await fresh.drop();
    }
  });
});
