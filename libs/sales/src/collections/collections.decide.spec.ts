/**
 * Collection commands, decided (issue 9 items 1-2): given the stream's events, when a command,
 * then the events it appends or the refusal it answers with (docs/collections-and-credit.md).
 */
import { specFor } from '../../../eventsourcing/src/testing/decider.spec-helper';
import type {
  CollectionPolicyAssigned,
  CollectionPolicyCreated,
  CollectionStep,
  InvoiceDisputed,
} from '../contracts/collections.events';
import type { CustomerRegistered, OrderEvent, SaleBooked } from '../contracts/sales.events';
import { assignCollectionPolicyDecider } from './assign-collection-policy/assign-collection-policy.decide';
import type { ReceivableStreamEvent } from './collection-receivable.state';
import { createCollectionPolicyDecider } from './create-collection-policy/create-collection-policy.decide';
import { disputeInvoiceDecider } from './dispute-invoice/dispute-invoice.decide';
import { promisePaymentDecider } from './promise-payment/promise-payment.decide';
import { recordCollectionActionDecider } from './record-collection-action/record-collection-action.decide';
import { resolveInvoiceDisputeDecider } from './resolve-invoice-dispute/resolve-invoice-dispute.decide';

const USD = (amount: number) => ({ amount, currency: 'USD' });
const T = (date: string) => `${date}T00:00:00.000Z`;

const steps: CollectionStep[] = [
  { stepId: 'pre', offsetDays: -3, action: 'REMINDER', responsible: 'SALESPERSON' },
  { stepId: 'call', offsetDays: 10, action: 'CALL', responsible: 'MANAGER' },
  { stepId: 'legal', offsetDays: 45, action: 'LEGAL_HANDOFF', responsible: 'FINANCE' },
];
const created: CollectionPolicyCreated = {
  type: 'CollectionPolicyCreated',
  occurredAt: T('2026-01-01'),
  data: { policyId: 'strict-v1', name: 'Strict', steps },
};

describe('create a collection policy', () => {
  const create = (over: Partial<{ policyId: string; steps: CollectionStep[] }> = {}) => ({
    type: 'CreateCollectionPolicy' as const,
    policyId: over.policyId ?? 'strict-v1',
    name: 'Strict',
    steps: over.steps ?? steps,
    at: T('2026-01-01'),
  });

  it('given nothing, when created with increasing offsets (negative allowed), then CollectionPolicyCreated', () => {
    specFor(createCollectionPolicyDecider).given([]).when(create()).then([created]);
  });

  it('given the policy exists, when created again under its id, then ALREADY_EXISTS (a new version is a new id)', () => {
    specFor(createCollectionPolicyDecider).given([created]).when(create()).thenRefuses('ALREADY_EXISTS');
  });

  it('refuses the reserved id `default`, duplicate step ids, offsets not strictly increasing, 0 or 21 steps', () => {
    const spec = specFor(createCollectionPolicyDecider).given([]);
    spec.when(create({ policyId: 'default' })).thenRefuses('POLICY_ID_RESERVED');
    spec.when(create({ steps: [steps[0]!, { ...steps[1]!, stepId: 'pre' }] })).thenRefuses('DUPLICATE_STEP_ID');
    spec
      .when(create({ steps: [steps[0]!, { ...steps[1]!, offsetDays: -3 }] }))
      .thenRefuses('STEP_OFFSETS_NOT_INCREASING');
    spec
      .when(create({ steps: [steps[1]!, { ...steps[0]!, offsetDays: 5 }] }))
      .thenRefuses('STEP_OFFSETS_NOT_INCREASING');
    spec.when(create({ steps: [] })).thenRefuses('STEP_COUNT');
    const many = Array.from({ length: 21 }, (_, i) => ({ ...steps[0]!, stepId: `s${i}`, offsetDays: i }));
    spec.when(create({ steps: many })).thenRefuses('STEP_COUNT');
    spec
      .when(create({ steps: many.slice(0, 20) }))
      .then([{ ...created, data: { ...created.data, steps: many.slice(0, 20) } }]);
  });
});

describe('assign a collection policy to a customer', () => {
  const customer: CustomerRegistered = {
    type: 'CustomerRegistered',
    occurredAt: T('2026-01-01'),
    data: {
      customerId: 'C1',
      name: 'Acme',
      paymentTermsDays: 30,
      creditLimit: null,
      salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
    },
  };
  const assign = (policyId: string) => ({
    type: 'AssignCollectionPolicy' as const,
    customerId: 'C1',
    assignmentId: 'CPA-1',
    policyId,
    effectiveFrom: '2026-02-01',
  });
  const assigned = (policyId: string): CollectionPolicyAssigned => ({
    type: 'CollectionPolicyAssigned',
    occurredAt: T('2026-02-01'),
    data: { customerId: 'C1', assignmentId: 'CPA-1', policyId, effectiveFrom: '2026-02-01' },
  });
  const policyExists = { exists: true as const, ...created.data };

  it('given the customer and the policy, then CollectionPolicyAssigned on the customer stream', () => {
    specFor(assignCollectionPolicyDecider(policyExists))
      .given([customer])
      .when(assign('strict-v1'))
      .then([assigned('strict-v1')]);
  });

  it('`default` needs no created policy (back to the built-in one); a later assignment is folded without changing the customer', () => {
    specFor(assignCollectionPolicyDecider({ exists: false }))
      .given([customer, assigned('strict-v1')])
      .when(assign('default'))
      .then([assigned('default')]);
  });

  it('an unknown customer or policy is NOT_FOUND', () => {
    specFor(assignCollectionPolicyDecider(policyExists)).given([]).when(assign('strict-v1')).thenRefuses('NOT_FOUND');
    specFor(assignCollectionPolicyDecider({ exists: false }))
      .given([customer])
      .when(assign('nope'))
      .thenRefuses('NOT_FOUND');
  });
});

// An order of 100,000.00 with two invoices of 50,000.00: INV-1 due 2026-02-14, INV-2 due 2026-03-03.
const booked: SaleBooked = {
  type: 'SaleBooked',
  occurredAt: T('2026-01-10'),
  data: {
    orderId: 'O1',
    customerId: 'C1',
    amount: USD(10_000_000),
    bookedAt: T('2026-01-10'),
    salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
    paymentTermsDays: 30,
    dueDate: '2026-02-09',
    businessUnit: null,
    lines: [],
  },
};
const invoice = (invoiceId: string, issued: string, due: string): OrderEvent => ({
  type: 'InvoiceIssued',
  occurredAt: T(issued),
  data: { orderId: 'O1', invoiceId, amount: USD(5_000_000), issuedAt: T(issued), dueDate: due },
});
const inv1 = invoice('INV-1', '2026-01-15', '2026-02-14');
const inv2 = invoice('INV-2', '2026-02-01', '2026-03-03');
const payment = (paymentId: string, amount: number, date: string): OrderEvent => ({
  type: 'PaymentReceived',
  occurredAt: T(date),
  data: { orderId: 'O1', paymentId, amount: USD(amount), receivedAt: T(date) },
});
const history: ReceivableStreamEvent[] = [booked, inv1, inv2];

describe('record a collection action', () => {
  const act = (over: Partial<{ invoiceId: string; takenAt: string; orderId: string }> = {}) => ({
    type: 'RecordCollectionAction' as const,
    orderId: over.orderId ?? 'O1',
    actionId: 'ACT-1',
    invoiceId: over.invoiceId ?? 'INV-1',
    stepId: 'call',
    action: 'CALL' as const,
    takenAt: over.takenAt ?? T('2026-02-25'),
    note: null,
  });

  it('given an open invoice, then CollectionActionTaken (the step is done; the actor is in the metadata)', () => {
    specFor(recordCollectionActionDecider)
      .given(history)
      .when(act())
      .then([
        {
          type: 'CollectionActionTaken',
          occurredAt: T('2026-02-25'),
          data: {
            orderId: 'O1',
            invoiceId: 'INV-1',
            actionId: 'ACT-1',
            stepId: 'call',
            action: 'CALL',
            takenAt: T('2026-02-25'),
            note: null,
          },
        },
      ]);
  });

  it('refuses an unknown order (404), an unknown invoice, a time before the invoice, a settled invoice', () => {
    const spec = specFor(recordCollectionActionDecider);
    spec.given([]).when(act()).thenRefuses('NOT_FOUND');
    spec
      .given(history)
      .when(act({ invoiceId: 'INV-9' }))
      .thenRefuses('UNKNOWN_INVOICE');
    spec
      .given(history)
      .when(act({ invoiceId: 'INV-2', takenAt: T('2026-01-20') }))
      .thenRefuses('BEFORE_INVOICE');
    // 50,000.00 paid on 2026-02-10 settles INV-1 (oldest first), not INV-2.
    const paid = [...history, payment('PAY-1', 5_000_000, '2026-02-10')];
    spec.given(paid).when(act()).thenRefuses('INVOICE_SETTLED');
    spec
      .given(paid)
      .when(act({ invoiceId: 'INV-2' }))
      .then([expect.objectContaining({ type: 'CollectionActionTaken' })]);
    // Before the payment, INV-1 was still open: an action taken then may be recorded later.
    spec
      .given(paid)
      .when(act({ takenAt: T('2026-02-09') }))
      .then([expect.objectContaining({ type: 'CollectionActionTaken' })]);
  });

  it('written off or cancelled: INVOICE_SETTLED / ORDER_CANCELLED', () => {
    const writtenOff: OrderEvent = {
      type: 'DebtWrittenOff',
      occurredAt: T('2026-03-01'),
      data: {
        orderId: 'O1',
        writeOffId: 'WO-1',
        amount: USD(10_000_000),
        writtenOffAt: T('2026-03-01'),
        reason: 'insolvent',
        bookedAt: T('2026-01-10'),
      },
    };
    specFor(recordCollectionActionDecider)
      .given([...history, writtenOff])
      .when(act({ takenAt: T('2026-03-02') }))
      .thenRefuses('INVOICE_SETTLED');
    const cancelled: OrderEvent = {
      type: 'OrderCancelled',
      occurredAt: T('2026-03-01'),
      data: {
        orderId: 'O1',
        cancellationId: 'X1',
        cancelledAt: T('2026-03-01'),
        amount: USD(10_000_000),
        unpaidPart: 10_000_000,
        refundPart: 0,
        reason: 'r',
        bookedAt: T('2026-01-10'),
      },
    };
    specFor(recordCollectionActionDecider)
      .given([...history, cancelled])
      .when(act({ takenAt: T('2026-03-02') }))
      .thenRefuses('ORDER_CANCELLED');
  });
});

describe('promise a payment', () => {
  const promise = (
    over: Partial<{ amount: { amount: number; currency: string }; promisedDate: string; recordedAt: string }> = {},
  ) => ({
    type: 'PromisePayment' as const,
    orderId: 'O1',
    promiseId: 'PRM-1',
    invoiceId: 'INV-1',
    amount: over.amount ?? USD(3_000_000),
    promisedDate: over.promisedDate ?? '2026-02-20',
    recordedAt: over.recordedAt ?? T('2026-02-12'),
  });

  it('given an open invoice, then PaymentPromised (occurredAt = when the promise was taken)', () => {
    specFor(promisePaymentDecider)
      .given(history)
      .when(promise())
      .then([
        {
          type: 'PaymentPromised',
          occurredAt: T('2026-02-12'),
          data: {
            orderId: 'O1',
            invoiceId: 'INV-1',
            promiseId: 'PRM-1',
            amount: USD(3_000_000),
            promisedDate: '2026-02-20',
            recordedAt: T('2026-02-12'),
          },
        },
      ]);
  });

  it('up to the open amount at the promise: 20,000.00 paid leaves 30,000.00 of INV-1 to promise', () => {
    const partly = [...history, payment('PAY-1', 2_000_000, '2026-02-10')];
    const spec = specFor(promisePaymentDecider).given(partly);
    spec.when(promise({ amount: USD(3_000_000) })).then([expect.objectContaining({ type: 'PaymentPromised' })]);
    spec.when(promise({ amount: USD(3_000_001) })).thenRefuses('PROMISE_EXCEEDS_OPEN_AMOUNT');
  });

  it('refuses another currency, a promised date before the promise, and a settled invoice', () => {
    const spec = specFor(promisePaymentDecider).given(history);
    spec.when(promise({ amount: { amount: 100, currency: 'EUR' } })).thenRefuses('CURRENCY_MISMATCH');
    spec.when(promise({ promisedDate: '2026-02-11' })).thenRefuses('PROMISED_DATE_BEFORE_PROMISE');
    spec.when(promise({ promisedDate: '2026-02-12' })).then([expect.objectContaining({ type: 'PaymentPromised' })]);
    specFor(promisePaymentDecider)
      .given([...history, payment('PAY-1', 5_000_000, '2026-02-10')])
      .when(promise())
      .thenRefuses('INVOICE_SETTLED');
  });
});

describe('dispute an invoice and resolve the dispute', () => {
  const dispute = (over: Partial<{ disputeId: string; invoiceId: string; disputedAt: string }> = {}) => ({
    type: 'DisputeInvoice' as const,
    orderId: 'O1',
    disputeId: over.disputeId ?? 'DSP-1',
    invoiceId: over.invoiceId ?? 'INV-1',
    reason: 'damaged',
    disputedAt: over.disputedAt ?? T('2026-02-12'),
  });
  const disputed: InvoiceDisputed = {
    type: 'InvoiceDisputed',
    occurredAt: T('2026-02-12'),
    data: { orderId: 'O1', invoiceId: 'INV-1', disputeId: 'DSP-1', reason: 'damaged', disputedAt: T('2026-02-12') },
  };
  const resolve = (over: Partial<{ disputeId: string; resolvedAt: string }> = {}) => ({
    type: 'ResolveInvoiceDispute' as const,
    orderId: 'O1',
    disputeId: over.disputeId ?? 'DSP-1',
    resolvedAt: over.resolvedAt ?? T('2026-02-20'),
    outcome: 'replaced',
  });
  const resolved: ReceivableStreamEvent = {
    type: 'InvoiceDisputeResolved',
    occurredAt: T('2026-02-20'),
    data: { orderId: 'O1', invoiceId: 'INV-1', disputeId: 'DSP-1', resolvedAt: T('2026-02-20'), outcome: 'replaced' },
  };

  it('given an open invoice, then InvoiceDisputed; then its resolution InvoiceDisputeResolved (invoice taken from the dispute)', () => {
    specFor(disputeInvoiceDecider).given(history).when(dispute()).then([disputed]);
    specFor(resolveInvoiceDisputeDecider)
      .given([...history, disputed])
      .when(resolve())
      .then([resolved]);
  });

  it('refuses a second dispute while one is open (another invoice may be disputed), and one starting before the last resolution', () => {
    const spec = specFor(disputeInvoiceDecider);
    spec
      .given([...history, disputed])
      .when(dispute({ disputeId: 'DSP-2' }))
      .thenRefuses('DISPUTE_ALREADY_OPEN');
    spec
      .given([...history, disputed])
      .when(dispute({ disputeId: 'DSP-2', invoiceId: 'INV-2' }))
      .then([expect.objectContaining({ type: 'InvoiceDisputed' })]);
    spec
      .given([...history, disputed, resolved])
      .when(dispute({ disputeId: 'DSP-2', disputedAt: T('2026-02-19') }))
      .thenRefuses('DISPUTE_OVERLAPS');
    spec
      .given([...history, disputed, resolved])
      .when(dispute({ disputeId: 'DSP-2', disputedAt: T('2026-02-20') }))
      .then([expect.objectContaining({ type: 'InvoiceDisputed' })]);
  });

  it('refuses a dispute of an unknown or settled invoice, or before the invoice', () => {
    const spec = specFor(disputeInvoiceDecider);
    spec
      .given(history)
      .when(dispute({ invoiceId: 'INV-9' }))
      .thenRefuses('UNKNOWN_INVOICE');
    spec
      .given(history)
      .when(dispute({ disputedAt: T('2026-01-14') }))
      .thenRefuses('BEFORE_INVOICE');
    spec
      .given([...history, payment('PAY-1', 5_000_000, '2026-02-10')])
      .when(dispute())
      .thenRefuses('INVOICE_SETTLED');
  });

  it('refuses resolving a resolved dispute, an unknown one (404), or before it was raised; a paid invoice may still close its dispute', () => {
    const spec = specFor(resolveInvoiceDisputeDecider);
    spec
      .given([...history, disputed, resolved])
      .when(resolve())
      .thenRefuses('DISPUTE_NOT_OPEN');
    spec
      .given([...history, disputed])
      .when(resolve({ disputeId: 'DSP-9' }))
      .thenRefuses('NOT_FOUND');
    spec.given([]).when(resolve()).thenRefuses('NOT_FOUND');
    spec
      .given([...history, disputed])
      .when(resolve({ resolvedAt: T('2026-02-11') }))
      .thenRefuses('RESOLVED_BEFORE_DISPUTED');
    spec
      .given([...history, disputed, payment('PAY-1', 10_000_000, '2026-02-15')])
      .when(resolve())
      .then([resolved]);
  });
});
