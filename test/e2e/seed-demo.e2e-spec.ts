/**
 * `npm run seed:demo` against a running system: the built seed (dist/tools/seed-demo/seed-demo.js,
 * `npm run test:e2e` builds first) runs as a child process with a small order count, every command
 * is accepted, the read models come alive (ledgers, track-to-cash, dashboard), every event it
 * causes matches its published schema, and a second run appends nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { startSystem, type RunningSystem } from '../../libs/bootstrap/src/system';
import { readSettings } from '../../libs/platform/src/config/settings';
import { EVENT_SCHEMAS } from '../../libs/feed/src/event-schemas/published-events';
import { EventSchemaValidator, type FeedEvent } from '../../libs/feed/src/event-schemas/testing/event-schema-validator';
import { buildDemoCompany, LAST_DAY } from '../../tools/seed-demo/demo-company';
import { adminToken, Api, TEST_SECRET } from '../support/http';
import { ordersAt, receivablesAt } from '../../libs/track-to-cash/src/order-status/order-status.read-model';
import { ROOT, runTool } from '../support/processes';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const ORDERS = 150;
const SEED = 42;
const SCRIPT = join(ROOT, 'dist', 'tools', 'seed-demo', 'seed-demo.js');
const END_OF_STORY = `${LAST_DAY}T23:59:59Z`;

let db: TestDatabase;
let system: RunningSystem;
let api: Api;

interface SeedRun {
  readonly code: number | null;
  readonly output: string;
}

function runSeed(): Promise<SeedRun> {
  const child = spawn(
    process.execPath,
    [SCRIPT, '--url', system.url!, '--token', adminToken(), '--orders', String(ORDERS), '--seed', String(SEED)],
    { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

function refusedIn(run: SeedRun): number {
  const match = /^Refused: (\d+)$/m.exec(run.output);
  if (!match) throw new Error(`no "Refused:" line in the seed's output:\n${run.output}`);
  return Number(match[1]);
}

/** What the event store holds, read from the database itself. */
async function eventStore(): Promise<{ count: number; maxPosition: string }> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string; max: string | null }>(
      'SELECT count(*)::text AS n, max(global_position)::text AS max FROM es_events',
    );
    return { count: Number(rows[0]!.n), maxPosition: rows[0]!.max ?? '0' };
  } finally {
    await client.end();
  }
}

async function eventsOfType(type: string): Promise<number> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM es_events WHERE event_type = $1',
      [type],
    );
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

async function headPosition(): Promise<string | null> {
  const reply = await api.get<{ items: { headPosition: string | null }[] }>('/api/v1/projections');
  expect(reply.status).toBe(200);
  return reply.body.items[0]!.headPosition;
}

beforeAll(async () => {
  if (!existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: run \`npm run build\` first (npm run test:e2e does)`);
  db = await createTestDatabase();
  system = await startSystem({
    role: 'all',
    settings: { ...readSettings({}), rateLimitPerSecond: 0, databaseUrl: db.url, authJwtSecret: TEST_SECRET },
    port: 0,
    logger: false,
  });
  api = new Api(system.url!, adminToken());
});

afterAll(async () => {
  await system?.close();
  await db?.drop();
});

describe('npm run seed:demo', () => {
  let first: SeedRun;
  /** Reads wait until the projections have applied everything the seed appended. */
  let consistent: Record<string, string>;

  beforeAll(async () => {
    first = await runSeed();
    consistent = { 'X-Consistent-Position': (await eventStore()).maxPosition };
  }, 180_000);

  it('sends every command of the company and none is refused', async () => {
    expect({ code: first.code, refused: refusedIn(first) }).toEqual({ code: 0, refused: 0 });
    const company = buildDemoCompany({ seed: SEED, orders: ORDERS });
    expect(first.output).toContain(`Sent ${company.commandCount.toLocaleString('en-US')} commands`);
    expect(first.output).toContain('Where to look:');
    // One event per command, plus a credit reservation before each sale to a customer with a limit.
    const limited = new Set(company.customers.filter((c) => c.creditLimit !== null).map((c) => c.customerId));
    const reservations = company.phases
      .flatMap((p) => p.steps.flat(2))
      .filter((c) => c.type === 'BookSale' && limited.has(c.body.customerId as string)).length;
    expect(reservations).toBeGreaterThan(0);
    // The due scan (one command) appends one CollectionTaskFellDue per task fallen due instead.
    const fellDue = await eventsOfType('CollectionTaskFellDue');
    expect(fellDue).toBeGreaterThan(0);
    expect(company.counts.RunDueScan).toBe(1);
    expect((await eventStore()).count).toBe(company.commandCount - 1 + reservations + fellDue);
    // Finance's collection commands: one event each.
    for (const [type, command] of [
      ['CollectionPolicyCreated', 'CreateCollectionPolicy'],
      ['CollectionPolicyAssigned', 'AssignCollectionPolicy'],
      ['CollectionActionTaken', 'RecordCollectionAction'],
      ['PaymentPromised', 'PromisePayment'],
      ['InvoiceDisputed', 'DisputeInvoice'],
      ['InvoiceDisputeResolved', 'ResolveInvoiceDispute'],
    ] as const) {
      expect({ type, events: await eventsOfType(type) }).toEqual({ type, events: company.counts[command] });
      expect(company.counts[command]).toBeGreaterThan(0);
    }
  });

  it('gives the salespeople ledgers: the busiest one matches the seed’s own model to the cent', async () => {
    const company = buildDemoCompany({ seed: SEED, orders: ORDERS });
    const { salespersonId, period } = company.highlight;
    const entries = company.ledgers.get(salespersonId)!.filter((e) => e.period === period);
    // Clawbacks and payouts are negative entries; the ledger shows their totals as positive figures.
    const total = (type: string, sign = 1) =>
      entries.filter((e) => e.type === type).reduce((sum, e) => sum + sign * e.amount, 0);
    const ledger = await api.get<{ entries: unknown[] } & Record<string, number>>(
      `/api/v1/salespeople/${salespersonId}/ledger?period=${period}`,
      consistent,
    );
    expect(ledger.status).toBe(200);
    expect(ledger.body.entries.length).toBeGreaterThan(0);
    expect(ledger.body).toMatchObject({
      earned: total('EARNED'),
      clawedBack: total('CLAWBACK', -1),
      adjustments: total('ADJUSTMENT'),
      paidOut: total('PAYOUT', -1),
    });
    // Every rep who was credited on a sale has entries somewhere in the story.
    for (const [rep, modelled] of company.ledgers) {
      const busiest = modelled.find((e) => e.type === 'EARNED');
      if (!busiest) continue;
      const theirs = await api.get<{ entries: unknown[] }>(
        `/api/v1/salespeople/${rep}/ledger?period=${busiest.period}`,
        consistent,
      );
      expect({ rep, entries: theirs.body.entries.length > 0 }).toEqual({ rep, entries: true });
    }
  });

  it('shows paid orders in track-to-cash and figures on the dashboard', async () => {
    const paid = await api.get<{ items: { status: string }[] }>(
      `/api/v1/track-to-cash?status=PAID&asOf=${END_OF_STORY}`,
      consistent,
    );
    expect(paid.status).toBe(200);
    expect(paid.body.items.length).toBeGreaterThan(0);
    expect(paid.body.items.every((i) => i.status === 'PAID')).toBe(true);

    const teams = await api.get<{ items: { key: string; target: number | null; achieved: number }[] }>(
      '/api/v1/dashboard?period=2026-03&groupBy=team',
      consistent,
    );
    expect(teams.status).toBe(200);
    expect(teams.body.items.map((r) => r.key).sort()).toEqual(['north', 'south', 'west']);
    expect(teams.body.items.some((r) => r.achieved > 0 && (r.target ?? 0) > 0)).toBe(true);
    const units = await api.get<{ items: { key: string }[] }>(
      '/api/v1/dashboard?period=2026-03&groupBy=businessUnit',
      consistent,
    );
    expect(units.body.items.length).toBeGreaterThan(0);
  });

  it('emits only events valid against the published schemas (the envelope, and the current version of each type)', async () => {
    const validator = new EventSchemaValidator();
    const seen = new Map<string, number>();
    let after = '';
    for (let isEnd = false; !isEnd;) {
      const page = await api.get<{ items: FeedEvent[]; nextCursor: string; isEnd: boolean }>(
        `/api/v1/events?limit=1000${after ? `&after=${encodeURIComponent(after)}` : ''}`,
      );
      expect(page.status).toBe(200);
      for (const event of page.body.items) {
        const errors = validator.feedEventErrors(event);
        if (errors.length > 0) expect({ event, errors }).toEqual({ event, errors: [] });
        seen.set(event.type, (seen.get(event.type) ?? 0) + 1);
      }
      ({ isEnd, nextCursor: after } = page.body);
    }
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe((await eventStore()).count);
    // The seed emits every published type (test/e2e/event-schemas.e2e-spec.ts drives each one too).
    expect([...seen.keys()].sort()).toEqual(Object.keys(EVENT_SCHEMAS.currentVersions()).sort());
  });

  it('sums open receivables in SQL exactly as evaluateOrder does, at any asOf and knownAt', async () => {
    const [middle] = (await system.dataSource.query(
      'SELECT recorded_at FROM es_events ORDER BY es_events.global_position OFFSET (SELECT count(*) / 2 FROM es_events) LIMIT 1',
    )) as Array<{ recorded_at: Date }>;
    let compared = 0;
    for (const asOf of ['2025-07-15T00:00:00Z', '2025-12-31T23:59:59Z', '2026-06-01T12:00:00Z', END_OF_STORY]) {
      for (const knownAt of [null, middle!.recorded_at]) {
        const at = new Date(asOf);
        const viaJs = (await ordersAt(system.dataSource, 'TRUE', [], at, knownAt))
          .filter((o) => o.state.receivable > 0)
          .map((o) => ({
            orderId: o.header.orderId,
            receivable: o.state.receivable,
            dueDate: o.state.dueDate,
            bucket: o.state.bucket,
            overdue: o.state.status === 'OVERDUE',
          }));
        const viaSql = (await receivablesAt(system.dataSource, 'TRUE', [], at, knownAt)).map((r) => ({
          orderId: r.header.orderId,
          receivable: r.receivable,
          dueDate: r.dueDate,
          bucket: r.bucket,
          overdue: r.overdue,
        }));
        expect({ asOf, knownAt, orders: viaSql }).toEqual({ asOf, knownAt, orders: viaJs });
        compared += viaJs.length;
      }
    }
    expect(compared).toBeGreaterThan(50);
  });

  it('is idempotent: running it again appends nothing', async () => {
    const before = await eventStore();
    const headBefore = await headPosition();
    const again = await runSeed();
    expect({ code: again.code, refused: refusedIn(again) }).toEqual({ code: 0, refused: 0 });
    expect(again.output).toContain('nothing appended');
    expect(await eventStore()).toEqual(before);
    expect(await headPosition()).toBe(headBefore);
  }, 180_000);

  it('replays every closed period of the demo to the digest recorded at close, the same across two full rebuilds', async () => {
    const replayAll = async () => {
      const run = await runTool('replay', ['--closed', '--json'], { DATABASE_URL: db.url });
      expect(run.code).toBe(0);
      return JSON.parse(run.stdout) as Array<{
        period: string;
        digest: string;
        differencesTotal: number;
        recorded: { digest: string; matches: boolean } | null;
      }>;
    };
    const before = await replayAll();
    for (const name of ['commission-ledger', 'track-to-cash', 'dashboard']) await system.engine.rebuild(name);
    await system.engine.waitUntilCaughtUp(60_000);
    const after = await replayAll();

    const closed = buildDemoCompany({ seed: SEED, orders: ORDERS })
      .phases.flatMap((p) => p.steps.flat(2))
      .filter((c) => c.type === 'ClosePeriod');
    expect(before.map((r) => r.period)).toHaveLength(closed.length);
    for (const report of before) {
      expect({
        period: report.period,
        differences: report.differencesTotal,
        matches: report.recorded?.matches,
      }).toEqual({ period: report.period, differences: 0, matches: true });
      expect(report.digest).toBe(report.recorded!.digest);
    }
    expect(after.map((r) => [r.period, r.digest])).toEqual(before.map((r) => [r.period, r.digest]));
  }, 300_000);
});
