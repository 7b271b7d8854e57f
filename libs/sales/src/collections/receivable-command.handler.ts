import type { Decider } from '../../../eventsourcing/src/decider';
import type { EventStore } from '../../../eventsourcing/src/event-store.port';
import { type CommandEnvelope, runCommand } from '../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../platform/src/http/command-response.dto';
import { SALES_SCHEMA_VERSIONS, streams } from '../contracts/sales.events';
import type { ReceivableState, ReceivableStreamEvent } from './collection-receivable.state';

/** Every collection command on a receivable: decided on the order stream, idempotent by its own id. */
export function runReceivableCommand<C extends { orderId: string }>(
  store: EventStore,
  message: CommandEnvelope<C>,
  decider: Decider<C, ReceivableStreamEvent, ReceivableState>,
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
