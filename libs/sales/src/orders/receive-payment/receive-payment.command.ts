import type { Money } from '../../../../shared-kernel/src/money';

export interface ReceivePayment {
  readonly type: 'ReceivePayment';
  readonly orderId: string;
  readonly paymentId: string;
  readonly amount: Money;
  readonly receivedAt: string;
}
