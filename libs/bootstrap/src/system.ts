import type { INestApplication, LoggerService } from '@nestjs/common';
import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { EventStore } from '../../eventsourcing/src/event-store.port';
import { EsdbEventStore } from '../../eventstore-esdb/src/index';
import { withUpcasting } from '../../feed/src/event-schemas/published-events';
import { PostgresEventStore } from '../../eventstore-postgres/src/postgres-event-store';
import { type AuthConfig, verifierFor } from '../../platform/src/auth/auth.guard';
import { loadOrCreateLocalSecret, mintLocalAdminToken } from '../../platform/src/auth/local-secret';
import type { Settings } from '../../platform/src/config/settings';
import { createDataSource, createReadDataSource, migrateAndGrant } from '../../platform/src/database/data-source';
import { eventLogPowers } from '../../platform/src/database/roles';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../platform/src/database/embedded-postgres';
import { createHttpApp } from '../../platform/src/http/create-http-app';
import type { DrainReport } from '../../platform/src/health/lifecycle';
import { httpLifecycleOf } from '../../platform/src/logging/http-observability';
import { ProjectionEngine } from '../../projections/src/projection-engine';
import type { RunnerOptions } from '../../projections/src/projection-runner';
import { WebhookDispatcher, type WebhookDispatcherOptions } from '../../webhooks/src/delivery/webhook-dispatcher';
import { CollectionDueScan } from '../../track-to-cash/src/collection-tasks/due-scan/collection-due-scan';
import { CollectionDueScheduler } from '../../track-to-cash/src/collection-tasks/due-scan/collection-due-scheduler';
import { AppModule, type Infrastructure } from './app.module';
import { allProjectors, APP_SCHEMA } from './schema';

export type Role = 'all' | 'api' | 'projector';

export interface SystemOptions {
  readonly role: Role;
  readonly settings: Settings;
  /** Nest's logger: false (tests), log levels (console), or the JSON logger of the apps (main-runner). */
  readonly logger?: false | ('log' | 'error' | 'warn')[] | LoggerService;
  readonly runner?: RunnerOptions;
  /** Webhook delivery timings (tests make them short); allowedHosts comes from the settings. */
  readonly webhooks?: Omit<WebhookDispatcherOptions, 'allowedHosts'>;
  /** Listen on this port instead of settings.port (0: any free port). */
  readonly port?: number;
}

export interface RunningSystem extends Infrastructure {
  readonly databaseUrl: string;
  readonly app: INestApplication | null;
  readonly url: string | null;
  /**
   * An embedded start without AUTH_JWT_SECRET: a token for the local administrator, minted afresh
   * at every start from the secret kept under DATA_DIR (`main` prints it). Otherwise null.
   */
  readonly localAdminToken: string | null;
  /** Delivers webhooks (running in the `all` and `projector` roles only). */
  readonly webhooks: WebhookDispatcher;
  /**
   * Graceful stop: readiness goes false (GET /health 503 `draining`), after `readinessDelayMs`
   * the server stops accepting connections and the requests in flight finish (at most
   * settings.shutdownTimeoutMs, then they are cut), event streams end, webhook deliveries stop
   * (an interrupted one is sent again later), each projection runner finishes the batch it is
   * applying (committed with its checkpoint) and stops; then the connections close.
   */
  close(options?: CloseOptions): Promise<ShutdownReport>;
}

export interface CloseOptions {
  /** How long /health says `draining` before the server stops accepting connections (default 0). */
  readonly readinessDelayMs?: number;
}

export interface ShutdownReport {
  /** The HTTP drain (null: no HTTP in this role). */
  readonly drain: DrainReport | null;
  /** The whole stop, drain included (ms). */
  readonly totalMs: number;
}

/** The event store, behind the upcaster: every reader sees the current version of each event type. */
async function connectEventStore(settings: Settings, databaseUrl: string): Promise<EventStore> {
  if (settings.eventStoreConnectionString) {
    return withUpcasting(await EsdbEventStore.connect(settings.eventStoreConnectionString));
  }
  return withUpcasting(PostgresEventStore.connect(databaseUrl));
}

/**
 * How the HTTP app verifies bearer tokens. AUTH_JWT_SECRET and/or AUTH_JWKS_URL when set; without
 * either, an embedded start (npm start) uses a local secret kept under DATA_DIR, and any process
 * serving HTTP on a shared database refuses to start: it would have no way to check a token.
 */
function resolveAuth(
  settings: Settings,
  role: Role,
  embedded: boolean,
  log: Logger,
): { auth: AuthConfig; localAdminToken: string | null } {
  const configured: AuthConfig = { hs256Secret: settings.authJwtSecret, jwksUrl: settings.authJwksUrl };
  if (role === 'projector' || configured.hs256Secret || configured.jwksUrl) {
    if (role !== 'projector' && configured.hs256Secret && configured.hs256Secret.length < 32) {
      log.warn('AUTH_JWT_SECRET is shorter than 32 characters: use a long random secret');
    }
    return { auth: configured, localAdminToken: null };
  }
  if (!embedded) {
    throw new Error(
      `Refusing to start the ${role} app without AUTH_JWT_SECRET or AUTH_JWKS_URL: with DATABASE_URL set it is ` +
        'not a local embedded start, and no bearer token could be verified. Set AUTH_JWT_SECRET to a long random ' +
        'secret (HS256), or AUTH_JWKS_URL to your identity provider’s JWKS.',
    );
  }
  const local = loadOrCreateLocalSecret(settings.dataDir);
  log.log(`${local.created ? 'Made' : 'Using'} the local auth secret in ${local.file} (AUTH_JWT_SECRET is unset)`);
  return { auth: { hs256Secret: local.secret, jwksUrl: null }, localAdminToken: mintLocalAdminToken(local.secret) };
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
  const { auth, localAdminToken } = resolveAuth(settings, role, !databaseUrl, log);
  // ADR 0009: migrations run as the schema owner, the pools below as the app role (no UPDATE,
  // DELETE or TRUNCATE of events). Embedded: both roles are made under DATA_DIR.
  let migrationUrl = settings.databaseMigrationUrl ?? null;
  if (!databaseUrl) {
    log.log(`Starting embedded PostgreSQL under ${settings.dataDir}`);
    embedded = await startEmbeddedPostgres(settings.dataDir);
    databaseUrl = embedded.appUrl;
    migrationUrl = embedded.url;
  }
  if (migrationUrl === null) {
    log.warn(
      'DATABASE_MIGRATION_URL is unset: DATABASE_URL runs the migrations and the app runs as the schema owner, ' +
        'which could disable the append-only triggers of es_events (set DATABASE_MIGRATION_URL, see README)',
    );
  }
  const { applied, grants } = await migrateAndGrant(
    migrationUrl ?? databaseUrl,
    migrationUrl === null ? null : databaseUrl,
    APP_SCHEMA,
  );
  if (applied.length > 0) log.log(`Applied migrations: ${applied.join(', ')}`);
  for (const warning of grants?.warnings ?? []) log.warn(`Database grants: ${warning}`);

  const dataSource = createDataSource(databaseUrl, APP_SCHEMA, `commissions-${role}`);
  await dataSource.initialize();
  const powers = await eventLogPowers({
    query: async (sql, p) => ({ rows: (await dataSource.query(sql, p)) as unknown[] }),
  });
  if (powers.superuser || powers.ownsEventLog || powers.mayChangeEvents) {
    log.warn(`The app connects as ${powers.role}, which could change or remove events (see ADR 0009)`);
  } else {
    log.log(`The app connects as ${powers.role}: it may read and append events, never change or remove one`);
  }
  // DATABASE_READ_URL: read-model queries go to a replica (only where HTTP is served); else the primary.
  let readReplica: DataSource | null = null;
  if (settings.databaseReadUrl && role !== 'projector') {
    readReplica = createReadDataSource(settings.databaseReadUrl, APP_SCHEMA, `commissions-${role}-read`);
    await readReplica.initialize();
    log.log('Read-model queries go to DATABASE_READ_URL');
  }
  const readDataSource = readReplica ?? dataSource;
  const store = await connectEventStore(settings, databaseUrl);
  const engine = new ProjectionEngine(
    allProjectors(),
    store,
    dataSource,
    // Named with the OS pid, so pg_stat_activity/pg_locks tell which process owns which projection.
    { connectionString: databaseUrl, application_name: `commissions-${role}-locks-${process.pid}` },
    options.runner,
  );
  const webhooks = new WebhookDispatcher(
    store,
    dataSource,
    { connectionString: databaseUrl, application_name: `commissions-${role}-webhooks` },
    { ...options.webhooks, allowedHosts: settings.webhookAllowedHosts },
  );
  // The due scan (COLLECTION_DUE_SCAN_SECONDS) runs where the projections run.
  const dueScan = new CollectionDueScheduler(
    new CollectionDueScan(store, dataSource),
    engine,
    settings.collectionDueScanSeconds,
  );
  if (role !== 'api') {
    await engine.start();
    webhooks.start();
    dueScan.start();
  }

  let app: INestApplication | null = null;
  let url: string | null = null;
  if (role !== 'projector') {
    app = await createHttpApp(
      AppModule.with({ settings, dataSource, readDataSource, store, engine, auth }),
      options.logger ?? ['log', 'error', 'warn'],
      {
        rateLimit: { perSecond: settings.rateLimitPerSecond, burst: settings.rateLimitBurst },
        verifier: verifierFor(auth),
      },
    );
    await app.listen(options.port ?? settings.port, '0.0.0.0');
    const address = app.getHttpServer().address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
  }

  let closing: Promise<ShutdownReport> | null = null;
  const close = (how: CloseOptions = {}) =>
    (closing ??= (async () => {
      const started = Date.now();
      let drain: DrainReport | null = null;
      if (app) {
        const server = app.getHttpServer() as Server;
        drain = await httpLifecycleOf(app).drain(server, {
          readinessDelayMs: how.readinessDelayMs ?? 0,
          timeoutMs: settings.shutdownTimeoutMs,
        });
        if (drain.timedOut) {
          log.warn(`${drain.abandoned} request(s) still unanswered after ${settings.shutdownTimeoutMs} ms: cut`);
        }
        // Nest's close ends the event streams (module destroy hooks), then waits for the server to
        // close: sockets left idle (an ended stream's keep-alive) are closed as they appear.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        const cut = setTimeout(() => server.closeAllConnections(), 5_000);
        try {
          await app.close();
        } finally {
          clearInterval(sweep);
          clearTimeout(cut);
        }
        server.closeAllConnections();
      }
      await webhooks.stop();
      await dueScan.stop();
      await engine.stop();
      await store.close();
      await readReplica?.destroy();
      await dataSource.destroy();
      await embedded?.stop();
      return { drain, totalMs: Date.now() - started };
    })());
  return {
    settings,
    dataSource,
    readDataSource,
    store,
    engine,
    auth,
    databaseUrl,
    app,
    url,
    localAdminToken,
    webhooks,
    close,
  };
}
