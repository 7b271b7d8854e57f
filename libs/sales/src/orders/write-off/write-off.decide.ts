import type { Decider } from '../../../../eventsourcing/src/decider';
import type { DebtWrittenOff, OrderEvent } from '../../contracts/sales.events';
import { orderRefusal, requireOrder } from '../order.rules';
import { evolveOrder, initialOrderState, type OrderState, receivable } from '../order.state';
import type { WriteOffDebt } from './write-off.command';

/** Amount omitted = the whole receivable; 0 < amount ≤ receivable. */
export function decideWriteOff(command: WriteOffDebt, state: OrderState): DebtWrittenOff[] {
  const order = requireOrder(state, command.orderId, command.writtenOffAt, command.amount);
  const open = receivable(order.amounts);
  if (open === 0) throw orderRefusal.nothingReceivable(command.orderId);
  const amount = command.amount?.amount ?? open;
  if (amount > open) throw orderRefusal.exceedsReceivable(amount, open);
  return [
    {
      type: 'DebtWrittenOff',
      occurredAt: command.writtenOffAt,
      data: {
        orderId: command.orderId,
        writeOffId: command.writeOffId,
        writtenOffAt: command.writtenOffAt,
        reason: command.reason,
        amount: { amount, currency: order.amount.currency },
        bookedAt: order.bookedAt,
      },
    },
  ];
}

export const writeOffDecider: Decider<WriteOffDebt, OrderEvent, OrderState> = {
  initialState: initialOrderState,
  evolve: evolveOrder,
  decide: decideWriteOff,
};
