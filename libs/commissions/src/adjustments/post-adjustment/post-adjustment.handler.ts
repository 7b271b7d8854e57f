import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope, runCommand } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { loadCommissionContext } from '../../commission-context.loader';
import { COMMISSIONS_SCHEMA_VERSIONS, commissionStream } from '../../contracts/commissions.events';
import type { PostAdjustment } from './post-adjustment.command';
import { postAdjustmentDecider } from './post-adjustment.decide';

export class PostAdjustmentMessage extends CommandEnvelope<PostAdjustment> {}

@CommandHandler(PostAdjustmentMessage)
export class PostAdjustmentHandler implements ICommandHandler<PostAdjustmentMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(message: PostAdjustmentMessage): Promise<CommandAcceptedDto> {
    const { salespersonId, adjustmentId, period } = message.command;
    const context = await loadCommissionContext(this.store, salespersonId, `${period}-28`);
    return runCommand(
      this.store,
      commissionStream(salespersonId),
      postAdjustmentDecider(context),
      message,
      'PostAdjustment',
      adjustmentId,
      COMMISSIONS_SCHEMA_VERSIONS,
    );
  }
}
