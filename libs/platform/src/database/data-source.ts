import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import { Client } from 'pg';
import { type GrantOutcome, grantAppRole, roleOf } from './roles';
import { EventStore1763900000000 } from './migrations/1763900000000-event-store.migration';
import { ProjectionCheckpoints1763900000001 } from './migrations/1763900000001-projection-checkpoints.migration';
import { EventHashChain1763900000002 } from './migrations/1763900000002-event-hash-chain.migration';
import { ProjectionRebuildStatus1763900000003 } from './migrations/1763900000003-projection-rebuild-status.migration';
import { ProjectionCheckpointEntity } from '../../../projections/src/checkpoint.entity';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type EntityList = MixedList<Function | string | EntitySchema>;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type MigrationList = Function[];

/** Migrations of the platform itself; business modules add theirs. */
export const PLATFORM_MIGRATIONS: MigrationList = [
  EventStore1763900000000,
  ProjectionCheckpoints1763900000001,
  EventHashChain1763900000002,
  ProjectionRebuildStatus1763900000003,
];
export const PLATFORM_ENTITIES = [ProjectionCheckpointEntity];

export interface SchemaParts {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities: Function[];
  readonly migrations: MigrationList;
}

export function createDataSource(url: string, parts: SchemaParts, applicationName = 'commissions'): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: [...PLATFORM_ENTITIES, ...parts.entities] as EntityList,
    migrations: [...PLATFORM_MIGRATIONS, ...parts.migrations],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName,
    extra: { max: 10 },
  });
}

/**
 * A DataSource for read-model queries on DATABASE_READ_URL (a read replica): the same entities, no
 * migrations, and no extension installs at connect (a hot standby refuses every write).
 */
export function createReadDataSource(url: string, parts: SchemaParts, applicationName: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: [...PLATFORM_ENTITIES, ...parts.entities] as EntityList,
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    logging: false,
    applicationName,
    extra: { max: 10 },
  });
}

const MIGRATION_LOCK = 7_340_001;

/**
 * Runs pending migrations under an advisory lock, so several processes starting at once
 * (api and projector) migrate once. The connection's role becomes the owner of what they create.
 */
export async function migrate(url: string, parts: SchemaParts): Promise<string[]> {
  return (await migrateAndGrant(url, null, parts)).applied;
}

export interface MigrationResult {
  readonly applied: string[];
  /** Null when no app role was named (the app runs as the migration role). */
  readonly grants: GrantOutcome | null;
}

/**
 * Migrates as the owner (`migrationUrl`, DATABASE_MIGRATION_URL or the embedded owner), then gives
 * the role of `appUrl` (DATABASE_URL, the servers' pools) least privilege (ADR 0009), under the same
 * advisory lock. `appUrl` null, or naming the same role: migrations only.
 */
export async function migrateAndGrant(
  migrationUrl: string,
  appUrl: string | null,
  parts: SchemaParts,
): Promise<MigrationResult> {
  let appRole: string | null = null;
  if (appUrl !== null) {
    const probe = new Client({ connectionString: appUrl, application_name: 'commissions-migrate' });
    await probe.connect();
    try {
      appRole = (await roleOf(probe)).role;
    } finally {
      await probe.end();
    }
  }
  const lock = new Client({ connectionString: migrationUrl, application_name: 'commissions-migrate' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const dataSource = createDataSource(migrationUrl, parts, 'commissions-migrate');
    await dataSource.initialize();
    let applied: string[];
    try {
      applied = (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
    } finally {
      await dataSource.destroy();
    }
    const owner = (await roleOf(lock)).role;
    const grants = appRole !== null && appRole !== owner ? await grantAppRole(lock, appRole) : null;
    return { applied, grants };
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.end();
  }
}
