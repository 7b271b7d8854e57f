import type { Decider } from '../../../../eventsourcing/src/decider';
import type { OrderEvent, PaymentReceived } from '../../contracts/sales.events';
import { orderRefusal, requireOrder } from '../order.rules';
import { evolveOrder, initialOrderState, type OrderState, receivable } from '../order.state';
import type { ReceivePayment } from './receive-payment.command';

/** 0 < amount ≤ receivable; more is OVERPAYMENT. */
export function decideReceivePayment(command: ReceivePayment, state: OrderState): PaymentReceived[] {
  const order = requireOrder(state, command.orderId, command.receivedAt, command.amount);
  const open = receivable(order.amounts);
  if (command.amount.amount > open) throw orderRefusal.overpayment(command.amount.amount, open);
  return [
    {
      type: 'PaymentReceived',
      occurredAt: command.receivedAt,
      data: {
        orderId: command.orderId,
        paymentId: command.paymentId,
        amount: command.amount,
        receivedAt: command.receivedAt,
      },
    },
  ];
}

export const receivePaymentDecider: Decider<ReceivePayment, OrderEvent, OrderState> = {
  initialState: initialOrderState,
  evolve: evolveOrder,
  decide: decideReceivePayment,
};
