import type { Money } from '../../../../shared-kernel/src/money';

export interface CancelOrder {
  readonly type: 'CancelOrder';
  readonly orderId: string;
  readonly cancellationId: string;
  readonly cancelledAt: string;
  readonly reason: string;
  /** Omitted: the whole remaining net amount. */
  readonly amount: Money | null;
}
