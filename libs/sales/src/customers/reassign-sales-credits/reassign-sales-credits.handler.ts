import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope, loadState, runCommand } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { SALES_SCHEMA_VERSIONS, streams } from '../../contracts/sales.events';
import { evolveSalesperson, initialSalespersonState, type SalespersonState } from '../../salespeople/salesperson.state';
import type { ReassignSalesCredits } from './reassign-sales-credits.command';
import { reassignSalesCreditsDecider } from './reassign-sales-credits.decide';

export class ReassignSalesCreditsMessage extends CommandEnvelope<ReassignSalesCredits> {}

@CommandHandler(ReassignSalesCreditsMessage)
export class ReassignSalesCreditsHandler implements ICommandHandler<ReassignSalesCreditsMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(message: ReassignSalesCreditsMessage): Promise<CommandAcceptedDto> {
    const { customerId, reassignmentId, salesCredits } = message.command;
    const salespeople = new Map<string, SalespersonState>();
    for (const c of salesCredits) {
      salespeople.set(
        c.salespersonId,
        await loadState(this.store, streams.salesperson(c.salespersonId), initialSalespersonState, evolveSalesperson),
      );
    }
    return runCommand(
      this.store,
      streams.customer(customerId),
      reassignSalesCreditsDecider(salespeople),
      message,
      'ReassignSalesCredits',
      reassignmentId,
      SALES_SCHEMA_VERSIONS,
    );
  }
}
