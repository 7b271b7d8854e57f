import type { Decider, DomainEvent } from '../../../eventsourcing/src/decider';
import type { EventStore } from '../../../eventsourcing/src/event-store.port';
import { handleCommand, type SchemaVersions } from '../../../eventsourcing/src/handle-command';
import type { CommandAcceptedDto } from '../http/command-response.dto';
import type { RequestContext } from '../http/request-context';

/** A command as it travels on the CQRS bus: the domain command plus who sent it. */
export class CommandEnvelope<C> {
  constructor(
    readonly command: C,
    readonly context: RequestContext,
    /** Body and path parameters as received, for the idempotency hash. */
    readonly request: unknown,
  ) {}
}

export async function runCommand<C, E extends DomainEvent, S>(
  store: EventStore,
  streamId: string,
  decider: Decider<C, E, S>,
  envelope: CommandEnvelope<C>,
  commandType: string,
  commandId: string,
  schemaVersions: SchemaVersions,
): Promise<CommandAcceptedDto> {
  const result = await handleCommand(
    store,
    streamId,
    decider,
    envelope.command,
    {
      commandType,
      commandId,
      actor: envelope.context.actor,
      correlationId: envelope.context.correlationId,
      causationId: envelope.context.requestId,
      request: envelope.request,
    },
    schemaVersions,
  );
  return { id: commandId, streamId, position: result.globalPosition.toString() };
}

/** Loads and folds one stream (for the other streams a decision needs to see). */
export async function loadState<S, E extends DomainEvent>(
  store: EventStore,
  streamId: string,
  initial: () => S,
  evolve: (state: S, event: E) => S,
): Promise<S> {
  let state = initial();
  for (const event of await store.readStream(streamId)) {
    state = evolve(state, { type: event.type, data: event.data, occurredAt: event.occurredAt } as E);
  }
  return state;
}
