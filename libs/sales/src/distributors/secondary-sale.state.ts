import type { SecondarySaleReported } from '../contracts/sales.events';

/** A secondary sale's stream (secondary-sale-<saleId>): reported once, never changed. */
export type SecondarySaleState =
  { readonly exists: false } | ({ readonly exists: true } & SecondarySaleReported['data']);

export const initialSecondarySaleState = (): SecondarySaleState => ({ exists: false });

export function evolveSecondarySale(state: SecondarySaleState, event: SecondarySaleReported): SecondarySaleState {
  switch (event.type) {
    case 'SecondarySaleReported':
      return { exists: true, ...event.data };
    default:
      return state;
  }
}
