import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../libs/platform/src/database/embedded-postgres';

export const ROOT = join(__dirname, '..', '..');

export interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs one of the built apps (`npm run build` first) as a real process. The per-client rate limiter
 * is off unless `env` sets RATE_LIMIT_PER_SECOND: these tests send many requests with one token.
 */
export function startApp(app: 'all-in-one' | 'api' | 'projector', env: Record<string, string>): Started {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', app, 'src', 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, RATE_LIMIT_PER_SECOND: '0', ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Polls GET /health until it answers 200; returns the milliseconds it took. */
export async function waitForHealthy(url: string, started: Started, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  let exited = false;
  void started.exited.then(() => (exited = true));
  while (Date.now() - t0 < timeoutMs) {
    if (exited) throw new Error(`process exited before it was ready:\n${started.output()}`);
    try {
      const r = await fetch(`${url}/health`);
      if (r.status === 200) return Date.now() - t0;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not healthy within ${timeoutMs} ms:\n${started.output()}`);
}

export { freePort };

export interface ToolRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr as they came. */
  readonly output: string;
}

/** Runs a built CLI (`dist/tools/<tool>/<tool>.js`, `npm run build` first) to its end. */
export function runTool(tool: string, args: readonly string[], env: Record<string, string> = {}): Promise<ToolRun> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'tools', tool, `${tool}.js`), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let output = '';
  child.stdout?.on('data', (d: Buffer) => ((stdout += d.toString()), (output += d.toString())));
  child.stderr?.on('data', (d: Buffer) => ((stderr += d.toString()), (output += d.toString())));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr, output })));
}
