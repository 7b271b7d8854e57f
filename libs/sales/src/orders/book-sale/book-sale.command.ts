import type { Money } from '../../../../shared-kernel/src/money';
import type { OrderLine, SalesCredit } from '../../contracts/sales.events';

export interface BookSale {
  readonly type: 'BookSale';
  readonly orderId: string;
  readonly customerId: string;
  readonly amount: Money;
  readonly bookedAt: string;
  /** Omitted: the customer's current sales credits. */
  readonly salesCredits: readonly SalesCredit[] | null;
  readonly businessUnit: string | null;
  readonly lines: readonly OrderLine[];
}
