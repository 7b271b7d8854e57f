import type { Decider } from '../../../../eventsourcing/src/decider';
import { NotFoundError } from '../../../../eventsourcing/src/decider';
import type { CustomerRegistered } from '../../contracts/sales.events';
import { checkCredits, refuse } from '../../sales.errors';
import type { SalespersonState } from '../../salespeople/salesperson.state';
import { type CustomerState, evolveCustomer, initialCustomerState } from '../customer.state';
import type { RegisterCustomer } from './register-customer.command';

/**
 * Registers a customer, or a distributor (a customer whose orders are primary, sell-in, sales:
 * CustomerRegistered with `distributor: true`, docs/plans-and-channels.md § Distributors).
 */
export function decideRegisterCustomer(
  command: RegisterCustomer,
  state: CustomerState,
  salespeople: ReadonlyMap<string, SalespersonState>,
): CustomerRegistered[] {
  if (state.exists) throw refuse.alreadyExists(command.distributor ? 'Distributor' : 'Customer', command.customerId);
  checkCredits(command.salesCredits);
  for (const c of command.salesCredits) {
    if (!salespeople.get(c.salespersonId)?.exists) throw new NotFoundError('Salesperson', c.salespersonId);
  }
  return [
    {
      type: 'CustomerRegistered',
      occurredAt: command.at,
      data: {
        customerId: command.customerId,
        name: command.name,
        paymentTermsDays: command.paymentTermsDays,
        creditLimit: command.creditLimit,
        salesCredits: command.salesCredits.map((c) => ({ salespersonId: c.salespersonId, splitBps: c.splitBps })),
        ...(command.distributor === true ? { distributor: true } : {}),
      },
    },
  ];
}

export const registerCustomerDecider = (
  salespeople: ReadonlyMap<string, SalespersonState>,
): Decider<RegisterCustomer, CustomerRegistered, CustomerState> => ({
  initialState: initialCustomerState,
  evolve: evolveCustomer,
  decide: (command, state) => decideRegisterCustomer(command, state, salespeople),
});
