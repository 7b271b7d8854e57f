import { ValidationFailedException } from './problem';

/** `limit` (default 100, max 1000) and an opaque `cursor`, as api.md § Queries says. */
export interface PageRequest {
  readonly limit: number;
  /** The sort key after which the page starts, decoded from the cursor. */
  readonly after: string | null;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export function parsePage(limit: string | undefined, cursor: string | undefined): PageRequest {
  let n = 100;
  if (limit !== undefined && limit !== '') {
    n = /^\d{1,4}$/.test(limit) ? Number(limit) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 1000) {
      throw new ValidationFailedException([{ field: 'limit', message: 'limit must be an integer from 1 to 1000' }]);
    }
  }
  let after: string | null = null;
  if (cursor !== undefined && cursor !== '') {
    const decoded = /^[A-Za-z0-9_-]{1,400}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
    if (!decoded.startsWith('c1:')) {
      throw new ValidationFailedException([
        { field: 'cursor', message: 'cursor must be a nextCursor from a previous page' },
      ]);
    }
    after = decoded.slice(3);
  }
  return { limit: n, after };
}

export function encodeCursor(key: string): string {
  return Buffer.from(`c1:${key}`, 'utf8').toString('base64url');
}

/** Fetch limit + 1 rows; this trims the extra one and makes the cursor from the last kept row. */
export function toPage<R, T>(
  rows: readonly R[],
  page: PageRequest,
  keyOf: (row: R) => string,
  map: (row: R) => T,
): Page<T> {
  const kept = rows.slice(0, page.limit);
  const last = kept[kept.length - 1];
  return {
    items: kept.map(map),
    nextCursor: rows.length > page.limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
