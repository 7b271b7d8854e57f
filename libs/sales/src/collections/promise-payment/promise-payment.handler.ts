import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { runOrderCommand } from '../../orders/order-command.handler';
import type { PromisePayment } from './promise-payment.command';
import { promisePaymentDecider } from './promise-payment.decide';

export class PromisePaymentMessage extends CommandEnvelope<PromisePayment> {}

@CommandHandler(PromisePaymentMessage)
export class PromisePaymentHandler implements ICommandHandler<PromisePaymentMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(message: PromisePaymentMessage): Promise<CommandAcceptedDto> {
    return runOrderCommand(this.store, message, promisePaymentDecider, 'PromisePayment', message.command.promiseId);
  }
}
