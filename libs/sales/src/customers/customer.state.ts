import type { CustomerRegistered } from '../contracts/sales.events';

export type CustomerState = { readonly exists: false } | ({ readonly exists: true } & CustomerRegistered['data']);

export const initialCustomerState = (): CustomerState => ({ exists: false });

export function evolveCustomer(state: CustomerState, event: CustomerRegistered): CustomerState {
  switch (event.type) {
    case 'CustomerRegistered':
      return { exists: true, ...event.data };
    default:
      return state;
  }
}
