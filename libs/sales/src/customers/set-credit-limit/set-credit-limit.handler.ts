import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { LogPosition } from '../../../../eventsourcing/src/event';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope, loadState, runCommand } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { SALES_SCHEMA_VERSIONS, type SaleBooked, streams } from '../../contracts/sales.events';
import { evolveOrder, initialOrderState, receivable } from '../../orders/order.state';
import { evolveCustomer, initialCustomerState } from '../customer.state';
import type { AdoptionCandidate, SetCreditLimit } from './set-credit-limit.command';
import { setCreditLimitDecider } from './set-credit-limit.decide';

export class SetCreditLimitMessage extends CommandEnvelope<SetCreditLimit> {}

const PAGE = 1000;
const ORDER_READS_IN_PARALLEL = 16;

/**
 * Sets a customer's credit limit. With a limit, first finds the customer's orders that still have
 * something receivable (a scan of the SaleBooked events of the log, then each order's stream), so
 * that the decision adopts those booked without a reservation. A rare command: its cost is that
 * scan, never the bookings'.
 */
@CommandHandler(SetCreditLimitMessage)
export class SetCreditLimitHandler implements ICommandHandler<SetCreditLimitMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(message: SetCreditLimitMessage): Promise<CommandAcceptedDto> {
    const { customerId, creditLimitId, creditLimit } = message.command;
    const customer = await loadState(this.store, streams.customer(customerId), initialCustomerState, evolveCustomer);
    const candidates = customer.exists && creditLimit !== null ? await this.openOrdersOf(customerId) : [];
    return runCommand(
      this.store,
      streams.customer(customerId),
      setCreditLimitDecider(candidates, new Date().toISOString()),
      message,
      'SetCreditLimit',
      creditLimitId,
      SALES_SCHEMA_VERSIONS,
    );
  }

  private async openOrdersOf(customerId: string): Promise<AdoptionCandidate[]> {
    const booked: AdoptionCandidate[] = [];
    let after: LogPosition | undefined;
    for (;;) {
      const page = await this.store.readAll({
        ...(after ? { after } : {}),
        maxCount: PAGE,
        eventTypes: ['SaleBooked'],
      });
      for (const event of page.events) {
        const data = event.data as SaleBooked['data'];
        if (event.type === 'SaleBooked' && data.customerId === customerId) {
          booked.push({ orderId: data.orderId, amount: data.amount });
        }
      }
      if (page.isEnd || page.events.length === 0) break;
      after = page.lastPosition;
    }
    const open: AdoptionCandidate[] = [];
    for (let i = 0; i < booked.length; i += ORDER_READS_IN_PARALLEL) {
      const chunk = booked.slice(i, i + ORDER_READS_IN_PARALLEL);
      const states = await Promise.all(
        chunk.map((c) => loadState(this.store, streams.order(c.orderId), initialOrderState, evolveOrder)),
      );
      chunk.forEach((c, k) => {
        const order = states[k];
        // Receivables only decrease: an order with nothing receivable never holds credit again.
        if (order?.exists && order.customerId === customerId && receivable(order.amounts) > 0) open.push(c);
      });
    }
    return open;
  }
}
