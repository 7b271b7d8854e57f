import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { runOrderCommand } from '../order-command.handler';
import type { IssueInvoice } from './issue-invoice.command';
import { issueInvoiceDecider } from './issue-invoice.decide';

export class IssueInvoiceMessage extends CommandEnvelope<IssueInvoice> {}

@CommandHandler(IssueInvoiceMessage)
export class IssueInvoiceHandler implements ICommandHandler<IssueInvoiceMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(message: IssueInvoiceMessage): Promise<CommandAcceptedDto> {
    return runOrderCommand(this.store, message, issueInvoiceDecider, 'IssueInvoice', message.command.invoiceId);
  }
}
