import { specFor } from '../../../../eventsourcing/src/testing/decider.spec-helper';
import type { CustomerRegistered } from '../../contracts/sales.events';
import type { SalespersonState } from '../../salespeople/salesperson.state';
import { evolveCustomer, initialCustomerState, isDistributor } from '../customer.state';
import type { RegisterCustomer } from './register-customer.command';
import { registerCustomerDecider } from './register-customer.decide';

const AT = '2026-01-02T10:00:00.000Z';
const alice: SalespersonState = {
  exists: true,
  salespersonId: 'alice',
  name: 'Alice',
  managerId: null,
  teamId: null,
  hiredOn: '2025-01-01',
  terminatedOn: null,
  assignments: [],
};
const register = (extra: Partial<RegisterCustomer> = {}): RegisterCustomer => ({
  type: 'RegisterCustomer',
  customerId: 'D1',
  name: 'Northwind',
  paymentTermsDays: 45,
  creditLimit: null,
  salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
  at: AT,
  ...extra,
});
const registered = (extra: Partial<CustomerRegistered['data']> = {}): CustomerRegistered => ({
  type: 'CustomerRegistered',
  occurredAt: AT,
  data: {
    customerId: 'D1',
    name: 'Northwind',
    paymentTermsDays: 45,
    creditLimit: null,
    salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
    ...extra,
  },
});

const spec = specFor(registerCustomerDecider(new Map([['alice', alice]])));

describe('register customer / distributor', () => {
  it('given nothing, when a customer is registered, then CustomerRegistered has no distributor field', () => {
    spec.given([]).when(register()).then([registered()]);
  });

  it('given nothing, when a distributor is registered, then CustomerRegistered carries distributor: true', () => {
    spec
      .given([])
      .when(register({ distributor: true }))
      .then([registered({ distributor: true })]);
  });

  it('the customer state learns whether it is a distributor', () => {
    const fold = (e: CustomerRegistered) => evolveCustomer(initialCustomerState(), e);
    expect(isDistributor(fold(registered({ distributor: true })))).toBe(true);
    expect(isDistributor(fold(registered()))).toBe(false);
    expect(isDistributor(initialCustomerState())).toBe(false);
  });

  it('given a customer with that id, when a distributor is registered with it, then ALREADY_EXISTS', () => {
    spec
      .given([registered()])
      .when(register({ distributor: true }))
      .thenRefuses('ALREADY_EXISTS');
  });

  it('refuses a distributor crediting an unknown salesperson, or credits not totalling 10000', () => {
    spec
      .given([])
      .when(register({ distributor: true, salesCredits: [{ salespersonId: 'ghost', splitBps: 10000 }] }))
      .thenRefuses('NOT_FOUND');
    spec
      .given([])
      .when(register({ distributor: true, salesCredits: [{ salespersonId: 'alice', splitBps: 5000 }] }))
      .thenRefuses('SPLITS_MUST_TOTAL_10000');
  });
});
