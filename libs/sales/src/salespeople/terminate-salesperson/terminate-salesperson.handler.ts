import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope, runCommand } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { SALES_SCHEMA_VERSIONS, streams } from '../../contracts/sales.events';
import type { TerminateSalesperson } from './terminate-salesperson.command';
import { terminateSalespersonDecider } from './terminate-salesperson.decide';

export class TerminateSalespersonMessage extends CommandEnvelope<TerminateSalesperson> {}

/** The command's own id is the salesperson's: a salesperson is terminated once. */
@CommandHandler(TerminateSalespersonMessage)
export class TerminateSalespersonHandler implements ICommandHandler<TerminateSalespersonMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(message: TerminateSalespersonMessage): Promise<CommandAcceptedDto> {
    const { salespersonId } = message.command;
    return runCommand(
      this.store,
      streams.salesperson(salespersonId),
      terminateSalespersonDecider,
      message,
      'TerminateSalesperson',
      salespersonId,
      SALES_SCHEMA_VERSIONS,
    );
  }
}
