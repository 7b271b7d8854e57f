import type { Server } from 'node:http';
import type { Request, Response } from 'express';
import { httpRequestsInFlight } from '../metrics/app-metrics';

/** What a drain saw, for the shutdown log line. */
export interface DrainReport {
  /** Requests being served (event streams aside) when the server stopped accepting connections. */
  readonly inFlightAtClose: number;
  /** Of those, the ones still unanswered when the drain timed out (their connections are cut). */
  readonly abandoned: number;
  /** Requests answered while draining (those in flight at its start and those that came during the readiness delay). */
  readonly completedWhileDraining: number;
  /** From the start of the drain until the last request was answered (or the timeout). */
  readonly drainMs: number;
  readonly timedOut: boolean;
}

export interface DrainOptions {
  /** Readiness says 503 this long before the server stops accepting connections (ms). */
  readonly readinessDelayMs: number;
  /** In-flight requests may take this long to finish (ms); then their connections are cut. */
  readonly timeoutMs: number;
}

const isEventStream = (res: Response) => String(res.getHeader('content-type') ?? '').startsWith('text/event-stream');

/**
 * The HTTP side of a graceful shutdown: knows the requests in flight and whether the app is
 * draining (GET /health then answers 503 `ready: false`, status `draining`, `live: true`).
 */
export class HttpLifecycle {
  private readonly inFlight = new Set<Response>();
  private drainingSince: number | null = null;
  private completedWhileDraining = 0;
  private readonly idleWaiters = new Set<() => void>();

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  /** Requests in flight now, event streams aside. */
  get busy(): number {
    let n = 0;
    for (const res of this.inFlight) if (!isEventStream(res)) n++;
    return n;
  }

  /** Called by the request observer at the start of every request; `end` when it is over. */
  begin(_req: Request, res: Response): void {
    this.inFlight.add(res);
    httpRequestsInFlight.inc();
    // While draining, every answer closes its connection: no keep-alive into a stopping server.
    if (this.draining) res.shouldKeepAlive = false;
  }

  end(res: Response): void {
    if (!this.inFlight.delete(res)) return;
    httpRequestsInFlight.dec();
    if (this.draining) this.completedWhileDraining++;
    if (this.busy === 0) for (const wake of [...this.idleWaiters]) wake();
  }

  /**
   * Readiness goes false at once; after `readinessDelayMs` (for load balancers to notice) the
   * server stops accepting connections and idle keep-alive connections are closed; then the
   * requests in flight may finish, for at most `timeoutMs`. Event streams are not waited for
   * (the app's shutdown ends them). The caller closes the app and cuts what is left.
   */
  async drain(server: Server, options: DrainOptions): Promise<DrainReport> {
    const started = Date.now();
    this.drainingSince ??= started;
    for (const res of this.inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    if (options.readinessDelayMs > 0) await new Promise((r) => setTimeout(r, options.readinessDelayMs));
    if (server.listening) server.close(() => undefined);
    server.closeIdleConnections();
    const inFlightAtClose = this.busy;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await new Promise<boolean>((resolve) => {
      const wake = () => {
        this.idleWaiters.delete(wake);
        clearTimeout(timer);
        resolve(false);
      };
      if (this.busy === 0) return resolve(false);
      this.idleWaiters.add(wake);
      timer = setTimeout(() => {
        this.idleWaiters.delete(wake);
        resolve(true);
      }, options.timeoutMs);
    });
    server.closeIdleConnections();
    return {
      inFlightAtClose,
      abandoned: this.busy,
      completedWhileDraining: this.completedWhileDraining,
      drainMs: Date.now() - started,
      timedOut,
    };
  }
}
