import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What every log line of one HTTP request carries. */
export interface LogContext {
  readonly correlationId: string;
}

/**
 * A client's `X-Correlation-Id` is kept when it is a sane token: 1 to 100 characters of
 * `A-Z a-z 0-9 _ . : -` (a UUID, a ULID, `trace-42`...). Anything else (too long, spaces, quotes,
 * newlines, several values) is replaced by a new UUID, so a log line or a header can never be forged
 * through it.
 */
export const CORRELATION_ID = /^[A-Za-z0-9_.:-]{1,100}$/;

export const CORRELATION_HEADER = 'x-correlation-id';

/** The header's value when it is a sane token, else null. */
export function parseCorrelationId(header: string | readonly string[] | undefined | null): string | null {
  if (typeof header !== 'string') return null;
  return CORRELATION_ID.test(header) ? header : null;
}

export function newCorrelationId(): string {
  return randomUUID();
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `context` visible to every log line written under it (AsyncLocalStorage). */
export function runWithLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The context of the request being served, if any. */
export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}
