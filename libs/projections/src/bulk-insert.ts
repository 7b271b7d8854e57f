import type { EntityManager } from 'typeorm';

/** A column of a multi-row write: its name and the PostgreSQL type its values are cast from. */
export interface BulkColumn {
  readonly name: string;
  readonly type: 'text' | 'uuid' | 'bigint' | 'numeric' | 'integer' | 'timestamptz' | 'date' | 'jsonb' | 'boolean';
}

/** Rows per statement: one array parameter per column, so no limit on bind parameters applies. */
const ROWS_PER_STATEMENT = 5000;

/**
 * Inserts rows with one statement per 5,000 rows instead of one per row:
 * `INSERT INTO t (…) SELECT … FROM unnest($1::type[], …) WITH ORDINALITY ORDER BY ordinality`,
 * so serial columns follow the order of `rows` exactly as single inserts would. `suffix` is
 * appended verbatim (e.g. `ON CONFLICT (…) DO NOTHING`). Values: strings, numbers, bigints,
 * booleans or null; jsonb values are given as JSON text.
 */
export async function insertRows(
  manager: EntityManager,
  table: string,
  columns: readonly BulkColumn[],
  rows: ReadonlyArray<readonly unknown[]>,
  suffix = '',
): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const params = columns.map((_, i) =>
      chunk.map((row) => {
        const v = row[i];
        return typeof v === 'bigint' ? v.toString() : v;
      }),
    );
    const names = columns.map((c) => c.name).join(', ');
    const arrays = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
    const aliases = columns.map((_, i) => `c${i}`).join(', ');
    await manager.query(
      `INSERT INTO ${table} (${names})
       SELECT ${aliases} FROM unnest(${arrays}) WITH ORDINALITY AS u(${aliases}, ord) ORDER BY ord ${suffix}`,
      params,
    );
  }
}
