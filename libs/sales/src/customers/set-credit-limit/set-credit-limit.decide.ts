import type { Decider } from '../../../../eventsourcing/src/decider';
import { NotFoundError } from '../../../../eventsourcing/src/decider';
import type { CreditLimitSet, CustomerCreditReserved } from '../../contracts/sales.events';
import { reservedOrders } from '../customer-credit.state';
import { type CustomerEvent, type CustomerState, evolveCustomer, initialCustomerState } from '../customer.state';
import type { AdoptionCandidate, SetCreditLimit } from './set-credit-limit.command';

/**
 * Sets (or removes, with null) a customer's credit limit. With a limit, every order of the
 * customer that still has something receivable and holds no reservation yet (booked while the
 * customer had no limit) is adopted: a CustomerCreditReserved ADOPTED per order, in the same
 * append, so that the exposure counts every open order of the customer from now on.
 *
 * @param candidates the customer's orders with something receivable, as the handler found them
 */
export function decideSetCreditLimit(
  command: SetCreditLimit,
  state: CustomerState,
  candidates: readonly AdoptionCandidate[],
  at: string,
): (CreditLimitSet | CustomerCreditReserved)[] {
  if (!state.exists) throw new NotFoundError('Customer', command.customerId);
  const limit = command.creditLimit;
  const set: CreditLimitSet = {
    type: 'CreditLimitSet',
    occurredAt: at,
    data: {
      customerId: command.customerId,
      creditLimitId: command.creditLimitId,
      creditLimit: limit ? { amount: limit.amount, currency: limit.currency } : null,
      previousLimit: state.creditLimit
        ? { amount: state.creditLimit.amount, currency: state.creditLimit.currency }
        : null,
    },
  };
  if (!limit) return [set];
  const reserved = new Set(reservedOrders(state).map((r) => r.orderId));
  const adopted = candidates
    .filter((c) => !reserved.has(c.orderId))
    .map((c): CustomerCreditReserved => ({
      type: 'CustomerCreditReserved',
      occurredAt: at,
      data: {
        customerId: command.customerId,
        orderId: c.orderId,
        amount: { amount: c.amount.amount, currency: c.amount.currency },
        source: 'ADOPTED',
        limit: { amount: limit.amount, currency: limit.currency },
        exposure: null,
        override: null,
      },
    }));
  return [set, ...adopted];
}

export const setCreditLimitDecider = (
  candidates: readonly AdoptionCandidate[],
  at: string,
): Decider<SetCreditLimit, CustomerEvent, CustomerState> => ({
  initialState: initialCustomerState,
  evolve: evolveCustomer,
  decide: (command, state) => decideSetCreditLimit(command, state, candidates, at),
});
