import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { runOrderCommand } from '../order-command.handler';
import type { WriteOffDebt } from './write-off.command';
import { writeOffDecider } from './write-off.decide';

export class WriteOffDebtMessage extends CommandEnvelope<WriteOffDebt> {}

@CommandHandler(WriteOffDebtMessage)
export class WriteOffDebtHandler implements ICommandHandler<WriteOffDebtMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(message: WriteOffDebtMessage): Promise<CommandAcceptedDto> {
    return runOrderCommand(this.store, message, writeOffDecider, 'WriteOffDebt', message.command.writeOffId);
  }
}
