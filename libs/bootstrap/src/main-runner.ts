import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { readSettings } from '../../platform/src/config/settings';
import { type Role, startSystem } from './system';

/** Shared `main` of the three apps: start, print where, stop cleanly on SIGINT/SIGTERM. */
export async function runMain(role: Role): Promise<void> {
  const log = new Logger('Main');
  const started = Date.now();
  const system = await startSystem({ role, settings: readSettings() });
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
