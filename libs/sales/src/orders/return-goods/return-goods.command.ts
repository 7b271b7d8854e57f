import type { Money } from '../../../../shared-kernel/src/money';

export interface ReturnGoods {
  readonly type: 'ReturnGoods';
  readonly orderId: string;
  readonly returnId: string;
  readonly returnedAt: string;
  readonly reason: string;
  readonly amount: Money;
}
