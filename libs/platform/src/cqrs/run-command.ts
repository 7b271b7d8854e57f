import { Logger } from '@nestjs/common';
import {
  ConcurrencyConflictError,
  type Decider,
  DomainError,
  type DomainEvent,
  IdempotencyConflictError,
} from '../../../eventsourcing/src/decider';
import type { EventStore } from '../../../eventsourcing/src/event-store.port';
import { handleCommand, type SchemaVersions } from '../../../eventsourcing/src/handle-command';
import type { CommandAcceptedDto } from '../http/command-response.dto';
import type { RequestContext } from '../http/request-context';
import { commandDuration, commandsTotal } from '../metrics/app-metrics';

/** A command as it travels on the CQRS bus: the domain command plus who sent it. */
export class CommandEnvelope<C> {
  constructor(
    readonly command: C,
    readonly context: RequestContext,
    /** Body and path parameters as received, for the idempotency hash. */
    readonly request: unknown,
  ) {}
}

const log = new Logger('Commands');

/** How a command ended, for `commands_total{outcome}`. */
export function commandOutcome(result: { appended: boolean } | { error: unknown }): string {
  if ('appended' in result) return result.appended ? 'accepted' : 'repeated';
  const { error } = result;
  if (error instanceof ConcurrencyConflictError || error instanceof IdempotencyConflictError) return 'conflict';
  return error instanceof DomainError ? 'rejected' : 'error';
}

/**
 * Runs one command (every command of the API comes through here): handleCommand with the
 * request's actor and ids, counted in `commands_total` and timed in `command_duration_seconds`.
 */
export async function runCommand<C, E extends DomainEvent, S>(
  store: EventStore,
  streamId: string,
  decider: Decider<C, E, S>,
  envelope: CommandEnvelope<C>,
  commandType: string,
  commandId: string,
  schemaVersions: SchemaVersions,
): Promise<CommandAcceptedDto> {
  const started = process.hrtime.bigint();
  const observe = (outcome: string, position?: bigint) => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    commandsTotal.inc({ command: commandType, outcome });
    commandDuration.observe({ command: commandType }, seconds);
    // LOG_LEVEL=debug: one line per command; the request's correlation id comes with it (AsyncLocalStorage).
    log.debug({
      msg: 'command',
      command: commandType,
      outcome,
      streamId,
      ...(position !== undefined ? { position: position.toString() } : {}),
      durationMs: Math.round(seconds * 1e4) / 10,
    });
  };
  let result;
  try {
    result = await handleCommand(
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
  } catch (error) {
    observe(commandOutcome({ error }));
    throw error;
  }
  observe(commandOutcome(result), result.globalPosition);
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
