/** Period close (domain.md §4) through the HTTP API: statements, order, prior-period entries. */
import type { RunningSystem } from '../../libs/bootstrap/src/system';
import type { Api, Reply } from '../support/http';
import { startTestSystem, type TestSystem } from '../support/test-system';

let t: TestSystem;
let system: RunningSystem;
let api: Api;
const USD = (amount: number) => ({ amount, currency: 'USD' });
const consistent = () => t.consistent();
const ok = async (reply: Promise<Reply>): Promise<void> => void (await t.ok(reply));

beforeAll(async () => {
  t = await startTestSystem();
  ({ system, api } = t);
  await ok(
    api.post('/api/v1/plans', {
      planId: 'P2',
      name: 'Collection',
      currency: 'USD',
      basis: 'COLLECTION',
      rateBps: 500,
      clawback: { windowDays: 60, percentBps: 5000 },
    }),
  );
  await ok(api.post('/api/v1/salespeople', { salespersonId: 'alice', name: 'Alice', hiredOn: '2025-01-01' }));
  await ok(
    api.post('/api/v1/salespeople/alice/plan-assignments', {
      assignmentId: 'A1',
      planId: 'P2',
      effectiveFrom: '2026-01-01',
    }),
  );
  await ok(
    api.post('/api/v1/customers', {
      customerId: 'C1',
      name: 'Acme',
      paymentTermsDays: 30,
      salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
    }),
  );
  await ok(
    api.post('/api/v1/orders', {
      orderId: 'O1',
      customerId: 'C1',
      amount: USD(10_000_000),
      bookedAt: '2026-01-10T00:00:00Z',
    }),
  );
  await ok(
    api.post('/api/v1/orders/O1/payments', {
      paymentId: 'PAY1',
      amount: USD(2_000_000),
      receivedAt: '2026-01-20T00:00:00Z',
    }),
  );
  await ok(
    api.post('/api/v1/orders/O1/payments', {
      paymentId: 'PAY2',
      amount: USD(2_000_000),
      receivedAt: '2026-02-20T00:00:00Z',
    }),
  );
});

afterAll(async () => {
  await t?.close();
});

describe('closing periods', () => {
  it('refuses to close a period that has not ended, or out of order', async () => {
    const future = await api.post('/api/v1/periods/2999-01/close', {});
    expect(future.body).toMatchObject({ status: 422, code: 'PERIOD_NOT_ENDED' });
    const outOfOrder = await api.post('/api/v1/periods/2026-02/close', {});
    expect(outOfOrder.body).toMatchObject({ status: 422, code: 'PERIOD_ORDER' });
    expect((await api.post('/api/v1/periods/2026-13/close', {})).status).toBe(400);
  });

  it('records every statement in PeriodClosed, equal to the ledger', async () => {
    await ok(api.post('/api/v1/periods/2026-01/close', {}));
    const [closed] = await system.store.readStream('periods-ledger');
    expect(closed?.type).toBe('PeriodClosed');
    const ledger = await api.get('/api/v1/salespeople/alice/ledger?period=2026-01', consistent());
    expect((closed?.data as { statements: unknown[] }).statements).toEqual([
      expect.objectContaining({
        salespersonId: 'alice',
        opening: ledger.body.opening,
        earned: ledger.body.earned,
        closing: ledger.body.closing,
        entryCount: 1,
        digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);
    expect(ledger.body).toMatchObject({ earned: 100_000 });
    expect((await api.post('/api/v1/periods/2026-01/close', {})).status).toBe(201); // a repeat: same answer
  });

  it('refuses adjustments to a closed period', async () => {
    const r = await api.post('/api/v1/salespeople/alice/adjustments', {
      adjustmentId: 'ADJ-1',
      period: '2026-01',
      amount: USD(100),
      reason: 'late fix',
    });
    expect(r.body).toMatchObject({ status: 422, code: 'PERIOD_CLOSED' });
  });

  it('posts a late fact of a closed period to the first open period, marked with its original period', async () => {
    await ok(
      api.post('/api/v1/orders/O1/payments', {
        paymentId: 'PAY-late',
        amount: USD(1_000_000),
        receivedAt: '2026-01-25T00:00:00Z',
      }),
    );
    const jan = await api.get('/api/v1/salespeople/alice/ledger?period=2026-01', consistent());
    expect(jan.body).toMatchObject({ earned: 100_000, closing: 100_000 }); // a closed statement never changes
    const feb = await api.get('/api/v1/salespeople/alice/ledger?period=2026-02', consistent());
    expect(feb.body).toMatchObject({ opening: 100_000, earned: 150_000, closing: 250_000 });
    const entries = feb.body.entries as Array<{ originalPeriod: string | null; amount: number }>;
    expect(entries.map((e) => [e.amount, e.originalPeriod])).toEqual([
      [100_000, null],
      [50_000, '2026-01'],
    ]);
  });

  it('serves the closed statement as JSON and CSV, with the digest recorded at close', async () => {
    const json = await api.get('/api/v1/salespeople/alice/statements/2026-01', consistent());
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({
      salespersonId: 'alice',
      period: '2026-01',
      earned: 100_000,
      closing: 100_000,
      closed: true,
    });
    expect(json.body.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(json.body.recordedDigest).toBe(json.body.digest);
    const open = await api.get('/api/v1/salespeople/alice/statements/2026-02', consistent());
    expect(open.body).toMatchObject({ closed: false, recordedDigest: null, closing: 250_000 });
    const csv = await api.get('/api/v1/salespeople/alice/statements/2026-02?format=csv', consistent());
    expect(csv.contentType).toContain('text/csv');
    const lines = String(csv.body).trim().split('\r\n');
    expect(lines[0]).toMatch(/^line,salespersonId,period,entryId,type,amount/);
    expect(lines[1]).toMatch(/^OPENING,alice,2026-02,,,100000,USD/);
    expect(lines.filter((l) => l.startsWith('ENTRY,'))).toHaveLength(2);
    expect(lines[lines.length - 1]).toMatch(/^CLOSING,alice,2026-02,,,250000,USD/);
    expect((await api.get('/api/v1/salespeople/alice/statements/2026-02?format=xml')).status).toBe(400);
  });
});
