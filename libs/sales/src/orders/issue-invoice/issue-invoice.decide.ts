import type { Decider } from '../../../../eventsourcing/src/decider';
import type { InvoiceIssued, OrderEvent } from '../../contracts/sales.events';
import { dateOf, orderRefusal, requireOrder } from '../order.rules';
import { evolveOrder, initialOrderState, net, type OrderState } from '../order.state';
import type { IssueInvoice } from './issue-invoice.command';

/** amount > 0, dueDate ≥ issue date, total invoiced ≤ net amount. */
export function decideIssueInvoice(command: IssueInvoice, state: OrderState): InvoiceIssued[] {
  const order = requireOrder(state, command.orderId, command.issuedAt, command.amount);
  if (command.dueDate < dateOf(command.issuedAt))
    throw orderRefusal.dueBeforeIssue(command.dueDate, dateOf(command.issuedAt));
  const total = order.amounts.invoiced + command.amount.amount;
  if (total > net(order.amounts)) throw orderRefusal.invoicedExceedsNet(total, net(order.amounts));
  return [
    {
      type: 'InvoiceIssued',
      occurredAt: command.issuedAt,
      data: {
        orderId: command.orderId,
        invoiceId: command.invoiceId,
        amount: command.amount,
        issuedAt: command.issuedAt,
        dueDate: command.dueDate,
      },
    },
  ];
}

export const issueInvoiceDecider: Decider<IssueInvoice, OrderEvent, OrderState> = {
  initialState: initialOrderState,
  evolve: evolveOrder,
  decide: decideIssueInvoice,
};
