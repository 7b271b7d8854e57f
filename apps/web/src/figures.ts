/**
 * The overview's arithmetic, free of the DOM: scopes, the sums of dashboard rows per currency and
 * the ratios derived from them (exact, in BigInt).
 */
import { ratioBps } from './format';
import type { DashboardGroupBy, DashboardRow } from './types';

export type ScopeKind = 'company' | DashboardGroupBy;

export interface Scope {
  readonly kind: ScopeKind;
  /** The team, salesperson or business unit; null for the company. */
  readonly key: string | null;
}

/** The figures of a scope in one currency. Amounts are minor units (BigInt: sums stay exact). */
export interface Totals {
  readonly currency: string;
  readonly target: bigint | null;
  readonly achieved: bigint;
  readonly attainmentBps: bigint | null;
  readonly collected: bigint;
  readonly collectionRateBps: bigint | null;
  readonly outstanding: bigint;
  readonly overdue: bigint;
  readonly commissionEarned: bigint;
  readonly clawedBack: bigint;
  readonly sellIn: bigint;
}

/**
 * Sums rows per currency. attainment = floor(achieved × 10000 / target) (domain.md §5, null
 * without a target); collection rate = collected ÷ (collected + outstanding), floored to a basis
 * point (null when both are 0).
 */
export function totalsOf(rows: readonly DashboardRow[]): Totals[] {
  const byCurrency = new Map<string, DashboardRow[]>();
  for (const row of rows) byCurrency.set(row.currency, [...(byCurrency.get(row.currency) ?? []), row]);
  return [...byCurrency.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, group]) => {
      const sum = (pick: (r: DashboardRow) => number) => group.reduce((s, r) => s + BigInt(pick(r)), 0n);
      const targets = group.filter((r) => r.target !== null);
      const target = targets.length === 0 ? null : targets.reduce((s, r) => s + BigInt(r.target ?? 0), 0n);
      const achieved = sum((r) => r.achieved);
      const collected = sum((r) => r.collected);
      const outstanding = sum((r) => r.outstanding);
      const only = group.length === 1 ? group[0] : undefined;
      return {
        currency,
        target,
        achieved,
        // One row: the API's own figure; several: the same formula over the sums.
        attainmentBps: only
          ? only.attainmentBps === null
            ? null
            : BigInt(only.attainmentBps)
          : target === null
            ? null
            : ratioBps(achieved, target),
        collected,
        collectionRateBps: ratioBps(collected, collected + outstanding),
        outstanding,
        overdue: sum((r) => r.overdue),
        commissionEarned: sum((r) => r.commissionEarned),
        clawedBack: sum((r) => r.clawedBack),
        sellIn: sum((r) => r.sellIn ?? 0),
      };
    });
}

/** The rows of a scope in the answer grouped by its kind (the company: every row). */
export function rowsInScope(rows: readonly DashboardRow[], scope: Scope): DashboardRow[] {
  return scope.kind === 'company' ? [...rows] : rows.filter((r) => r.key === scope.key);
}

export function parseScope(value: string | null): Scope | null {
  if (!value || value === 'company') return value === 'company' ? { kind: 'company', key: null } : null;
  const colon = value.indexOf(':');
  const kind = value.slice(0, colon);
  const key = value.slice(colon + 1);
  if (colon < 0 || key === '') return null;
  if (kind === 'team' || kind === 'salesperson' || kind === 'businessUnit') return { kind, key };
  return null;
}

export function scopeParam(scope: Scope): string {
  return scope.kind === 'company' ? 'company' : `${scope.kind}:${scope.key ?? ''}`;
}

/** The last instant of a period, or null when the period has not ended yet (the server uses now). */
export function receivablesAsOf(period: string, now = new Date()): string | null {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const end = new Date(Date.UTC(y, m, 1) - 1);
  return end < now ? end.toISOString() : null;
}

/** `map` with at most `limit` calls in flight, answers in input order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await f(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
