import type {
  CreditLimitSet,
  CustomerCreditReserved,
  CustomerRegistered,
  SalesCredit,
  SalesCreditsReassigned,
} from '../contracts/sales.events';

export type CustomerEvent = CustomerRegistered | SalesCreditsReassigned | CreditLimitSet | CustomerCreditReserved;

export type CreditReservation = CustomerCreditReserved['data'];

/**
 * The credit reservations of a customer, newest first, as an immutable list: folding a stream of
 * n reservations costs O(n), not O(n²) copies.
 */
export interface Reservations {
  readonly head: CreditReservation;
  readonly tail: Reservations | null;
}

/** Oldest first. */
export function reservationsOf(list: Reservations | null): CreditReservation[] {
  const out: CreditReservation[] = [];
  for (let node = list; node !== null; node = node.tail) out.push(node.head);
  return out.reverse();
}

export interface CreditsFrom {
  /** null: since the customer was registered. */
  readonly effectiveFrom: string | null;
  readonly salesCredits: readonly SalesCredit[];
}

export type CustomerState =
  | { readonly exists: false }
  | ({
      readonly exists: true;
      readonly creditHistory: readonly CreditsFrom[];
      /** Every CustomerCreditReserved of the stream, newest first (see customer-credit.ts). */
      readonly reservations: Reservations | null;
    } & CustomerRegistered['data']);

/** Whether the customer is a distributor (CustomerRegistered with `distributor: true`). */
export function isDistributor(state: CustomerState): boolean {
  return state.exists && state.distributor === true;
}

export const initialCustomerState = (): CustomerState => ({ exists: false });

export function evolveCustomer(state: CustomerState, event: CustomerEvent): CustomerState {
  switch (event.type) {
    case 'CustomerRegistered':
      return {
        exists: true,
        ...event.data,
        creditHistory: [{ effectiveFrom: null, salesCredits: event.data.salesCredits }],
        reservations: null,
      };
    case 'SalesCreditsReassigned':
      if (!state.exists) return state;
      return {
        ...state,
        creditHistory: [
          ...state.creditHistory,
          { effectiveFrom: event.data.effectiveFrom, salesCredits: event.data.salesCredits },
        ],
      };
    case 'CreditLimitSet':
      if (!state.exists) return state;
      return { ...state, creditLimit: event.data.creditLimit };
    case 'CustomerCreditReserved':
      if (!state.exists) return state;
      return { ...state, reservations: { head: event.data, tail: state.reservations } };
    default:
      return state;
  }
}

/**
 * The customer's sales credits on a date: the latest reassignment effective on or before it
 * (among equal dates the one recorded last), else the credits given at registration.
 */
export function creditsOn(state: Extract<CustomerState, { exists: true }>, date: string): readonly SalesCredit[] {
  let best: CreditsFrom | undefined;
  for (const c of state.creditHistory) {
    if (c.effectiveFrom === null) {
      if (!best) best = c;
    } else if (c.effectiveFrom <= date && (best?.effectiveFrom ?? '') <= c.effectiveFrom) {
      best = c;
    }
  }
  return (best ?? state.creditHistory[0])?.salesCredits ?? state.salesCredits;
}
