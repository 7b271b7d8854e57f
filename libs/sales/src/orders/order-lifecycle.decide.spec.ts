/** Track-to-cash decisions on one order: domain.md §3 and the worked example of §6. */
import { specFor } from '../../../eventsourcing/src/testing/decider.spec-helper';
import type { OrderEvent, SaleBooked } from '../contracts/sales.events';
import { cancelOrderDecider } from './cancel-order/cancel-order.decide';
import { issueInvoiceDecider } from './issue-invoice/issue-invoice.decide';
import { evolveOrder, initialOrderState, net, paidNet, receivable } from './order.state';
import { receivePaymentDecider } from './receive-payment/receive-payment.decide';
import { returnGoodsDecider } from './return-goods/return-goods.decide';
import { writeOffDecider } from './write-off/write-off.decide';

const USD = (amount: number) => ({ amount, currency: 'USD' });
const booked: SaleBooked = {
  type: 'SaleBooked',
  occurredAt: '2026-01-10T00:00:00.000Z',
  data: {
    orderId: 'O1',
    customerId: 'C1',
    amount: USD(10_000_000),
    bookedAt: '2026-01-10T00:00:00.000Z',
    salesCredits: [
      { salespersonId: 'alice', splitBps: 6000 },
      { salespersonId: 'bob', splitBps: 4000 },
    ],
    paymentTermsDays: 30,
    dueDate: '2026-02-09',
    businessUnit: null,
    lines: [],
  },
};
const paid40k: OrderEvent = {
  type: 'PaymentReceived',
  occurredAt: '2026-02-01T00:00:00.000Z',
  data: { orderId: 'O1', paymentId: 'PAY1', amount: USD(4_000_000), receivedAt: '2026-02-01T00:00:00.000Z' },
};
const fold = (events: OrderEvent[]) => events.reduce(evolveOrder, initialOrderState());

describe('receive payment', () => {
  it('example 1 step 2: 40,000.00 of 100,000.00 leaves 6,000,000 receivable', () => {
    specFor(receivePaymentDecider)
      .given([booked])
      .when({
        type: 'ReceivePayment',
        orderId: 'O1',
        paymentId: 'PAY1',
        amount: USD(4_000_000),
        receivedAt: '2026-02-01T00:00:00.000Z',
      })
      .then([paid40k as never]);
    const s = fold([booked, paid40k]);
    expect(s.exists && receivable(s.amounts)).toBe(6_000_000);
  });

  it('refuses more than the receivable as OVERPAYMENT, but takes exactly the receivable', () => {
    const spec = specFor(receivePaymentDecider).given([booked, paid40k]);
    spec
      .when({
        type: 'ReceivePayment',
        orderId: 'O1',
        paymentId: 'P2',
        amount: USD(6_000_001),
        receivedAt: '2026-02-02T00:00:00Z',
      })
      .thenRefuses('OVERPAYMENT');
    expect(
      receivePaymentDecider.decide(
        {
          type: 'ReceivePayment',
          orderId: 'O1',
          paymentId: 'P2',
          amount: USD(6_000_000),
          receivedAt: '2026-02-02T00:00:00Z',
        },
        fold([booked, paid40k]),
      ),
    ).toHaveLength(1);
  });

  it('refuses an unknown order, another currency, and a date before the booking', () => {
    const spec = specFor(receivePaymentDecider);
    spec
      .given([])
      .when({
        type: 'ReceivePayment',
        orderId: 'O1',
        paymentId: 'P',
        amount: USD(1),
        receivedAt: '2026-02-02T00:00:00Z',
      })
      .thenRefuses('NOT_FOUND');
    spec
      .given([booked])
      .when({
        type: 'ReceivePayment',
        orderId: 'O1',
        paymentId: 'P',
        amount: { amount: 1, currency: 'EUR' },
        receivedAt: '2026-02-02T00:00:00Z',
      })
      .thenRefuses('CURRENCY_MISMATCH');
    spec
      .given([booked])
      .when({
        type: 'ReceivePayment',
        orderId: 'O1',
        paymentId: 'P',
        amount: USD(1),
        receivedAt: '2026-01-09T00:00:00Z',
      })
      .thenRefuses('BEFORE_BOOKING');
  });
});

describe('return goods and cancel', () => {
  const returned = returnGoodsDecider.decide(
    {
      type: 'ReturnGoods',
      orderId: 'O1',
      returnId: 'R1',
      returnedAt: '2026-03-01T00:00:00.000Z',
      reason: 'damaged',
      amount: USD(1_000_000),
    },
    fold([booked, paid40k]),
  );

  it('example 1 step 3: a return consumes the unpaid part first (no refund)', () => {
    expect(returned[0]?.data).toMatchObject({
      unpaidPart: 1_000_000,
      refundPart: 0,
      bookedAt: '2026-01-10T00:00:00.000Z',
    });
    const s = fold([booked, paid40k, ...returned]);
    expect(s.exists && [net(s.amounts), receivable(s.amounts)]).toEqual([9_000_000, 5_000_000]);
  });

  it('example 1 step 4: cancelling 50,000.00 consumes the unpaid 5,000,000 and leaves the order paid', () => {
    const cancelled = cancelOrderDecider.decide(
      {
        type: 'CancelOrder',
        orderId: 'O1',
        cancellationId: 'X1',
        cancelledAt: '2026-05-01T00:00:00.000Z',
        reason: 'scope cut',
        amount: USD(5_000_000),
      },
      fold([booked, paid40k, ...returned]),
    );
    expect(cancelled[0]?.data).toMatchObject({ unpaidPart: 5_000_000, refundPart: 0 });
    const s = fold([booked, paid40k, ...returned, ...cancelled]);
    expect(s.exists && [net(s.amounts), paidNet(s.amounts), receivable(s.amounts)]).toEqual([4_000_000, 4_000_000, 0]);
  });

  it('a cancellation with no amount cancels the whole net and refunds what was paid', () => {
    const cancelled = cancelOrderDecider.decide(
      {
        type: 'CancelOrder',
        orderId: 'O1',
        cancellationId: 'X1',
        cancelledAt: '2026-05-01T00:00:00.000Z',
        reason: 'lost',
        amount: null,
      },
      fold([booked, paid40k, ...returned]),
    );
    expect(cancelled[0]?.data).toMatchObject({ amount: USD(9_000_000), unpaidPart: 5_000_000, refundPart: 4_000_000 });
    const s = fold([booked, paid40k, ...returned, ...cancelled]);
    expect(s.exists && [net(s.amounts), paidNet(s.amounts), receivable(s.amounts)]).toEqual([0, 0, 0]);
    specFor(returnGoodsDecider)
      .given([booked, paid40k, ...returned, ...cancelled])
      .when({
        type: 'ReturnGoods',
        orderId: 'O1',
        returnId: 'R2',
        returnedAt: '2026-06-01T00:00:00Z',
        reason: 'x',
        amount: USD(1),
      })
      .thenRefuses('ORDER_CANCELLED');
  });

  it('refuses more than the net amount', () => {
    specFor(returnGoodsDecider)
      .given([booked])
      .when({
        type: 'ReturnGoods',
        orderId: 'O1',
        returnId: 'R',
        returnedAt: '2026-02-01T00:00:00Z',
        reason: 'x',
        amount: USD(10_000_001),
      })
      .thenRefuses('AMOUNT_EXCEEDS_NET');
    specFor(cancelOrderDecider)
      .given([booked])
      .when({
        type: 'CancelOrder',
        orderId: 'O1',
        cancellationId: 'C',
        cancelledAt: '2026-02-01T00:00:00Z',
        reason: 'x',
        amount: USD(10_000_001),
      })
      .thenRefuses('AMOUNT_EXCEEDS_NET');
  });
});

describe('invoices and write-offs', () => {
  it('refuses invoicing beyond the net amount and a due date before the issue date', () => {
    const spec = specFor(issueInvoiceDecider).given([booked]);
    spec
      .when({
        type: 'IssueInvoice',
        orderId: 'O1',
        invoiceId: 'I',
        amount: USD(10_000_001),
        issuedAt: '2026-01-11T00:00:00Z',
        dueDate: '2026-02-10',
      })
      .thenRefuses('AMOUNT_EXCEEDS_NET');
    spec
      .when({
        type: 'IssueInvoice',
        orderId: 'O1',
        invoiceId: 'I',
        amount: USD(1),
        issuedAt: '2026-01-11T00:00:00Z',
        dueDate: '2026-01-10',
      })
      .thenRefuses('DUE_DATE_BEFORE_ISSUE');
    const sameDay = issueInvoiceDecider.decide(
      {
        type: 'IssueInvoice',
        orderId: 'O1',
        invoiceId: 'I',
        amount: USD(1),
        issuedAt: '2026-01-11T00:00:00Z',
        dueDate: '2026-01-11',
      },
      fold([booked]),
    );
    expect(sameDay.map((e) => e.type)).toEqual(['InvoiceIssued']);
  });

  it('writes off the whole receivable by default, and refuses when nothing is receivable', () => {
    const [w] = writeOffDecider.decide(
      {
        type: 'WriteOffDebt',
        orderId: 'O1',
        writeOffId: 'W',
        writtenOffAt: '2026-06-01T00:00:00Z',
        reason: 'insolvent',
        amount: null,
      },
      fold([booked, paid40k]),
    );
    expect(w?.data.amount).toEqual(USD(6_000_000));
    specFor(writeOffDecider)
      .given([booked, paid40k, w!])
      .when({
        type: 'WriteOffDebt',
        orderId: 'O1',
        writeOffId: 'W2',
        writtenOffAt: '2026-06-02T00:00:00Z',
        reason: 'x',
        amount: null,
      })
      .thenRefuses('NOTHING_RECEIVABLE');
    specFor(writeOffDecider)
      .given([booked, paid40k])
      .when({
        type: 'WriteOffDebt',
        orderId: 'O1',
        writeOffId: 'W3',
        writtenOffAt: '2026-06-02T00:00:00Z',
        reason: 'x',
        amount: USD(6_000_001),
      })
      .thenRefuses('AMOUNT_EXCEEDS_RECEIVABLE');
  });
});
