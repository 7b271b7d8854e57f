import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { runOrderCommand } from '../order-command.handler';
import type { CancelOrder } from './cancel-order.command';
import { cancelOrderDecider } from './cancel-order.decide';

export class CancelOrderMessage extends CommandEnvelope<CancelOrder> {}

@CommandHandler(CancelOrderMessage)
export class CancelOrderHandler implements ICommandHandler<CancelOrderMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(message: CancelOrderMessage): Promise<CommandAcceptedDto> {
    return runOrderCommand(this.store, message, cancelOrderDecider, 'CancelOrder', message.command.cancellationId);
  }
}
