/**
 * Collections, write side (issue 9 items 1-2), through the HTTP API on real PostgreSQL: create a
 * policy, assign it to a customer, record an action, a promise, a dispute and its resolution on
 * an invoice; each refusal answers 422 (404 for unknown things, 400 for bad input) and appends
 * nothing; repeats are idempotent; the events are in the feed, valid against their schemas; and
 * the schedule function reads the recorded streams into the tasks the rules say.
 */
import type { StoredEvent } from '../../libs/eventsourcing/src/event';
import { EventSchemaValidator } from '../../libs/feed/src/event-schemas/testing/event-schema-validator';
import { collectionTasks, type RecordedFact } from '../../libs/sales/src/collections/collection-schedule';
import type {
  CollectionOrderEvent,
  CollectionPolicyAssigned,
  CollectionPolicyCreated,
} from '../../libs/sales/src/contracts/collections.events';
import type { OrderEvent } from '../../libs/sales/src/contracts/sales.events';
import { Api, givenReferenceData, type Reply, tokenFor } from '../support/http';
import { startTestSystem, type TestSystem } from '../support/test-system';

let t: TestSystem;
let finance: Api;
const USD = (amount: number) => ({ amount, currency: 'USD' });

const policy = {
  policyId: 'strict-v1',
  name: 'Strict',
  steps: [
    { stepId: 'pre', offsetDays: -3, action: 'REMINDER', responsible: 'SALESPERSON' },
    { stepId: 'call', offsetDays: 10, action: 'CALL', responsible: 'MANAGER' },
    { stepId: 'legal', offsetDays: 45, action: 'LEGAL_HANDOFF', responsible: 'FINANCE' },
  ],
};

const streamOf = (streamId: string) => t.system.store.readStream(streamId);
const typesOf = async (streamId: string) => (await streamOf(streamId)).map((e) => e.type);

/** A refusal: the status and code, and the stream has not changed. */
async function refused(reply: Promise<Reply>, streamId: string, status: number, code: string): Promise<void> {
  const before = (await streamOf(streamId)).length;
  const r = await reply;
  expect({ status: r.status, code: r.body.code }).toEqual({ status, code });
  expect(r.contentType).toContain('application/problem+json');
  expect((await streamOf(streamId)).length).toBe(before);
}

beforeAll(async () => {
  t = await startTestSystem({ retryDelayMs: 100 });
  finance = t.api.as(tokenFor({ sub: 'fin-joe', roles: ['finance'] }));
  await givenReferenceData(t.api);
  await t.ok(
    t.api.post('/api/v1/orders', {
      orderId: 'O1',
      customerId: 'C1',
      amount: USD(10_000_000),
      bookedAt: '2026-01-10T00:00:00Z',
    }),
  );
  for (const [invoiceId, issuedAt, dueDate] of [
    ['INV-1', '2026-01-15T00:00:00Z', '2026-02-14'],
    ['INV-2', '2026-02-01T00:00:00Z', '2026-03-03'],
  ] as const)
    await t.ok(t.api.post('/api/v1/orders/O1/invoices', { invoiceId, amount: USD(5_000_000), issuedAt, dueDate }));
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('collection policies', () => {
  it('finance creates a policy: CollectionPolicyCreated on collection-policy-<id>; a repeat appends nothing; another body is 409', async () => {
    const first = await finance.post('/api/v1/collection-policies', policy);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: 'strict-v1', streamId: 'collection-policy-strict-v1' });
    const again = await finance.post('/api/v1/collection-policies', policy);
    expect(again.body).toEqual(first.body);
    const events = await streamOf('collection-policy-strict-v1');
    expect(events.map((e) => [e.type, e.metadata.actor])).toEqual([['CollectionPolicyCreated', 'fin-joe']]);
    expect(events[0]?.data).toEqual(policy);
    await refused(
      finance.post('/api/v1/collection-policies', { ...policy, name: 'Other' }),
      'collection-policy-strict-v1',
      409,
      'IDEMPOTENCY_CONFLICT',
    );
  });

  it('refuses bad policies and appends nothing', async () => {
    const s = 'collection-policy-bad';
    const post = (body: unknown) => finance.post('/api/v1/collection-policies', body);
    const step = policy.steps[0]!;
    await refused(
      post({ ...policy, policyId: 'bad', steps: [step, { ...step, offsetDays: 5 }] }),
      s,
      422,
      'DUPLICATE_STEP_ID',
    );
    await refused(
      post({ ...policy, policyId: 'bad', steps: [step, { ...step, stepId: 'b', offsetDays: -3 }] }),
      s,
      422,
      'STEP_OFFSETS_NOT_INCREASING',
    );
    await refused(post({ ...policy, policyId: 'default' }), 'collection-policy-default', 422, 'POLICY_ID_RESERVED');
    await refused(post({ ...policy, policyId: 'bad', steps: [] }), s, 400, 'VALIDATION_FAILED');
    await refused(
      post({ ...policy, policyId: 'bad', steps: [{ ...step, action: 'SHOUT' }] }),
      s,
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      post({ ...policy, policyId: 'bad', steps: [{ ...step, offsetDays: 1.5 }] }),
      s,
      400,
      'VALIDATION_FAILED',
    );
    expect(await typesOf(s)).toEqual([]);
  });

  it('assigns the policy to a customer (CollectionPolicyAssigned on customer-C1); unknown policy or customer is 404', async () => {
    await t.ok(
      finance.post('/api/v1/customers/C1/collection-policy', {
        assignmentId: 'CPA-1',
        policyId: 'strict-v1',
        effectiveFrom: '2026-02-01',
      }),
    );
    const assigned = (await streamOf('customer-C1')).filter((e) => e.type === 'CollectionPolicyAssigned');
    expect(assigned.map((e) => e.data)).toEqual([
      { customerId: 'C1', assignmentId: 'CPA-1', policyId: 'strict-v1', effectiveFrom: '2026-02-01' },
    ]);
    await refused(
      finance.post('/api/v1/customers/C1/collection-policy', {
        assignmentId: 'CPA-2',
        policyId: 'nope',
        effectiveFrom: '2026-02-01',
      }),
      'customer-C1',
      404,
      'NOT_FOUND',
    );
    await refused(
      finance.post('/api/v1/customers/C9/collection-policy', {
        assignmentId: 'CPA-3',
        policyId: 'default',
        effectiveFrom: '2026-02-01',
      }),
      'customer-C9',
      404,
      'NOT_FOUND',
    );
  });

  it('a rep may not create a policy, compliance may not dispute (403), and nothing is appended', async () => {
    const rep = t.api.as(tokenFor({ roles: ['rep'], salespersonId: 'alice' }));
    await refused(
      rep.post('/api/v1/collection-policies', { ...policy, policyId: 'rep' }),
      'collection-policy-rep',
      403,
      'FORBIDDEN',
    );
    const compliance = t.api.as(tokenFor({ roles: ['compliance'] }));
    await refused(
      compliance.post('/api/v1/orders/O1/disputes', {
        disputeId: 'X',
        invoiceId: 'INV-1',
        reason: 'r',
        disputedAt: '2026-02-12T00:00:00Z',
      }),
      'order-O1',
      403,
      'FORBIDDEN',
    );
  });
});

describe('actions, promises and disputes on a receivable', () => {
  it('records each, with the actor in the metadata; repeats append nothing', async () => {
    const action = {
      actionId: 'ACT-1',
      invoiceId: 'INV-1',
      stepId: 'reminder-before',
      action: 'REMINDER',
      takenAt: '2026-02-11T09:00:00Z',
      note: 'e-mail sent',
    };
    const promise = {
      promiseId: 'PRM-1',
      invoiceId: 'INV-1',
      amount: USD(3_000_000),
      promisedDate: '2026-02-20',
      recordedAt: '2026-02-16T10:00:00Z',
    };
    const dispute = { disputeId: 'DSP-1', invoiceId: 'INV-2', reason: 'damaged', disputedAt: '2026-02-12T00:00:00Z' };
    const resolution = { resolvedAt: '2026-02-20T00:00:00Z', outcome: 'replacement shipped' };
    const calls = [
      () => finance.post('/api/v1/orders/O1/collection-actions', action),
      () => finance.post('/api/v1/orders/O1/payment-promises', promise),
      () => finance.post('/api/v1/orders/O1/disputes', dispute),
      () => finance.post('/api/v1/orders/O1/disputes/DSP-1/resolution', resolution),
    ];
    for (const call of calls) await t.ok(call());
    const count = (await streamOf('order-O1')).length;
    for (const call of calls) expect((await call()).status).toBe(201);
    expect((await streamOf('order-O1')).length).toBe(count);

    const events = (await streamOf('order-O1')).slice(-4);
    expect(events.map((e) => [e.type, e.metadata.actor, e.occurredAt])).toEqual([
      ['CollectionActionTaken', 'fin-joe', '2026-02-11T09:00:00.000Z'],
      ['PaymentPromised', 'fin-joe', '2026-02-16T10:00:00.000Z'],
      ['InvoiceDisputed', 'fin-joe', '2026-02-12T00:00:00.000Z'],
      ['InvoiceDisputeResolved', 'fin-joe', '2026-02-20T00:00:00.000Z'],
    ]);
    expect(events.map((e) => e.data)).toEqual([
      { orderId: 'O1', ...action, takenAt: '2026-02-11T09:00:00.000Z' },
      { orderId: 'O1', ...promise, recordedAt: '2026-02-16T10:00:00.000Z' },
      { orderId: 'O1', ...dispute, disputedAt: '2026-02-12T00:00:00.000Z' },
      {
        orderId: 'O1',
        invoiceId: 'INV-2',
        disputeId: 'DSP-1',
        resolvedAt: '2026-02-20T00:00:00.000Z',
        outcome: 'replacement shipped',
      },
    ]);
    // An action with no step and no note is recorded with nulls.
    await t.ok(
      finance.post('/api/v1/orders/O1/collection-actions', {
        actionId: 'ACT-2',
        invoiceId: 'INV-1',
        action: 'CALL',
        takenAt: '2026-02-13T09:00:00Z',
      }),
    );
    const last = (await streamOf('order-O1')).at(-1);
    expect(last?.data).toMatchObject({ actionId: 'ACT-2', stepId: null, note: null });
  });

  it('refusals answer 422 with their code (404 for an unknown order or dispute) and append nothing', async () => {
    const s = 'order-O1';
    const act = (over: Record<string, unknown>) =>
      finance.post('/api/v1/orders/O1/collection-actions', {
        actionId: `A-${JSON.stringify(over).length}-${Object.keys(over).join('')}`,
        invoiceId: 'INV-1',
        action: 'CALL',
        takenAt: '2026-02-20T00:00:00Z',
        ...over,
      });
    await refused(act({ invoiceId: 'INV-9' }), s, 422, 'UNKNOWN_INVOICE');
    await refused(act({ invoiceId: 'INV-2', takenAt: '2026-01-20T00:00:00Z' }), s, 422, 'BEFORE_INVOICE');
    await refused(
      finance.post('/api/v1/orders/O9/collection-actions', {
        actionId: 'A9',
        invoiceId: 'INV-1',
        action: 'CALL',
        takenAt: '2026-02-20T00:00:00Z',
      }),
      'order-O9',
      404,
      'NOT_FOUND',
    );
    const promise = (over: Record<string, unknown>) =>
      finance.post('/api/v1/orders/O1/payment-promises', {
        promiseId: `P-${Object.keys(over).join('')}`,
        invoiceId: 'INV-1',
        amount: USD(1_000_000),
        promisedDate: '2026-02-25',
        recordedAt: '2026-02-20T00:00:00Z',
        ...over,
      });
    await refused(promise({ amount: { amount: 1_000_000, currency: 'EUR' } }), s, 422, 'CURRENCY_MISMATCH');
    await refused(promise({ amount: USD(5_000_001) }), s, 422, 'PROMISE_EXCEEDS_OPEN_AMOUNT');
    await refused(promise({ promisedDate: '2026-02-19' }), s, 422, 'PROMISED_DATE_BEFORE_PROMISE');
    await refused(promise({ amount: USD(0) }), s, 400, 'VALIDATION_FAILED');

    await t.ok(
      finance.post('/api/v1/orders/O1/disputes', {
        disputeId: 'DSP-2',
        invoiceId: 'INV-1',
        reason: 'price',
        disputedAt: '2026-02-21T00:00:00Z',
      }),
    );
    await refused(
      finance.post('/api/v1/orders/O1/disputes', {
        disputeId: 'DSP-3',
        invoiceId: 'INV-1',
        reason: 'again',
        disputedAt: '2026-02-22T00:00:00Z',
      }),
      s,
      422,
      'DISPUTE_ALREADY_OPEN',
    );
    await refused(
      finance.post('/api/v1/orders/O1/disputes', {
        disputeId: 'DSP-4',
        invoiceId: 'INV-2',
        reason: 'again',
        disputedAt: '2026-02-19T00:00:00Z',
      }),
      s,
      422,
      'DISPUTE_OVERLAPS',
    );
    // A resolution's command id is its disputeId: resolving a resolved dispute again with another
    // body is that command with another body (409); with the same body, a repeat (201, nothing new).
    await refused(
      finance.post('/api/v1/orders/O1/disputes/DSP-1/resolution', { resolvedAt: '2026-02-25T00:00:00Z' }),
      s,
      409,
      'IDEMPOTENCY_CONFLICT',
    );
    await refused(
      finance.post('/api/v1/orders/O1/disputes/DSP-2/resolution', { resolvedAt: '2026-02-20T00:00:00Z' }),
      s,
      422,
      'RESOLVED_BEFORE_DISPUTED',
    );
    await refused(
      finance.post('/api/v1/orders/O1/disputes/NOPE/resolution', { resolvedAt: '2026-02-25T00:00:00Z' }),
      s,
      404,
      'NOT_FOUND',
    );
    await t.ok(finance.post('/api/v1/orders/O1/disputes/DSP-2/resolution', { resolvedAt: '2026-02-23T00:00:00Z' }));
  });

  it('a paid invoice takes no more actions, promises or disputes (INVOICE_SETTLED); the other invoice still does', async () => {
    await t.ok(
      finance.post('/api/v1/orders/O1/payments', {
        paymentId: 'PAY-1',
        amount: USD(5_000_000),
        receivedAt: '2026-02-24T00:00:00Z',
      }),
    );
    await refused(
      finance.post('/api/v1/orders/O1/collection-actions', {
        actionId: 'A-paid',
        invoiceId: 'INV-1',
        action: 'CALL',
        takenAt: '2026-02-25T00:00:00Z',
      }),
      'order-O1',
      422,
      'INVOICE_SETTLED',
    );
    await refused(
      finance.post('/api/v1/orders/O1/payment-promises', {
        promiseId: 'P-paid',
        invoiceId: 'INV-1',
        amount: USD(1),
        promisedDate: '2026-03-01',
        recordedAt: '2026-02-25T00:00:00Z',
      }),
      'order-O1',
      422,
      'INVOICE_SETTLED',
    );
    await t.ok(
      finance.post('/api/v1/orders/O1/collection-actions', {
        actionId: 'A-inv2',
        invoiceId: 'INV-2',
        stepId: 'pre',
        action: 'REMINDER',
        takenAt: '2026-02-28T00:00:00Z',
      }),
    );
  });

  it('the recorded events are in the feed and valid against their published schemas', async () => {
    const service = t.api.as(tokenFor({ roles: ['service'] }));
    const types =
      'CollectionPolicyCreated,CollectionPolicyAssigned,CollectionActionTaken,PaymentPromised,InvoiceDisputed,InvoiceDisputeResolved';
    const r = await service.get<{ items: { type: string; schemaVersion: number; data: unknown }[] }>(
      `/api/v1/events?types=${types}&limit=100`,
    );
    expect(r.status).toBe(200);
    const seen = r.body.items.map((e) => e.type);
    expect(new Set(seen)).toEqual(new Set(types.split(',')));
    const v = new EventSchemaValidator();
    for (const e of r.body.items)
      expect({ type: e.type, errors: v.feedEventErrors(e) }).toEqual({ type: e.type, errors: [] });
  });

  it('the schedule function reads the recorded streams: INV-1 paused, escalated, then CANCELLED once paid (its done step DONE); INV-2 on strict-v1, paused 8 days', async () => {
    const rec = (e: StoredEvent) => ({
      type: e.type,
      data: e.data,
      occurredAt: e.occurredAt,
      recordedAt: e.recordedAt,
    });
    const orderEvents = (await streamOf('order-O1')).map(rec) as RecordedFact<OrderEvent | CollectionOrderEvent>[];
    const policyAssignments = (await streamOf('customer-C1'))
      .filter((e) => e.type === 'CollectionPolicyAssigned')
      .map(rec) as RecordedFact<CollectionPolicyAssigned>[];
    const created = (await streamOf('collection-policy-strict-v1'))[0]!.data as CollectionPolicyCreated['data'];
    const tasks = collectionTasks({
      orderEvents,
      policyAssignments,
      policies: { 'strict-v1': created },
      managers: { alice: null, bob: null },
      asOf: '2026-03-01T00:00:00Z',
    });
    const view = tasks.map((x) => [x.taskId, x.status, x.dueDate]);
    expect(view).toEqual([
      ['O1:INV-1:reminder-before', 'DONE', '2026-02-11'],
      ['O1:INV-1:reminder-after', 'CANCELLED', '2026-02-15'],
      // INV-1 (default policy, due 02-14): DSP-2 paused it 02-21 → 02-23 (2 days: call 03-01 → 03-03,
      // formal notice 03-16 → 03-18, legal 04-15 → 04-17); PRM-1 (30,000.00 by 02-20) was broken, so the
      // call was raised to 02-21; the payment of 02-24 settled INV-1: what was not done is CANCELLED.
      ['O1:INV-1:call', 'CANCELLED', '2026-02-21'],
      ['O1:INV-1:formal-notice', 'CANCELLED', '2026-03-18'],
      ['O1:INV-1:legal-handoff', 'CANCELLED', '2026-04-17'],
      // INV-2 (issued 02-01, due 03-03) follows strict-v1; disputed 02-12 → 02-20 pauses 8 days:
      // pre 02-28 → 03-08 (done on 02-28 anyway), call 03-13 → 03-21, legal 04-17 → 04-25.
      ['O1:INV-2:pre', 'DONE', '2026-03-08'],
      ['O1:INV-2:call', 'UPCOMING', '2026-03-21'],
      ['O1:INV-2:legal', 'UPCOMING', '2026-04-25'],
    ]);
  });
});
