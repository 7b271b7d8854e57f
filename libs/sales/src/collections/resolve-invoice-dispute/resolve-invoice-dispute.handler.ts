import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { runOrderCommand } from '../../orders/order-command.handler';
import type { ResolveInvoiceDispute } from './resolve-invoice-dispute.command';
import { resolveInvoiceDisputeDecider } from './resolve-invoice-dispute.decide';

export class ResolveInvoiceDisputeMessage extends CommandEnvelope<ResolveInvoiceDispute> {}

@CommandHandler(ResolveInvoiceDisputeMessage)
export class ResolveInvoiceDisputeHandler implements ICommandHandler<ResolveInvoiceDisputeMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(message: ResolveInvoiceDisputeMessage): Promise<CommandAcceptedDto> {
    return runOrderCommand(
      this.store,
      message,
      resolveInvoiceDisputeDecider,
      'ResolveInvoiceDispute',
      message.command.disputeId,
    );
  }
}
