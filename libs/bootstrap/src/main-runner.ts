import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { LOCAL_ADMIN_TOKEN_DAYS, LOCAL_SECRET_FILE } from '../../platform/src/auth/local-secret';
import { readSettings } from '../../platform/src/config/settings';
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

/** Shared `main` of the three apps: start, print where, stop cleanly on SIGINT/SIGTERM. */
export async function runMain(role: Role): Promise<void> {
  const log = new Logger('Main');
  const started = Date.now();
  const system = await startSystem({ role, settings: readSettings(), runner: runnerOptionsFromEnv() });
  if (system.url) {
    log.log(
      `Ready in ${Date.now() - started} ms: ${system.url}  (dashboard ${system.url}/, API ${system.url}/api/v1, docs ${system.url}/docs)`,
    );
    if (system.localAdminToken) {
      const secretFile = join(system.settings.dataDir, LOCAL_SECRET_FILE);
      log.log(
        [
          `Local admin token (sub local-admin, role admin, valid ${LOCAL_ADMIN_TOKEN_DAYS} days; minted at every start ` +
            `from the secret in ${secretFile}; set AUTH_JWT_SECRET to use your own):`,
          '',
          `  Dashboard, signed in as the local admin: ${system.url.replace('127.0.0.1', 'localhost')}/#token=${system.localAdminToken}`,
          '',
          `  export TOKEN=${system.localAdminToken}`,
          `  curl -s -H "Authorization: Bearer $TOKEN" ${system.url}/api/v1/projections`,
          '',
        ].join('\n'),
      );
    }
  } else {
    log.log(`Projector ready in ${Date.now() - started} ms`);
  }
  const shutdown = (signal: string) => {
    log.log(`${signal}: shutting down`);
    system.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error(String(error));
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}
