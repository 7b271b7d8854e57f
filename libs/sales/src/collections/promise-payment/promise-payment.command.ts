import type { Money } from '../../../../shared-kernel/src/money';

export interface PromisePayment {
  readonly type: 'PromisePayment';
  readonly orderId: string;
  readonly promiseId: string;
  readonly invoiceId: string;
  readonly amount: Money;
  readonly promisedDate: string;
  /** Business time the promise was taken. */
  readonly recordedAt: string;
}
