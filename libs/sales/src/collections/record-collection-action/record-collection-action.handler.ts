import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { runOrderCommand } from '../../orders/order-command.handler';
import type { RecordCollectionAction } from './record-collection-action.command';
import { recordCollectionActionDecider } from './record-collection-action.decide';

export class RecordCollectionActionMessage extends CommandEnvelope<RecordCollectionAction> {}

@CommandHandler(RecordCollectionActionMessage)
export class RecordCollectionActionHandler implements ICommandHandler<
  RecordCollectionActionMessage,
  CommandAcceptedDto
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(message: RecordCollectionActionMessage): Promise<CommandAcceptedDto> {
    return runOrderCommand(
      this.store,
      message,
      recordCollectionActionDecider,
      'RecordCollectionAction',
      message.command.actionId,
    );
  }
}
