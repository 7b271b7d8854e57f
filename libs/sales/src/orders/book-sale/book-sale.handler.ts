import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ConcurrencyConflictError } from '../../../../eventsourcing/src/decider';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { foldStream, handleCommand } from '../../../../eventsourcing/src/handle-command';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope, commandOutcome, loadState, runCommand } from '../../../../platform/src/cqrs/run-command';
import { commandsTotal } from '../../../../platform/src/metrics/app-metrics';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { SALES_SCHEMA_VERSIONS, streams } from '../../contracts/sales.events';
import { reservedOrders } from '../../customers/customer-credit.state';
import { creditsOn, evolveCustomer, initialCustomerState } from '../../customers/customer.state';
import { evolveOrder, initialOrderState, type OrderState } from '../order.state';
import { utcDate } from '../../../../shared-kernel/src/time';
import { loadCreditedSalespeople } from '../../salespeople/load-credited-salespeople';
import type { BookSale } from './book-sale.command';
import { bookSaleDecider } from './book-sale.decide';
import { reserveCreditDecider } from './reserve-credit.decide';

/** How often the credit reservation is re-decided after losing a race on the customer's stream. */
const RESERVE_ATTEMPTS = 25;
/** Reserved orders read side by side when deciding on a customer's credit. */
const ORDER_READS_IN_PARALLEL = 16;

export class BookSaleMessage extends CommandEnvelope<BookSale> {}

/**
 * Loads the customer, the credited salespeople and their plans, then decides on the order stream.
 * For a customer with a credit limit, the sale's credit is first reserved on the customer's stream
 * (ADR 0010); a customer without a limit costs nothing more.
 */
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
    const { salespeople, plans } = await loadCreditedSalespeople(this.store, credits);
    const decider = bookSaleDecider({ customer, salespeople, plans });
    if (customer.exists && customer.creditLimit !== null) {
      try {
        await this.reserveCredit(message, decider);
      } catch (error) {
        commandsTotal.inc({ command: 'BookSale', outcome: commandOutcome({ error }) });
        throw error;
      }
    }
    return runCommand(
      this.store,
      streams.order(command.orderId),
      decider,
      message,
      'BookSale',
      command.orderId,
      SALES_SCHEMA_VERSIONS,
    );
  }

  /**
   * Reserves the sale's credit on the customer's stream with the revision it read: a concurrent
   * booking (or limit change) for the same customer makes the append fail, and the reservation is
   * re-decided on the new state, so no two sales pass the limit together. A repeat of the same
   * BookSale reserves nothing more (the reservation's command id is the order id).
   */
  private async reserveCredit(message: BookSaleMessage, decider: ReturnType<typeof bookSaleDecider>): Promise<void> {
    const command = message.command;
    const orderHistory = await this.store.readStream(streams.order(command.orderId));
    // Booked already by this command: the order stream answers the repeat (or its 409).
    if (orderHistory.some((e) => e.metadata.commandType === 'BookSale' && e.metadata.commandId === command.orderId)) {
      return;
    }
    // Every other refusal of the sale comes first: nothing is reserved for a sale that cannot be booked.
    decider.decide(command, foldStream(decider, orderHistory));
    const customerStream = streams.customer(command.customerId);
    // Order states only ever lower what they hold: one read on an earlier attempt is still safe to use.
    const orders = new Map<string, OrderState>();
    for (let attempt = 1; ; attempt++) {
      const reserve = reserveCreditDecider(orders);
      const customer = foldStream(reserve, await this.store.readStream(customerStream));
      if (customer.exists && customer.creditLimit === null) return;
      const missing = customer.exists
        ? reservedOrders(customer)
            .map((r) => r.orderId)
            .filter((id) => !orders.has(id))
        : [];
      for (let i = 0; i < missing.length; i += ORDER_READS_IN_PARALLEL) {
        const ids = missing.slice(i, i + ORDER_READS_IN_PARALLEL);
        const states = await Promise.all(
          ids.map((id) => loadState(this.store, streams.order(id), initialOrderState, evolveOrder)),
        );
        ids.forEach((id, k) => orders.set(id, states[k]!));
      }
      try {
        await handleCommand(
          this.store,
          customerStream,
          reserve,
          command,
          {
            commandType: 'ReserveCustomerCredit',
            commandId: command.orderId,
            actor: message.context.actor,
            correlationId: message.context.correlationId,
            causationId: message.context.requestId,
            request: message.request,
          },
          SALES_SCHEMA_VERSIONS,
          { maxAttempts: 1 },
        );
        return;
      } catch (error) {
        if (error instanceof ConcurrencyConflictError && attempt < RESERVE_ATTEMPTS) continue;
        throw error;
      }
    }
  }
}
