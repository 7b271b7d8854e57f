/**
 * The event log of a running system as tests read it: the whole log in global order, and the pure
 * ledger projection of a log in the shape of the ledger_entries read model (to compare the two).
 */
import type { DataSource } from 'typeorm';
import {
  InMemoryLedgerView,
  type LedgerEntry,
  projectLedger,
} from '../../libs/commissions/src/commission-ledger/commission-ledger.projection';
import { type LogPosition, START, type StoredEvent } from '../../libs/eventsourcing/src/event';
import type { EventStore } from '../../libs/eventsourcing/src/event-store.port';

/** The whole log, in global order. */
export async function allEvents(store: EventStore): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let after: LogPosition = START;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000 });
    out.push(...page.events);
    after = page.lastPosition;
    if (page.isEnd || page.events.length === 0) return out;
  }
}

/**
 * The whole log once every committed event is visible to `readAll`, which reads only below the
 * oldest transaction still open (so that no event is ever skipped): after a burst of writes it
 * may, for a moment, end before the last committed events. Waits until it gives as many events as
 * es_events holds.
 */
export async function allCommittedEvents(
  store: EventStore,
  dataSource: DataSource,
  timeoutMs = 30_000,
): Promise<StoredEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = (await dataSource.query('SELECT count(*)::int AS n FROM es_events')) as Array<{ n: number }>;
    const events = await allEvents(store);
    if (events.length === row?.n) return events;
    if (Date.now() > deadline) throw new Error(`readAll gave ${events.length} of ${row?.n} committed events`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A ledger entry as a row of ledger_entries (amounts and positions as text). */
export interface LedgerRow {
  readonly entry_id: string;
  readonly salesperson_id: string;
  readonly type: string;
  readonly amount: string;
  readonly period: string;
  readonly order_id: string | null;
  readonly source_position: string;
}

/** The pure ledger projection (`projectLedger`) of a log, as rows of ledger_entries in their order. */
export function pureLedgerRows(events: readonly StoredEvent[]): LedgerRow[] {
  const view = new InMemoryLedgerView();
  const entries: LedgerEntry[] = [];
  for (const event of events) {
    for (const change of projectLedger(view, event)) {
      view.apply(change);
      if (change.kind === 'entry') entries.push(change.entry);
    }
  }
  return entries.map((e) => ({
    entry_id: e.entryId,
    salesperson_id: e.salespersonId,
    type: e.type,
    amount: e.amount.toString(),
    period: e.period,
    order_id: e.orderId,
    source_position: e.sourcePosition.toString(),
  }));
}

/** The ledger_entries read model, in its order, as `pureLedgerRows` shapes them. */
export async function ledgerRows(dataSource: DataSource): Promise<LedgerRow[]> {
  return (await dataSource.query(
    `SELECT entry_id, salesperson_id, type, amount::text AS amount, period, order_id,
            source_position::text AS source_position
       FROM ledger_entries ORDER BY seq`,
  )) as LedgerRow[];
}
