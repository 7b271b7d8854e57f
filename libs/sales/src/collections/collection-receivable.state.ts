/**
 * The state a collection command on an order decides on: the order stream folded (order events
 * and collection events), keeping each invoice, the order's money facts with their business
 * times (to know an invoice's open amount at any instant) and each dispute. Framework-free.
 */
import type { CollectionOrderEvent } from '../contracts/collections.events';
import type { OrderEvent } from '../contracts/sales.events';
import { evolveOrder, initialOrderState, type OrderState } from '../orders/order.state';
import { invoiceOpenAmounts, type IssuedInvoice } from './receivable';

export type ReceivableStreamEvent = OrderEvent | CollectionOrderEvent;

export interface DisputeState {
  readonly disputeId: string;
  readonly invoiceId: string;
  readonly disputedAt: string;
  readonly resolvedAt: string | null;
}

export interface ReceivableState {
  readonly order: OrderState;
  readonly invoices: readonly IssuedInvoice[];
  /** The order's own events, in stream order (for open amounts at an instant). */
  readonly orderEvents: readonly OrderEvent[];
  readonly disputes: readonly DisputeState[];
}

export const initialReceivableState = (): ReceivableState => ({
  order: initialOrderState(),
  invoices: [],
  orderEvents: [],
  disputes: [],
});

export function evolveReceivable(state: ReceivableState, event: ReceivableStreamEvent): ReceivableState {
  switch (event.type) {
    case 'CollectionActionTaken':
    case 'PaymentPromised':
      return state;
    case 'InvoiceDisputed':
      return {
        ...state,
        disputes: [
          ...state.disputes,
          {
            disputeId: event.data.disputeId,
            invoiceId: event.data.invoiceId,
            disputedAt: event.data.disputedAt,
            resolvedAt: null,
          },
        ],
      };
    case 'InvoiceDisputeResolved':
      return {
        ...state,
        disputes: state.disputes.map((d) =>
          d.disputeId === event.data.disputeId ? { ...d, resolvedAt: event.data.resolvedAt } : d,
        ),
      };
    case 'InvoiceIssued':
      return {
        ...state,
        order: evolveOrder(state.order, event),
        orderEvents: [...state.orderEvents, event],
        invoices: [
          ...state.invoices,
          {
            invoiceId: event.data.invoiceId,
            amount: event.data.amount.amount,
            issuedAt: event.data.issuedAt,
            dueDate: event.data.dueDate,
          },
        ],
      };
    case 'SaleBooked':
    case 'PaymentReceived':
    case 'OrderCancelled':
    case 'ProductReturned':
    case 'DebtWrittenOff':
      return { ...state, order: evolveOrder(state.order, event), orderEvents: [...state.orderEvents, event] };
    default:
      return state;
  }
}

/**
 * The invoice's open amount at an instant: the order's facts whose business time is at or before
 * it, invoices settled oldest first (receivable.ts).
 */
export function openAmountAt(state: ReceivableState, invoiceId: string, instant: string): number {
  const until = Date.parse(instant);
  let order = initialOrderState();
  const invoices: IssuedInvoice[] = [];
  for (const event of state.orderEvents) {
    if (Date.parse(event.occurredAt) > until) continue;
    order = evolveOrder(order, event);
    if (event.type === 'InvoiceIssued') {
      const i = state.invoices.find((x) => x.invoiceId === event.data.invoiceId);
      if (i) invoices.push(i);
    }
  }
  if (!order.exists) return 0;
  return invoiceOpenAmounts(order.amounts, invoices).get(invoiceId) ?? 0;
}
