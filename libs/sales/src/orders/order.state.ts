import type { OrderEvent, SaleBooked } from '../contracts/sales.events';

export type { OrderEvent } from '../contracts/sales.events';

/** The running amounts of an order (domain.md §3), in minor units. */
export interface OrderAmounts {
  readonly booked: number;
  readonly cancelled: number;
  readonly returned: number;
  readonly invoiced: number;
  readonly payments: number;
  readonly refunds: number;
  readonly writtenOff: number;
}

export type OrderState =
  | { readonly exists: false }
  | ({ readonly exists: true; readonly amounts: OrderAmounts; readonly latestDueDate: string } & SaleBooked['data']);

export const initialOrderState = (): OrderState => ({ exists: false });

export const net = (a: OrderAmounts) => a.booked - a.cancelled - a.returned;
export const paidNet = (a: OrderAmounts) => a.payments - a.refunds;
/** What is still owed: never negative (a reduction may eat into written-off debt). */
export const receivable = (a: OrderAmounts) => Math.max(0, net(a) - paidNet(a) - a.writtenOff);

/**
 * Cancellations and returns consume the unpaid part first — everything not paid, written-off
 * debt included — and only the rest refunds collected cash (never more than was collected).
 */
export function splitReduction(a: OrderAmounts, amount: number): { unpaidPart: number; refundPart: number } {
  const unpaidPart = Math.min(amount, Math.max(0, net(a) - paidNet(a)));
  return { unpaidPart, refundPart: amount - unpaidPart };
}

export function evolveOrder(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'SaleBooked') {
    return {
      exists: true,
      ...event.data,
      latestDueDate: event.data.dueDate,
      amounts: {
        booked: event.data.amount.amount,
        cancelled: 0,
        returned: 0,
        invoiced: 0,
        payments: 0,
        refunds: 0,
        writtenOff: 0,
      },
    };
  }
  if (!state.exists) return state;
  const a = state.amounts;
  switch (event.type) {
    case 'InvoiceIssued':
      return {
        ...state,
        latestDueDate: event.data.dueDate,
        amounts: { ...a, invoiced: a.invoiced + event.data.amount.amount },
      };
    case 'PaymentReceived':
      return { ...state, amounts: { ...a, payments: a.payments + event.data.amount.amount } };
    case 'OrderCancelled':
      return {
        ...state,
        amounts: {
          ...a,
          cancelled: a.cancelled + event.data.amount.amount,
          refunds: a.refunds + event.data.refundPart,
        },
      };
    case 'ProductReturned':
      return {
        ...state,
        amounts: { ...a, returned: a.returned + event.data.amount.amount, refunds: a.refunds + event.data.refundPart },
      };
    case 'DebtWrittenOff':
      return { ...state, amounts: { ...a, writtenOff: a.writtenOff + event.data.amount.amount } };
    default:
      return state;
  }
}
