import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope, loadState, runCommand } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { streams } from '../../../../sales/src/contracts/sales.events';
import { evolveSalesperson, initialSalespersonState } from '../../../../sales/src/salespeople/salesperson.state';
import { COMMISSIONS_SCHEMA_VERSIONS, commissionStream } from '../../contracts/commissions.events';
import type { RecalculateCommissions } from './recalculate-commissions.command';
import { recalculateCommissionsDecider } from './recalculate-commissions.decide';

export class RecalculateCommissionsMessage extends CommandEnvelope<RecalculateCommissions> {}

/** Decided on the salesperson's commission stream (with their adjustments and payouts). */
@CommandHandler(RecalculateCommissionsMessage)
export class RecalculateCommissionsHandler implements ICommandHandler<
  RecalculateCommissionsMessage,
  CommandAcceptedDto
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(message: RecalculateCommissionsMessage): Promise<CommandAcceptedDto> {
    const { salespersonId, recalculationId } = message.command;
    const salesperson = await loadState(
      this.store,
      streams.salesperson(salespersonId),
      initialSalespersonState,
      evolveSalesperson,
    );
    return runCommand(
      this.store,
      commissionStream(salespersonId),
      recalculateCommissionsDecider({ salespersonExists: salesperson.exists }),
      message,
      'RecalculateCommissions',
      recalculationId,
      COMMISSIONS_SCHEMA_VERSIONS,
    );
  }
}
