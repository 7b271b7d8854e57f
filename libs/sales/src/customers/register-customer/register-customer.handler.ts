import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope, loadState, runCommand } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { SALES_SCHEMA_VERSIONS, streams } from '../../contracts/sales.events';
import { evolveSalesperson, initialSalespersonState, type SalespersonState } from '../../salespeople/salesperson.state';
import type { RegisterCustomer } from './register-customer.command';
import { registerCustomerDecider } from './register-customer.decide';

export class RegisterCustomerMessage extends CommandEnvelope<RegisterCustomer> {}

/**
 * Loads the credited salespeople and decides on the customer's stream. Shared by customers and
 * distributors (`commandType` RegisterCustomer or RegisterDistributor: same stream, same decider).
 */
export async function registerCustomer(
  store: EventStore,
  message: CommandEnvelope<RegisterCustomer>,
  commandType: 'RegisterCustomer' | 'RegisterDistributor',
): Promise<CommandAcceptedDto> {
  const { customerId, salesCredits } = message.command;
  const salespeople = new Map<string, SalespersonState>();
  for (const credit of salesCredits) {
    salespeople.set(
      credit.salespersonId,
      await loadState(store, streams.salesperson(credit.salespersonId), initialSalespersonState, evolveSalesperson),
    );
  }
  return runCommand(
    store,
    streams.customer(customerId),
    registerCustomerDecider(salespeople),
    message,
    commandType,
    customerId,
    SALES_SCHEMA_VERSIONS,
  );
}

@CommandHandler(RegisterCustomerMessage)
export class RegisterCustomerHandler implements ICommandHandler<RegisterCustomerMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(message: RegisterCustomerMessage): Promise<CommandAcceptedDto> {
    return registerCustomer(this.store, message, 'RegisterCustomer');
  }
}
