import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request, Response } from 'express';
import { readSettings } from '../config/settings';
import { HttpLifecycle } from './lifecycle';

/** A plain Node server whose requests the lifecycle tracks; /slow answers when `release()` is called. */
async function serve(lifecycle: HttpLifecycle): Promise<{ server: Server; url: string; release: () => void }> {
  const waiting: Array<() => void> = [];
  const server = createServer((req, res) => {
    lifecycle.begin(req as unknown as Request, res as unknown as Response);
    res.once('close', () => lifecycle.end(res as unknown as Response));
    if (req.url === '/slow') waiting.push(() => res.end('slow done'));
    else res.end(lifecycle.draining ? 'draining' : 'ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url, release: () => waiting.splice(0).forEach((f) => f()) };
}

describe('HttpLifecycle.drain', () => {
  it('given a request in flight, when draining, then it finishes and new connections are refused', async () => {
    const lifecycle = new HttpLifecycle();
    const { server, url, release } = await serve(lifecycle);
    const slow = fetch(`${url}/slow`).then((r) => r.text());
    while (lifecycle.busy < 1) await new Promise((r) => setTimeout(r, 5));

    const drained = lifecycle.drain(server, { readinessDelayMs: 100, timeoutMs: 5_000 });
    expect(lifecycle.draining).toBe(true);
    // during the readiness delay the server still answers (and says it is draining)
    expect(await (await fetch(`${url}/fast`)).text()).toBe('draining');
    await new Promise((r) => setTimeout(r, 200));
    await expect(fetch(`${url}/fast`)).rejects.toThrow(); // no longer accepting connections
    release();
    expect(await slow).toBe('slow done');
    const report = await drained;
    expect(report).toMatchObject({ inFlightAtClose: 1, abandoned: 0, timedOut: false });
    expect(report.completedWhileDraining).toBeGreaterThanOrEqual(2);
    server.closeAllConnections();
  });

  it('given a request that never ends, then the drain gives up after the timeout and says so', async () => {
    const lifecycle = new HttpLifecycle();
    const { server, url, release } = await serve(lifecycle);
    const slow = fetch(`${url}/slow`).catch(() => 'cut');
    while (lifecycle.busy < 1) await new Promise((r) => setTimeout(r, 5));
    const t0 = Date.now();
    const report = await lifecycle.drain(server, { readinessDelayMs: 0, timeoutMs: 200 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    expect(report).toMatchObject({ inFlightAtClose: 1, abandoned: 1, timedOut: true });
    server.closeAllConnections();
    expect(await slow).toBe('cut');
    release();
  });

  it('given no request in flight, then the drain is immediate', async () => {
    const lifecycle = new HttpLifecycle();
    const { server } = await serve(lifecycle);
    const report = await lifecycle.drain(server, { readinessDelayMs: 0, timeoutMs: 10_000 });
    expect(report).toMatchObject({ inFlightAtClose: 0, abandoned: 0, timedOut: false });
    expect(report.drainMs).toBeLessThan(1_000);
  });
});

describe('shutdown and log settings', () => {
  it('given nothing set, then info logs, a 20 s drain and no readiness delay', () => {
    const s = readSettings({});
    expect([s.logLevel, s.shutdownTimeoutMs, s.shutdownReadinessDelayMs]).toEqual(['info', 20_000, 0]);
  });

  it('given values, then they are read; given nonsense, then the start is refused', () => {
    const s = readSettings({ LOG_LEVEL: 'ERROR', SHUTDOWN_TIMEOUT_MS: '5000', SHUTDOWN_READINESS_DELAY_MS: '3000' });
    expect([s.logLevel, s.shutdownTimeoutMs, s.shutdownReadinessDelayMs]).toEqual(['error', 5000, 3000]);
    expect(() => readSettings({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => readSettings({ SHUTDOWN_TIMEOUT_MS: '-1' })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
    expect(() => readSettings({ SHUTDOWN_TIMEOUT_MS: '1.5' })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
    expect(() => readSettings({ SHUTDOWN_READINESS_DELAY_MS: 'soon' })).toThrow(/SHUTDOWN_READINESS_DELAY_MS/);
  });
});
