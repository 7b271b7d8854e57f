import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { runOrderCommand } from '../order-command.handler';
import type { ReceivePayment } from './receive-payment.command';
import { receivePaymentDecider } from './receive-payment.decide';

export class ReceivePaymentMessage extends CommandEnvelope<ReceivePayment> {}

@CommandHandler(ReceivePaymentMessage)
export class ReceivePaymentHandler implements ICommandHandler<ReceivePaymentMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(message: ReceivePaymentMessage): Promise<CommandAcceptedDto> {
    return runOrderCommand(this.store, message, receivePaymentDecider, 'ReceivePayment', message.command.paymentId);
  }
}
