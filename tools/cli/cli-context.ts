/**
 * What an operator CLI (replay, rebuild, verify-log) works on: the same database and event store
 * as the server, found the same way.
 *
 * - `DATABASE_URL` set: that database (and EventStoreDB when `EVENTSTORE_CONNECTION_STRING` is set).
 * - Otherwise the embedded PostgreSQL under `DATA_DIR`: when `npm start` is running, the CLI
 *   connects to its server (port from `postmaster.pid`, passwords from `DATA_DIR`); when nothing
 *   runs, the CLI starts the embedded server itself and stops it at the end.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { allProjectors, APP_SCHEMA } from '../../libs/bootstrap/src/schema';
import type { EventStore } from '../../libs/eventsourcing/src/event-store.port';
import { EsdbEventStore } from '../../libs/eventstore-esdb/src/index';
import { withUpcasting } from '../../libs/feed/src/event-schemas/published-events';
import { PostgresEventStore } from '../../libs/eventstore-postgres/src/postgres-event-store';
import { readSettings, type Settings } from '../../libs/platform/src/config/settings';
import { createDataSource, migrateAndGrant } from '../../libs/platform/src/database/data-source';
import {
  EMBEDDED_APP_ROLE,
  EMBEDDED_OWNER_ROLE,
  type EmbeddedDatabase,
  isAlive,
  startEmbeddedPostgres,
} from '../../libs/platform/src/database/embedded-postgres';
import { ProjectionEngine } from '../../libs/projections/src/projection-engine';

export interface CliContext {
  readonly settings: Settings;
  readonly databaseUrl: string;
  readonly dataSource: DataSource;
  readonly store: EventStore;
  /** Every projector of the system; not started (the CLI never runs the live projections). */
  readonly engine: ProjectionEngine;
  /** Where the database came from, for the first line a CLI prints. */
  readonly describe: string;
  close(): Promise<void>;
}

/**
 * The URLs of the embedded PostgreSQL that `npm start` runs under dataDir, if one is running: the
 * owner's (migrations) and the app role's (everything else, as the server; ADR 0009). A data
 * directory from before the two roles has only the superuser's password: both URLs use it.
 */
export function runningEmbeddedUrl(dataDir: string): { url: string; appUrl: string } | null {
  const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
  const secretFile = join(dataDir, 'postgres-password');
  if (!existsSync(pidFile) || !existsSync(secretFile)) return null;
  // postmaster.pid: pid, data dir, start time, port, socket dir, listen address, ...
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !Number.isInteger(port) || port <= 0) return null;
  const at = (user: string, file: string) =>
    `postgres://${user}:${encodeURIComponent(readFileSync(join(dataDir, file), 'utf8').trim())}@127.0.0.1:${port}/commissions`;
  const superuser = at('postgres', 'postgres-password');
  const hasRoles =
    existsSync(join(dataDir, 'postgres-owner-password')) && existsSync(join(dataDir, 'postgres-app-password'));
  return hasRoles
    ? {
        url: at(EMBEDDED_OWNER_ROLE, 'postgres-owner-password'),
        appUrl: at(EMBEDDED_APP_ROLE, 'postgres-app-password'),
      }
    : { url: superuser, appUrl: superuser };
}

export async function openCliContext(env: NodeJS.ProcessEnv = process.env): Promise<CliContext> {
  const settings = readSettings(env);
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = settings.databaseUrl;
  // Migrations run as the owner; the CLI then works as the app role, like the server, so that the
  // tables a rebuild creates belong to the role the server writes them as (ADR 0009).
  let migrationUrl = settings.databaseMigrationUrl;
  let describe = 'DATABASE_URL';
  if (!databaseUrl) {
    const running = runningEmbeddedUrl(settings.dataDir);
    describe = `the running embedded PostgreSQL under ${settings.dataDir}`;
    if (running) {
      databaseUrl = running.appUrl;
      migrationUrl = running.url;
    } else {
      embedded = await startEmbeddedPostgres(settings.dataDir);
      databaseUrl = embedded.appUrl;
      migrationUrl = embedded.url;
      describe = `the embedded PostgreSQL under ${settings.dataDir} (started for this command)`;
    }
  }
  await migrateAndGrant(migrationUrl ?? databaseUrl, migrationUrl === null ? null : databaseUrl, APP_SCHEMA);
  const dataSource = createDataSource(databaseUrl, APP_SCHEMA, 'commissions-cli');
  await dataSource.initialize();
  // Behind the upcaster like the server's store (verify-log unwraps it: the chain covers stored bytes).
  const store: EventStore = withUpcasting(
    settings.eventStoreConnectionString
      ? await EsdbEventStore.connect(settings.eventStoreConnectionString)
      : PostgresEventStore.connect(databaseUrl, { listen: false }),
  );
  if (settings.eventStoreConnectionString) describe += ', events in EventStoreDB';
  const engine = new ProjectionEngine(allProjectors(), store, dataSource, { connectionString: databaseUrl });
  return {
    settings,
    databaseUrl,
    dataSource,
    store,
    engine,
    describe,
    close: async () => {
      await store.close();
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

/** Runs a CLI's main: prints an error without a stack for expected failures, sets the exit code. */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
