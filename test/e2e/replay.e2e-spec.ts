/**
 * Replay of a period (issue 4, item 1) through the HTTP API and the CLI: rebuilt in an isolated
 * schema, compared with the live read models, with a digest that is the same on every run and
 * equals the one recorded at close; a tampered read model is reported row by row.
 */
import { canonicalJson, sha256Hex } from '../../libs/eventsourcing/src/ids';
import { tokenFor, type Reply } from '../support/http';
import { runTool } from '../support/processes';
import { startTestSystem, type TestSystem } from '../support/test-system';

let t: TestSystem;
const USD = (amount: number) => ({ amount, currency: 'USD' });
const ok = async (reply: Promise<Reply>): Promise<void> => void (await t.ok(reply));
const compliance = () => t.api.as(tokenFor({ sub: 'auditor-1', roles: ['compliance'] }));

interface Report {
  period: string;
  eventsRead: number;
  rowsCompared: number;
  differences: Array<{ projection: string; table: string; kind: string; key: Record<string, unknown> }>;
  differencesTotal: number;
  digest: string;
  statements: unknown[];
  recorded: { digest: string; matches: boolean; closedBy: string } | null;
}

async function replay(body: Record<string, unknown>): Promise<Report> {
  const reply = await compliance().post<Report>('/api/v1/replays', body);
  if (reply.status !== 200) throw new Error(`replay answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  return (await t.system.dataSource.query(text, params)) as T[];
}

const runCli = (tool: string, args: string[]) => runTool(tool, args, { DATABASE_URL: t.db.url });
const runReplayCli = (args: string[]) => runCli('replay', args);

beforeAll(async () => {
  t = await startTestSystem();
  const api = t.api;
  await ok(
    api.post('/api/v1/plans', {
      planId: 'RP1',
      name: 'Booking 10%',
      currency: 'USD',
      basis: 'BOOKING',
      rateBps: 1000,
      clawback: { windowDays: 90, percentBps: 10000 },
    }),
  );
  for (const id of ['ria', 'raj']) {
    await ok(api.post('/api/v1/salespeople', { salespersonId: id, name: id, hiredOn: '2025-01-01', teamId: 'T1' }));
    await ok(
      api.post(`/api/v1/salespeople/${id}/plan-assignments`, {
        assignmentId: `A-${id}`,
        planId: 'RP1',
        effectiveFrom: '2026-01-01',
      }),
    );
  }
  await ok(
    api.post('/api/v1/customers', {
      customerId: 'RC1',
      name: 'Replay Corp',
      paymentTermsDays: 30,
      salesCredits: [
        { salespersonId: 'ria', splitBps: 6000 },
        { salespersonId: 'raj', splitBps: 4000 },
      ],
    }),
  );
  for (let i = 1; i <= 6; i++) {
    const month = i <= 3 ? '01' : '02';
    await ok(
      api.post('/api/v1/orders', {
        orderId: `RO${i}`,
        customerId: 'RC1',
        amount: USD(100_000 * i + 33),
        bookedAt: `2026-${month}-${String(i + 5).padStart(2, '0')}T10:00:00Z`,
      }),
    );
    await ok(
      api.post(`/api/v1/orders/RO${i}/payments`, {
        paymentId: `RPAY${i}`,
        amount: USD(50_000),
        receivedAt: `2026-${month}-25T00:00:00Z`,
      }),
    );
  }
  await ok(
    api.post('/api/v1/orders/RO2/cancellations', {
      cancellationId: 'RX2',
      cancelledAt: '2026-01-28T00:00:00Z',
      reason: 'lost',
    }),
  );
  await ok(api.post('/api/v1/periods/2026-01/close', {}));
  // A January fact recorded after the close: posted to February as a prior-period entry.
  await ok(
    api.post('/api/v1/orders/RO1/returns', {
      returnId: 'RR1',
      returnedAt: '2026-01-30T00:00:00Z',
      reason: 'damaged',
      amount: USD(10_000),
    }),
  );
  await t.system.engine.waitUntilCaughtUp();
});

afterAll(async () => {
  await t?.close();
});

describe('POST /api/v1/replays', () => {
  it('reproduces a closed period exactly: no differences, and the digest recorded at close', async () => {
    const eventsBefore = await sql<{ n: number }>('SELECT count(*)::int AS n FROM es_events');
    const checkpointsBefore = await sql('SELECT name, position FROM projection_checkpoints ORDER BY name');

    const first = await replay({ period: '2026-01' });
    const second = await replay({ period: '2026-01' });

    expect(first.differences).toEqual([]);
    expect(first.differencesTotal).toBe(0);
    expect(first.rowsCompared).toBeGreaterThan(10);
    expect(first.eventsRead).toBe(eventsBefore[0]!.n);
    expect(first.recorded).toMatchObject({ matches: true, closedBy: 'test-admin' });
    expect(first.digest).toBe(first.recorded!.digest);
    expect(second.digest).toBe(first.digest);
    // The documented canonical form: SHA-256 of the canonical JSON of the statements.
    expect(first.digest).toBe(sha256Hex(canonicalJson(first.statements)));
    const [closed] = await sql<{ data: { statements: unknown[] } }>(
      `SELECT data FROM es_events WHERE event_type = 'PeriodClosed'`,
    );
    expect(sha256Hex(canonicalJson(closed!.data.statements))).toBe(first.digest);

    // Nothing live was written: same log, same checkpoints, no schema left behind.
    expect(await sql('SELECT count(*)::int AS n FROM es_events')).toEqual(eventsBefore);
    expect(await sql('SELECT name, position FROM projection_checkpoints ORDER BY name')).toEqual(checkpointsBefore);
    expect(await sql(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'replay%'`)).toEqual([]);
  });

  it('replays an open period with its prior-period entry, and says it is open', async () => {
    const report = await replay({ period: '2026-02', projections: ['commission-ledger'] });
    expect(report).toMatchObject({ period: '2026-02', differencesTotal: 0, recorded: null });
    const prior = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM ledger_entries WHERE period = '2026-02' AND original_period = '2026-01'`,
    );
    expect(prior[0]!.n).toBe(2); // ria's and raj's clawback of the late January return
  });

  it('names the rows of a live read model that no longer follow from the events', async () => {
    const [victim] = await sql<{ entry_id: string }>(
      `SELECT entry_id FROM ledger_entries WHERE period = '2026-02' AND type = 'EARNED' ORDER BY entry_id LIMIT 1`,
    );
    await sql('UPDATE ledger_entries SET amount = amount + 1 WHERE entry_id = $1', [victim!.entry_id]);
    await sql(`DELETE FROM ttc_milestones WHERE order_id = 'RO5' AND type = 'PAYMENT'`);

    const report = await replay({ period: '2026-02' });
    expect(report.differencesTotal).toBe(2);
    expect(report.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          projection: 'commission-ledger',
          table: 'ledger_entries',
          kind: 'changed',
          key: { entry_id: victim!.entry_id },
        }),
        expect.objectContaining({ projection: 'track-to-cash', table: 'ttc_milestones', kind: 'missing' }),
      ]),
    );

    const cli = await runReplayCli(['--period', '2026-02', '--projections', 'commission-ledger']);
    expect(cli.code).toBe(1);
    expect(cli.output).toContain(victim!.entry_id);
    expect(cli.output).toMatch(/2026-02 .* 1 differences/);

    // A rebuild from the log repairs the read models; the replay agrees again.
    // npm run rebuild (the built CLI) beside the running server, then the engine's own rebuild.
    const rebuilt = await runCli('rebuild', ['commission-ledger']);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.output).toMatch(/commission-ledger: \d+ events read once for all, switched in/);
    await t.system.engine.rebuild('track-to-cash');
    await t.system.engine.waitUntilCaughtUp();
    expect((await replay({ period: '2026-02' })).differencesTotal).toBe(0);
    const clean = await runReplayCli(['--closed']);
    expect(clean.code).toBe(0);
    expect(clean.output).toMatch(/2026-01 .* 0 differences .* equals the digest recorded at close/);
  });

  it('is for compliance and admin only, and refuses bad input with 400', async () => {
    const rep = t.api.as(tokenFor({ roles: ['rep'], salespersonId: 'ria' }));
    expect((await rep.post('/api/v1/replays', { period: '2026-01' })).status).toBe(403);
    expect(
      (await t.api.as(tokenFor({ roles: ['finance'] })).post('/api/v1/replays', { period: '2026-01' })).status,
    ).toBe(403);
    const bad = await compliance().post('/api/v1/replays', { period: '2026-13' });
    expect(bad.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    const unknown = await compliance().post('/api/v1/replays', { period: '2026-01', projections: ['nope'] });
    expect(unknown.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await compliance().post('/api/v1/replays', { period: '2026-01', extra: 1 })).status).toBe(400);
  });
});
