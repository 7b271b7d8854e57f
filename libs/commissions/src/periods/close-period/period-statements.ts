import type { DataSource } from 'typeorm';
import { formatLogPosition, START } from '../../../../eventsourcing/src/event';
import { canonicalJson, sha256Hex } from '../../../../eventsourcing/src/ids';
import { toSafeNumber } from '../../../../shared-kernel/src/money';
import type { PeriodStatement } from '../../contracts/commissions.events';

/**
 * Anything that runs SQL: a DataSource, or an EntityManager (inside a transaction, or one whose
 * search_path points at another schema: the SQL here is deliberately unqualified).
 */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Every salesperson's statement for a period, from the ledger read model, salespeople in id
 * order. The digest of each is SHA-256 over the canonical JSON (sorted keys) of the period's
 * entries in ledger order, each as {entryId, type, amount (string), currency, period,
 * originalPeriod, sourceEventId}.
 */
export async function periodStatements(db: Queryable, period: string): Promise<PeriodStatement[]> {
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

/**
 * The digest of a whole period: SHA-256 (hex) over the canonical JSON of its statements as
 * `periodStatements` gives them (salespeople in id order, each with its totals and the digest of
 * its entries).
 */
export function periodDigest(statements: readonly PeriodStatement[]): string {
  return sha256Hex(canonicalJson(statements));
}

/** Periods before `period` with any ledger entry. */
export async function earlierPeriodsWithActivity(db: Queryable, period: string): Promise<string[]> {
  const rows = (await db.query('SELECT DISTINCT period FROM ledger_entries WHERE period < $1 ORDER BY period', [
    period,
  ])) as Array<{
    period: string;
  }>;
  return rows.map((r) => r.period);
}

/** What closing a period records, all read from one snapshot of the ledger. */
export interface CloseSnapshot {
  readonly statements: PeriodStatement[];
  readonly earlierPeriodsWithActivity: string[];
  /** The ledger checkpoint's global position (display), null before the ledger applied anything. */
  readonly throughPosition: string | null;
  /** The ledger checkpoint's log position, `major/minor` (`-1/-1` before the ledger applied anything). */
  readonly throughLogPosition: string;
}

/**
 * Reads the statements of `period` and the ledger's checkpoint in ONE `REPEATABLE READ`
 * transaction: the projection runner commits ledger rows and checkpoint together, so the
 * statements reflect exactly the events at or before `throughLogPosition`, however many batches
 * the ledger commits meanwhile. The ledger reposts whatever it applies later (see
 * commission-ledger.projection.ts, PeriodClosed).
 */
export async function closeSnapshot(db: DataSource, period: string): Promise<CloseSnapshot> {
  return db.transaction('REPEATABLE READ', async (manager) => {
    // The snapshot is taken at the first query: read the checkpoint first, then the ledger.
    const through = (await manager.query(
      `SELECT position, global_position::text AS global_position
         FROM projection_checkpoints WHERE name = 'commission-ledger'`,
    )) as Array<{ position: string; global_position: string | null }>;
    const row = through[0];
    return {
      statements: await periodStatements(manager, period),
      earlierPeriodsWithActivity: await earlierPeriodsWithActivity(manager, period),
      throughPosition: row?.global_position ?? null,
      // No checkpoint yet: the ledger applied nothing, so everything it applies later is after it.
      throughLogPosition: row?.position ?? formatLogPosition(START),
    };
  });
}
