/**
 * Credit limits through the HTTP API of the whole system (real PostgreSQL event store): a sale
 * over the limit is 422 CREDIT_LIMIT_EXCEEDED with the figures and appends nothing; an override is
 * accepted and recorded (who approved, why, the exposure and limit, the actor); payments free
 * credit; a retried booking reserves once; a limit set on a customer with open orders counts them;
 * and the concurrent case: 16 bookings at once for one customer whose remaining credit allows
 * exactly k of them: exactly k accepted, the rest 422, the sum never over the limit, and the same
 * when every request is sent again. Figures go to test/artifacts/reliability/credit-limit.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredEvent } from '../../libs/eventsourcing/src/event';
import type { EventStore } from '../../libs/eventsourcing/src/event-store.port';
import { EventSchemaValidator } from '../../libs/feed/src/event-schemas/testing/event-schema-validator';
import type { CustomerCreditReserved, SaleBooked } from '../../libs/sales/src/contracts/sales.events';
import { BookSaleHandler, BookSaleMessage } from '../../libs/sales/src/orders/book-sale/book-sale.handler';
import { allCommittedEvents } from '../support/event-log';
import { givenReferenceData, type Reply, tokenFor } from '../support/http';
import { startTestSystem, type TestSystem } from '../support/test-system';

const USD = (amount: number) => ({ amount, currency: 'USD' });
const BOOKED_AT = '2026-03-02T09:00:00.000Z';
const figures: Record<string, unknown> = {};

let t: TestSystem;

beforeAll(async () => {
  t = await startTestSystem();
  await givenReferenceData(t.api); // alice and bob on P1 (USD), customer C1 without a limit
}, 60_000);

afterAll(async () => {
  const dir = join(__dirname, '..', 'artifacts', 'reliability');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'credit-limit.json'), `${JSON.stringify(figures, null, 2)}\n`);
  await t?.close();
});

async function customerWithLimit(customerId: string, limit: number | null): Promise<void> {
  await t.ok(
    t.api.post('/api/v1/customers', {
      customerId,
      name: customerId,
      paymentTermsDays: 30,
      ...(limit === null ? {} : { creditLimit: USD(limit) }),
      salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
    }),
  );
}

const booking = (orderId: string, customerId: string, amount: number, extra: Record<string, unknown> = {}) => ({
  orderId,
  customerId,
  amount: USD(amount),
  bookedAt: BOOKED_AT,
  ...extra,
});

const stream = (id: string): Promise<readonly StoredEvent[]> => t.system.store.readStream(id);

async function reservationsOf(customerId: string): Promise<StoredEvent<string, CustomerCreditReserved['data']>[]> {
  return (await stream(`customer-${customerId}`)).filter((e) => e.type === 'CustomerCreditReserved') as StoredEvent<
    string,
    CustomerCreditReserved['data']
  >[];
}

async function eventCount(): Promise<number> {
  const [row] = (await t.system.dataSource.query('SELECT count(*)::int AS n FROM es_events')) as Array<{ n: number }>;
  return row!.n;
}

describe('credit limits over HTTP', () => {
  it('given exposure 6,000.00 of 10,000.00, when 5,000.00 is booked, then 422 CREDIT_LIMIT_EXCEEDED with the figures and nothing appended', async () => {
    await customerWithLimit('K1', 1_000_000);
    await t.ok(t.api.post('/api/v1/orders', booking('K1-O1', 'K1', 600_000)));
    const before = await eventCount();
    const refused = await t.api.post('/api/v1/orders', booking('K1-O2', 'K1', 500_000));
    expect(refused.status).toBe(422);
    expect(refused.contentType).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({
      status: 422,
      code: 'CREDIT_LIMIT_EXCEEDED',
      customerId: 'K1',
      currency: 'USD',
      limit: 1_000_000,
      exposure: 600_000,
      amount: 500_000,
      available: 400_000,
    });
    expect(await eventCount()).toBe(before);
    expect(await stream('order-K1-O2')).toEqual([]);
    expect((await reservationsOf('K1')).map((e) => e.data.orderId)).toEqual(['K1-O1']);
    // Exactly the available credit still fits.
    await t.ok(t.api.post('/api/v1/orders', booking('K1-O3', 'K1', 400_000)));
  });

  it('with a creditOverride the sale is accepted and the approval is recorded with the exposure, the limit and the actor', async () => {
    const salesOps = t.api.as(tokenFor({ sub: 'sam.salesops', roles: ['sales-ops'] }));
    const override = { approvedBy: 'carol.finance', reason: 'prepayment received by wire' };
    const accepted = await salesOps.post(
      '/api/v1/orders',
      booking('K1-O4', 'K1', 250_000, { creditOverride: override }),
    );
    expect(accepted.status).toBe(201);
    const reservation = (await reservationsOf('K1')).find((e) => e.data.orderId === 'K1-O4')!;
    expect(reservation.data).toEqual({
      customerId: 'K1',
      orderId: 'K1-O4',
      amount: USD(250_000),
      source: 'BOOKING',
      limit: USD(1_000_000),
      exposure: 1_000_000,
      override,
    });
    expect(reservation.metadata.actor).toBe('sam.salesops');
    expect((await stream('order-K1-O4')).map((e) => e.type)).toEqual(['SaleBooked']);
    const credit = await t.api.get('/api/v1/customers/K1/credit');
    expect(credit.status).toBe(200);
    expect(credit.body).toMatchObject({
      customerId: 'K1',
      creditLimit: USD(1_000_000),
      exposure: 1_250_000,
      available: -250_000,
      inFlight: 0,
      recentOverrides: [
        {
          orderId: 'K1-O4',
          amount: USD(250_000),
          approvedBy: 'carol.finance',
          reason: 'prepayment received by wire',
          limit: USD(1_000_000),
          exposure: 1_000_000,
          actor: 'sam.salesops',
        },
      ],
    });
  });

  it('a payment and a cancellation free credit; a retried booking reserves once; the same id with another body is 409', async () => {
    await t.ok(
      t.api.post('/api/v1/orders/K1-O1/payments', { paymentId: 'K1-P1', amount: USD(600_000), receivedAt: BOOKED_AT }),
    );
    await t.ok(
      t.api.post('/api/v1/orders/K1-O4/cancellations', {
        cancellationId: 'K1-X4',
        cancelledAt: BOOKED_AT,
        reason: 'customer cancelled',
      }),
    );
    // Exposure now: K1-O3 400,000 only.
    expect((await t.api.get('/api/v1/customers/K1/credit')).body).toMatchObject({
      exposure: 400_000,
      available: 600_000,
    });
    const body = booking('K1-O5', 'K1', 600_000);
    const first = await t.api.post('/api/v1/orders', body);
    expect(first.status).toBe(201);
    const again = await t.api.post('/api/v1/orders', body);
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect((await reservationsOf('K1')).filter((e) => e.data.orderId === 'K1-O5')).toHaveLength(1);
    const clash = await t.api.post('/api/v1/orders', { ...body, amount: USD(1) });
    expect(clash.body).toMatchObject({ status: 409, code: 'IDEMPOTENCY_CONFLICT' });
  });

  it('a limit set on a customer with open orders counts them; null removes the limit; bad input is 4xx and appends nothing', async () => {
    await t.ok(t.api.post('/api/v1/orders', booking('C1-O1', 'C1', 300_000)));
    await t.ok(t.api.post('/api/v1/orders', booking('C1-O2', 'C1', 200_000)));
    await t.ok(
      t.api.post('/api/v1/orders/C1-O2/payments', { paymentId: 'C1-P2', amount: USD(200_000), receivedAt: BOOKED_AT }),
    );
    const before = await eventCount();
    for (const [path, bad, status] of [
      ['/api/v1/customers/C1/credit-limit', { creditLimitId: 'CL-bad' }, 400],
      [
        '/api/v1/customers/C1/credit-limit',
        { creditLimitId: 'CL-bad', creditLimit: { amount: -1, currency: 'USD' } },
        400,
      ],
      ['/api/v1/customers/C1/credit-limit', { creditLimitId: 'CL-bad', creditLimit: [] }, 400],
      ['/api/v1/customers/C1/credit-limit', { creditLimitId: 'CL-bad', creditLimit: USD(1), extra: 1 }, 400],
      ['/api/v1/customers/NOPE/credit-limit', { creditLimitId: 'CL-bad', creditLimit: USD(1) }, 404],
      ['/api/v1/orders', booking('C1-bad', 'C1', 1, { creditOverride: [] }), 400],
      ['/api/v1/orders', booking('C1-bad', 'C1', 1, { creditOverride: { approvedBy: '', reason: 'x' } }), 400],
    ] as const) {
      const r = await t.api.post(path, bad);
      expect({ path, bad, status: r.status }).toEqual({ path, bad, status });
    }
    const finance = t.api.as(tokenFor({ sub: 'fay.finance', roles: ['finance'] }));
    expect(
      (await finance.post('/api/v1/customers/C1/credit-limit', { creditLimitId: 'CL-C1-1', creditLimit: USD(500_000) }))
        .status,
    ).toBe(201);
    expect((await eventCount()) - before).toBe(2); // CreditLimitSet + C1-O1 adopted (C1-O2 is paid)
    const adopted = await reservationsOf('C1');
    expect(adopted.map((e) => [e.data.orderId, e.data.source])).toEqual([['C1-O1', 'ADOPTED']]);
    expect((await t.api.get('/api/v1/customers/C1/credit')).body).toMatchObject({
      creditLimit: USD(500_000),
      exposure: 300_000,
      available: 200_000,
      orders: [{ orderId: 'C1-O1', status: 'BOOKED', held: 300_000 }],
    });
    expect((await t.api.post('/api/v1/orders', booking('C1-O3', 'C1', 200_001))).body).toMatchObject({
      code: 'CREDIT_LIMIT_EXCEEDED',
      exposure: 300_000,
      available: 200_000,
    });
    // A rep credited on C1 reads its credit; one who is not gets 403.
    const rep = (id: string) => t.api.as(tokenFor({ sub: id, roles: ['rep'], salespersonId: id }));
    expect((await rep('alice').get('/api/v1/customers/C1/credit')).status).toBe(200);
    expect((await rep('zed').get('/api/v1/customers/C1/credit')).status).toBe(403);
    // No limit: nothing is checked and nothing is reserved.
    await t.ok(finance.post('/api/v1/customers/C1/credit-limit', { creditLimitId: 'CL-C1-2', creditLimit: null }));
    await t.ok(t.api.post('/api/v1/orders', booking('C1-O4', 'C1', 90_000_000)));
    expect((await reservationsOf('C1')).map((e) => e.data.orderId)).toEqual(['C1-O1']);
    expect((await t.api.get('/api/v1/customers/C1/credit')).body).toMatchObject({ creditLimit: null, exposure: null });
  });

  it('a booking whose process dies between its reservation and its SaleBooked holds its whole amount until the client retries it', async () => {
    await customerWithLimit('K2', 1_000_000);
    const body = booking('K2-O1', 'K2', 700_000);
    // The real handler on a store that fails the order append: as if the process died right there.
    const store = t.system.store;
    const dying = new Proxy(store, {
      get(target, property) {
        if (property === 'appendToStream') {
          const append: EventStore['appendToStream'] = async (streamId, events, options) => {
            if (streamId === 'order-K2-O1') throw new Error('the process died here');
            return target.appendToStream(streamId, events, options);
          };
          return append;
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const command = {
      type: 'BookSale' as const,
      ...body,
      salesCredits: null,
      businessUnit: null,
      lines: [],
      creditOverride: null,
    };
    await expect(
      new BookSaleHandler(dying).execute(
        new BookSaleMessage(command, { actor: 'test-admin', correlationId: 'crash-1', requestId: 'crash-1' }, body),
      ),
    ).rejects.toThrow('the process died here');
    expect(await stream('order-K2-O1')).toEqual([]);
    expect((await t.api.get('/api/v1/customers/K2/credit')).body).toMatchObject({
      exposure: 700_000,
      inFlight: 700_000,
      orders: [{ orderId: 'K2-O1', status: 'IN_FLIGHT', held: 700_000 }],
    });
    // Never missed: another sale sees it.
    expect((await t.api.post('/api/v1/orders', booking('K2-O2', 'K2', 300_001))).body).toMatchObject({
      code: 'CREDIT_LIMIT_EXCEEDED',
      exposure: 700_000,
    });
    // The client retries its lost request: booked, with the one reservation it already had.
    await t.ok(t.api.post('/api/v1/orders', body));
    expect((await reservationsOf('K2')).map((e) => e.data.orderId)).toEqual(['K2-O1']);
    expect((await stream('order-K2-O1')).map((e) => e.type)).toEqual(['SaleBooked']);
    expect((await t.api.get('/api/v1/customers/K2/credit')).body).toMatchObject({ exposure: 700_000, inFlight: 0 });
    // A sale no longer wanted: cancelled, and its credit is free.
    await t.ok(
      t.api.post('/api/v1/orders/K2-O1/cancellations', {
        cancellationId: 'K2-X1',
        cancelledAt: BOOKED_AT,
        reason: 'not wanted',
      }),
    );
    await t.ok(t.api.post('/api/v1/orders', booking('K2-O2', 'K2', 1_000_000)));
  });

  it.each([
    { name: 'equal amounts', customerId: 'K16', amounts: Array.from({ length: 16 }, () => 100_000), k: 7 },
    {
      name: 'different amounts',
      customerId: 'K16B',
      amounts: Array.from({ length: 16 }, (_, i) => 60_000 + i * 9_000),
      k: null,
    },
  ])(
    'concurrent bookings ($name): 16 at once never take the customer past its limit, also when every request is sent again',
    async ({ customerId, amounts, k }) => {
      const LIMIT = 1_000_000;
      await customerWithLimit(customerId, LIMIT);
      await t.ok(t.api.post('/api/v1/orders', booking(`${customerId}-OPEN`, customerId, 250_000)));
      const bodies = amounts.map((amount, i) => booking(`${customerId}-B${i}`, customerId, amount));
      const send = async (body: (typeof bodies)[number]): Promise<Reply & { attempts: number }> => {
        for (let attempt = 1; ; attempt++) {
          const r = await t.api.post('/api/v1/orders', body);
          if (r.status === 409 && r.body.code === 'CONCURRENCY_CONFLICT' && attempt < 30) {
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt)); // client backoff
            continue;
          }
          return { ...r, attempts: attempt };
        }
      };
      const started = Date.now();
      const replies = await Promise.all(bodies.map(send));
      const burstMs = Date.now() - started;
      const accepted = bodies.filter((_, i) => replies[i]!.status === 201);
      const refused = bodies.filter((_, i) => replies[i]!.status === 422);
      expect(accepted.length + refused.length).toBe(16);
      for (const r of replies.filter((r) => r.status === 422)) expect(r.body.code).toBe('CREDIT_LIMIT_EXCEEDED');
      const acceptedSum = accepted.reduce((s, b) => s + b.amount.amount, 0);
      const exposure = 250_000 + acceptedSum;
      expect(exposure).toBeLessThanOrEqual(LIMIT);
      if (k !== null) expect(accepted).toHaveLength(k);
      // No refusal that would still fit: each refused sale exceeds what is left now.
      for (const b of refused) expect(b.amount.amount).toBeGreaterThan(LIMIT - exposure);
      // The log: a reservation and a SaleBooked for each accepted sale, nothing for a refused one.
      const reservations = await reservationsOf(customerId);
      expect(reservations.map((e) => e.data.orderId).sort()).toEqual(
        [`${customerId}-OPEN`, ...accepted.map((b) => b.orderId)].sort(),
      );
      for (const b of accepted) {
        const events = await stream(`order-${b.orderId}`);
        expect(events.map((e) => [e.type, (e.data as SaleBooked['data']).amount])).toEqual([['SaleBooked', b.amount]]);
      }
      for (const b of refused) expect(await stream(`order-${b.orderId}`)).toEqual([]);
      // Each reservation saw every reservation before it: exposure + amount ≤ limit at each step.
      let running = 0;
      for (const e of reservations) {
        expect({ orderId: e.data.orderId, exposure: e.data.exposure }).toEqual({
          orderId: e.data.orderId,
          exposure: running,
        });
        running += e.data.amount.amount;
        expect(running).toBeLessThanOrEqual(LIMIT);
      }
      // Every request again, at once (clients that lost their answers): same answers, nothing appended.
      const before = await eventCount();
      const again = await Promise.all(bodies.map(send));
      bodies.forEach((b, i) => {
        const first = replies[i]!;
        const second = again[i]!;
        expect({ orderId: b.orderId, status: second.status }).toEqual({ orderId: b.orderId, status: first.status });
        if (first.status === 201) expect(second.body).toEqual(first.body);
        else expect(second.body.code).toBe('CREDIT_LIMIT_EXCEEDED');
      });
      expect(await eventCount()).toBe(before);
      const credit = await t.api.get(`/api/v1/customers/${customerId}/credit`);
      expect(credit.body).toMatchObject({ exposure, available: LIMIT - exposure, inFlight: 0 });
      figures[customerId] = {
        bookings: 16,
        accepted: accepted.length,
        refused: refused.length,
        limit: LIMIT,
        exposure,
        burstMs,
        maxAttempts: Math.max(...replies.map((r) => r.attempts)),
        conflictsRetriedByClients: replies.reduce((s, r) => s + r.attempts - 1, 0),
      };
    },
    120_000,
  );

  it('every event written here matches its published schema (CreditLimitSet and CustomerCreditReserved included)', async () => {
    const validator = new EventSchemaValidator();
    const events = await allCommittedEvents(t.system.store, t.system.dataSource);
    const types = new Set(events.map((e) => e.type));
    expect([...types]).toEqual(expect.arrayContaining(['CreditLimitSet', 'CustomerCreditReserved', 'SaleBooked']));
    const invalid = events
      .map((e) => ({
        type: e.type,
        streamId: e.streamId,
        errors: validator.dataErrors(e.type, e.schemaVersion, e.data),
      }))
      .filter((e) => e.errors.length > 0);
    expect(invalid).toEqual([]);
    figures['eventsValidated'] = events.length;
    // The projections apply the new types without failing, and the credit position agrees with
    // the track-to-cash read model: K1's exposure is the sum of its orders' receivables.
    const position = events[events.length - 1]!.globalPosition.toString();
    const ttc = await t.api.get<{ items: { orderId: string; receivable: number }[] }>(
      '/api/v1/track-to-cash?customerId=K1&limit=1000',
      { 'X-Consistent-Position': position },
    );
    expect(ttc.status).toBe(200);
    const receivables = ttc.body.items.reduce((sum, o) => sum + o.receivable, 0);
    expect(receivables).toBe(1_000_000);
    expect((await t.api.get('/api/v1/customers/K1/credit')).body).toMatchObject({ exposure: receivables });
    // Both new types are in the feed downstream services read, filterable by type.
    const feed = await t.api.get<{ items: { type: string; data: { customerId: string } }[] }>(
      '/api/v1/events?types=CreditLimitSet,CustomerCreditReserved&limit=1000',
    );
    expect(feed.status).toBe(200);
    expect(new Set(feed.body.items.map((e) => e.type))).toEqual(new Set(['CreditLimitSet', 'CustomerCreditReserved']));
    expect(feed.body.items).toHaveLength(
      events.filter((e) => e.type === 'CreditLimitSet' || e.type === 'CustomerCreditReserved').length,
    );
  });
});
