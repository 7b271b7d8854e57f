import { DomainError } from '../../../../eventsourcing/src/decider';
import { specFor } from '../../../../eventsourcing/src/testing/decider.spec-helper';
import type { CustomerCreditReserved } from '../../contracts/sales.events';
import { creditPosition } from '../../customers/customer-credit.state';
import { type CustomerEvent, evolveCustomer, initialCustomerState } from '../../customers/customer.state';
import { evolveOrder, initialOrderState, type OrderEvent, type OrderState } from '../order.state';
import type { BookSale } from './book-sale.command';
import { decideReserveCredit, reserveCreditDecider } from './reserve-credit.decide';

const USD = (amount: number) => ({ amount, currency: 'USD' });
const AT = '2026-03-01T00:00:00.000Z';

/** Customer C1, limit 10,000.00 USD. */
const registered = (creditLimit: { amount: number; currency: string } | null = USD(1_000_000)): CustomerEvent => ({
  type: 'CustomerRegistered',
  occurredAt: '2026-01-01T00:00:00.000Z',
  data: {
    customerId: 'C1',
    name: 'Acme',
    paymentTermsDays: 30,
    creditLimit,
    salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
  },
});

const reserved = (
  orderId: string,
  amount: number,
  currency = 'USD',
  override: CustomerCreditReserved['data']['override'] = null,
): CustomerEvent => ({
  type: 'CustomerCreditReserved',
  occurredAt: AT,
  data: {
    customerId: 'C1',
    orderId,
    amount: { amount, currency },
    source: 'BOOKING',
    limit: USD(1_000_000),
    exposure: 0,
    override,
  },
});

const book = (orderId: string, amount: number, overrides: Partial<BookSale> = {}): BookSale => ({
  type: 'BookSale',
  orderId,
  customerId: 'C1',
  amount: USD(amount),
  bookedAt: AT,
  salesCredits: null,
  businessUnit: null,
  lines: [],
  ...overrides,
});

/** An order of C1 (or another customer), booked and then changed by `then`. */
function order(
  orderId: string,
  amount: number,
  then: ((e: { orderId: string }) => OrderEvent)[] = [],
  customerId = 'C1',
  currency = 'USD',
): [string, OrderState] {
  const booked: OrderEvent = {
    type: 'SaleBooked',
    occurredAt: AT,
    data: {
      orderId,
      customerId,
      amount: { amount, currency },
      bookedAt: AT,
      salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
      paymentTermsDays: 30,
      dueDate: '2026-03-31',
      businessUnit: null,
      lines: [],
    },
  };
  const events = [booked, ...then.map((f) => f({ orderId }))];
  return [orderId, events.reduce(evolveOrder, initialOrderState())];
}
const paid =
  (amount: number) =>
  ({ orderId }: { orderId: string }): OrderEvent => ({
    type: 'PaymentReceived',
    occurredAt: AT,
    data: { orderId, paymentId: `PAY-${orderId}`, amount: USD(amount), receivedAt: AT },
  });
const cancelled =
  (amount: number) =>
  ({ orderId }: { orderId: string }): OrderEvent => ({
    type: 'OrderCancelled',
    occurredAt: AT,
    data: {
      orderId,
      cancellationId: `X-${orderId}`,
      cancelledAt: AT,
      amount: USD(amount),
      unpaidPart: amount,
      refundPart: 0,
      reason: 'customer cancelled',
      bookedAt: AT,
    },
  });
const writtenOff =
  (amount: number) =>
  ({ orderId }: { orderId: string }): OrderEvent => ({
    type: 'DebtWrittenOff',
    occurredAt: AT,
    data: {
      orderId,
      writeOffId: `W-${orderId}`,
      amount: USD(amount),
      writtenOffAt: AT,
      reason: 'bad debt',
      bookedAt: AT,
    },
  });

const reservation = (
  orderId: string,
  amount: number,
  exposure: number,
  override: CustomerCreditReserved['data']['override'] = null,
  currency = 'USD',
): CustomerCreditReserved => ({
  type: 'CustomerCreditReserved',
  occurredAt: AT,
  data: {
    customerId: 'C1',
    orderId,
    amount: { amount, currency },
    source: 'BOOKING',
    limit: USD(1_000_000),
    exposure,
    override,
  },
});

/** The refusal thrown, for its code and figures. */
function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('credit limit: reserving a sale’s credit on the customer’s stream', () => {
  const O1 = new Map([order('O1', 600_000)]); // O1: 6,000.00 booked, nothing paid

  it('given exposure 6,000.00 of 10,000.00, when a sale of 4,000.00 is booked, then it is reserved (exactly at the limit)', () => {
    specFor(reserveCreditDecider(O1))
      .given([registered(), reserved('O1', 600_000)])
      .when(book('O2', 400_000))
      .then([reservation('O2', 400_000, 600_000)]);
  });

  it('given exposure 6,000.00 of 10,000.00, when a sale of 4,000.01 is booked, then CREDIT_LIMIT_EXCEEDED with the figures', () => {
    const state = [registered(), reserved('O1', 600_000)].reduce(evolveCustomer, initialCustomerState());
    const error = refusal(() => decideReserveCredit(book('O2', 400_001), state, O1));
    expect(error.code).toBe('CREDIT_LIMIT_EXCEEDED');
    expect(error.kind).toBe('rule');
    expect(error.details).toEqual({
      customerId: 'C1',
      currency: 'USD',
      limit: 1_000_000,
      exposure: 600_000,
      amount: 400_001,
      available: 400_000,
    });
  });

  it('given the same, when the sale carries a creditOverride, then it is reserved with the approval, the exposure and the limit', () => {
    const override = { approvedBy: 'carol', reason: 'prepaid by wire' };
    specFor(reserveCreditDecider(O1))
      .given([registered(), reserved('O1', 600_000)])
      .when(book('O2', 900_000, { creditOverride: override }))
      .then([reservation('O2', 900_000, 600_000, override)]);
  });

  it('an override the sale did not need is not recorded as one (nothing was overridden)', () => {
    specFor(reserveCreditDecider(O1))
      .given([registered(), reserved('O1', 600_000)])
      .when(book('O2', 100_000, { creditOverride: { approvedBy: 'carol', reason: 'just in case' } }))
      .then([reservation('O2', 100_000, 600_000, null)]);
  });

  it('a sale in another currency than the limit’s is refused (CREDIT_LIMIT_CURRENCY_MISMATCH), or recorded with an override and not counted', () => {
    const eur = book('O2', 100, { amount: { amount: 100, currency: 'EUR' } });
    specFor(reserveCreditDecider(O1))
      .given([registered(), reserved('O1', 600_000)])
      .when(eur)
      .thenRefuses('CREDIT_LIMIT_CURRENCY_MISMATCH');
    const override = { approvedBy: 'carol', reason: 'EUR contract' };
    specFor(reserveCreditDecider(O1))
      .given([registered(), reserved('O1', 600_000)])
      .when({ ...eur, creditOverride: override })
      .then([reservation('O2', 100, 600_000, override, 'EUR')]);
    // Booked in EUR, the order holds nothing of the USD limit: 4,000.00 is still available.
    const orders = new Map([...O1, order('O2', 5_000_000, [], 'C1', 'EUR')]);
    specFor(reserveCreditDecider(orders))
      .given([registered(), reserved('O1', 600_000), reserved('O2', 5_000_000, 'EUR')])
      .when(book('O3', 400_000))
      .then([reservation('O3', 400_000, 600_000)]);
  });

  it('a payment frees credit: O1 6,000.00 with 3,000.00 paid holds 3,000.00, so 7,000.00 fits', () => {
    const orders = new Map([order('O1', 600_000, [paid(300_000)])]);
    specFor(reserveCreditDecider(orders))
      .given([registered(), reserved('O1', 600_000)])
      .when(book('O2', 700_000))
      .then([reservation('O2', 700_000, 300_000)]);
    specFor(reserveCreditDecider(orders))
      .given([registered(), reserved('O1', 600_000)])
      .when(book('O2', 700_001))
      .thenRefuses('CREDIT_LIMIT_EXCEEDED');
  });

  it('a cancellation frees credit: O1 cancelled for 2,500.00 holds 3,500.00', () => {
    const orders = new Map([order('O1', 600_000, [cancelled(250_000)])]);
    specFor(reserveCreditDecider(orders))
      .given([registered(), reserved('O1', 600_000)])
      .when(book('O2', 650_000))
      .then([reservation('O2', 650_000, 350_000)]);
  });

  it('a write-off takes the debt out of the exposure (it is no longer receivable)', () => {
    const orders = new Map([order('O1', 600_000, [writtenOff(600_000)])]);
    specFor(reserveCreditDecider(orders))
      .given([registered(), reserved('O1', 600_000)])
      .when(book('O2', 1_000_000))
      .then([reservation('O2', 1_000_000, 0)]);
  });

  it('a reservation whose order has no SaleBooked (a booking in flight) holds its whole amount', () => {
    specFor(reserveCreditDecider(new Map()))
      .given([registered(), reserved('O1', 600_000)])
      .when(book('O2', 400_001))
      .thenRefuses('CREDIT_LIMIT_EXCEEDED');
  });

  it('a reservation whose order id was booked for another customer holds nothing', () => {
    const orders = new Map([order('O1', 600_000, [], 'C2')]);
    specFor(reserveCreditDecider(orders))
      .given([registered(), reserved('O1', 600_000)])
      .when(book('O2', 1_000_000))
      .then([reservation('O2', 1_000_000, 0)]);
  });

  it('the latest CreditLimitSet applies; a customer without a limit reserves nothing', () => {
    const lowered: CustomerEvent = {
      type: 'CreditLimitSet',
      occurredAt: AT,
      data: { customerId: 'C1', creditLimitId: 'CL1', creditLimit: USD(700_000), previousLimit: USD(1_000_000) },
    };
    specFor(reserveCreditDecider(O1))
      .given([registered(), reserved('O1', 600_000), lowered])
      .when(book('O2', 100_001))
      .thenRefuses('CREDIT_LIMIT_EXCEEDED');
    specFor(reserveCreditDecider(O1))
      .given([registered(null)])
      .when(book('O2', 10 ** 12))
      .then([]);
    const removed: CustomerEvent = { ...lowered, data: { ...lowered.data, creditLimit: null } };
    specFor(reserveCreditDecider(O1))
      .given([registered(), reserved('O1', 600_000), removed])
      .when(book('O2', 10 ** 12))
      .then([]);
  });

  it('a limit of 0 refuses every sale without an override', () => {
    specFor(reserveCreditDecider(new Map()))
      .given([registered(USD(0))])
      .when(book('O1', 1))
      .thenRefuses('CREDIT_LIMIT_EXCEEDED');
  });

  it('refuses an unknown customer, and an order that already holds a reservation (adopted when the limit was set)', () => {
    specFor(reserveCreditDecider(O1)).given([]).when(book('O1', 1)).thenRefuses('NOT_FOUND');
    specFor(reserveCreditDecider(O1))
      .given([registered(), reserved('O1', 600_000)])
      .when(book('O1', 1))
      .thenRefuses('ALREADY_EXISTS');
  });

  it('the position lists what each order holds, and counts an order reserved twice once', () => {
    const state = [
      registered(),
      reserved('O1', 600_000),
      reserved('O2', 200_000),
      reserved('O3', 100_000),
      reserved('O1', 600_000),
    ].reduce(evolveCustomer, initialCustomerState());
    if (!state.exists) throw new Error('registered');
    const orders = new Map([order('O1', 600_000, [paid(100_000)]), order('O3', 100_000, [paid(100_000)])]);
    expect(creditPosition(state, USD(1_000_000), orders)).toEqual({
      limit: USD(1_000_000),
      exposure: 700_000,
      available: 300_000,
      inFlight: 200_000,
      holdings: [
        { orderId: 'O1', status: 'BOOKED', held: 500_000 },
        { orderId: 'O2', status: 'IN_FLIGHT', held: 200_000 },
      ],
    });
  });
});
