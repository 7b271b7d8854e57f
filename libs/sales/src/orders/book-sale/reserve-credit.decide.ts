import type { Decider } from '../../../../eventsourcing/src/decider';
import { NotFoundError } from '../../../../eventsourcing/src/decider';
import type { CustomerCreditReserved } from '../../contracts/sales.events';
import { creditPosition, creditRefusal, reservedOrders } from '../../customers/customer-credit.state';
import {
  type CustomerEvent,
  type CustomerState,
  evolveCustomer,
  initialCustomerState,
} from '../../customers/customer.state';
import { refuse } from '../../sales.errors';
import type { OrderState } from '../order.state';
import type { BookSale } from './book-sale.command';

/**
 * The first half of booking a sale for a customer with a credit limit, decided on the customer's
 * stream (ADR 0010): reserve the sale's amount if the exposure plus the amount stays within the
 * limit, else refuse with CREDIT_LIMIT_EXCEEDED (with the figures) unless the command carries a
 * creditOverride, which the reservation records with the exposure and limit it overrode. A sale
 * in another currency than the limit's cannot be checked: CREDIT_LIMIT_CURRENCY_MISMATCH unless
 * overridden (it is then recorded and not counted). A customer without a limit: nothing.
 *
 * @param orders the current state of the reserved orders (one missing counts its whole amount)
 */
export function decideReserveCredit(
  command: BookSale,
  state: CustomerState,
  orders: ReadonlyMap<string, OrderState>,
): CustomerCreditReserved[] {
  if (!state.exists) throw new NotFoundError('Customer', command.customerId);
  const limit = state.creditLimit;
  if (limit === null) return [];
  // Reserved by another command (a limit set after the order was booked adopted it): booked already.
  if (reservedOrders(state).some((r) => r.orderId === command.orderId)) {
    throw refuse.alreadyExists('Order', command.orderId);
  }
  const override = command.creditOverride ?? null;
  const position = creditPosition(state, limit, orders);
  const amount = command.amount;
  let needsOverride = false;
  if (amount.currency !== limit.currency) {
    if (!override) throw creditRefusal.currency(command.customerId, limit, amount.currency);
    needsOverride = true;
  } else if (position.exposure + amount.amount > limit.amount) {
    if (!override) throw creditRefusal.exceeded(command.customerId, limit, position.exposure, amount.amount);
    needsOverride = true;
  }
  return [
    {
      type: 'CustomerCreditReserved',
      occurredAt: command.bookedAt,
      data: {
        customerId: command.customerId,
        orderId: command.orderId,
        amount: { amount: amount.amount, currency: amount.currency },
        source: 'BOOKING',
        limit: { amount: limit.amount, currency: limit.currency },
        exposure: position.exposure,
        override: needsOverride && override ? { approvedBy: override.approvedBy, reason: override.reason } : null,
      },
    },
  ];
}

export const reserveCreditDecider = (
  orders: ReadonlyMap<string, OrderState>,
): Decider<BookSale, CustomerEvent, CustomerState> => ({
  initialState: initialCustomerState,
  evolve: evolveCustomer,
  decide: (command, state) => decideReserveCredit(command, state, orders),
});
