import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope, loadState, runCommand } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { utcDate } from '../../../../shared-kernel/src/time';
import { SALES_SCHEMA_VERSIONS, streams } from '../../contracts/sales.events';
import { creditsOn, evolveCustomer, initialCustomerState } from '../../customers/customer.state';
import { loadCreditedSalespeople } from '../../salespeople/load-credited-salespeople';
import type { ReportSecondarySale } from './report-secondary-sale.command';
import { reportSecondarySaleDecider } from './report-secondary-sale.decide';

export class ReportSecondarySaleMessage extends CommandEnvelope<ReportSecondarySale> {}

/**
 * Loads the distributor, the salespeople it credits on the sale's date and their plans, then
 * decides on the stream secondary-sale-<saleId> (idempotent by saleId).
 */
@CommandHandler(ReportSecondarySaleMessage)
export class ReportSecondarySaleHandler implements ICommandHandler<ReportSecondarySaleMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(message: ReportSecondarySaleMessage): Promise<CommandAcceptedDto> {
    const command = message.command;
    const distributor = await loadState(
      this.store,
      streams.customer(command.distributorId),
      initialCustomerState,
      evolveCustomer,
    );
    const credits = distributor.exists ? creditsOn(distributor, utcDate(command.soldAt)) : [];
    const { salespeople, plans } = await loadCreditedSalespeople(this.store, credits);
    return runCommand(
      this.store,
      streams.secondarySale(command.saleId),
      reportSecondarySaleDecider({ distributor, salespeople, plans }),
      message,
      'ReportSecondarySale',
      command.saleId,
      SALES_SCHEMA_VERSIONS,
    );
  }
}
