/**
 * Many clients at once on the SAME streams, through the HTTP API of the whole system (API and
 * projectors in-process, real PostgreSQL), retrying 409 CONCURRENCY_CONFLICT as a real client
 * would (jittered backoff), and re-sending some accepted commands as a client that lost the answer
 * would:
 * - four hot orders (one of them also cancelled in full): invoices that together exceed the net amount, one payment id sent by 8 clients
 *   with the same body, one payment id sent by 6 clients with different bodies, distinct payments
 *   that together exceed the balance, returns, partial cancellations and write-offs, all at once;
 * - ids reused across streams and on creation: one paymentId on every hot order at once, one
 *   order booked by 4 clients with one body and another by 4 clients with different bodies;
 * - one customer: sales-credit reassignments while 40 orders are booked for it;
 * - one salesperson: plan assignments, quotas (one year's quota stream), adjustments (one id sent
 *   by 4 clients) and payouts on its commission account.
 * Then, on the final log and read models:
 * - no lost update, no phantom: the commands answered 201 are exactly the commands that have events
 *   in the log, each at the position it was answered with; a refused command appended nothing;
 *   every stream's revisions are 0..n-1 with no gap and es_streams agrees;
 * - no double payment: a paymentId appears once per order; the same id with the same body is
 *   answered 201 at one position to every client, with another body 409 IDEMPOTENCY_CONFLICT to
 *   all but one;
 * - serialisable: every event of a hot order is exactly what the real decider decides for its
 *   command on the state folded from the events before it (so no payment was accepted on a stale
 *   balance), and the order invariants of the property tests hold after every event
 *   (test/support/invariants.ts: receivable ≥ 0, net ≤ booked, invoiced ≤ net, paidNet ≥ 0, ...);
 * - the read models, once every projection has applied every event: ledger_entries equal the pure
 *   projection of the log and the independent commission model of the property tests
 *   (clawed back ≤ earned per order and salesperson); track-to-cash of the hot orders equals their
 *   folded state; and a rebuild from zero gives exactly the same tables.
 * Figures go to test/artifacts/reliability/concurrency.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredEvent } from '../../libs/eventsourcing/src/event';
import { canonicalJson } from '../../libs/eventsourcing/src/ids';
import type { OrderEvent } from '../../libs/sales/src/contracts/sales.events';
import { decideCancelOrder } from '../../libs/sales/src/orders/cancel-order/cancel-order.decide';
import { decideIssueInvoice } from '../../libs/sales/src/orders/issue-invoice/issue-invoice.decide';
import {
  evolveOrder,
  initialOrderState,
  net,
  type OrderState,
  paidNet,
  receivable,
} from '../../libs/sales/src/orders/order.state';
import { decideReceivePayment } from '../../libs/sales/src/orders/receive-payment/receive-payment.decide';
import { decideReturnGoods } from '../../libs/sales/src/orders/return-goods/return-goods.decide';
import { decideWriteOff } from '../../libs/sales/src/orders/write-off/write-off.decide';
import { allCommittedEvents, ledgerRows, pureLedgerRows } from '../support/event-log';
import { givenReferenceData, type Reply } from '../support/http';
import { brokenOrderInvariants, commissionModel } from '../support/invariants';
import { readModelSnapshot, rebuildableProjections, untilAllApplied } from '../support/read-models';
import { startTestSystem, type TestSystem } from '../support/test-system';

const CLIENTS = 64;
const MAX_ATTEMPTS = 60;
const HOT_ORDERS = ['HOT-1', 'HOT-2', 'HOT-3', 'HOT-4'];
/** This one is also cancelled in full while the rest goes on. */
const CANCELLED_IN_FULL = 'HOT-4';
const HOT_AMOUNT = 1_000_000;
const BUSINESS_REFUSALS = new Set([
  'OVERPAYMENT',
  'AMOUNT_EXCEEDS_NET',
  'AMOUNT_EXCEEDS_RECEIVABLE',
  'ORDER_CANCELLED',
  'NOTHING_RECEIVABLE',
]);

let t: TestSystem;

beforeAll(async () => {
  t = await startTestSystem({ retryDelayMs: 100, generationCheckMs: 50 });
  await givenReferenceData(t.api);
  for (const orderId of HOT_ORDERS) {
    await t.ok(
      t.api.post('/api/v1/orders', {
        orderId,
        customerId: 'C1',
        amount: { amount: HOT_AMOUNT, currency: 'USD' },
        bookedAt: '2026-01-10T00:00:00.000Z',
      }),
    );
  }
}, 60_000);

afterAll(async () => {
  await t?.close();
});

interface Command {
  readonly method: 'POST' | 'PUT';
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly commandType: string;
  readonly commandId: string;
  readonly streamId: string;
  /** Commands of one group share an id on purpose (SAME: same body, CLASH: other bodies). */
  readonly group: string;
}

interface Outcome {
  readonly command: Command;
  readonly status: number;
  readonly code: string | null;
  readonly position: string | null;
  readonly attempts: number;
}

const USD = (amount: number) => ({ amount, currency: 'USD' });
const day = (d: number, month = 1) => `2026-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const at = (d: number, month = 1) => `${day(d, month)}T00:00:00.000Z`;

/** The commands on one hot order (amount 1,000,000, booked 2026-01-10). */
function orderCommands(orderId: string): { burst: Command[]; rest: Command[] } {
  const streamId = `order-${orderId}`;
  const path = (tail: string) => `/api/v1/orders/${orderId}/${tail}`;
  const cmd = (tail: string, commandType: string, commandId: string, body: Record<string, unknown>, group = tail) => ({
    method: 'POST' as const,
    path: path(tail),
    body,
    commandType,
    commandId,
    streamId,
    group,
  });
  const burst: Command[] = [];
  // One payment id, one body, 8 clients: one payment.
  for (let i = 0; i < 8; i++) {
    burst.push(
      cmd(
        'payments',
        'ReceivePayment',
        `${orderId}-PAY-SAME`,
        { paymentId: `${orderId}-PAY-SAME`, amount: USD(50_000), receivedAt: at(12) },
        'PAY-SAME',
      ),
    );
  }
  // One payment id, 6 bodies, 6 clients: one payment, five IDEMPOTENCY_CONFLICT.
  for (let i = 0; i < 6; i++) {
    burst.push(
      cmd(
        'payments',
        'ReceivePayment',
        `${orderId}-PAY-CLASH`,
        { paymentId: `${orderId}-PAY-CLASH`, amount: USD(10_001 + i), receivedAt: at(13) },
        'PAY-CLASH',
      ),
    );
  }
  const rest: Command[] = [];
  // 12 × 100,000 invoiced against a net of at most 1,000,000.
  for (let i = 0; i < 12; i++) {
    rest.push(
      cmd('invoices', 'IssueInvoice', `${orderId}-INV-${i}`, {
        invoiceId: `${orderId}-INV-${i}`,
        amount: USD(100_000),
        issuedAt: at(11),
        dueDate: day(10, 2),
      }),
    );
  }
  // 16 × 80,000 paid against a balance of at most 1,000,000.
  for (let i = 0; i < 16; i++) {
    rest.push(
      cmd('payments', 'ReceivePayment', `${orderId}-PAY-${i}`, {
        paymentId: `${orderId}-PAY-${i}`,
        amount: USD(80_000),
        receivedAt: at(14 + (i % 10)),
      }),
    );
  }
  for (let i = 0; i < 4; i++) {
    rest.push(
      cmd('returns', 'ReturnGoods', `${orderId}-RET-${i}`, {
        returnId: `${orderId}-RET-${i}`,
        returnedAt: at(20),
        reason: 'damaged',
        amount: USD(30_000),
      }),
    );
    rest.push(
      cmd('cancellations', 'CancelOrder', `${orderId}-CAN-${i}`, {
        cancellationId: `${orderId}-CAN-${i}`,
        cancelledAt: at(21),
        reason: 'partial',
        amount: USD(20_000),
      }),
    );
  }
  for (let i = 0; i < 3; i++) {
    rest.push(
      cmd('write-offs', 'WriteOffDebt', `${orderId}-WO-${i}`, {
        writeOffId: `${orderId}-WO-${i}`,
        writtenOffAt: at(1, 3),
        reason: 'bad debt',
        amount: USD(15_000),
      }),
    );
  }
  if (orderId === CANCELLED_IN_FULL) {
    rest.push(
      cmd('cancellations', 'CancelOrder', `${orderId}-CAN-ALL`, {
        cancellationId: `${orderId}-CAN-ALL`,
        cancelledAt: at(22),
        reason: 'customer withdrew',
      }),
    );
  }
  return { burst, rest };
}

/**
 * Ids reused across streams and on creation: one paymentId on every hot order at once (its event
 * ids collide across streams: one is accepted, the others are IDEMPOTENCY_CONFLICT), and one order
 * booked by 4 clients with the same body and another by 4 clients with different amounts.
 */
function sharedIdCommands(): Command[] {
  const out: Command[] = HOT_ORDERS.map((orderId) => ({
    method: 'POST',
    path: `/api/v1/orders/${orderId}/payments`,
    body: { paymentId: 'PAY-CROSS', amount: USD(1_000), receivedAt: at(12) },
    commandType: 'ReceivePayment',
    commandId: 'PAY-CROSS',
    streamId: `order-${orderId}`,
    group: 'CROSS-CLASH',
  }));
  for (let i = 0; i < 4; i++) {
    for (const [orderId, amount] of [
      ['B-SAME', 50_000],
      ['B-CLASH', 50_000 + i],
    ] as const) {
      out.push({
        method: 'POST',
        path: '/api/v1/orders',
        body: { orderId, customerId: 'C1', amount: USD(amount), bookedAt: at(3, 2) },
        commandType: 'BookSale',
        commandId: orderId,
        streamId: `order-${orderId}`,
        group: orderId,
      });
    }
  }
  return out;
}

/** Bookings for customer C1 while its sales credits are reassigned. */
function customerCommands(): Command[] {
  const out: Command[] = [];
  for (let i = 0; i < 40; i++) {
    out.push({
      method: 'POST',
      path: '/api/v1/orders',
      body: { orderId: `B-${i}`, customerId: 'C1', amount: USD(10_000 + i), bookedAt: at(1 + (i % 28), 2) },
      commandType: 'BookSale',
      commandId: `B-${i}`,
      streamId: `order-B-${i}`,
      group: 'booking',
    });
  }
  for (let i = 0; i < 6; i++) {
    out.push({
      method: 'POST',
      path: '/api/v1/customers/C1/sales-credits',
      body: {
        reassignmentId: `RA-${i}`,
        effectiveFrom: day(1 + i * 4, 2),
        salesCredits:
          i % 2 === 0
            ? [{ salespersonId: 'alice', splitBps: 10_000 }]
            : [
                { salespersonId: 'alice', splitBps: 5_000 },
                { salespersonId: 'bob', splitBps: 5_000 },
              ],
      },
      commandType: 'ReassignSalesCredits',
      commandId: `RA-${i}`,
      streamId: 'customer-C1',
      group: 'reassignment',
    });
  }
  return out;
}

const WEIGHTS = [834, 833, 833, 834, 833, 833, 834, 833, 833, 834, 833, 833];

/** Alice's plan assignments, quotas, adjustments and payouts. */
function salespersonCommands(): { burst: Command[]; rest: Command[] } {
  const burst: Command[] = [];
  for (let i = 0; i < 4; i++) {
    burst.push({
      method: 'POST',
      path: '/api/v1/salespeople/alice/adjustments',
      body: { adjustmentId: 'ADJ-SAME', period: '2026-03', amount: USD(777), reason: 'spiff' },
      commandType: 'PostAdjustment',
      commandId: 'ADJ-SAME',
      streamId: 'commission-alice',
      group: 'ADJ-SAME',
    });
  }
  const rest: Command[] = [];
  for (let i = 0; i < 6; i++) {
    rest.push({
      method: 'POST',
      path: '/api/v1/salespeople/alice/plan-assignments',
      body: { assignmentId: `A-alice-${i}`, planId: i % 2 === 0 ? 'P2' : 'P1', effectiveFrom: day(15, 2 + i) },
      commandType: 'AssignPlan',
      commandId: `A-alice-${i}`,
      streamId: 'salesperson-alice',
      group: 'assignment',
    });
    rest.push({
      method: 'PUT',
      path: '/api/v1/salespeople/alice/quotas/2026',
      body: { quotaId: `Q-${i}`, annualTarget: USD(1_200_000 * (i + 1)), monthlyWeightsBps: WEIGHTS },
      commandType: 'SetQuota',
      commandId: `Q-${i}`,
      streamId: 'quota-alice.2026',
      group: 'quota',
    });
    rest.push({
      method: 'POST',
      path: '/api/v1/payouts',
      body: { payoutId: `PO-${i}`, salespersonId: 'alice', amount: USD(5_000), paidAt: at(15, 3) },
      commandType: 'RecordPayout',
      commandId: `PO-${i}`,
      streamId: 'commission-alice',
      group: 'payout',
    });
  }
  for (let i = 0; i < 10; i++) {
    rest.push({
      method: 'POST',
      path: '/api/v1/salespeople/alice/adjustments',
      body: {
        adjustmentId: `ADJ-${i}`,
        period: '2026-03',
        amount: USD(i % 2 === 0 ? 1_000 + i : -(1_000 + i)),
        reason: 'fix',
      },
      commandType: 'PostAdjustment',
      commandId: `ADJ-${i}`,
      streamId: 'commission-alice',
      group: 'adjustment',
    });
  }
  return { burst, rest };
}

/** A deterministic shuffle (mulberry32): the same interleaving of queues in every run. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed;
  const random = () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const figures = {
  clients: CLIENTS,
  commands: 0,
  requestsSent: 0,
  statuses: {} as Record<string, number>,
  finalStatuses: {} as Record<string, number>,
  concurrencyConflictRetries: 0,
  maxAttemptsOfOneCommand: 0,
  resentAfter201: 0,
  resentAnsweredDifferently: 0,
  serverErrors: 0,
  eventsAppended: 0,
  streamsChecked: 0,
  orderEventsRedecided: 0,
  orderInvariantChecks: 0,
  ledgerEntriesChecked: 0,
  readModelTablesCompared: 0,
  readModelRowsCompared: 0,
};

const count = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends one command as a real client: retries 409 CONCURRENCY_CONFLICT with jittered backoff. */
async function send(command: Command, jitter: () => number): Promise<Outcome> {
  for (let attempt = 1; ; attempt++) {
    const r: Reply = await t.api.request(command.method, command.path, command.body);
    figures.requestsSent++;
    count(figures.statuses, String(r.status));
    const code = typeof r.body?.code === 'string' ? r.body.code : null;
    if (r.status === 409 && code === 'CONCURRENCY_CONFLICT' && attempt < MAX_ATTEMPTS) {
      figures.concurrencyConflictRetries++;
      await sleep(Math.min(200, 2 ** Math.min(attempt, 7)) * jitter());
      continue;
    }
    figures.maxAttemptsOfOneCommand = Math.max(figures.maxAttemptsOfOneCommand, attempt);
    if (r.status >= 500) figures.serverErrors++;
    return {
      command,
      status: r.status,
      code,
      position: r.status === 201 ? String(r.body.position) : null,
      attempts: attempt,
    };
  }
}

type OrderDecide = (body: Record<string, unknown>, orderId: string, state: OrderState) => OrderEvent[];
const ORDER_DECIDERS: Record<string, OrderDecide> = {
  IssueInvoice: (b, orderId, s) => decideIssueInvoice({ type: 'IssueInvoice', orderId, ...b } as never, s),
  ReceivePayment: (b, orderId, s) => decideReceivePayment({ type: 'ReceivePayment', orderId, ...b } as never, s),
  ReturnGoods: (b, orderId, s) => decideReturnGoods({ type: 'ReturnGoods', orderId, ...b } as never, s),
  CancelOrder: (b, orderId, s) => decideCancelOrder({ type: 'CancelOrder', orderId, amount: null, ...b } as never, s),
  WriteOffDebt: (b, orderId, s) => decideWriteOff({ type: 'WriteOffDebt', orderId, amount: null, ...b } as never, s),
};

const asOrderEvent = (e: StoredEvent) => ({ type: e.type, data: e.data, occurredAt: e.occurredAt }) as OrderEvent;

it('many clients on the same order, customer and salesperson: no lost update, no double payment, no broken invariant; read models equal a rebuild', async () => {
  const setupEvents = (await allCommittedEvents(t.system.store, t.system.dataSource)).length;

  // Given: the duplicated-id commands first in as many queues, then everything else dealt out.
  const orders = HOT_ORDERS.map(orderCommands);
  const alice = salespersonCommands();
  const burst = [...orders.flatMap((o) => o.burst), ...sharedIdCommands(), ...alice.burst];
  const rest = shuffled([...orders.flatMap((o) => o.rest), ...customerCommands(), ...alice.rest], 20_260_808);
  const queues: Command[][] = Array.from({ length: CLIENTS }, () => []);
  [...burst, ...rest].forEach((c, i) => queues[i % CLIENTS]!.push(c));
  const all = queues.flat();
  figures.commands = all.length;
  expect(all.length).toBeGreaterThan(200);

  // When: every client sends its queue, all at once; every 4th accepted command is sent again.
  const outcomes: Outcome[] = [];
  const resentMismatches: string[] = [];
  await Promise.all(
    queues.map(async (queue, client) => {
      let seed = client + 1;
      const jitter = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return 0.5 + seed / 2 ** 31;
      };
      for (const [i, command] of queue.entries()) {
        const outcome = await send(command, jitter);
        outcomes.push(outcome);
        if (outcome.status === 201 && i % 4 === 0) {
          figures.resentAfter201++;
          const again = await send(command, jitter);
          if (again.status !== 201 || again.position !== outcome.position) {
            figures.resentAnsweredDifferently++;
            resentMismatches.push(
              `${command.path} ${command.commandId}: ${outcome.position} then ${again.status} ${again.code} ${again.position}`,
            );
          }
        }
      }
    }),
  );
  for (const o of outcomes) count(figures.finalStatuses, o.code ? `${o.status} ${o.code}` : String(o.status));

  // Then: every answer is 201, a business refusal, or IDEMPOTENCY_CONFLICT for a reused id.
  const unexpected = outcomes.filter(
    (o) =>
      !(
        o.status === 201 ||
        (o.status === 422 && o.code !== null && BUSINESS_REFUSALS.has(o.code)) ||
        (o.status === 409 && o.code === 'IDEMPOTENCY_CONFLICT' && o.command.group.endsWith('CLASH'))
      ),
  );
  expect(
    unexpected.map(
      (o) => `${o.command.method} ${o.command.path} ${JSON.stringify(o.command.body)} → ${o.status} ${o.code}`,
    ),
  ).toEqual([]);
  expect(resentMismatches).toEqual([]);
  // The streams were really contended: clients had to retry.
  expect(figures.concurrencyConflictRetries).toBeGreaterThan(0);

  // Reused ids: the same body is one command answered alike; other bodies all but one refused.
  for (const orderId of HOT_ORDERS) {
    const same = outcomes.filter((o) => o.command.commandId === `${orderId}-PAY-SAME`);
    expect(same.map((o) => o.status)).toEqual(same.map(() => 201));
    expect(new Set(same.map((o) => o.position)).size).toBe(1);
    const clash = outcomes.filter((o) => o.command.commandId === `${orderId}-PAY-CLASH`);
    expect(clash.filter((o) => o.status === 201)).toHaveLength(1);
    expect(clash.filter((o) => o.status === 409 && o.code === 'IDEMPOTENCY_CONFLICT')).toHaveLength(clash.length - 1);
  }
  const cross = outcomes.filter((o) => o.command.commandId === 'PAY-CROSS');
  expect(cross.filter((o) => o.status === 201)).toHaveLength(1);
  expect(cross.filter((o) => o.code === 'IDEMPOTENCY_CONFLICT')).toHaveLength(cross.length - 1);
  const bookedSame = outcomes.filter((o) => o.command.commandId === 'B-SAME');
  expect(new Set(bookedSame.map((o) => `${o.status} ${o.position}`)).size).toBe(1);
  expect(bookedSame[0]?.status).toBe(201);
  const bookedClash = outcomes.filter((o) => o.command.commandId === 'B-CLASH');
  expect(bookedClash.filter((o) => o.status === 201)).toHaveLength(1);
  expect(bookedClash.filter((o) => o.code === 'IDEMPOTENCY_CONFLICT')).toHaveLength(bookedClash.length - 1);
  const adjSame = outcomes.filter((o) => o.command.commandId === 'ADJ-SAME');
  expect(new Set(adjSame.map((o) => `${o.status} ${o.position}`)).size).toBe(1);

  // No lost update, no phantom: the accepted commands are exactly those with events, at their positions.
  const events = await allCommittedEvents(t.system.store, t.system.dataSource);
  const mine = events.slice(setupEvents);
  figures.eventsAppended = mine.length;
  const logged = new Map<string, StoredEvent[]>();
  for (const e of mine) {
    const k = `${e.streamId} ${e.metadata.commandType} ${e.metadata.commandId}`;
    logged.set(k, [...(logged.get(k) ?? []), e]);
  }
  const accepted = new Map<string, Set<string>>();
  for (const o of outcomes.filter((x) => x.status === 201)) {
    const k = `${o.command.streamId} ${o.command.commandType} ${o.command.commandId}`;
    accepted.set(k, (accepted.get(k) ?? new Set()).add(o.position!));
  }
  // The winner of a reused id is the body the log recorded (a 201 for another body would be a lie).
  for (const orderId of HOT_ORDERS) {
    const winner = outcomes.find((o) => o.command.commandId === `${orderId}-PAY-CLASH` && o.status === 201)!;
    const paid = mine.find((e) => e.metadata.commandId === `${orderId}-PAY-CLASH`)!;
    expect(paid.data).toEqual({ orderId, ...winner.command.body });
  }
  const clashWinner = bookedClash.find((o) => o.status === 201)!;
  const clashBooked = mine.find((e) => e.type === 'SaleBooked' && e.streamId === 'order-B-CLASH')!;
  expect((clashBooked.data as { amount: unknown }).amount).toEqual(clashWinner.command.body.amount);
  const acceptedView = [...accepted].map(([k, positions]) => [k, [...positions]]).sort();
  const loggedView = [...logged].map(([k, es]) => [k, [es[es.length - 1]!.globalPosition.toString()]]).sort();
  expect(acceptedView).toEqual(loggedView);
  // A refused command (other than a reused id) appended nothing.
  const refusedIds = outcomes
    .filter((o) => o.status !== 201 && !o.command.group.endsWith('CLASH'))
    .map((o) => o.command.commandId);
  expect(mine.filter((e) => refusedIds.includes(e.metadata.commandId))).toEqual([]);

  // Every stream's revisions are 0..n-1, and es_streams agrees.
  const gaps = (await t.system.dataSource.query(
    `SELECT s.stream_id, s.revision::text AS revision, count(e.*)::text AS n,
            min(e.stream_revision)::text AS first, max(e.stream_revision)::text AS last,
            count(DISTINCT e.stream_revision)::text AS distinct_revisions
       FROM es_streams s LEFT JOIN es_events e ON e.stream_id = s.stream_id
      GROUP BY s.stream_id, s.revision
     HAVING count(e.*) <> s.revision + 1 OR min(e.stream_revision) <> 0 OR max(e.stream_revision) <> s.revision
         OR count(DISTINCT e.stream_revision) <> count(e.*)`,
  )) as unknown[];
  expect(gaps).toEqual([]);
  figures.streamsChecked = Number(
    ((await t.system.dataSource.query('SELECT count(*)::int AS n FROM es_streams')) as Array<{ n: number }>)[0]?.n,
  );

  // No double payment: a paymentId appears once per order.
  const payments = events
    .filter((e) => e.type === 'PaymentReceived')
    .map((e) => `${e.streamId} ${(e.data as { paymentId: string }).paymentId}`);
  expect(payments.length).toBe(new Set(payments).size);

  // Serialisable: each event of a hot order is what its decider decides on the state before it,
  // and the order invariants hold after each.
  const sentBodies = new Map<string, Array<Record<string, unknown>>>();
  for (const c of all)
    sentBodies.set(`${c.commandType} ${c.commandId}`, [
      ...(sentBodies.get(`${c.commandType} ${c.commandId}`) ?? []),
      c.body,
    ]);
  for (const orderId of HOT_ORDERS) {
    const stream = events.filter((e) => e.streamId === `order-${orderId}`);
    let state = evolveOrder(initialOrderState(), asOrderEvent(stream[0]!));
    for (const e of stream.slice(1)) {
      const decide = ORDER_DECIDERS[e.metadata.commandType]!;
      const decisions = (sentBodies.get(`${e.metadata.commandType} ${e.metadata.commandId}`) ?? []).map((body) => {
        try {
          return canonicalJson(decide(body, orderId, state));
        } catch (error) {
          return String(error);
        }
      });
      expect({ event: e.metadata.commandId, decided: decisions.includes(canonicalJson([asOrderEvent(e)])) }).toEqual({
        event: e.metadata.commandId,
        decided: true,
      });
      figures.orderEventsRedecided++;
      state = evolveOrder(state, asOrderEvent(e));
      expect({ event: e.metadata.commandId, broken: brokenOrderInvariants(state, asOrderEvent(e)) }).toEqual({
        event: e.metadata.commandId,
        broken: [],
      });
      figures.orderInvariantChecks++;
    }
    // The balance really was exhausted: some payments were refused, and never more paid than allowed.
    if (!state.exists) throw new Error(`${orderId} does not exist`);
    if (orderId === CANCELLED_IN_FULL) expect(net(state.amounts)).toBe(0);
    else expect(outcomes.some((o) => o.command.streamId === `order-${orderId}` && o.code === 'OVERPAYMENT')).toBe(true);
    expect(paidNet(state.amounts)).toBeLessThanOrEqual(net(state.amounts));

    // Read model: track-to-cash of the order equals its folded state.
    const last = events[events.length - 1]!.globalPosition.toString();
    const ttc = await t.api.get(`/api/v1/orders/${orderId}/track-to-cash`, { 'X-Consistent-Position': last });
    expect(ttc.status).toBe(200);
    const a = state.amounts;
    expect(ttc.body).toMatchObject({
      booked: a.booked,
      cancelled: a.cancelled,
      returned: a.returned,
      invoiced: a.invoiced,
      paidNet: paidNet(a),
      writtenOff: a.writtenOff,
      receivable: Math.max(0, receivable(a)),
    });
  }

  // Read models once every projection has applied every event.
  await t.system.engine.waitUntilCaughtUp(60_000);
  const names = rebuildableProjections(t.system.engine.projectors);
  await untilAllApplied(t.system.dataSource, names, 60_000);
  const rows = await ledgerRows(t.system.dataSource);
  expect(rows).toEqual(pureLedgerRows(events));
  // The independent commission model of the property tests, on this log.
  const model = commissionModel(events);
  const positionOf = new Map(events.map((e) => [e.id, e.globalPosition.toString()]));
  const expected = [...model]
    .flatMap(([id, entries]) => entries.map(([sp, type, amount]) => `${positionOf.get(id)} ${sp} ${type} ${amount}`))
    .sort();
  const actual = rows
    .filter((r) => r.type === 'EARNED' || r.type === 'CLAWBACK')
    .map((r) => `${r.source_position} ${r.salesperson_id} ${r.type} ${r.amount}`)
    .sort();
  expect(actual).toEqual(expected);
  expect(actual.some((r) => r.includes('CLAWBACK'))).toBe(true);
  figures.ledgerEntriesChecked = rows.length;
  const earned = new Map<string, bigint>();
  for (const r of rows.filter((x) => x.type === 'EARNED' || x.type === 'CLAWBACK')) {
    const k = `${r.order_id} ${r.salesperson_id}`;
    earned.set(k, (earned.get(k) ?? 0n) + BigInt(r.amount));
  }
  expect([...earned].filter(([, left]) => left < 0n)).toEqual([]);

  const incremental = await readModelSnapshot(t.system.dataSource, t.system.engine.projectors);
  await t.system.engine.rebuildMany(names);
  await untilAllApplied(t.system.dataSource, names, 60_000);
  await t.system.engine.waitUntilCaughtUp(60_000);
  const rebuilt = await readModelSnapshot(t.system.dataSource, t.system.engine.projectors);
  expect(rebuilt).toEqual(incremental);
  figures.readModelTablesCompared = Object.keys(rebuilt).length;
  figures.readModelRowsCompared = Object.values(rebuilt).reduce((n, r) => n + r.length, 0);
  expect(figures.readModelRowsCompared).toBeGreaterThan(100);

  const dir = join(__dirname, '..', 'artifacts', 'reliability');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'concurrency.json'),
    `${JSON.stringify({ test: 'test/e2e/concurrency.e2e-spec.ts', ...figures }, null, 2)}\n`,
  );
}, 300_000);
