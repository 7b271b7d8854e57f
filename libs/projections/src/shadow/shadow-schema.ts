/**
 * Empty copies of read-model tables in another schema: same columns, defaults, constraints and
 * index names, each serial column with a sequence of its own. Projectors write unqualified table
 * names, so running them with `search_path` set to the copy's schema fills the copy instead of the
 * live tables (replays, what-if, zero-downtime rebuilds).
 */

/** What the helpers below need of a connection: an EntityManager, a DataSource or a pg client. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export const LIVE_SCHEMA = 'public';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Quotes a schema or table name after checking it is a plain lower-case identifier. */
export function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a plain identifier: ${name}`);
  return `"${name}"`;
}

/** `CREATE [UNIQUE] INDEX name ON schema.table USING ...` without its name and schema, to match copies. */
function indexShape(definition: string): string {
  const m = /^(CREATE (?:UNIQUE )?INDEX) (\S+) ON (?:ONLY )?(\S+?)\.(\S+) (.*)$/.exec(definition);
  return m ? `${m[1]} ON ${m[4]} ${m[5]}` : definition;
}

async function rows<T>(db: Queryable, sql: string, parameters: unknown[]): Promise<T[]> {
  return (await db.query(sql, parameters)) as T[];
}

/** Creates `schema` (which must not exist) with empty copies of `tables` from the live schema. */
export async function createShadowTables(db: Queryable, schema: string, tables: readonly string[]): Promise<void> {
  await db.query(`CREATE SCHEMA ${ident(schema)}`);
  for (const table of tables) {
    const live = `${ident(LIVE_SCHEMA)}.${ident(table)}`;
    const copy = `${ident(schema)}.${ident(table)}`;
    await db.query(`CREATE TABLE ${copy} (LIKE ${live} INCLUDING ALL)`);
    // LIKE copies a serial column's default, which still draws from the live sequence: give the
    // copy its own sequence, named like the live one so it keeps its name when promoted.
    const serials = await serialColumns(db, LIVE_SCHEMA, table);
    for (const { column, sequence } of serials) {
      const seq = `${ident(schema)}.${ident(sequence)}`;
      await db.query(`CREATE SEQUENCE ${seq} AS bigint OWNED BY ${copy}.${ident(column)}`);
      await db.query(`ALTER TABLE ${copy} ALTER COLUMN ${ident(column)} SET DEFAULT nextval('${seq}'::regclass)`);
    }
    // LIKE names indexes itself: rename each copy after the live index of the same shape.
    const liveIndexes = await rows<{ indexname: string; indexdef: string }>(
      db,
      'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2',
      [LIVE_SCHEMA, table],
    );
    const copyIndexes = await rows<{ indexname: string; indexdef: string }>(
      db,
      'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2',
      [schema, table],
    );
    for (const index of copyIndexes) {
      const twin = liveIndexes.find((l) => indexShape(l.indexdef) === indexShape(index.indexdef));
      if (twin && twin.indexname !== index.indexname) {
        await db.query(`ALTER INDEX ${ident(schema)}.${ident(index.indexname)} RENAME TO ${ident(twin.indexname)}`);
      }
    }
  }
}

/** The columns of a table that draw from a sequence they own (serial, bigserial, identity). */
export async function serialColumns(
  db: Queryable,
  schema: string,
  table: string,
): Promise<Array<{ column: string; sequence: string }>> {
  return rows<{ column: string; sequence: string }>(
    db,
    `SELECT a.attname AS column, s.relname AS sequence
       FROM pg_attribute a
       JOIN pg_depend d ON d.refobjid = a.attrelid AND d.refobjsubid = a.attnum AND d.classid = 'pg_class'::regclass
       JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [`${ident(schema)}.${ident(table)}`],
  );
}

export async function dropSchema(db: Queryable, schema: string): Promise<void> {
  await db.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
}

/**
 * Replaces the live tables by their copies (inside the caller's transaction, which must hold
 * ACCESS EXCLUSIVE locks on the live tables): drop the live ones, move the copies (with their
 * indexes and sequences) into the live schema. Queries waiting on the old tables find the new
 * ones by name once the transaction commits.
 */
export async function promoteShadowTables(db: Queryable, schema: string, tables: readonly string[]): Promise<void> {
  if (tables.length === 0) return;
  await db.query(`DROP TABLE ${tables.map((t) => `${ident(LIVE_SCHEMA)}.${ident(t)}`).join(', ')}`);
  for (const table of tables) {
    await db.query(`ALTER TABLE ${ident(schema)}.${ident(table)} SET SCHEMA ${ident(LIVE_SCHEMA)}`);
  }
}

/** Runs `fn` with unqualified names resolving to `schema` (and nothing else), then restores the path. */
export async function withSearchPath<T>(db: Queryable, schema: string, fn: () => Promise<T>): Promise<T> {
  const [before] = await rows<{ path: string }>(db, `SELECT current_setting('search_path') AS path`, []);
  await db.query(`SELECT set_config('search_path', $1, true)`, [ident(schema)]);
  try {
    return await fn();
  } finally {
    // After an error the transaction is aborted and rolls back the setting anyway.
    await db.query(`SELECT set_config('search_path', $1, true)`, [before?.path ?? LIVE_SCHEMA]).catch(() => undefined);
  }
}

/**
 * Drops schemas `<prefix>_<yyyymmddhhmmss>_<random>` older than `maxAgeMs`: what a replay or a
 * what-if left behind when its process died (a running one drops its own schema when done).
 */
export async function dropStaleShadowSchemas(
  db: Queryable,
  prefixes: readonly string[],
  maxAgeMs: number,
): Promise<void> {
  const found = await rows<{ nspname: string }>(db, 'SELECT nspname FROM pg_namespace WHERE nspname ~ $1', [
    `^(${prefixes.map((p) => p.replace(/[^a-z0-9]/g, '')).join('|')})_[0-9]{14}_[0-9a-f]+$`,
  ]);
  for (const { nspname } of found) {
    const m = /_(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})_/.exec(nspname);
    if (!m) continue;
    const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
    if (Date.now() - at > maxAgeMs) await dropSchema(db, nspname);
  }
}
