import type { Decider } from '../../../../eventsourcing/src/decider';
import type { OrderCancelled, OrderEvent } from '../../contracts/sales.events';
import { orderRefusal, requireOrder } from '../order.rules';
import { evolveOrder, initialOrderState, net, type OrderState, splitReduction } from '../order.state';
import type { CancelOrder } from './cancel-order.command';

/** Amount omitted = the whole remaining net; 0 < amount ≤ net; unpaid part first, then refund. */
export function decideCancelOrder(command: CancelOrder, state: OrderState): OrderCancelled[] {
  const order = requireOrder(state, command.orderId, command.cancelledAt, command.amount);
  const netAmount = net(order.amounts);
  const amount = command.amount?.amount ?? netAmount;
  if (amount > netAmount) throw orderRefusal.exceedsNet(amount, netAmount);
  return [
    {
      type: 'OrderCancelled',
      occurredAt: command.cancelledAt,
      data: {
        orderId: command.orderId,
        cancellationId: command.cancellationId,
        cancelledAt: command.cancelledAt,
        reason: command.reason,
        amount: { amount, currency: order.amount.currency },
        ...splitReduction(order.amounts, amount),
        bookedAt: order.bookedAt,
      },
    },
  ];
}

export const cancelOrderDecider: Decider<CancelOrder, OrderEvent, OrderState> = {
  initialState: initialOrderState,
  evolve: evolveOrder,
  decide: decideCancelOrder,
};
