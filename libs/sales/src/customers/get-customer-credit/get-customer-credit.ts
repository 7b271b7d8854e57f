import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { loadState } from '../../../../platform/src/cqrs/run-command';
import { type CustomerCreditReserved, streams } from '../../contracts/sales.events';
import { evolveOrder, initialOrderState, type OrderState } from '../../orders/order.state';
import { creditPosition, reservedOrders } from '../customer-credit.state';
import { type CustomerEvent, type CustomerState, evolveCustomer, initialCustomerState } from '../customer.state';
import type { CreditOverrideRecordDto, CustomerCreditDto } from './customer-credit.response.dto';

const RECENT_OVERRIDES = 20;
const ORDER_READS_IN_PARALLEL = 16;

/**
 * A customer's credit position now, folded from its stream and its reserved orders' streams: the
 * same figures the next booking decides on (no read model, so no lag). Null: unknown customer.
 */
export async function readCustomerCredit(
  store: EventStore,
  customerId: string,
): Promise<{ customer: Extract<CustomerState, { exists: true }>; credit: CustomerCreditDto } | null> {
  let customer: CustomerState = initialCustomerState();
  const overrides: CreditOverrideRecordDto[] = [];
  for (const event of await store.readStream(streams.customer(customerId))) {
    customer = evolveCustomer(customer, {
      type: event.type,
      data: event.data,
      occurredAt: event.occurredAt,
    } as CustomerEvent);
    if (event.type !== 'CustomerCreditReserved') continue;
    const data = event.data as CustomerCreditReserved['data'];
    if (data.override === null) continue;
    overrides.push({
      orderId: data.orderId,
      amount: data.amount,
      approvedBy: data.override.approvedBy,
      reason: data.override.reason,
      limit: data.limit,
      exposure: data.exposure ?? 0,
      actor: event.metadata.actor,
      recordedAt: event.recordedAt,
    });
  }
  if (!customer.exists) return null;
  const recentOverrides = overrides.reverse().slice(0, RECENT_OVERRIDES);
  const limit = customer.creditLimit;
  if (limit === null) {
    return {
      customer,
      credit: {
        customerId,
        creditLimit: null,
        exposure: null,
        available: null,
        inFlight: null,
        orders: [],
        recentOverrides,
      },
    };
  }
  const ids = reservedOrders(customer).map((r) => r.orderId);
  const orders = new Map<string, OrderState>();
  for (let i = 0; i < ids.length; i += ORDER_READS_IN_PARALLEL) {
    const chunk = ids.slice(i, i + ORDER_READS_IN_PARALLEL);
    const states = await Promise.all(
      chunk.map((id) => loadState(store, streams.order(id), initialOrderState, evolveOrder)),
    );
    chunk.forEach((id, k) => orders.set(id, states[k]!));
  }
  const position = creditPosition(customer, limit, orders);
  return {
    customer,
    credit: {
      customerId,
      creditLimit: { amount: limit.amount, currency: limit.currency },
      exposure: position.exposure,
      available: position.available,
      inFlight: position.inFlight,
      orders: position.holdings.map((h) => ({ orderId: h.orderId, status: h.status, held: h.held })),
      recentOverrides,
    },
  };
}
