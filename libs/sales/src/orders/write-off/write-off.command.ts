import type { Money } from '../../../../shared-kernel/src/money';

export interface WriteOffDebt {
  readonly type: 'WriteOffDebt';
  readonly orderId: string;
  readonly writeOffId: string;
  readonly writtenOffAt: string;
  readonly reason: string;
  /** Omitted: the whole receivable. */
  readonly amount: Money | null;
}
