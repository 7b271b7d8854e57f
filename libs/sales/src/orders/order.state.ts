import type { SaleBooked } from '../contracts/sales.events';

export type OrderEvent = SaleBooked;

export type OrderState = { readonly exists: false } | ({ readonly exists: true } & SaleBooked['data']);

export const initialOrderState = (): OrderState => ({ exists: false });

export function evolveOrder(state: OrderState, event: OrderEvent): OrderState {
  switch (event.type) {
    case 'SaleBooked':
      return { exists: true, ...event.data };
    default:
      return state;
  }
}
