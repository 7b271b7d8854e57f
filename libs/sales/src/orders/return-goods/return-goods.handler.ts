import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { runOrderCommand } from '../order-command.handler';
import type { ReturnGoods } from './return-goods.command';
import { returnGoodsDecider } from './return-goods.decide';

export class ReturnGoodsMessage extends CommandEnvelope<ReturnGoods> {}

@CommandHandler(ReturnGoodsMessage)
export class ReturnGoodsHandler implements ICommandHandler<ReturnGoodsMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(message: ReturnGoodsMessage): Promise<CommandAcceptedDto> {
    return runOrderCommand(this.store, message, returnGoodsDecider, 'ReturnGoods', message.command.returnId);
  }
}
