import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope, loadState, runCommand } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { SALES_SCHEMA_VERSIONS, streams } from '../../contracts/sales.events';
import { creditsOn, evolveCustomer, initialCustomerState } from '../../customers/customer.state';
import { utcDate } from '../../../../shared-kernel/src/time';
import { evolvePlan, initialPlanState, type PlanState } from '../../plans/plan.state';
import { evolveSalesperson, initialSalespersonState, type SalespersonState } from '../../salespeople/salesperson.state';
import type { BookSale } from './book-sale.command';
import { bookSaleDecider } from './book-sale.decide';

export class BookSaleMessage extends CommandEnvelope<BookSale> {}

/** Loads the customer, the credited salespeople and their plans, then decides on the order stream. */
@CommandHandler(BookSaleMessage)
export class BookSaleHandler implements ICommandHandler<BookSaleMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(message: BookSaleMessage): Promise<CommandAcceptedDto> {
    const command = message.command;
    const customer = await loadState(
      this.store,
      streams.customer(command.customerId),
      initialCustomerState,
      evolveCustomer,
    );
    const credits = command.salesCredits ?? (customer.exists ? creditsOn(customer, utcDate(command.bookedAt)) : []);
    // The credited salespeople, then their plans, each read side by side (in credit order).
    const ids = [...new Set(credits.map((c) => c.salespersonId))];
    const loaded = await Promise.all(
      ids.map((id) => loadState(this.store, streams.salesperson(id), initialSalespersonState, evolveSalesperson)),
    );
    const salespeople = new Map<string, SalespersonState>(ids.map((id, i) => [id, loaded[i]!]));
    const planIds = [...new Set(loaded.filter((s) => s.exists).flatMap((s) => s.assignments.map((a) => a.planId)))];
    const loadedPlans = await Promise.all(
      planIds.map((id) => loadState(this.store, streams.plan(id), initialPlanState, evolvePlan)),
    );
    const plans = new Map<string, PlanState>(planIds.map((id, i) => [id, loadedPlans[i]!]));
    return runCommand(
      this.store,
      streams.order(command.orderId),
      bookSaleDecider({ customer, salespeople, plans }),
      message,
      'BookSale',
      command.orderId,
      SALES_SCHEMA_VERSIONS,
    );
  }
}
