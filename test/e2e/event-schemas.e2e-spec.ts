/**
 * Published event schemas and upcasting (issue 5, items 4 and 5), through the running system:
 *
 * - every event type the system emits, driven through the HTTP API, read back from the feed and
 *   validated against the envelope and the schema of its type and (current) version;
 * - a PeriodClosed of schema version 1 appended directly to the store, as a system from before
 *   version 2 wrote it (no `throughLogPosition`): the store, the feed and the SSE stream deliver it
 *   as version 2 with `throughLogPosition: null`, the ledger handles it (no reposts, later entries
 *   of the closed period post to the first open one), the close after it is written as version 2,
 *   and the hash chain still verifies the stored bytes (HTTP and `npm run verify-log`);
 * - GET /api/v1/event-schemas and /event-schemas/{type}/{version}: 200, 404, 403.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresSealReader, PostgresStreamHeadReader } from '../../libs/audit/src/verify-log/log-sources';
import { LogVerifier } from '../../libs/audit/src/verify-log/log-verifier';
import { PERIODS_STREAM } from '../../libs/commissions/src/contracts/commissions.events';
import { periodStatements } from '../../libs/commissions/src/periods/close-period/period-statements';
import { storedEventsOf } from '../../libs/eventsourcing/src/upcasting/upcasting-event-store';
import { EVENT_SCHEMAS } from '../../libs/feed/src/event-schemas/published-events';
import { EventSchemaValidator, type FeedEvent } from '../../libs/feed/src/event-schemas/testing/event-schema-validator';
import { type Reply, tokenFor } from '../support/http';
import { ROOT, runTool } from '../support/processes';
import { startTestSystem, type TestSystem } from '../support/test-system';

let t: TestSystem;
const USD = (amount: number) => ({ amount, currency: 'USD' });
const ok = async (reply: Promise<Reply>): Promise<void> => void (await t.ok(reply));
const validator = new EventSchemaValidator();

interface FeedItem extends FeedEvent {
  readonly eventId: string;
  readonly streamId: string;
  readonly data: Record<string, unknown>;
}

async function wholeFeed(types?: string): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  let after = '';
  for (;;) {
    const query = new URLSearchParams({ limit: '1000', ...(after ? { after } : {}), ...(types ? { types } : {}) });
    const page = await t.api.get<{ items: FeedItem[]; nextCursor: string; isEnd: boolean }>(`/api/v1/events?${query}`);
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    if (page.body.isEnd) return items;
    after = page.body.nextCursor;
  }
}

/** The first `count` events of the SSE stream, as JSON. */
async function sseEvents(query: string, count: number): Promise<FeedItem[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 10_000);
  try {
    const response = await fetch(`${t.system.url}/api/v1/events/stream${query}`, {
      headers: { authorization: `Bearer ${tokenFor({ roles: ['service'] })}`, accept: 'text/event-stream' },
      signal: abort.signal,
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const events: FeedItem[] = [];
    let buffer = '';
    while (events.length < count) {
      const chunk = await reader.read();
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const data = buffer
          .slice(0, end)
          .split('\n')
          .find((line) => line.startsWith('data: '));
        buffer = buffer.slice(end + 2);
        if (data) events.push(JSON.parse(data.slice('data: '.length)) as FeedItem);
      }
    }
    return events;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

beforeAll(async () => {
  t = await startTestSystem();
});

afterAll(async () => {
  await t?.close();
});

describe('every event type the system emits matches its published schema', () => {
  beforeAll(async () => {
    const { api } = t;
    await ok(
      api.post('/api/v1/plans', {
        planId: 'P1',
        name: 'Booking 10 %',
        currency: 'USD',
        basis: 'BOOKING',
        rateBps: 1000,
        clawback: { windowDays: 90, percentBps: 10000 },
      }),
    );
    for (const [who, extra] of [
      ['bob', {}],
      ['alice', { teamId: 'east', managerId: 'bob' }],
    ] as const) {
      await ok(api.post('/api/v1/salespeople', { salespersonId: who, name: who, hiredOn: '2025-01-01', ...extra }));
      await ok(
        api.post(`/api/v1/salespeople/${who}/plan-assignments`, {
          assignmentId: `A-${who}`,
          planId: 'P1',
          effectiveFrom: '2026-01-01',
        }),
      );
    }
    await ok(
      api.put('/api/v1/salespeople/alice/quotas/2026', {
        quotaId: 'Q-alice-2026',
        annualTarget: USD(120_000_001),
        monthlyWeightsBps: [700, 700, 800, 800, 900, 900, 800, 800, 900, 900, 900, 900],
      }),
    );
    await ok(
      api.post('/api/v1/customers', {
        customerId: 'C1',
        name: 'Acme',
        paymentTermsDays: 30,
        creditLimit: USD(50_000_000),
        salesCredits: [
          { salespersonId: 'alice', splitBps: 6000 },
          { salespersonId: 'bob', splitBps: 4000 },
        ],
      }),
    );
    await ok(
      api.post('/api/v1/orders', {
        orderId: 'O1',
        customerId: 'C1',
        amount: USD(10_000_000),
        bookedAt: '2026-01-10T00:00:00Z',
        businessUnit: 'enterprise',
        lines: [
          { sku: 'SKU-1', description: 'Licence', quantity: 2, amount: USD(8_000_000) },
          { quantity: 1, amount: USD(2_000_000) },
        ],
      }),
    );
    await ok(
      api.post('/api/v1/orders/O1/invoices', {
        invoiceId: 'INV1',
        amount: USD(10_000_000),
        issuedAt: '2026-01-15T00:00:00Z',
        dueDate: '2026-02-14',
      }),
    );
    await ok(
      api.post('/api/v1/orders/O1/payments', {
        paymentId: 'PAY1',
        amount: USD(4_000_000),
        receivedAt: '2026-01-20T00:00:00+01:00',
      }),
    );
    // CollectionTaskFellDue: the due scan on 2026-02-11 finds INV1's reminder before its due date due.
    const scan = await api.post('/api/v1/collection-tasks/fall-due-scan', { asOf: '2026-02-11T00:00:00Z' });
    expect([scan.status, (scan.body.fellDue as Array<{ taskId: string }>).map((f) => f.taskId)]).toEqual([
      200,
      ['O1:INV1:reminder-before'],
    ]);
    // Collections, write side: a policy, its assignment, and an action, a promise and a dispute on INV1.
    await ok(
      api.post('/api/v1/collection-policies', {
        policyId: 'CP1',
        name: 'Strict',
        steps: [
          { stepId: 'pre', offsetDays: -5, action: 'REMINDER', responsible: 'SALESPERSON' },
          { stepId: 'call', offsetDays: 7, action: 'CALL', responsible: 'MANAGER' },
        ],
      }),
    );
    await ok(
      api.post('/api/v1/customers/C1/collection-policy', {
        assignmentId: 'CPA1',
        policyId: 'CP1',
        effectiveFrom: '2026-03-01',
      }),
    );
    await ok(
      api.post('/api/v1/orders/O1/collection-actions', {
        actionId: 'ACT1',
        invoiceId: 'INV1',
        stepId: 'reminder-before',
        action: 'REMINDER',
        takenAt: '2026-01-21T09:00:00Z',
        note: 'e-mail sent',
      }),
    );
    await ok(
      api.post('/api/v1/orders/O1/payment-promises', {
        promiseId: 'PRM1',
        invoiceId: 'INV1',
        amount: USD(1_000_000),
        promisedDate: '2026-01-27',
        recordedAt: '2026-01-21T10:00:00Z',
      }),
    );
    await ok(
      api.post('/api/v1/orders/O1/disputes', {
        disputeId: 'DSP1',
        invoiceId: 'INV1',
        reason: 'price',
        disputedAt: '2026-01-22T00:00:00Z',
      }),
    );
    await ok(api.post('/api/v1/orders/O1/disputes/DSP1/resolution', { resolvedAt: '2026-01-23T00:00:00Z' }));
    await ok(
      api.post('/api/v1/orders/O1/cancellations', {
        cancellationId: 'X1',
        cancelledAt: '2026-01-25T00:00:00Z',
        reason: 'partial cancellation',
        amount: USD(1_000_000),
      }),
    );
    await ok(
      api.post('/api/v1/orders/O1/returns', {
        returnId: 'R1',
        returnedAt: '2026-01-26T00:00:00Z',
        reason: 'damaged',
        amount: USD(500_000),
      }),
    );
    await ok(
      api.post('/api/v1/orders/O1/write-offs', {
        writeOffId: 'W1',
        writtenOffAt: '2026-01-28T00:00:00Z',
        reason: 'bad debt',
      }),
    );
    await ok(
      api.post('/api/v1/customers/C1/sales-credits', {
        reassignmentId: 'RA1',
        effectiveFrom: '2026-02-01',
        salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
      }),
    );
    // CreditLimitSet (C1's bookings above reserved credit: CustomerCreditReserved).
    await ok(api.post('/api/v1/customers/C1/credit-limit', { creditLimitId: 'CL-C1-1', creditLimit: USD(60_000_000) }));
    await ok(
      api.post('/api/v1/salespeople/alice/adjustments', {
        adjustmentId: 'ADJ1',
        period: '2026-01',
        amount: USD(-2_500),
        reason: 'correction',
      }),
    );
    await ok(
      api.post('/api/v1/payouts', {
        payoutId: 'PO1',
        salespersonId: 'alice',
        amount: USD(100_000),
        paidAt: '2026-01-31T00:00:00Z',
      }),
    );
    // Issue 10 (docs/plans-and-channels.md): a plan with every optional term, a distributor, a sale to
    // it (toDistributor), a secondary sale, a business unit's quota and a recalculation request.
    await ok(
      api.post('/api/v1/plans', {
        planId: 'PT',
        name: 'Tiered',
        currency: 'USD',
        basis: 'BOOKING',
        rateBps: 1000,
        clawback: { windowDays: 90, percentBps: 10000 },
        tiers: [
          { fromAttainmentBps: 0, rateBps: 1000 },
          { fromAttainmentBps: 10000, rateBps: 1500 },
        ],
        overrideRateBps: 200,
        holdbackBps: 2000,
        primaryDistributorSalesEarn: true,
        secondaryRateBps: 800,
      }),
    );
    await ok(
      api.post('/api/v1/distributors', {
        distributorId: 'D1',
        name: 'Northwind',
        paymentTermsDays: 45,
        salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
      }),
    );
    await ok(
      api.post('/api/v1/orders', {
        orderId: 'O-D1',
        customerId: 'D1',
        amount: USD(2_000_000),
        bookedAt: '2026-01-12T00:00:00Z',
      }),
    );
    await ok(
      api.post('/api/v1/distributors/D1/secondary-sales', {
        saleId: 'SS1',
        amount: USD(500_000),
        soldAt: '2026-01-13T00:00:00Z',
        endCustomer: 'Contoso',
        businessUnit: 'enterprise',
      }),
    );
    await ok(
      api.put('/api/v1/salespeople/alice/quotas/2026', {
        quotaId: 'Q-alice-2026-enterprise',
        annualTarget: USD(60_000_000),
        monthlyWeightsBps: [700, 700, 800, 800, 900, 900, 800, 800, 900, 900, 900, 900],
        businessUnit: 'enterprise',
      }),
    );
    await ok(
      api.post('/api/v1/salespeople/alice/recalculations', {
        recalculationId: 'RC1',
        reason: 'assignment corrected',
        fromPeriod: '2026-01',
      }),
    );
    await ok(api.post('/api/v1/salespeople/bob/termination', { terminatedOn: '2026-01-31' }));
    await ok(api.post('/api/v1/periods/2026-01/close', {}));
  }, 60_000);

  it('covers every published type, and every event is valid against the envelope and its current schema', async () => {
    const feed = await wholeFeed();
    expect(new Set(feed.map((e) => e.type))).toEqual(new Set(Object.keys(EVENT_SCHEMAS.currentVersions())));
    for (const event of feed) {
      expect({ event: `${event.type}@${event.streamId}`, errors: validator.feedEventErrors(event) }).toEqual({
        event: `${event.type}@${event.streamId}`,
        errors: [],
      });
    }
    const [closed] = feed.filter((e) => e.type === 'PeriodClosed');
    expect(closed).toMatchObject({
      schemaVersion: 2,
      data: { throughLogPosition: expect.stringMatching(/^\d+\/\d+$/) },
    });
  });
});

describe('a PeriodClosed of schema version 1 (recorded before throughLogPosition existed) is upcast on read', () => {
  let v1Id: string;
  const v1Data: Record<string, unknown> = {};

  beforeAll(async () => {
    // 2026-02: one sale, applied by the ledger; then an old system's close of February, as stored.
    await ok(
      t.api.post('/api/v1/orders', {
        orderId: 'O2',
        customerId: 'C1',
        amount: USD(3_000_000),
        bookedAt: '2026-02-10T00:00:00Z',
      }),
    );
    await t.system.engine.waitUntilCaughtUp(10_000);
    const statements = await periodStatements(t.system.dataSource, '2026-02');
    Object.assign(v1Data, { period: '2026-02', closedBy: 'old-system', throughPosition: t.lastPosition, statements });
    const [head] = (await t.system.store.readStream(PERIODS_STREAM)).slice(-1);
    v1Id = randomUUID();
    const appended = await storedEventsOf(t.system.store).appendToStream(
      PERIODS_STREAM,
      [
        {
          id: v1Id,
          type: 'PeriodClosed',
          schemaVersion: 1,
          data: v1Data,
          occurredAt: '2026-03-01T08:00:00.000Z',
          metadata: {
            actor: 'old-system',
            commandId: '2026-02',
            commandType: 'ClosePeriod',
            correlationId: randomUUID(),
            causationId: randomUUID(),
          },
        },
      ],
      { expectedRevision: head!.streamRevision },
    );
    t.lastPosition = appended.globalPosition.toString();
    // A late February sale: February is closed, so its entry posts to March (prior-period entry).
    await ok(
      t.api.post('/api/v1/orders', {
        orderId: 'O3',
        customerId: 'C1',
        amount: USD(1_000_000),
        bookedAt: '2026-02-20T00:00:00Z',
      }),
    );
  }, 60_000);

  it('is stored as version 1 without the field, and valid against the published v1 schema', async () => {
    const stored = (await storedEventsOf(t.system.store).readStream(PERIODS_STREAM)).find((e) => e.id === v1Id)!;
    expect(stored.schemaVersion).toBe(1);
    expect(stored.data).toEqual(v1Data);
    expect(stored.data).not.toHaveProperty('throughLogPosition');
    expect(validator.dataErrors('PeriodClosed', 1, stored.data)).toEqual([]);
    expect(validator.dataErrors('PeriodClosed', 2, stored.data)).not.toEqual([]);
  });

  it('reads as version 2 with throughLogPosition null from the store, the feed and the SSE stream', async () => {
    const fromStore = (await t.system.store.readStream(PERIODS_STREAM)).find((e) => e.id === v1Id)!;
    expect(fromStore).toMatchObject({ schemaVersion: 2, data: { ...v1Data, throughLogPosition: null } });
    const fromAll = (await t.system.store.readAll({ maxCount: 1000, eventTypes: ['PeriodClosed'] })).events;
    expect(fromAll.find((e) => e.id === v1Id)).toMatchObject({ schemaVersion: 2, data: { throughLogPosition: null } });

    const feed = await wholeFeed('PeriodClosed');
    const sse = await sseEvents('?types=PeriodClosed', 2);
    for (const events of [feed, sse]) {
      expect(events.map((e) => e.schemaVersion)).toEqual([2, 2]);
      const old = events.find((e) => e.eventId === v1Id)!;
      expect(old.data).toEqual({ ...v1Data, throughLogPosition: null });
      for (const e of events) expect(validator.feedEventErrors(e)).toEqual([]);
    }
    expect(sse).toEqual(feed);
  });

  it('the ledger handles it: February closed with nothing reposted, the late February sale posts to March', async () => {
    const feb = await t.api.get<{ entries: Array<{ orderId: string; repostedFrom: string | null }> }>(
      '/api/v1/salespeople/alice/ledger?period=2026-02',
      t.consistent(),
    );
    expect(feb.status).toBe(200);
    expect(feb.body.entries.map((e) => [e.orderId, e.repostedFrom])).toEqual([['O2', null]]);
    const mar = await t.api.get<{ entries: Array<{ orderId: string; period: string; originalPeriod: string | null }> }>(
      '/api/v1/salespeople/alice/ledger?period=2026-03',
      t.consistent(),
    );
    expect(mar.body.entries.map((e) => [e.orderId, e.period, e.originalPeriod])).toEqual([
      ['O3', '2026-03', '2026-02'],
    ]);
    const projections = await t.api.get<{ items: Array<{ name: string; lastError: string | null }> }>(
      '/api/v1/projections',
    );
    expect(projections.body.items.filter((p) => p.lastError !== null)).toEqual([]);
  });

  it('commands decide on the upcast history and write the current version', async () => {
    // March can close only once every earlier period with activity is closed (else PERIOD_ORDER):
    // the decider sees February closed by the upcast v1 event.
    await ok(t.api.post('/api/v1/periods/2026-03/close', {}));
    const stored = await storedEventsOf(t.system.store).readStream(PERIODS_STREAM);
    expect(stored.map((e) => [(e.data as { period: string }).period, e.schemaVersion])).toEqual([
      ['2026-01', 2],
      ['2026-02', 1],
      ['2026-03', 2],
    ]);
    expect(validator.dataErrors('PeriodClosed', 2, stored[2]!.data)).toEqual([]);
  });

  it('the hash chain still verifies the stored bytes (HTTP and npm run verify-log); the upcast bytes would not', async () => {
    await t.system.engine.waitUntilCaughtUp(10_000);
    const report = await t.api.get<{ ok: boolean; brokenLinkCount: number }>('/api/v1/audit/verify');
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ ok: true, brokenLinkCount: 0 });
    const cli = await runTool('verify-log', [], { DATABASE_URL: t.db.url });
    expect({ code: cli.code, intact: cli.stdout.includes('INTACT') }).toEqual({ code: 0, intact: true });

    // Why the verifier must read the stored events: hashing what readers see breaks at the upcast event.
    const throughUpcaster = await new LogVerifier(
      t.system.store,
      new PostgresSealReader(t.system.dataSource),
      new PostgresStreamHeadReader(t.system.dataSource),
    ).verify();
    expect(throughUpcaster.ok).toBe(false);
    expect(throughUpcaster.firstBrokenLink).toMatchObject({ eventId: v1Id, streamId: PERIODS_STREAM });
  });
});

describe('GET /api/v1/event-schemas', () => {
  const as = (roles: string[], extra: Record<string, string> = {}) => t.api.as(tokenFor({ roles, ...extra }));

  it('lists every schema with its version and whether it is current, the current versions and the envelope', async () => {
    for (const role of ['service', 'compliance', 'admin']) {
      const reply = await as([role]).get<{
        items: Array<{ type: string; version: number; current: boolean; schema: Record<string, unknown> }>;
        currentVersions: Record<string, number>;
        envelope: Record<string, unknown>;
      }>('/api/v1/event-schemas');
      expect(reply.status).toBe(200);
      expect(reply.body.items.map((i) => `${i.type}/v${i.version}${i.current ? '*' : ''}`)).toEqual(
        EVENT_SCHEMAS.list().map((s) => `${s.type}/v${s.version}${s.current ? '*' : ''}`),
      );
      expect(reply.body.items.find((i) => i.type === 'PeriodClosed' && i.version === 1)?.current).toBe(false);
      expect(reply.body.currentVersions).toMatchObject({ PeriodClosed: 2, SaleBooked: 1 });
      expect(reply.body.envelope).toMatchObject({ $id: 'https://docs.commissions.example/events/envelope/v1' });
    }
  });

  it('answers one schema, byte for byte the file kept in the repository', async () => {
    const file = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as unknown;
    const sale = await t.api.get('/api/v1/event-schemas/SaleBooked/1');
    expect(sale.status).toBe(200);
    expect(sale.body).toEqual(file('libs/sales/src/contracts/schemas/SaleBooked.v1.schema.json'));
    const closeV2 = await as(['service']).get('/api/v1/event-schemas/PeriodClosed/v2');
    expect(closeV2.body).toEqual(file('libs/commissions/src/contracts/schemas/PeriodClosed.v2.schema.json'));
    const closeV1 = await t.api.get('/api/v1/event-schemas/PeriodClosed/1');
    expect(closeV1.body).toMatchObject({ $id: 'https://docs.commissions.example/events/PeriodClosed/v1' });
    const envelope = await t.api.get('/api/v1/event-schemas/envelope/1');
    expect(envelope.body).toEqual(file('libs/feed/src/event-schemas/event-envelope.v1.schema.json'));
  });

  it('404 for an unknown type or version, 403 for a rep or a manager', async () => {
    for (const path of ['Nope/1', 'SaleBooked/2', 'PeriodClosed/3', 'SaleBooked/latest', 'envelope/2']) {
      const reply = await t.api.get(`/api/v1/event-schemas/${path}`);
      expect({ path, status: reply.status, code: reply.body.code }).toEqual({ path, status: 404, code: 'NOT_FOUND' });
    }
    const rep = await as(['rep'], { salespersonId: 'alice' }).get('/api/v1/event-schemas');
    expect(rep.status).toBe(403);
    const manager = await as(['manager'], { teamId: 'east' }).get('/api/v1/event-schemas/SaleBooked/1');
    expect(manager.status).toBe(403);
  });
});
