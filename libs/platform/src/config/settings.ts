import { resolve } from 'node:path';
import { LOG_LEVELS, type LogLevel } from '../logging/app-logger';

/** The settings of ../shared/spec/api.md § Running, read once from the environment. */
export interface Settings {
  readonly port: number;
  /** Unset: an embedded PostgreSQL under dataDir. */
  readonly databaseUrl: string | null;
  /**
   * DATABASE_READ_URL: a PostgreSQL read replica (or any connection that sees the read models).
   * Read-model queries go there; writes, projections and the event log stay on databaseUrl.
   * Null (unset): queries use databaseUrl.
   */
  readonly databaseReadUrl: string | null;
  /**
   * DATABASE_MIGRATION_URL: the schema owner's connection (ADR 0009), beside DATABASE_URL. It runs
   * the migrations and gives the role of DATABASE_URL least privilege (read and append events,
   * never change or remove one). Null (unset): DATABASE_URL migrates, and the app runs as the owner.
   */
  readonly databaseMigrationUrl: string | null;
  readonly dataDir: string;
  /** Set: events go to EventStoreDB. */
  readonly eventStoreConnectionString: string | null;
  /** HS256 secret for bearer tokens. Unset: see authJwksUrl, or the local secret of an embedded start. */
  readonly authJwtSecret: string | null;
  /** Set: RS256/ES256 tokens are verified against this identity provider's JWKS. */
  readonly authJwksUrl: string | null;
  /**
   * WEBHOOK_ALLOWED_HOSTS: host names or IPs (lower case; `*.example.com` for subdomains) that webhook
   * receiver URLs may name. Null (unset): any host.
   */
  readonly webhookAllowedHosts: readonly string[] | null;
  /**
   * RATE_LIMIT_PER_SECOND: requests per second each client (a valid token's `sub`, else the remote
   * IP) may make, sustained; 0 turns the limiter off. Default 50 with DATABASE_URL (a shared,
   * production deployment); 0 for an embedded start (`npm start` on a laptop).
   */
  readonly rateLimitPerSecond: number;
  /** RATE_LIMIT_BURST: the bucket size, i.e. how many requests a client may make at once. Default 200. */
  readonly rateLimitBurst: number;
  /** LOG_LEVEL: fatal, error, warn, info (default), debug, trace or silent. JSON lines on stdout. */
  readonly logLevel: LogLevel;
  /** SHUTDOWN_TIMEOUT_MS: on SIGTERM, requests in flight may take this long to finish (default 20 000). */
  readonly shutdownTimeoutMs: number;
  /**
   * SHUTDOWN_READINESS_DELAY_MS: on SIGTERM, /health answers 503 (draining) this long before the
   * server stops accepting connections, for load balancers to notice (default 0; e.g. 5000 behind one).
   */
  readonly shutdownReadinessDelayMs: number;
  /**
   * COLLECTION_DUE_SCAN_SECONDS: how often the processes that run projections record the collection
   * tasks that have fallen due (CollectionTaskFellDue); 0 turns the scan off. Default 300, but 0 under
   * NODE_ENV=test (jest sets it): a test that wants the scan asks for it.
   */
  readonly collectionDueScanSeconds: number;
}

/** Production defaults of the per-client rate limiter (README § Settings). */
export const DEFAULT_RATE_LIMIT_PER_SECOND = 50;
export const DEFAULT_RATE_LIMIT_BURST = 200;
/** How often the due scan runs by default (README § Settings). */
export const DEFAULT_COLLECTION_DUE_SCAN_SECONDS = 300;

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got ${env.PORT}`);
  }
  const blankToNull = (v: string | undefined) => (v === undefined || v.trim() === '' ? null : v.trim());
  const jwksUrl = blankToNull(env.AUTH_JWKS_URL);
  if (jwksUrl !== null && !/^https?:\/\/[^\s]+$/.test(jwksUrl)) {
    throw new Error(`AUTH_JWKS_URL must be an http(s) URL, got ${jwksUrl}`);
  }
  const databaseUrl = blankToNull(env.DATABASE_URL);
  const databaseReadUrl = parseDatabaseReadUrl(blankToNull(env.DATABASE_READ_URL), databaseUrl);
  const databaseMigrationUrl = parseDatabaseMigrationUrl(blankToNull(env.DATABASE_MIGRATION_URL), databaseUrl);
  return {
    port,
    databaseUrl,
    databaseReadUrl,
    databaseMigrationUrl,
    dataDir: resolve(blankToNull(env.DATA_DIR) ?? './data'),
    eventStoreConnectionString: blankToNull(env.EVENTSTORE_CONNECTION_STRING),
    authJwtSecret: blankToNull(env.AUTH_JWT_SECRET),
    authJwksUrl: jwksUrl,
    webhookAllowedHosts: parseAllowedHosts(blankToNull(env.WEBHOOK_ALLOWED_HOSTS)),
    rateLimitPerSecond: parseNumber(
      'RATE_LIMIT_PER_SECOND',
      blankToNull(env.RATE_LIMIT_PER_SECOND),
      databaseUrl === null ? 0 : DEFAULT_RATE_LIMIT_PER_SECOND,
      0,
    ),
    rateLimitBurst: parseNumber('RATE_LIMIT_BURST', blankToNull(env.RATE_LIMIT_BURST), DEFAULT_RATE_LIMIT_BURST, 1),
    logLevel: parseLogLevel(blankToNull(env.LOG_LEVEL)),
    shutdownTimeoutMs: parseMs('SHUTDOWN_TIMEOUT_MS', blankToNull(env.SHUTDOWN_TIMEOUT_MS), 20_000),
    shutdownReadinessDelayMs: parseMs('SHUTDOWN_READINESS_DELAY_MS', blankToNull(env.SHUTDOWN_READINESS_DELAY_MS), 0),
    collectionDueScanSeconds: parseNumber(
      'COLLECTION_DUE_SCAN_SECONDS',
      blankToNull(env.COLLECTION_DUE_SCAN_SECONDS),
      (env.NODE_ENV ?? process.env.NODE_ENV) === 'test' ? 0 : DEFAULT_COLLECTION_DUE_SCAN_SECONDS,
      0,
    ),
  };
}

/** A finite number of at least `min` (RATE_LIMIT_*), or the default when unset. */
function parseNumber(name: string, value: string | null, fallback: number, min: number): number {
  if (value === null) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > 1_000_000) {
    throw new Error(`${name} must be a number from ${min} to 1000000, got ${value}`);
  }
  return n;
}

function parseLogLevel(value: string | null): LogLevel {
  if (value === null) return 'info';
  const level = LOG_LEVELS.find((l) => l === value.toLowerCase());
  if (!level) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${value}`);
  return level;
}

/** Milliseconds: an integer from 0 to 10 minutes, or the default when unset. */
function parseMs(name: string, value: string | null, fallback: number): number {
  if (value === null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 600_000)
    throw new Error(`${name} must be milliseconds from 0 to 600000, got ${value}`);
  return n;
}

/** A postgres:// or postgresql:// URL, only beside DATABASE_URL (an embedded start has no replica). */
function parseDatabaseReadUrl(value: string | null, databaseUrl: string | null): string | null {
  if (value === null) return null;
  let protocol: string | null = null;
  try {
    protocol = new URL(value).protocol;
  } catch {
    /* not a URL */
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new Error('DATABASE_READ_URL must be a postgres:// or postgresql:// URL');
  }
  if (databaseUrl === null) {
    throw new Error('DATABASE_READ_URL is set but DATABASE_URL is not: a read replica needs its primary');
  }
  return value;
}

/** A postgres:// or postgresql:// URL, only beside DATABASE_URL (an embedded start has its own roles). */
function parseDatabaseMigrationUrl(value: string | null, databaseUrl: string | null): string | null {
  if (value === null) return null;
  if (!/^postgres(ql)?:\/\/\S+$/.test(value)) {
    throw new Error('DATABASE_MIGRATION_URL must be a postgres:// or postgresql:// URL');
  }
  if (databaseUrl === null) {
    throw new Error('DATABASE_MIGRATION_URL is set but DATABASE_URL is not: it names the owner beside the app role');
  }
  return value;
}

/** `hooks.example.com, 10.0.0.7, [::1], *.partner.example`: a comma-separated list of hosts. */
function parseAllowedHosts(value: string | null): readonly string[] | null {
  if (value === null) return null;
  const hosts = value
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '')
    .map((h) => (h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h));
  const bad = hosts.find((h) => !/^(\*\.)?[a-z0-9._:-]{1,253}$/.test(h));
  if (bad !== undefined) throw new Error(`WEBHOOK_ALLOWED_HOSTS must list host names or IPs, got ${bad}`);
  if (hosts.length === 0) throw new Error('WEBHOOK_ALLOWED_HOSTS lists no host: unset it to allow any host');
  return hosts;
}
