import type { Decider } from '../../../../eventsourcing/src/decider';
import { NotFoundError } from '../../../../eventsourcing/src/decider';
import { utcDate } from '../../../../shared-kernel/src/time';
import type { SecondarySaleReported } from '../../contracts/sales.events';
import { creditsOn, type CustomerState, isDistributor } from '../../customers/customer.state';
import type { PlanState } from '../../plans/plan.state';
import { refuse } from '../../sales.errors';
import { checkCreditedSalespeople } from '../../salespeople/credited-salespeople';
import type { SalespersonState } from '../../salespeople/salesperson.state';
import { evolveSecondarySale, initialSecondarySaleState, type SecondarySaleState } from '../secondary-sale.state';
import type { ReportSecondarySale } from './report-secondary-sale.command';

/** What a secondary sale needs to know besides its own stream. */
export interface SecondarySaleContext {
  /** The distributor's customer stream. */
  readonly distributor: CustomerState;
  readonly salespeople: ReadonlyMap<string, SalespersonState>;
  readonly plans: ReadonlyMap<string, PlanState>;
}

/**
 * A distributor sold to an end customer (sell-through). The credits are the distributor's sales
 * credits on the sale's date, stamped on the event like a booked sale's, and checked like a booked
 * sale's: every credited salesperson exists and had not left, and their applicable plan pays in
 * the sale's currency (CURRENCY_MISMATCH). Unknown distributor: NOT_FOUND; a customer that is not
 * a distributor: NOT_A_DISTRIBUTOR.
 */
export function decideReportSecondarySale(
  command: ReportSecondarySale,
  state: SecondarySaleState,
  context: SecondarySaleContext,
): SecondarySaleReported[] {
  if (state.exists) throw refuse.alreadyExists('Secondary sale', command.saleId);
  const distributor = context.distributor;
  if (!distributor.exists) throw new NotFoundError('Distributor', command.distributorId);
  if (!isDistributor(distributor)) throw refuse.notADistributor(command.distributorId);
  const soldOn = utcDate(command.soldAt);
  const credits = creditsOn(distributor, soldOn);
  checkCreditedSalespeople(credits, soldOn, command.amount.currency, context.salespeople, context.plans);
  return [
    {
      type: 'SecondarySaleReported',
      occurredAt: command.soldAt,
      data: {
        saleId: command.saleId,
        distributorId: command.distributorId,
        amount: { amount: command.amount.amount, currency: command.amount.currency },
        soldAt: command.soldAt,
        endCustomer: command.endCustomer,
        businessUnit: command.businessUnit,
        salesCredits: credits.map((c) => ({ salespersonId: c.salespersonId, splitBps: c.splitBps })),
      },
    },
  ];
}

export const reportSecondarySaleDecider = (
  context: SecondarySaleContext,
): Decider<ReportSecondarySale, SecondarySaleReported, SecondarySaleState> => ({
  initialState: initialSecondarySaleState,
  evolve: evolveSecondarySale,
  decide: (command, state) => decideReportSecondarySale(command, state, context),
});
