import type { Decider } from '../../../../eventsourcing/src/decider';
import { NotFoundError } from '../../../../eventsourcing/src/decider';
import { addDays, utcDate } from '../../../../shared-kernel/src/time';
import type { SaleBooked } from '../../contracts/sales.events';
import { creditsOn, type CustomerState, isDistributor } from '../../customers/customer.state';
import type { PlanState } from '../../plans/plan.state';
import { checkCredits, refuse } from '../../sales.errors';
import { checkCreditedSalespeople } from '../../salespeople/credited-salespeople';
import type { SalespersonState } from '../../salespeople/salesperson.state';
import { evolveOrder, initialOrderState, type OrderEvent, type OrderState } from '../order.state';
import type { BookSale } from './book-sale.command';

/** What booking a sale needs to know besides the order itself. */
export interface BookSaleContext {
  readonly customer: CustomerState;
  readonly salespeople: ReadonlyMap<string, SalespersonState>;
  readonly plans: ReadonlyMap<string, PlanState>;
}

/**
 * Books a sale. Credits default to the customer's; a credited salesperson whose applicable plan
 * pays in another currency refuses the sale (CURRENCY_MISMATCH). A salesperson without an
 * applicable plan does not refuse it: the ledger lists the sale under NO_PLAN. A sale to a
 * distributor carries `toDistributor: true` (docs/plans-and-channels.md § Distributors).
 */
export function decideBookSale(command: BookSale, state: OrderState, context: BookSaleContext): SaleBooked[] {
  if (state.exists) throw refuse.alreadyExists('Order', command.orderId);
  const customer = context.customer;
  if (!customer.exists) throw new NotFoundError('Customer', command.customerId);
  const bookingDate = utcDate(command.bookedAt);
  const credits = command.salesCredits ?? creditsOn(customer, bookingDate);
  checkCredits(credits);
  checkCreditedSalespeople(credits, bookingDate, command.amount.currency, context.salespeople, context.plans);
  return [
    {
      type: 'SaleBooked',
      occurredAt: command.bookedAt,
      data: {
        orderId: command.orderId,
        customerId: command.customerId,
        amount: { amount: command.amount.amount, currency: command.amount.currency },
        bookedAt: command.bookedAt,
        salesCredits: credits.map((c) => ({ salespersonId: c.salespersonId, splitBps: c.splitBps })),
        paymentTermsDays: customer.paymentTermsDays,
        dueDate: addDays(bookingDate, customer.paymentTermsDays),
        businessUnit: command.businessUnit,
        lines: command.lines,
        // A sale to a distributor is a primary (sell-in) sale; the field is absent otherwise.
        ...(isDistributor(customer) ? { toDistributor: true } : {}),
      },
    },
  ];
}

export const bookSaleDecider = (context: BookSaleContext): Decider<BookSale, OrderEvent, OrderState> => ({
  initialState: initialOrderState,
  evolve: evolveOrder,
  decide: (command, state) => decideBookSale(command, state, context),
});
