import { toSafeNumber } from '../../../shared-kernel/src/money';
import type { LedgerEntryDto } from './ledger.response.dto';

/** The columns of a ledger entry as every reader selects them (bigints and uuids as text). */
export const LEDGER_ENTRY_COLUMNS = `entry_id::text AS entry_id, salesperson_id, type, amount::text AS amount, currency,
  period, original_period, order_id, source_event_id::text AS source_event_id,
  source_position::text AS source_position, occurred_at, recorded_at, explanation, reposted_from, reposted_at,
  held::text AS held, to_char(release_on, 'YYYY-MM-DD') AS release_on`;

/**
 * True for an entry a period close moved after `knownAt` (a SQL timestamptz expression, NULL for
 * "everything known"): as known then, it was still in `reposted_from`.
 */
const movedAfter = (knownAt: string, table = 'ledger_entries') => `(${table}.reposted_at > ${knownAt})`;

/**
 * The period an entry was in as known at `knownAt` (a SQL timestamptz expression, NULL for now),
 * for WHERE clauses on ledger_entries (`table`: its name or alias in the query).
 */
export function ledgerPeriodAsKnownAt(knownAt: string, table = 'ledger_entries'): string {
  return `(CASE WHEN ${movedAfter(knownAt, table)} THEN ${table}.reposted_from ELSE ${table}.period END)`;
}

/**
 * LEDGER_ENTRY_COLUMNS as known at `knownAt` (a SQL timestamptz expression, NULL for now): an
 * entry reposted later shows where it was before, with the originalPeriod it had then (none when
 * it was posted to its own business period), no repostedFrom/repostedAt, and no repostedByEventId
 * in its explanation.
 */
export function ledgerEntryColumnsAsKnownAt(knownAt: string): string {
  const moved = movedAfter(knownAt);
  return `ledger_entries.entry_id::text AS entry_id, ledger_entries.salesperson_id, ledger_entries.type,
  ledger_entries.amount::text AS amount, ledger_entries.currency,
  ${ledgerPeriodAsKnownAt(knownAt)} AS period,
  (CASE WHEN ${moved} THEN nullif(ledger_entries.original_period, ledger_entries.reposted_from)
        ELSE ledger_entries.original_period END) AS original_period,
  ledger_entries.order_id, ledger_entries.source_event_id::text AS source_event_id,
  ledger_entries.source_position::text AS source_position, ledger_entries.occurred_at, ledger_entries.recorded_at,
  (CASE WHEN ${moved} THEN ledger_entries.explanation - 'repostedByEventId'
        ELSE ledger_entries.explanation END) AS explanation,
  (CASE WHEN ${moved} THEN NULL ELSE ledger_entries.reposted_from END) AS reposted_from,
  (CASE WHEN ${moved} THEN NULL ELSE ledger_entries.reposted_at END) AS reposted_at,
  ledger_entries.held::text AS held, to_char(ledger_entries.release_on, 'YYYY-MM-DD') AS release_on`;
}

export interface LedgerEntryRow {
  entry_id: string;
  salesperson_id: string;
  type: string;
  amount: string;
  currency: string;
  period: string;
  original_period: string | null;
  order_id: string | null;
  source_event_id: string;
  source_position: string;
  occurred_at: Date;
  recorded_at: Date;
  explanation: LedgerEntryDto['explanation'];
  /** Absent when a reader selects its own columns: read as null. */
  reposted_from?: string | null;
  reposted_at?: Date | null;
  /** Holdbacks (absent when a reader selects its own columns: read as 0 and null). */
  held?: string;
  release_on?: string | null;
}

export function toLedgerEntryDto(row: LedgerEntryRow): LedgerEntryDto {
  return {
    entryId: row.entry_id,
    salespersonId: row.salesperson_id,
    type: row.type,
    amount: toSafeNumber(BigInt(row.amount)),
    currency: row.currency,
    period: row.period,
    originalPeriod: row.original_period,
    orderId: row.order_id,
    sourceEventId: row.source_event_id,
    sourcePosition: row.source_position,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    explanation: row.explanation,
    repostedFrom: row.reposted_from ?? null,
    repostedAt: row.reposted_at ? row.reposted_at.toISOString() : null,
    held: toSafeNumber(BigInt(row.held ?? '0')),
    releaseOn: row.release_on ?? null,
  };
}
