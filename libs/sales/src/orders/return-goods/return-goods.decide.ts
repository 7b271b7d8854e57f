import type { Decider } from '../../../../eventsourcing/src/decider';
import type { OrderEvent, ProductReturned } from '../../contracts/sales.events';
import { orderRefusal, requireOrder } from '../order.rules';
import { evolveOrder, initialOrderState, net, type OrderState, splitReduction } from '../order.state';
import type { ReturnGoods } from './return-goods.command';

/** 0 < amount ≤ net; consumes the unpaid part first, the rest is refunded. */
export function decideReturnGoods(command: ReturnGoods, state: OrderState): ProductReturned[] {
  const order = requireOrder(state, command.orderId, command.returnedAt, command.amount);
  const netAmount = net(order.amounts);
  if (command.amount.amount > netAmount) throw orderRefusal.exceedsNet(command.amount.amount, netAmount);
  return [
    {
      type: 'ProductReturned',
      occurredAt: command.returnedAt,
      data: {
        orderId: command.orderId,
        returnId: command.returnId,
        returnedAt: command.returnedAt,
        reason: command.reason,
        amount: command.amount,
        ...splitReduction(order.amounts, command.amount.amount),
        bookedAt: order.bookedAt,
      },
    },
  ];
}

export const returnGoodsDecider: Decider<ReturnGoods, OrderEvent, OrderState> = {
  initialState: initialOrderState,
  evolve: evolveOrder,
  decide: decideReturnGoods,
};
