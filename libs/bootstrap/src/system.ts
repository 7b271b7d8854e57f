import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import type { EventStore } from '../../eventsourcing/src/event-store.port';
import { EsdbEventStore } from '../../eventstore-esdb/src/index';
import { PostgresEventStore } from '../../eventstore-postgres/src/postgres-event-store';
import type { Settings } from '../../platform/src/config/settings';
import { createDataSource, migrate } from '../../platform/src/database/data-source';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../platform/src/database/embedded-postgres';
import { createHttpApp } from '../../platform/src/http/create-http-app';
import { ProjectionEngine } from '../../projections/src/projection-engine';
import type { RunnerOptions } from '../../projections/src/projection-runner';
import { AppModule, type Infrastructure } from './app.module';
import { allProjectors, APP_SCHEMA } from './schema';

export type Role = 'all' | 'api' | 'projector';

export interface SystemOptions {
  readonly role: Role;
  readonly settings: Settings;
  readonly logger?: false | ('log' | 'error' | 'warn')[];
  readonly runner?: RunnerOptions;
  /** Listen on this port instead of settings.port (0: any free port). */
  readonly port?: number;
}

export interface RunningSystem extends Infrastructure {
  readonly databaseUrl: string;
  readonly app: INestApplication | null;
  readonly url: string | null;
  close(): Promise<void>;
}

async function connectEventStore(settings: Settings, databaseUrl: string): Promise<EventStore> {
  if (settings.eventStoreConnectionString) {
    return EsdbEventStore.connect(settings.eventStoreConnectionString);
  }
  return PostgresEventStore.connect(databaseUrl);
}

/**
 * Starts the system in one of its roles: `api` (HTTP commands and queries), `projector`
 * (projection workers) or `all` (both, which is what `npm start` runs). Without DATABASE_URL an
 * embedded PostgreSQL is started under DATA_DIR.
 */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const log = new Logger('System');
  const { settings, role } = options;
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = settings.databaseUrl;
  if (!databaseUrl && role !== 'all') {
    throw new Error(`The ${role} app shares a database with the others: set DATABASE_URL (only npm start embeds one)`);
  }
  if (!databaseUrl) {
    log.log(`Starting embedded PostgreSQL under ${settings.dataDir}`);
    embedded = await startEmbeddedPostgres(settings.dataDir);
    databaseUrl = embedded.url;
  }
  const applied = await migrate(databaseUrl, APP_SCHEMA);
  if (applied.length > 0) log.log(`Applied migrations: ${applied.join(', ')}`);

  const dataSource = createDataSource(databaseUrl, APP_SCHEMA, `commissions-${role}`);
  await dataSource.initialize();
  const store = await connectEventStore(settings, databaseUrl);
  const engine = new ProjectionEngine(
    allProjectors(),
    store,
    dataSource,
    { connectionString: databaseUrl },
    options.runner,
  );
  if (role !== 'api') await engine.start();

  let app: INestApplication | null = null;
  let url: string | null = null;
  if (role !== 'projector') {
    app = await createHttpApp(
      AppModule.with({ settings, dataSource, store, engine }),
      options.logger ?? ['log', 'error', 'warn'],
    );
    await app.listen(options.port ?? settings.port, '0.0.0.0');
    const address = app.getHttpServer().address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
  }

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await app?.close();
      await engine.stop();
      await store.close();
      await dataSource.destroy();
      await embedded?.stop();
    })());
  return { settings, dataSource, store, engine, databaseUrl, app, url, close };
}
