import type { Decider } from '../../../../eventsourcing/src/decider';
import { NotFoundError } from '../../../../eventsourcing/src/decider';
import type { SalesCreditsReassigned } from '../../contracts/sales.events';
import { checkCredits } from '../../sales.errors';
import type { SalespersonState } from '../../salespeople/salesperson.state';
import { type CustomerEvent, type CustomerState, evolveCustomer, initialCustomerState } from '../customer.state';
import type { ReassignSalesCredits } from './reassign-sales-credits.command';

/** New credits from a date (sum 10000, known salespeople); sales already booked keep theirs. */
export function decideReassignSalesCredits(
  command: ReassignSalesCredits,
  state: CustomerState,
  salespeople: ReadonlyMap<string, SalespersonState>,
): SalesCreditsReassigned[] {
  if (!state.exists) throw new NotFoundError('Customer', command.customerId);
  checkCredits(command.salesCredits);
  for (const c of command.salesCredits) {
    if (!salespeople.get(c.salespersonId)?.exists) throw new NotFoundError('Salesperson', c.salespersonId);
  }
  return [
    {
      type: 'SalesCreditsReassigned',
      occurredAt: `${command.effectiveFrom}T00:00:00.000Z`,
      data: {
        customerId: command.customerId,
        reassignmentId: command.reassignmentId,
        effectiveFrom: command.effectiveFrom,
        salesCredits: command.salesCredits.map((c) => ({ salespersonId: c.salespersonId, splitBps: c.splitBps })),
      },
    },
  ];
}

export const reassignSalesCreditsDecider = (
  salespeople: ReadonlyMap<string, SalespersonState>,
): Decider<ReassignSalesCredits, CustomerEvent, CustomerState> => ({
  initialState: initialCustomerState,
  evolve: evolveCustomer,
  decide: (command, state) => decideReassignSalesCredits(command, state, salespeople),
});
