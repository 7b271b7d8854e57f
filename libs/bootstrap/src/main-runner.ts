import 'reflect-metadata';
import { Logger } from '@nestjs/common';
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
    log.log(`Ready in ${Date.now() - started} ms: ${system.url}  (API ${system.url}/api/v1, docs ${system.url}/docs)`);
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
