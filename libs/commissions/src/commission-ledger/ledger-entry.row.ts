import { toSafeNumber } from '../../../shared-kernel/src/money';
import type { LedgerEntryDto } from './ledger.response.dto';

/** The columns of a ledger entry as every reader selects them (bigints and uuids as text). */
export const LEDGER_ENTRY_COLUMNS = `entry_id::text AS entry_id, salesperson_id, type, amount::text AS amount, currency,
  period, original_period, order_id, source_event_id::text AS source_event_id,
  source_position::text AS source_position, occurred_at, recorded_at, explanation`;

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
  };
}
