import type { Decider, DomainEvent } from '../../../eventsourcing/src/decider';
import type { EventStore } from '../../../eventsourcing/src/event-store.port';
import { type CommandEnvelope, runCommand } from '../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../platform/src/http/command-response.dto';
import { type OrderEvent, SALES_SCHEMA_VERSIONS, streams } from '../contracts/sales.events';
import type { OrderState } from './order.state';

/**
 * Every command on an existing order (the collection commands on its receivables too): decided on
 * the order stream, idempotent by its own id.
 */
export function runOrderCommand<C extends { orderId: string }, E extends DomainEvent = OrderEvent, S = OrderState>(
  store: EventStore,
  message: CommandEnvelope<C>,
  decider: Decider<C, E, S>,
  commandType: string,
  commandId: string,
): Promise<CommandAcceptedDto> {
  return runCommand(
    store,
    streams.order(message.command.orderId),
    decider,
    message,
    commandType,
    commandId,
    SALES_SCHEMA_VERSIONS,
  );
}
