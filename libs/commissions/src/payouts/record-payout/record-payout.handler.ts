import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope, runCommand } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { utcDate } from '../../../../shared-kernel/src/time';
import { loadCommissionContext } from '../../commission-context.loader';
import { COMMISSIONS_SCHEMA_VERSIONS, commissionStream } from '../../contracts/commissions.events';
import type { RecordPayout } from './record-payout.command';
import { recordPayoutDecider } from './record-payout.decide';

export class RecordPayoutMessage extends CommandEnvelope<RecordPayout> {}

@CommandHandler(RecordPayoutMessage)
export class RecordPayoutHandler implements ICommandHandler<RecordPayoutMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(message: RecordPayoutMessage): Promise<CommandAcceptedDto> {
    const { salespersonId, payoutId, paidAt } = message.command;
    const context = await loadCommissionContext(this.store, salespersonId, utcDate(paidAt));
    return runCommand(
      this.store,
      commissionStream(salespersonId),
      recordPayoutDecider(context),
      message,
      'RecordPayout',
      payoutId,
      COMMISSIONS_SCHEMA_VERSIONS,
    );
  }
}
