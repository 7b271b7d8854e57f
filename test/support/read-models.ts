/**
 * The read models of a running system, as tests compare them: every projector's tables (for "a
 * rebuild gives exactly the incrementally built read models") and "every projection has applied
 * every event of the log exactly once".
 */
import type { DataSource } from 'typeorm';
import type { Projector } from '../../libs/projections/src/projector';

/** The rebuildable projections (the log seals are evidence: never rebuilt). */
export const rebuildableProjections = (projectors: readonly Projector[]): string[] =>
  projectors.filter((p) => p.rebuildable !== false).map((p) => p.name);

/**
 * Every table of every projector, rows in their order (by `seq` where there is one, else by the
 * primary key), without the surrogate `seq`.
 */
export async function readModelSnapshot(
  dataSource: DataSource,
  projectors: readonly Projector[],
): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const projector of projectors) {
    for (const table of projector.tables) {
      const columns = (
        (await dataSource.query(
          `SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
          [table],
        )) as Array<{ column_name: string }>
      ).map((r) => r.column_name);
      const key = (
        (await dataSource.query(
          `SELECT a.attname FROM pg_index i
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
          [table],
        )) as Array<{ attname: string }>
      ).map((r) => r.attname);
      const order = columns.includes('seq') ? ['seq'] : key.length > 0 ? key : columns;
      const shown = columns.filter((col) => col !== 'seq');
      out[`${projector.name}/${table}`] = (await dataSource.query(
        `SELECT ${shown.map((col) => `"${col}"`).join(', ')} FROM "${table}" ORDER BY ${order.map((col) => `"${col}"`).join(', ')}`,
      )) as unknown[];
    }
  }
  return out;
}

/**
 * Until every named projection has applied every event of the log exactly once (a rebuild starts
 * them at 0); throws if one applied more, or after `timeoutMs`.
 */
export async function untilAllApplied(
  dataSource: DataSource,
  names: readonly string[],
  timeoutMs = 30_000,
): Promise<void> {
  const [count] = (await dataSource.query('SELECT count(*)::int AS n FROM es_events')) as Array<{ n: number }>;
  const total = count?.n ?? 0;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = (await dataSource.query(
      'SELECT name, events_applied::int AS n FROM projection_checkpoints WHERE name = ANY($1::text[])',
      [names],
    )) as Array<{ name: string; n: number }>;
    const applied = Object.fromEntries(names.map((name) => [name, rows.find((r) => r.name === name)?.n ?? 0]));
    if (Object.values(applied).some((n) => n > total)) {
      throw new Error(`events applied twice: ${JSON.stringify(applied)} of ${total} events`);
    }
    if (Object.values(applied).every((n) => n === total)) return;
    if (Date.now() > deadline) throw new Error(`not caught up: ${JSON.stringify(applied)} of ${total} events`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
