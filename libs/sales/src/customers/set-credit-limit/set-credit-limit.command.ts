import type { Money } from '../../../../shared-kernel/src/money';

/** An order of the customer booked without a reservation, found by the handler (ADR 0010). */
export interface AdoptionCandidate {
  readonly orderId: string;
  readonly amount: Money;
}

export interface SetCreditLimit {
  readonly type: 'SetCreditLimit';
  readonly customerId: string;
  readonly creditLimitId: string;
  /** null: no limit. */
  readonly creditLimit: Money | null;
}
