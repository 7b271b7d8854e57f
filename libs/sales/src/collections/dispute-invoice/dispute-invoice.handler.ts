import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { runOrderCommand } from '../../orders/order-command.handler';
import type { DisputeInvoice } from './dispute-invoice.command';
import { disputeInvoiceDecider } from './dispute-invoice.decide';

export class DisputeInvoiceMessage extends CommandEnvelope<DisputeInvoice> {}

@CommandHandler(DisputeInvoiceMessage)
export class DisputeInvoiceHandler implements ICommandHandler<DisputeInvoiceMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(message: DisputeInvoiceMessage): Promise<CommandAcceptedDto> {
    return runOrderCommand(this.store, message, disputeInvoiceDecider, 'DisputeInvoice', message.command.disputeId);
  }
}
