/**
 * Money, percentages and dates for people. Amounts arrive as integer minor units (api.md); they are
 * turned into exact decimal strings with integer string math and handed to Intl.NumberFormat as
 * strings, so no float division ever rounds a figure. The number of minor units comes from the
 * currency itself (JPY 0, USD 2, BHD 3).
 */

/** The reader's locale: the browser's first language (a test may pin it). */
export function userLocale(): string {
  return (typeof navigator !== 'undefined' && navigator.language) || 'en-US';
}

const currencyFormats = new Map<string, Intl.NumberFormat>();

function currencyFormat(currency: string, locale: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = currencyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    currencyFormats.set(key, format);
  }
  return format;
}

/** How many minor units the currency has (its ISO 4217 exponent, as Intl knows it). */
export function minorUnitDigits(currency: string, locale = userLocale()): number {
  return currencyFormat(currency, locale).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * An integer scaled down by 10^digits as an exact decimal string: (123456, 2) → "1234.56",
 * (-5, 3) → "-0.005", (7, 0) → "7". Works on any integer (number or bigint) without float math.
 */
export function scaledDecimal(value: number | bigint, digits: number): `${number}` {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new RangeError(`not an integer amount: ${value}`);
  }
  const negative = value < 0;
  const magnitude = (negative ? -BigInt(value) : BigInt(value)).toString();
  if (digits <= 0) return `${negative ? '-' : ''}${magnitude}` as `${number}`;
  const padded = magnitude.padStart(digits + 1, '0');
  const whole = padded.slice(0, padded.length - digits);
  const fraction = padded.slice(padded.length - digits);
  return `${negative ? '-' : ''}${whole}.${fraction}` as `${number}`;
}

/** Minor units of `currency` as the reader writes money: formatMoney(123456, 'USD', 'en-US') → "$1,234.56". */
export function formatMoney(minor: number | bigint, currency: string, locale = userLocale()): string {
  return currencyFormat(currency, locale).format(scaledDecimal(minor, minorUnitDigits(currency, locale)));
}

/** Minor units as a plain number of major units (for chart axes only, where float is fine). */
export function toMajor(minor: number, currency: string, locale = userLocale()): number {
  return Number(scaledDecimal(minor, minorUnitDigits(currency, locale)));
}

/** Basis points as a percentage: formatBps(9305) → "93.05%". Null (no target) → "—". */
export function formatBps(bps: number | bigint | null, locale = userLocale()): string {
  if (bps === null) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
    scaledDecimal(bps, 4),
  );
}

/** floor(numerator × 10000 / denominator) in BigInt, null when the denominator is 0 (or less). */
export function ratioBps(numerator: bigint, denominator: bigint): bigint | null {
  if (denominator <= 0n) return null;
  const product = numerator * 10000n;
  const quotient = product / denominator;
  // BigInt division truncates toward zero: floor for a negative numerator.
  return product < 0n && product % denominator !== 0n ? quotient - 1n : quotient;
}

export function formatInteger(value: number, locale = userLocale()): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** An instant as a date and time in the reader's locale and time zone, UTC as the tooltip. */
export function formatInstant(iso: string, locale = userLocale()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** A calendar date `YYYY-MM-DD` (no time zone shift). */
export function formatDate(date: string, locale = userLocale()): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  const utc = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(utc);
}

/** A period `YYYY-MM` as "Oct 2026". */
export function formatPeriod(period: string, locale = userLocale()): string {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  if (!match) return period;
  const utc = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
  return new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(utc);
}

/** The current month `YYYY-MM` (UTC, as the API's periods). */
export function currentPeriod(now = new Date()): string {
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The n periods ending at `period`, oldest first: lastPeriods('2026-02', 3) → 2025-12, 2026-01, 2026-02. */
export function lastPeriods(period: string, n: number): string[] {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const index = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

export function isPeriod(value: string | null | undefined): value is string {
  return typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

/** Status codes as words: PARTIALLY_PAID → "Partially paid". */
export function humanize(code: string): string {
  const words = code.replace(/_/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
