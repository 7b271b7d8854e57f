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

@CommandHandler(RegisterCustomerMessage)
export class RegisterCustomerHandler implements ICommandHandler<RegisterCustomerMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(message: RegisterCustomerMessage): Promise<CommandAcceptedDto> {
    const { customerId, salesCredits } = message.command;
    const salespeople = new Map<string, SalespersonState>();
    for (const credit of salesCredits) {
      salespeople.set(
        credit.salespersonId,
        await loadState(
          this.store,
          streams.salesperson(credit.salespersonId),
          initialSalespersonState,
          evolveSalesperson,
        ),
      );
    }
    return runCommand(
      this.store,
      streams.customer(customerId),
      registerCustomerDecider(salespeople),
      message,
      'RegisterCustomer',
      customerId,
      SALES_SCHEMA_VERSIONS,
    );
  }
}
