import type { DataSource } from 'typeorm';
import { canonicalJson, sha256Hex } from '../../../../eventsourcing/src/ids';
import { toSafeNumber } from '../../../../shared-kernel/src/money';
import type { PeriodStatement } from '../../contracts/commissions.events';

/**
 * Every salesperson's statement for a period, from the ledger read model. The digest is SHA-256
 * over the canonical JSON (sorted keys) of the period's entries in ledger order, each as
 * {entryId, type, amount (string), currency, period, originalPeriod, sourceEventId}.
 */
export async function periodStatements(db: DataSource, period: string): Promise<PeriodStatement[]> {
  const totals = (await db.query(
    `SELECT salesperson_id,
            coalesce(sum(amount) FILTER (WHERE period < $1), 0)::text AS opening,
            coalesce(sum(amount) FILTER (WHERE period = $1 AND type = 'EARNED'), 0)::text AS earned,
            coalesce(-sum(amount) FILTER (WHERE period = $1 AND type = 'CLAWBACK'), 0)::text AS clawed_back,
            coalesce(sum(amount) FILTER (WHERE period = $1 AND type = 'ADJUSTMENT'), 0)::text AS adjustments,
            coalesce(-sum(amount) FILTER (WHERE period = $1 AND type = 'PAYOUT'), 0)::text AS paid_out,
            count(*) FILTER (WHERE period = $1)::int AS entry_count,
            max(currency) AS currency
       FROM ledger_entries WHERE period <= $1 GROUP BY salesperson_id ORDER BY salesperson_id`,
    [period],
  )) as Array<{
    salesperson_id: string;
    opening: string;
    earned: string;
    clawed_back: string;
    adjustments: string;
    paid_out: string;
    entry_count: number;
    currency: string | null;
  }>;
  const entries = (await db.query(
    `SELECT salesperson_id, entry_id, type, amount::text AS amount, currency, period, original_period, source_event_id
       FROM ledger_entries WHERE period = $1 ORDER BY salesperson_id, seq`,
    [period],
  )) as Array<{
    salesperson_id: string;
    entry_id: string;
    type: string;
    amount: string;
    currency: string;
    period: string;
    original_period: string | null;
    source_event_id: string;
  }>;
  const bySalesperson = new Map<string, DigestEntry[]>();
  for (const e of entries) {
    const list = bySalesperson.get(e.salesperson_id) ?? [];
    list.push({
      entryId: e.entry_id,
      type: e.type,
      amount: e.amount,
      currency: e.currency,
      period: e.period,
      originalPeriod: e.original_period,
      sourceEventId: e.source_event_id,
    });
    bySalesperson.set(e.salesperson_id, list);
  }
  return totals.map((t) => {
    const opening = BigInt(t.opening);
    const earned = BigInt(t.earned);
    const clawedBack = BigInt(t.clawed_back);
    const adjustments = BigInt(t.adjustments);
    const paidOut = BigInt(t.paid_out);
    return {
      salespersonId: t.salesperson_id,
      currency: t.currency,
      opening: toSafeNumber(opening),
      earned: toSafeNumber(earned),
      clawedBack: toSafeNumber(clawedBack),
      adjustments: toSafeNumber(adjustments),
      paidOut: toSafeNumber(paidOut),
      closing: toSafeNumber(opening + earned - clawedBack + adjustments - paidOut),
      entryCount: t.entry_count,
      digest: statementDigest(bySalesperson.get(t.salesperson_id) ?? []),
    };
  });
}

/** An entry as the statement digest covers it. */
export interface DigestEntry {
  readonly entryId: string;
  readonly type: string;
  readonly amount: string | number;
  readonly currency: string;
  readonly period: string;
  readonly originalPeriod: string | null;
  readonly sourceEventId: string;
}

/** SHA-256 of the canonical JSON of a period's entries in ledger order (amounts as strings). */
export function statementDigest(entries: readonly DigestEntry[]): string {
  return sha256Hex(canonicalJson(entries.map((e) => ({ ...e, amount: String(e.amount) }))));
}

/** Periods before `period` with any ledger entry. */
export async function earlierPeriodsWithActivity(db: DataSource, period: string): Promise<string[]> {
  const rows = (await db.query('SELECT DISTINCT period FROM ledger_entries WHERE period < $1 ORDER BY period', [
    period,
  ])) as Array<{
    period: string;
  }>;
  return rows.map((r) => r.period);
}
