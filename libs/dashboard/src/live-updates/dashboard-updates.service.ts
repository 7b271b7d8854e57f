import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { EventStore, Subscription } from '../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../platform/src/cqrs/tokens';
import { openSse } from '../../../platform/src/http/sse';

/** A comment line this often keeps proxies from closing an idle stream. */
export const UPDATES_HEARTBEAT_MS = 15_000;
/** New positions are coalesced: at most one frame per client this often. */
export const UPDATES_COALESCE_MS = 100;

/**
 * "Something changed" for dashboards: one store subscription shared by every open stream, which
 * tells each client the newest global position, never an event's content. A client refetches its
 * (role-scoped) read models with `X-Consistent-Position: <position>`, so it sees the change as
 * soon as the projections have applied it, and nothing it may not read leaks through this stream.
 * A slow client simply skips positions: the next frame carries the newest one.
 */
@Injectable()
export class DashboardUpdatesService implements OnModuleDestroy {
  private readonly clients = new Set<Response>();
  private subscription: Subscription | null = null;
  private latest: bigint | null = null;
  private sent = new WeakMap<Response, bigint>();
  private flushTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  get size(): number {
    return this.clients.size;
  }

  async serve(req: Request, res: Response): Promise<void> {
    openSse(req, res, 1000);
    this.clients.add(res);
    res.on('close', () => this.remove(res));
    res.on('error', () => this.remove(res));
    try {
      await this.ensureSubscribed();
    } catch {
      // The store is unreachable: end the stream (headers are sent); the client retries.
      this.remove(res);
      res.end();
      return;
    }
    if (this.latest !== null) this.sendTo(res, this.latest);
  }

  private async ensureSubscribed(): Promise<void> {
    if (this.subscription) return;
    const head = await this.store.headPosition();
    if (this.subscription || this.clients.size === 0) return;
    this.subscription = this.store.subscribeToAll(
      async (events) => {
        const last = events[events.length - 1];
        if (!last) return;
        this.latest = last.globalPosition;
        this.scheduleFlush();
      },
      { from: head, batchSize: 1000 },
    );
    this.subscription.done.catch(() => {
      // The store went away: drop the subscription; the next client starts a new one, and open
      // clients reconnect (retry:) when we end their streams.
      this.subscription = null;
      for (const client of this.clients) client.end();
    });
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) if (!client.writableNeedDrain) client.write(': heartbeat\n\n');
    }, UPDATES_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      if (this.latest === null) return;
      for (const client of this.clients) this.sendTo(client, this.latest);
    }, UPDATES_COALESCE_MS);
  }

  private sendTo(client: Response, position: bigint): void {
    if (client.writableNeedDrain || client.destroyed) return; // it gets the newest one next time
    if ((this.sent.get(client) ?? -1n) >= position) return;
    this.sent.set(client, position);
    client.write(`id: ${position}\nevent: position\ndata: ${JSON.stringify({ position: position.toString() })}\n\n`);
  }

  private remove(client: Response): void {
    if (!this.clients.delete(client)) return;
    if (this.clients.size === 0) void this.unsubscribe();
  }

  private async unsubscribe(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.heartbeat = null;
    this.flushTimer = null;
    this.latest = null;
    await subscription?.stop();
  }

  async onModuleDestroy(): Promise<void> {
    for (const client of [...this.clients]) {
      if (client.writableNeedDrain) client.destroy();
      else client.end();
    }
    this.clients.clear();
    await this.unsubscribe();
  }
}
