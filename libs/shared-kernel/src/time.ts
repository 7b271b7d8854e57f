/** Business-time helpers (domain.md §1): UTC dates, periods as `YYYY-MM`. */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isValidDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(`${text}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

export function isValidPeriod(text: string): boolean {
  return PERIOD.test(text);
}

/** The UTC calendar date of an instant: `YYYY-MM-DD`. */
export function utcDate(instant: string): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/** The period (UTC month) of an instant or date. */
export function periodOf(instantOrDate: string): string {
  return utcDate(instantOrDate.length === 10 ? `${instantOrDate}T00:00:00.000Z` : instantOrDate).slice(0, 7);
}

/** Days between two instants or dates: the difference of their UTC calendar dates. */
export function daysBetween(from: string, to: string): number {
  const a = Date.parse(`${utcDate(from.length === 10 ? `${from}T00:00:00.000Z` : from)}T00:00:00.000Z`);
  const b = Date.parse(`${utcDate(to.length === 10 ? `${to}T00:00:00.000Z` : to)}T00:00:00.000Z`);
  return Math.round((b - a) / 86_400_000);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Normalises an ISO-8601 instant to `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export function normaliseInstant(text: string): string {
  return new Date(text).toISOString();
}

export function previousPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
