import { isValidPeriod } from '../../../shared-kernel/src/time';
import { ValidationFailedException } from './problem';

/** `period=YYYY-MM`; omitted: the current UTC month. */
export function parsePeriod(value: string | undefined, field = 'period'): string {
  if (value === undefined || value === '') return new Date().toISOString().slice(0, 7);
  if (typeof value !== 'string' || !isValidPeriod(value)) {
    throw new ValidationFailedException([{ field, message: `${field} must be a month YYYY-MM` }]);
  }
  return value;
}

/** An optional ISO-8601 instant (`asOf`, `knownAt`). */
export function parseInstant(value: string | undefined, field: string): Date | null {
  if (value === undefined || value === '') return null;
  const t =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value)
      ? Date.parse(value)
      : NaN;
  if (Number.isNaN(t)) {
    throw new ValidationFailedException([{ field, message: `${field} must be an ISO-8601 instant or date` }]);
  }
  return new Date(t);
}

/** `groupBy=…` and the like: one of `allowed`; omitted or empty: `fallback`. */
export function parseOneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  field: string,
  fallback: T,
): T {
  if (value === undefined || value === '') return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ValidationFailedException([{ field, message: `${field} must be one of ${allowed.join(', ')}` }]);
  }
  return value as T;
}
