/** Errors raised by event stores. Domain refusals live beside each domain. */

export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`Stream ${streamId}: expected revision ${expected}, actual ${actual}`);
  }
}

/** Some, but not all, of the appended event ids are already stored: not a clean retry. */
export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';
  constructor(
    readonly streamId: string,
    readonly eventId: string,
  ) {
    super(`Event ${eventId} is already stored and the append is not an exact retry`);
  }
}

/** The store cannot be reached or failed for a reason that is not the caller's. */
export class EventStoreUnavailableError extends Error {
  override readonly name = 'EventStoreUnavailableError';
}
