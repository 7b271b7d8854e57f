/** UTC calendar arithmetic on `YYYY-MM-DD` dates and `YYYY-MM` periods (no time zones, no clock). */

const DAY_MS = 86_400_000;

export function toDate(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return isoDate(new Date(toDate(date).getTime() + days * DAY_MS));
}

/** Whole calendar days from `a` to `b` (dates or instants: only the UTC date counts). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toDate(b.slice(0, 10)).getTime() - toDate(a.slice(0, 10)).getTime()) / DAY_MS);
}

export function periodOf(dateOrInstant: string): string {
  return dateOrInstant.slice(0, 7);
}

export function nextPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Every period from `first` to `last`, both included. */
export function periodsBetween(first: string, last: string): string[] {
  const periods: string[] = [];
  for (let p = first; p <= last; p = nextPeriod(p)) periods.push(p);
  return periods;
}

export function daysInMonth(period: string): number {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Monday to Friday. */
export function isWeekday(date: string): boolean {
  const day = toDate(date).getUTCDay();
  return day !== 0 && day !== 6;
}

/** `date` at hh:mm:ss UTC, as an ISO instant with a `Z`. */
export function instant(date: string, secondsIntoDay: number): string {
  const s = Math.max(0, Math.min(86_399, Math.floor(secondsIntoDay)));
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${date}T${hh}:${mm}:${ss}Z`;
}
