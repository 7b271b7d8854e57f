import type { Money } from '../../../../shared-kernel/src/money';
import type { CreditOverride, OrderLine, SalesCredit } from '../../contracts/sales.events';

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
  /**
   * An approval to book past the customer's credit limit (or in another currency than the
   * limit's); recorded on the reservation when the sale needed it, ignored otherwise.
   * Omitted in most commands.
   */
  readonly creditOverride?: CreditOverride | null;
}
