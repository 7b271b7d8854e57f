/**
 * A decider is the whole behaviour of one kind of stream, as three pure functions:
 * `decide(command, state)` → new events (or throws a typed DomainError),
 * `evolve(state, event)` → next state, and `initialState()`.
 */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  /** Business time of the fact (ISO-8601 UTC). */
  readonly occurredAt: string;
}

export interface Decider<Command, Event extends DomainEvent, State> {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: Event) => State;
  readonly decide: (command: Command, state: State) => readonly Event[];
}

/**
 * A business rule refused the command. `code` is the machine-readable code of the HTTP
 * contract (e.g. `OVERPAYMENT`); the HTTP layer maps it to 422 unless `kind` says otherwise.
 */
export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  constructor(
    readonly code: string,
    message: string,
    readonly kind: 'rule' | 'not_found' | 'conflict' = 'rule',
    /** Figures the client needs to act on the refusal; extension members of the problem details. */
    readonly details?: Readonly<Record<string, string | number | null>>,
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${id} does not exist`, 'not_found');
  }
}

export class IdempotencyConflictError extends DomainError {
  override readonly name = 'IdempotencyConflictError';
  constructor(commandType: string, commandId: string) {
    super('IDEMPOTENCY_CONFLICT', `${commandType} ${commandId} was already executed with a different body`, 'conflict');
  }
}

export class ConcurrencyConflictError extends DomainError {
  override readonly name = 'ConcurrencyConflictError';
  constructor(streamId: string) {
    super('CONCURRENCY_CONFLICT', `Stream ${streamId} kept changing; try again`, 'conflict');
  }
}
