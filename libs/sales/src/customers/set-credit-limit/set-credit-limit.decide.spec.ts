import { specFor } from '../../../../eventsourcing/src/testing/decider.spec-helper';
import type { CustomerEvent } from '../customer.state';
import type { SetCreditLimit } from './set-credit-limit.command';
import { setCreditLimitDecider } from './set-credit-limit.decide';

const AT = '2026-03-01T12:00:00.000Z';
const USD = (amount: number) => ({ amount, currency: 'USD' });
const registered: CustomerEvent = {
  type: 'CustomerRegistered',
  occurredAt: '2026-01-01T00:00:00.000Z',
  data: {
    customerId: 'C1',
    name: 'Acme',
    paymentTermsDays: 30,
    creditLimit: null,
    salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
  },
};
const set = (creditLimit: { amount: number; currency: string } | null, id = 'CL1'): SetCreditLimit => ({
  type: 'SetCreditLimit',
  customerId: 'C1',
  creditLimitId: id,
  creditLimit,
});
const adopted = (orderId: string, amount: number): CustomerEvent => ({
  type: 'CustomerCreditReserved',
  occurredAt: AT,
  data: {
    customerId: 'C1',
    orderId,
    amount: USD(amount),
    source: 'ADOPTED',
    limit: USD(500_000),
    exposure: null,
    override: null,
  },
});

describe('set credit limit', () => {
  it('given a customer without a limit and two open orders, when a limit is set, then it is recorded and both orders are adopted', () => {
    specFor(
      setCreditLimitDecider(
        [
          { orderId: 'O1', amount: USD(300_000) },
          { orderId: 'O2', amount: USD(100_000) },
        ],
        AT,
      ),
    )
      .given([registered])
      .when(set(USD(500_000)))
      .then([
        {
          type: 'CreditLimitSet',
          occurredAt: AT,
          data: { customerId: 'C1', creditLimitId: 'CL1', creditLimit: USD(500_000), previousLimit: null },
        },
        adopted('O1', 300_000),
        adopted('O2', 100_000),
      ]);
  });

  it('an order that already holds a reservation is not adopted again; removing the limit adopts nothing', () => {
    const limitSet: CustomerEvent = {
      type: 'CreditLimitSet',
      occurredAt: AT,
      data: { customerId: 'C1', creditLimitId: 'CL1', creditLimit: USD(500_000), previousLimit: null },
    };
    specFor(setCreditLimitDecider([{ orderId: 'O1', amount: USD(300_000) }], AT))
      .given([registered, limitSet, adopted('O1', 300_000)])
      .when(set(USD(800_000), 'CL2'))
      .then([
        {
          type: 'CreditLimitSet',
          occurredAt: AT,
          data: { customerId: 'C1', creditLimitId: 'CL2', creditLimit: USD(800_000), previousLimit: USD(500_000) },
        },
      ]);
    specFor(setCreditLimitDecider([{ orderId: 'O9', amount: USD(1) }], AT))
      .given([registered, limitSet])
      .when(set(null, 'CL3'))
      .then([
        {
          type: 'CreditLimitSet',
          occurredAt: AT,
          data: { customerId: 'C1', creditLimitId: 'CL3', creditLimit: null, previousLimit: USD(500_000) },
        },
      ]);
  });

  it('refuses an unknown customer', () => {
    specFor(setCreditLimitDecider([], AT))
      .given([])
      .when(set(USD(1)))
      .thenRefuses('NOT_FOUND');
  });
});
