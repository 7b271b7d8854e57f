import { canonicalJson } from '../../../eventsourcing/src/ids';
import type { Projector, ReplayTable } from '../projector';
import { ident, LIVE_SCHEMA, type Queryable, serialColumns } from './shadow-schema';

/**
 * One row that differs between a rebuilt copy and the live read model:
 * `missing` from the live table, `unexpected` in it, or `changed` (same key, other values).
 */
export interface RowDifference {
  readonly projection: string;
  readonly table: string;
  readonly kind: 'missing' | 'unexpected' | 'changed';
  readonly key: Readonly<Record<string, unknown>> | null;
  readonly live: unknown;
  readonly rebuilt: unknown;
}

export interface TableComparison {
  /** Rows of the period in the rebuilt tables, plus live rows with no rebuilt twin. */
  readonly rowsCompared: number;
  readonly differences: RowDifference[];
}

type Row = Record<string, unknown>;

async function periodRows(db: Queryable, spec: ReplayTable, ignore: readonly string[], period: string): Promise<Row[]> {
  const result = spec.periodFilter
    ? await db.query(`SELECT to_jsonb(t) - $2::text[] AS row FROM ${ident(spec.table)} t WHERE ${spec.periodFilter}`, [
        period,
        ignore,
      ])
    : await db.query(`SELECT to_jsonb(t) - $1::text[] AS row FROM ${ident(spec.table)} t`, [ignore]);
  return (result as Array<{ row: Row }>).map((r) => r.row);
}

function countByContent(rows: readonly Row[]): Map<string, { row: Row; n: number }> {
  const map = new Map<string, { row: Row; n: number }>();
  for (const row of rows) {
    const text = canonicalJson(row);
    const seen = map.get(text);
    if (seen) seen.n++;
    else map.set(text, { row, n: 1 });
  }
  return map;
}

/**
 * Compares a projection's rows for a period: `live` reads the live tables, `rebuilt` the copies
 * (both by plain table names: the caller sets each one's search_path). Rows are compared by
 * content as a multiset, serial columns left out; with a key, a missing and an unexpected row of
 * the same key are reported as one `changed` row.
 */
export async function compareProjectionTables(
  projector: Projector,
  period: string,
  live: Queryable,
  rebuilt: Queryable,
  /** Serial columns by table, kept across calls (a replay compares many periods). */
  serials: Map<string, readonly string[]> = new Map(),
): Promise<TableComparison> {
  let rowsCompared = 0;
  const differences: RowDifference[] = [];
  for (const table of projector.tables) {
    const spec = projector.replayScope?.find((t) => t.table === table) ?? { table };
    let ignore = serials.get(table);
    if (!ignore) {
      ignore = (await serialColumns(live, LIVE_SCHEMA, table)).map((c) => c.column);
      serials.set(table, ignore);
    }
    const liveRows = countByContent(await periodRows(live, spec, ignore, period));
    const rebuiltRows = countByContent(await periodRows(rebuilt, spec, ignore, period));
    const missing: Row[] = [];
    const unexpected: Row[] = [];
    for (const [text, { row, n }] of rebuiltRows) {
      rowsCompared += n;
      const twin = liveRows.get(text)?.n ?? 0;
      for (let i = twin; i < n; i++) missing.push(row);
    }
    for (const [text, { row, n }] of liveRows) {
      const twin = rebuiltRows.get(text)?.n ?? 0;
      for (let i = twin; i < n; i++) unexpected.push(row);
      rowsCompared += Math.max(0, n - twin);
    }
    const keyOf = (row: Row) => (spec.key ? Object.fromEntries(spec.key.map((k) => [k, row[k] ?? null])) : null);
    const keyText = (row: Row) => canonicalJson(keyOf(row));
    const unpaired = new Map<string, Row[]>();
    for (const row of unexpected) unpaired.set(keyText(row), [...(unpaired.get(keyText(row)) ?? []), row]);
    for (const row of missing) {
      const candidates = spec.key ? unpaired.get(keyText(row)) : undefined;
      const liveTwin = candidates?.shift();
      differences.push({
        projection: projector.name,
        table,
        kind: liveTwin ? 'changed' : 'missing',
        key: keyOf(row),
        live: liveTwin ?? null,
        rebuilt: row,
      });
    }
    for (const rest of unpaired.values()) {
      for (const row of rest) {
        differences.push({
          projection: projector.name,
          table,
          kind: 'unexpected',
          key: keyOf(row),
          live: row,
          rebuilt: null,
        });
      }
    }
  }
  return { rowsCompared, differences };
}
