/**
 * The cursors of the global event feed. A cursor is opaque to clients: base64url of `c1:<major>/<minor>`,
 * the `LogPosition` of the last event considered (the same wrapping as pagination.ts's cursors, so
 * every cursor of the API looks alike). `GET /api/v1/events` answers one as `nextCursor` and the SSE
 * stream sends one as each event's `id:`; either resumes the feed strictly after that position.
 */
import { formatLogPosition, type LogPosition, parseLogPosition } from '../../eventsourcing/src/event';
import { encodeCursor } from '../../platform/src/http/pagination';
import { ValidationFailedException } from '../../platform/src/http/problem';

/** Positions are 64-bit on both stores; larger numbers could only fail in the store (500). */
const MAX_POSITION = 9_223_372_036_854_775_807n;

export function encodePositionCursor(position: LogPosition): string {
  return encodeCursor(formatLogPosition(position));
}

/** The position a cursor encodes; undefined when absent or empty (the start of the log); else 400. */
export function decodePositionCursor(value: unknown, field: string): LogPosition | undefined {
  if (value === undefined || value === '') return undefined;
  const decoded =
    typeof value === 'string' && /^[A-Za-z0-9_-]{1,400}$/.test(value)
      ? Buffer.from(value, 'base64url').toString('utf8')
      : '';
  const position = decoded.startsWith('c1:') ? parseLogPosition(decoded.slice(3)) : null;
  if (!position || position.major > MAX_POSITION || position.minor > MAX_POSITION) {
    throw new ValidationFailedException([
      { field, message: `${field} must be a cursor given by this feed (a nextCursor or an event's SSE id)` },
    ]);
  }
  return position;
}

const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/;
export const MAX_EVENT_TYPES = 100;

/**
 * `types=SaleBooked,PaymentReceived`: a comma-separated list of event types (repeating the
 * parameter is accepted too); absent or empty: every type. Duplicates are dropped.
 */
export function parseEventTypes(value: unknown): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  const parts = Array.isArray(value) ? value : [value];
  if (!parts.every((p): p is string => typeof p === 'string')) throw badTypes();
  const types = parts.flatMap((p) => p.split(',')).map((t) => t.trim());
  if (types.length > MAX_EVENT_TYPES || types.some((t) => !EVENT_TYPE.test(t))) throw badTypes();
  return [...new Set(types)];
}

function badTypes(): ValidationFailedException {
  return new ValidationFailedException([
    {
      field: 'types',
      message: `types must be a comma-separated list of at most ${MAX_EVENT_TYPES} event types (letters, digits, _ . : -)`,
    },
  ]);
}

/** A query parameter that must appear at most once. */
export function singleParam(value: unknown, field: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new ValidationFailedException([{ field, message: `${field} must be given at most once` }]);
}

const CATEGORY = /^[A-Za-z0-9_.:]{1,100}$/;

/**
 * `categories=order,commission`: stream categories (the part of a stream id before its first '-',
 * e.g. `order` for `order-42`); absent or empty: every stream. Duplicates are dropped.
 */
export function parseCategories(value: unknown): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  const parts = Array.isArray(value) ? value : [value];
  const bad = new ValidationFailedException([
    {
      field: 'categories',
      message: `categories must be a comma-separated list of at most ${MAX_EVENT_TYPES} stream categories (letters, digits, _ . :)`,
    },
  ]);
  if (!parts.every((p): p is string => typeof p === 'string')) throw bad;
  const categories = parts.flatMap((p) => p.split(',')).map((c) => c.trim());
  if (categories.length > MAX_EVENT_TYPES || categories.some((c) => !CATEGORY.test(c))) throw bad;
  return [...new Set(categories)];
}
