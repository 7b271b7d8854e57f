import { DomainError } from '../../../eventsourcing/src/decider';
import type { Money } from '../../../shared-kernel/src/money';
import { receivable, type OrderState } from '../orders/order.state';
import { type CreditReservation, type CustomerState, reservationsOf } from './customer.state';

type Customer = Extract<CustomerState, { exists: true }>;

/** What one reserved order holds of the customer's credit now, in the limit's currency. */
export interface CreditHolding {
  readonly orderId: string;
  /** BOOKED: the order's receivable; IN_FLIGHT: no SaleBooked yet, the whole reserved amount. */
  readonly status: 'BOOKED' | 'IN_FLIGHT';
  readonly held: number;
}

/** A customer's credit position against its limit (docs/collections-and-credit.md § Credit limits). */
export interface CreditPosition {
  readonly limit: Money;
  /** Σ held over the reserved orders, in the limit's currency. */
  readonly exposure: number;
  /** limit − exposure; negative when overrides took the customer past its limit. */
  readonly available: number;
  /** The part of the exposure held by reservations whose order has no SaleBooked (yet). */
  readonly inFlight: number;
  /** The orders holding credit now (held > 0), oldest reservation first. */
  readonly holdings: readonly CreditHolding[];
}

/**
 * What a reservation holds of the credit, in `currency` (the limit's):
 * - its order has no SaleBooked (the booking is in flight, or died between its two appends, or
 *   the order's state was not loaded): the whole reserved amount;
 * - its order was booked for another customer (this customer's booking lost the order id): 0;
 * - its order is in another currency than the limit's: 0 (no exchange rates in this domain);
 * - else the order's receivable, net − paidNet − writtenOff (never negative), which only ever
 *   decreases after the booking: a stale state never holds less than the true one.
 */
export function heldBy(
  reservation: CreditReservation,
  order: OrderState | undefined,
  customerId: string,
  currency: string,
): CreditHolding {
  if (!order?.exists) {
    const held = reservation.amount.currency === currency ? reservation.amount.amount : 0;
    return { orderId: reservation.orderId, status: 'IN_FLIGHT', held };
  }
  const held = order.customerId !== customerId || order.amount.currency !== currency ? 0 : receivable(order.amounts);
  return { orderId: reservation.orderId, status: 'BOOKED', held };
}

/** The reservations of a customer, one per order (the first one if an order had two). */
export function reservedOrders(customer: Customer): CreditReservation[] {
  const seen = new Set<string>();
  return reservationsOf(customer.reservations).filter((r) => !seen.has(r.orderId) && seen.add(r.orderId));
}

/**
 * The credit position against `limit`, given the current state of the reserved orders (an order
 * missing from `orders` counts as in flight: its whole amount).
 */
export function creditPosition(
  customer: Customer,
  limit: Money,
  orders: ReadonlyMap<string, OrderState>,
): CreditPosition {
  let exposure = 0;
  let inFlight = 0;
  const holdings: CreditHolding[] = [];
  for (const reservation of reservedOrders(customer)) {
    const holding = heldBy(reservation, orders.get(reservation.orderId), customer.customerId, limit.currency);
    if (holding.held === 0) continue;
    exposure += holding.held;
    if (holding.status === 'IN_FLIGHT') inFlight += holding.held;
    holdings.push(holding);
  }
  return { limit, exposure, available: limit.amount - exposure, inFlight, holdings };
}

export const creditRefusal = {
  exceeded: (customerId: string, limit: Money, exposure: number, amount: number) =>
    new DomainError(
      'CREDIT_LIMIT_EXCEEDED',
      `Sale of ${amount} ${limit.currency} would take customer ${customerId}'s exposure ${exposure} past its credit ` +
        `limit ${limit.amount} (available ${limit.amount - exposure}); a creditOverride {approvedBy, reason} may allow it`,
      'rule',
      {
        customerId,
        currency: limit.currency,
        limit: limit.amount,
        exposure,
        amount,
        available: limit.amount - exposure,
      },
    ),
  currency: (customerId: string, limit: Money, currency: string) =>
    new DomainError(
      'CREDIT_LIMIT_CURRENCY_MISMATCH',
      `Customer ${customerId}'s credit limit is in ${limit.currency}; a sale in ${currency} cannot be checked ` +
        'against it and needs a creditOverride {approvedBy, reason}',
      'rule',
      { customerId, currency: limit.currency, limit: limit.amount, saleCurrency: currency },
    ),
};
