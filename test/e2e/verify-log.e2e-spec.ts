/**
 * Tamper evidence end to end (ADR 0006): commands go through HTTP, the log-seals projection seals
 * the log; GET /api/v1/audit/verify says it is intact (compliance may ask, a rep may not); the
 * built CLI (`node dist/tools/verify-log/verify-log.js`, `npm run test:e2e` builds first) exits 0,
 * accepts the latest seal as an anchor, and once a superuser has edited an event directly in
 * PostgreSQL (triggers bypassed) exits 1 naming exactly that event.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { givenReferenceData, tokenFor } from '../support/http';
import { ROOT, runTool } from '../support/processes';
import { startTestSystem, type TestSystem } from '../support/test-system';

const SCRIPT = join(ROOT, 'dist', 'tools', 'verify-log', 'verify-log.js');

let t: TestSystem;

interface Report {
  ok: boolean;
  eventsChecked: number;
  sealsChecked: number;
  lastSeal: { sealNo: number; hash: string; lastPosition: string } | null;
  firstBrokenLink: Record<string, unknown> | null;
}

const runVerifyLog = (...args: string[]) => runTool('verify-log', args, { DATABASE_URL: t.db.url });

beforeAll(async () => {
  if (!existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: run \`npm run build\` first (npm run test:e2e does)`);
  t = await startTestSystem();
  // Given the reference data and an order, booked through the public API, and sealed
  await givenReferenceData(t.api);
  await t.ok(
    t.api.post('/api/v1/orders', {
      orderId: 'O1',
      customerId: 'C1',
      amount: { amount: 10_000_000, currency: 'USD' },
      bookedAt: '2026-01-10T00:00:00Z',
    }),
  );
  await t.system.engine.waitUntilCaughtUp(30_000);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('GET /api/v1/audit/verify', () => {
  it('answers 200 ok:true on a clean log to compliance', async () => {
    const reply = await t.api
      .as(tokenFor({ sub: 'auditor', roles: ['compliance'] }))
      .get<Report>('/api/v1/audit/verify');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ ok: true, eventsChecked: 8, firstBrokenLink: null });
    expect(reply.body.sealsChecked).toBeGreaterThan(0);
    expect(reply.body.lastSeal?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is 403 for a rep', async () => {
    const reply = await t.api
      .as(tokenFor({ sub: 'alice', roles: ['rep'], salespersonId: 'alice' }))
      .get('/api/v1/audit/verify');
    expect([reply.status, reply.body.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('checks an anchor given as expectSeal, and refuses a malformed one with 400', async () => {
    const first = await t.api.get<Report>('/api/v1/audit/verify');
    const { sealNo, hash } = first.body.lastSeal!;
    const anchored = await t.api.get<Report>(`/api/v1/audit/verify?expectSeal=${sealNo}:${hash}`);
    expect(anchored.body.ok).toBe(true);
    const stale = await t.api.get<Report>(`/api/v1/audit/verify?expectSeal=${sealNo}:${'0'.repeat(64)}`);
    expect([stale.status, stale.body.ok]).toEqual([200, false]);
    const bad = await t.api.get('/api/v1/audit/verify?expectSeal=nonsense');
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});

describe('npm run verify-log', () => {
  it('exits 0 on an intact log and prints the latest seal to note; exits 1 naming exactly an edited event', async () => {
    // When the log is intact
    const intact = await runVerifyLog();
    expect({ code: intact.code, intact: intact.output.includes('INTACT') }).toEqual({ code: 0, intact: true });
    expect(intact.output).toContain('on DATABASE_URL');
    const seal = /--expect-seal (\d+:[0-9a-f]{64})/.exec(intact.output)?.[1];
    expect(seal).toBeDefined();
    expect((await runVerifyLog('--expect-seal', seal!)).code).toBe(0);

    // When a superuser edits the booked sale's amount directly, bypassing the append-only trigger
    const su = new Client({ connectionString: t.db.url });
    await su.connect();
    let target: { global_position: string; event_id: string };
    try {
      target = (
        await su.query<{ global_position: string; event_id: string }>(
          `SELECT global_position::text AS global_position, event_id::text AS event_id
             FROM es_events WHERE stream_id = 'order-O1' AND stream_revision = 0`,
        )
      ).rows[0]!;
      await su.query('SET session_replication_role = replica');
      await su.query(`UPDATE es_events SET data = jsonb_set(data, '{amount,amount}', '1') WHERE global_position = $1`, [
        target.global_position,
      ]);
    } finally {
      await su.end();
    }

    // Then verify-log fails at exactly that event
    const broken = await runVerifyLog();
    expect(broken.code).toBe(1);
    expect(broken.output).toContain('BROKEN');
    expect(broken.output).toMatch(new RegExp(`position: ${target.global_position}\\n`));
    expect(broken.output).toContain(`event id: ${target.event_id}`);
    expect(broken.output).toContain('stream:   order-O1');
    expect(broken.output).toContain('revision: 0');
    expect(broken.output).toContain('edited');
    // and so does the endpoint
    const reply = await t.api.get<Report>('/api/v1/audit/verify');
    expect([reply.status, reply.body.ok]).toEqual([200, false]);
    expect(reply.body.firstBrokenLink).toMatchObject({
      globalPosition: target.global_position,
      eventId: target.event_id,
    });
  }, 60_000);
});
