import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope, loadState, runCommand } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { SALES_SCHEMA_VERSIONS, streams } from '../../contracts/sales.events';
import { evolveSalesperson, initialSalespersonState } from '../salesperson.state';
import type { SetQuota } from './set-quota.command';
import { setQuotaDecider } from './set-quota.decide';

export class SetQuotaMessage extends CommandEnvelope<SetQuota> {}

@CommandHandler(SetQuotaMessage)
export class SetQuotaHandler implements ICommandHandler<SetQuotaMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(message: SetQuotaMessage): Promise<CommandAcceptedDto> {
    const { salespersonId, year, quotaId, businessUnit } = message.command;
    const salesperson = await loadState(
      this.store,
      streams.salesperson(salespersonId),
      initialSalespersonState,
      evolveSalesperson,
    );
    return runCommand(
      this.store,
      streams.quota(salespersonId, year, businessUnit),
      setQuotaDecider(salesperson),
      message,
      'SetQuota',
      quotaId,
      SALES_SCHEMA_VERSIONS,
    );
  }
}
