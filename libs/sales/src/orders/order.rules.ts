import { DomainError, NotFoundError } from '../../../eventsourcing/src/decider';
import type { Money } from '../../../shared-kernel/src/money';
import { utcDate } from '../../../shared-kernel/src/time';
import { net, type OrderState } from './order.state';

type Existing = Extract<OrderState, { exists: true }>;

export const orderRefusal = {
  cancelled: (orderId: string) =>
    new DomainError('ORDER_CANCELLED', `Order ${orderId} is cancelled: its net amount is 0`),
  exceedsNet: (amount: number, netAmount: number) =>
    new DomainError('AMOUNT_EXCEEDS_NET', `Amount ${amount} exceeds the order's net amount ${netAmount}`),
  invoicedExceedsNet: (total: number, netAmount: number) =>
    new DomainError('AMOUNT_EXCEEDS_NET', `Total invoiced ${total} would exceed the order's net amount ${netAmount}`),
  overpayment: (amount: number, open: number) =>
    new DomainError('OVERPAYMENT', `Payment ${amount} exceeds the receivable ${open}`),
  exceedsReceivable: (amount: number, open: number) =>
    new DomainError('AMOUNT_EXCEEDS_RECEIVABLE', `Amount ${amount} exceeds the receivable ${open}`),
  nothingReceivable: (orderId: string) =>
    new DomainError('NOTHING_RECEIVABLE', `Order ${orderId} has nothing receivable`),
  dueBeforeIssue: (dueDate: string, issued: string) =>
    new DomainError('DUE_DATE_BEFORE_ISSUE', `dueDate ${dueDate} is before the issue date ${issued}`),
  beforeBooking: (at: string, bookedAt: string) =>
    new DomainError('BEFORE_BOOKING', `${at} is before the order was booked (${bookedAt})`),
  currency: (currency: string, orderCurrency: string) =>
    new DomainError('CURRENCY_MISMATCH', `Amount in ${currency}, but the order is in ${orderCurrency}`),
};

/**
 * What every command on an existing order checks: the order exists, the amount is in its
 * currency, the business time is not before the booking, and (unless allowed) it is not cancelled.
 */
export function requireOrder(
  state: OrderState,
  orderId: string,
  at: string,
  amount: Money | null,
  options: { allowCancelled?: boolean } = {},
): Existing {
  if (!state.exists) throw new NotFoundError('Order', orderId);
  if (amount && amount.currency !== state.amount.currency)
    throw orderRefusal.currency(amount.currency, state.amount.currency);
  if (Date.parse(at) < Date.parse(state.bookedAt)) throw orderRefusal.beforeBooking(at, state.bookedAt);
  if (!options.allowCancelled && net(state.amounts) === 0) throw orderRefusal.cancelled(orderId);
  return state;
}

export const dateOf = utcDate;
