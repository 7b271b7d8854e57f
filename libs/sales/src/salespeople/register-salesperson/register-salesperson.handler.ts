import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { NotFoundError } from '../../../../eventsourcing/src/decider';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope, loadState, runCommand } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { SALES_SCHEMA_VERSIONS, streams } from '../../contracts/sales.events';
import { evolveSalesperson, initialSalespersonState } from '../salesperson.state';
import type { RegisterSalesperson } from './register-salesperson.command';
import { registerSalespersonDecider } from './register-salesperson.decide';

export class RegisterSalespersonMessage extends CommandEnvelope<RegisterSalesperson> {}

@CommandHandler(RegisterSalespersonMessage)
export class RegisterSalespersonHandler implements ICommandHandler<RegisterSalespersonMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(message: RegisterSalespersonMessage): Promise<CommandAcceptedDto> {
    const { salespersonId, managerId } = message.command;
    if (managerId !== null && managerId !== salespersonId) {
      const manager = await loadState(
        this.store,
        streams.salesperson(managerId),
        initialSalespersonState,
        evolveSalesperson,
      );
      if (!manager.exists) throw new NotFoundError('Manager', managerId);
    }
    return runCommand(
      this.store,
      streams.salesperson(salespersonId),
      registerSalespersonDecider,
      message,
      'RegisterSalesperson',
      salespersonId,
      SALES_SCHEMA_VERSIONS,
    );
  }
}
