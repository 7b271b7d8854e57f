import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type LogPosition, type StoredEvent, streamCategory } from '../../../eventsourcing/src/event';
import type { EventStore } from '../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../platform/src/cqrs/tokens';
import { openSse } from '../../../platform/src/http/sse';
import { toEventDto } from '../event.response.dto';
import { encodePositionCursor } from '../feed-cursor';

/** A comment line is sent this often when nothing else was, so proxies keep the connection open. */
export const HEARTBEAT_MS = 15_000;
/** Events read from the store at once: at most this many are buffered for a slow client. */
export const STREAM_BATCH_SIZE = 100;
/** How long a client waits before reconnecting after the stream ends (SSE `retry:`). */
const RETRY_MS = 2_000;

export interface StreamOptions {
  readonly from: LogPosition | undefined;
  readonly eventTypes: readonly string[] | undefined;
  /** Only events of streams of these categories (filtered here; the store filters types). */
  readonly categories?: readonly string[] | undefined;
}

/** One SSE message: `id:` is the event's cursor (resume with Last-Event-ID), `event:` its type. */
export function sseFrame(event: StoredEvent): string {
  const type = event.type.replace(/[\r\n]/g, ' ');
  return `id: ${encodePositionCursor(event.logPosition)}\nevent: ${type}\ndata: ${JSON.stringify(toEventDto(event))}\n\n`;
}

/**
 * The global feed as Server-Sent Events. Each connection is a catch-up subscription
 * (`store.subscribeToAll` from the client's position) that stays live. Back-pressure: the
 * subscription hands over the next batch only when the handler returns, and the handler waits
 * for `drain` whenever `res.write` says the socket's buffer is full, so a slow client holds at
 * most one batch in memory. The subscription stops when the client disconnects, and every open
 * stream is ended when the application shuts down (before the HTTP server closes).
 */
@Injectable()
export class EventStreamService implements OnModuleDestroy {
  private readonly logger = new Logger('EventStream');
  private readonly open = new Set<() => Promise<void>>();
  private readonly stats = new Map<() => Promise<void>, { delivered: number; buffered: () => number }>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Each open stream: events written to it, and bytes waiting in its socket buffer (back-pressure). */
  streamStats(): Array<{ delivered: number; buffered: number }> {
    return [...this.stats.values()].map((s) => ({ delivered: s.delivered, buffered: s.buffered() }));
  }

  /** How many streams are open now. */
  get size(): number {
    return this.open.size;
  }

  serve(req: Request, res: Response, options: StreamOptions): void {
    openSse(req, res, RETRY_MS);

    const wanted = options.categories ? new Set(options.categories) : null;
    const stats = { delivered: 0, buffered: () => res.writableLength };
    let closed = false;
    /** Ends a wait for `drain` at once (the stream is closing). */
    let releaseDrain: (() => void) | null = null;
    const waitForDrain = () =>
      new Promise<void>((resolve) => {
        if (closed || res.destroyed || res.writableEnded) return resolve(); // 'close' already fired
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          releaseDrain = null;
          resolve();
        };
        releaseDrain = done;
        res.on('drain', done);
        res.on('close', done);
      });

    const heartbeat = setInterval(() => {
      // A client that is not reading gets no heartbeats piling up behind the events.
      if (!closed && !res.writableNeedDrain) res.write(': heartbeat\n\n');
    }, HEARTBEAT_MS);
    heartbeat.unref();

    const subscription = this.store.subscribeToAll(
      async (events) => {
        for (const event of events) {
          if (closed || res.destroyed) return;
          if (wanted && !wanted.has(streamCategory(event.streamId))) continue;
          stats.delivered++;
          if (!res.write(sseFrame(event))) await waitForDrain();
        }
      },
      {
        ...(options.from ? { from: options.from } : {}),
        ...(options.eventTypes ? { eventTypes: options.eventTypes } : {}),
        batchSize: STREAM_BATCH_SIZE,
      },
    );

    const close = async (): Promise<void> => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      this.open.delete(close);
      this.stats.delete(close);
      releaseDrain?.();
      await subscription.stop();
      // A client that stopped reading would hold the server's shutdown: drop it (it resumes by its last id).
      if (res.writableNeedDrain) res.destroy();
      else if (!res.writableEnded) res.end();
    };
    this.open.add(close);
    this.stats.set(close, stats);
    res.on('close', () => void close());
    res.on('error', () => void close());
    subscription.done.catch((error: unknown) => {
      // The client reconnects (retry:) with its Last-Event-ID and loses nothing.
      this.logger.warn(`Event stream stopped: ${error instanceof Error ? error.message : String(error)}`);
      void close();
    });
  }

  /** Ends every open stream (clients reconnect elsewhere with their Last-Event-ID). */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.open].map((close) => close()));
  }
}
