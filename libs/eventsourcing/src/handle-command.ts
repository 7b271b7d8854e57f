import type { Decider, DomainEvent } from './decider';
import { ConcurrencyConflictError, IdempotencyConflictError } from './decider';
import type { EventMetadata, NewEvent, StoredEvent } from './event';
import type { EventStore } from './event-store.port';
import { WrongExpectedRevisionError } from './errors';
import { canonicalJson, deterministicUuid, sha256Hex } from './ids';

export interface CommandContext {
  /** e.g. `BookSale` */
  readonly commandType: string;
  /** The command's own id (orderId, paymentId, ...). */
  readonly commandId: string;
  readonly actor: string;
  readonly correlationId: string;
  readonly causationId: string;
  /** The request as the client sent it (body and path parameters): hashed for idempotency. */
  readonly request: unknown;
}

export interface CommandResult {
  readonly streamId: string;
  /** Global position of the command's last event. */
  readonly globalPosition: bigint;
  /** False when this was a repeat of an already executed command. */
  readonly appended: boolean;
}

export interface HandleCommandOptions {
  /** How often to re-decide on fresh state after losing a race. */
  readonly maxAttempts?: number;
}

/** Current schema version of each event type this command may emit (default 1). */
export type SchemaVersions = Readonly<Record<string, number>>;

/**
 * Runs one command against one stream: read, check idempotency, fold, decide, append with the
 * revision that was read. A lost race re-decides on fresh state; a repeated command (same type
 * and id) with the same body answers as the first time and appends nothing, with another body it
 * is an IdempotencyConflictError.
 */
export async function handleCommand<C, E extends DomainEvent, S>(
  store: EventStore,
  streamId: string,
  decider: Decider<C, E, S>,
  command: C,
  context: CommandContext,
  schemaVersions: SchemaVersions = {},
  options: HandleCommandOptions = {},
): Promise<CommandResult> {
  const requestHash = sha256Hex(canonicalJson(context.request));
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const history = await store.readStream(streamId);
    const repeat = findPreviousExecution(history, context);
    if (repeat) {
      if (repeat.metadata.requestHash !== requestHash) {
        throw new IdempotencyConflictError(context.commandType, context.commandId);
      }
      return { streamId, globalPosition: repeat.globalPosition, appended: false };
    }
    const state = foldStream(decider, history);
    const decided = decider.decide(command, state);
    const metadata: EventMetadata = {
      actor: context.actor,
      commandId: context.commandId,
      commandType: context.commandType,
      correlationId: context.correlationId,
      causationId: context.causationId,
      requestHash,
    };
    const events: NewEvent[] = decided.map((event, index) => ({
      id: deterministicUuid(context.commandType, context.commandId, String(index)),
      type: event.type,
      schemaVersion: schemaVersions[event.type] ?? 1,
      data: event.data,
      metadata,
      occurredAt: event.occurredAt,
    }));
    const last = history[history.length - 1];
    try {
      const result = await store.appendToStream(streamId, events, {
        expectedRevision: last ? last.streamRevision : 'no_stream',
      });
      if (!result.appended) {
        // The store found these event ids stored already: a concurrent run of the same command
        // (same type and id, hence the same ids) appended first, after our read. It is a repeat
        // only if it had our body; else the same id with another body.
        const earlier = findPreviousExecution(await store.readStream(streamId), context);
        if (earlier && earlier.metadata.requestHash !== requestHash) {
          throw new IdempotencyConflictError(context.commandType, context.commandId);
        }
      }
      return { streamId, globalPosition: result.globalPosition, appended: result.appended };
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) continue;
      throw error;
    }
  }
  throw new ConcurrencyConflictError(streamId);
}

/** The newest event written by an earlier run of the same command, if any. */
function findPreviousExecution(history: readonly StoredEvent[], context: CommandContext): StoredEvent | undefined {
  let found: StoredEvent | undefined;
  for (const event of history) {
    if (event.metadata.commandType === context.commandType && event.metadata.commandId === context.commandId) {
      found = event;
    }
  }
  return found;
}

export function foldStream<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, history: readonly StoredEvent[]): S {
  let state = decider.initialState();
  for (const event of history) {
    state = decider.evolve(state, {
      type: event.type,
      data: event.data,
      occurredAt: event.occurredAt,
    } as E);
  }
  return state;
}
