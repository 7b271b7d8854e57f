/**
 * Least privilege for the database (ADR 0009): the migration role owns the event log and the
 * schema; the app role the servers connect as may read and append events but never change or
 * remove one, and owns the read models (rebuilds drop, create and swap them).
 *
 * `grantAppRole` runs as the migration role after the migrations, at every start, and converges:
 * whatever an earlier version or a superuser tool left behind is put right, and a database that
 * is already right is left alone (apart from re-stating the grants of the event tables).
 */
import { escapeIdentifier } from 'pg';

/** What the helpers below need of a connection: a pg client (or anything with its `query`). */
export interface SqlClient {
  query(sql: string, parameters?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * The tables the migration role keeps, with all the app role may do on each. Nothing else in the
 * public schema belongs to the migration role: every other table is a read model, handed to the
 * app role.
 * - `es_events`: read and append; no UPDATE, DELETE or TRUNCATE (and, not being the owner, the app
 *   cannot disable the append-only triggers, alter or drop the table).
 * - `es_streams`: the stream heads; appends insert a stream's row and move its revision and hash.
 * - `es_log_seals`: the global chain of the log (ADR 0006): read and append only.
 * - `projection_checkpoints`: runners and rebuilds move checkpoints.
 * - `schema_migrations`: read only.
 */
export const OWNER_TABLES: Readonly<Record<string, readonly string[]>> = {
  es_events: ['SELECT', 'INSERT'],
  es_streams: ['SELECT', 'INSERT', 'UPDATE (revision, last_hash)'],
  es_log_seals: ['SELECT', 'INSERT'],
  projection_checkpoints: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  schema_migrations: ['SELECT'],
};

/** Schemas that replays, what-ifs and zero-downtime rebuilds make and drop (the app role owns them). */
export const SHADOW_SCHEMA_PATTERN = '^(rebuild_set|replay|whatif)_';

export interface GrantOutcome {
  readonly migrationRole: string;
  readonly appRole: string;
  /** Relations and schemas whose owner became the app role (read models) or the migration role. */
  readonly transferred: readonly string[];
  /** Things that could not be done and need an administrator (logged by the caller). */
  readonly warnings: readonly string[];
}

const INSUFFICIENT_PRIVILEGE = '42501';

async function rows<T>(db: SqlClient, sql: string, parameters: unknown[] = []): Promise<T[]> {
  return (await db.query(sql, parameters)).rows as T[];
}

/** Runs `sql` in a savepoint; a permission error becomes a warning, anything else is thrown. */
async function attempt(db: SqlClient, sql: string, warnings: string[], why: string): Promise<boolean> {
  await db.query('SAVEPOINT grant_attempt');
  try {
    await db.query(sql);
    await db.query('RELEASE SAVEPOINT grant_attempt');
    return true;
  } catch (error) {
    await db.query('ROLLBACK TO SAVEPOINT grant_attempt');
    if ((error as { code?: string }).code !== INSUFFICIENT_PRIVILEGE) throw error;
    warnings.push(`${why}: ${(error as Error).message}`);
    return false;
  }
}

/** The role a connection logs in as, and whether it is a superuser. */
export async function roleOf(db: SqlClient): Promise<{ role: string; superuser: boolean }> {
  const [row] = await rows<{ role: string; superuser: boolean }>(
    db,
    'SELECT current_user AS role, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user',
  );
  return row!;
}

/**
 * Gives `appRole` what the servers need and nothing more, as the migration role (the connection's
 * user), in one transaction. The migration role must be a member of the app role (to hand it the
 * read models); it grants itself that membership when it may (a superuser or a CREATEROLE role),
 * else this throws with the statement an administrator must run.
 */
export async function grantAppRole(db: SqlClient, appRole: string): Promise<GrantOutcome> {
  const app = escapeIdentifier(appRole);
  const warnings: string[] = [];
  const transferred: string[] = [];
  const me = await roleOf(db);
  if (me.role === appRole) throw new Error('grantAppRole: the app role must not be the migration role');
  const [target] = await rows<{ oid: number; super: boolean }>(
    db,
    'SELECT oid::int AS oid, rolsuper AS super FROM pg_roles WHERE rolname = $1',
    [appRole],
  );
  if (!target) throw new Error(`The database role ${appRole} (of DATABASE_URL) does not exist`);
  if (target.super) warnings.push(`the app role ${appRole} is a superuser: no grant can restrict it`);
  await db.query('BEGIN');
  try {
    const [membership] = await rows<{ member: boolean; owner_member: boolean }>(
      db,
      `SELECT pg_has_role(current_user, $1, 'MEMBER') AS member, pg_has_role($1, current_user, 'MEMBER') AS owner_member`,
      [appRole],
    );
    if (membership!.owner_member && !target.super) {
      throw new Error(
        `The app role ${appRole} is a member of the migration role ${me.role}: it would own the event log. ` +
          `REVOKE ${escapeIdentifier(me.role)} FROM ${app}`,
      );
    }
    if (!membership!.member) {
      const ok = await attempt(db, `GRANT ${app} TO ${escapeIdentifier(me.role)}`, warnings, 'membership');
      if (!ok) {
        throw new Error(
          `The migration role ${me.role} must be a member of the app role ${appRole} to hand it the read-model ` +
            `tables: as an administrator run GRANT ${app} TO ${escapeIdentifier(me.role)}`,
        );
      }
    }
    await attempt(
      db,
      `GRANT CONNECT, TEMPORARY, CREATE ON DATABASE ${escapeIdentifier(await currentDatabase(db))} TO ${app}`,
      warnings,
      'rebuilds and replays create schemas: the app role needs CREATE on the database',
    );
    await attempt(
      db,
      `GRANT USAGE, CREATE ON SCHEMA public TO ${app}`,
      warnings,
      'rebuilds move tables into the public schema: the app role needs CREATE on it',
    );

    // The event log and its companions: owned by the migration role, exactly these privileges.
    const owned = await rows<{ name: string; owner: number }>(
      db,
      `SELECT c.relname AS name, c.relowner::int AS owner FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname = ANY($1::text[])`,
      [Object.keys(OWNER_TABLES)],
    );
    for (const { name, owner } of owned) {
      const table = `public.${escapeIdentifier(name)}`;
      if (owner === target.oid) {
        await db.query(`ALTER TABLE ${table} OWNER TO ${escapeIdentifier(me.role)}`);
        transferred.push(`${name} -> ${me.role}`);
      }
      await db.query(`REVOKE ALL ON TABLE ${table} FROM PUBLIC, ${app}`);
      await db.query(`GRANT ${OWNER_TABLES[name]!.join(', ')} ON TABLE ${table} TO ${app}`);
      const sequences = await rows<{ seq: string }>(
        db,
        `SELECT s.oid::regclass::text AS seq FROM pg_class s
           JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
          WHERE s.relkind = 'S' AND d.refobjid = $1::regclass`,
        [table],
      );
      for (const { seq } of sequences) {
        await db.query(`REVOKE ALL ON SEQUENCE ${seq} FROM PUBLIC, ${app}`);
        if (OWNER_TABLES[name]!.includes('INSERT')) await db.query(`GRANT USAGE ON SEQUENCE ${seq} TO ${app}`);
      }
    }

    // Everything else in public is a read model (or the app's own state): the app role owns it.
    const others = await rows<{ name: string; kind: string; mine: boolean }>(
      db,
      `SELECT c.relname AS name, c.relkind::text AS kind, pg_has_role(current_user, c.relowner, 'USAGE') AS mine
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
          AND c.relname <> ALL($1::text[]) AND c.relowner <> $2::oid
        ORDER BY c.relname`,
      [Object.keys(OWNER_TABLES), target.oid],
    );
    for (const { name, kind, mine } of others) {
      if (!mine) {
        warnings.push(`public.${name} belongs to a role the migration role cannot act for: not handed to ${appRole}`);
        continue;
      }
      const what = kind === 'v' ? 'VIEW' : kind === 'm' ? 'MATERIALIZED VIEW' : 'TABLE';
      await db.query(`ALTER ${what} public.${escapeIdentifier(name)} OWNER TO ${app}`);
      transferred.push(`${name} -> ${appRole}`);
    }

    // Shadow schemas left by an earlier version (made as another role): the app must drop them.
    const shadows = await rows<{ name: string }>(
      db,
      `SELECT nspname AS name FROM pg_namespace
        WHERE nspname ~ $1 AND nspowner <> $2::oid AND pg_has_role(current_user, nspowner, 'USAGE')`,
      [SHADOW_SCHEMA_PATTERN, target.oid],
    );
    for (const { name } of shadows) {
      await db.query(`ALTER SCHEMA ${escapeIdentifier(name)} OWNER TO ${app}`);
      const tables = await rows<{ name: string }>(
        db,
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND pg_has_role(current_user, c.relowner, 'USAGE')`,
        [name],
      );
      for (const t of tables) {
        await db.query(`ALTER TABLE ${escapeIdentifier(name)}.${escapeIdentifier(t.name)} OWNER TO ${app}`);
      }
      transferred.push(`schema ${name} -> ${appRole}`);
    }
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return { migrationRole: me.role, appRole, transferred, warnings };
}

async function currentDatabase(db: SqlClient): Promise<string> {
  const [row] = await rows<{ name: string }>(db, 'SELECT current_database() AS name');
  return row!.name;
}

/**
 * What an app connection may do to the event log, checked at start and logged: false everywhere
 * when least privilege holds.
 */
export async function eventLogPowers(
  db: SqlClient,
): Promise<{ role: string; superuser: boolean; ownsEventLog: boolean; mayChangeEvents: boolean }> {
  const [row] = await rows<{ role: string; superuser: boolean; owns: boolean; change: boolean }>(
    db,
    `SELECT current_user AS role, r.rolsuper AS superuser,
            pg_has_role(current_user, c.relowner, 'USAGE') AS owns,
            has_table_privilege('public.es_events', 'UPDATE')
              OR has_table_privilege('public.es_events', 'DELETE')
              OR has_table_privilege('public.es_events', 'TRUNCATE') AS change
       FROM pg_roles r, pg_class c
      WHERE r.rolname = current_user AND c.oid = to_regclass('public.es_events')`,
  );
  if (!row) return { role: '?', superuser: false, ownsEventLog: false, mayChangeEvents: false };
  return { role: row.role, superuser: row.superuser, ownsEventLog: row.owns, mayChangeEvents: row.change };
}
