import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import type { StoredEvent } from '../../../eventsourcing/src/event';
import type { BatchHandler, EventStore, SubscribeOptions } from '../../../eventsourcing/src/event-store.port';
import { decodePositionCursor } from '../feed-cursor';
import { EventStreamService, HEARTBEAT_MS, sseFrame } from './event-stream.service';

function event(n: number): StoredEvent {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    type: 'SaleBooked',
    schemaVersion: 1,
    data: { orderId: `O${n}` },
    metadata: { actor: 'a', commandId: `O${n}`, commandType: 'BookSale', correlationId: 'c', causationId: 'k' },
    occurredAt: '2026-01-10T00:00:00.000Z',
    recordedAt: '2026-01-10T00:00:01.000Z',
    streamId: `order-O${n}`,
    streamRevision: 0n,
    globalPosition: BigInt(n),
    logPosition: { major: 100n, minor: BigInt(n) },
  };
}

/** A store whose subscription hands over the given batches, one after the handler settles. */
class FakeStore {
  batchesTaken = 0;
  stopped = false;
  options: SubscribeOptions | undefined;
  constructor(private readonly batches: StoredEvent[][]) {}

  subscribeToAll(handler: BatchHandler, options?: SubscribeOptions) {
    this.options = options;
    let wake: () => void = () => undefined;
    const done = (async () => {
      for (const batch of this.batches) {
        if (this.stopped) return;
        this.batchesTaken++;
        await handler(batch, { caughtUp: false });
      }
      while (!this.stopped) await new Promise<void>((r) => (wake = r));
    })();
    return {
      done,
      stop: async () => {
        this.stopped = true;
        wake();
        await done;
      },
    };
  }
}

/** A response whose socket buffer is "full" after each write until `drain` is emitted. */
class FakeResponse extends EventEmitter {
  readonly chunks: string[] = [];
  headers: Record<string, string> = {};
  writableEnded = false;
  destroyed = false;
  writableNeedDrain = false;
  full = false;
  status() {
    return this;
  }
  setHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
  }
  flushHeaders() {}
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    this.writableNeedDrain = this.full;
    return !this.full;
  }
  end() {
    this.writableEnded = true;
  }
  destroy() {
    this.destroyed = true;
    this.emit('close');
  }
  drain() {
    this.writableNeedDrain = false;
    this.emit('drain');
  }
  frames(): string[] {
    return this.chunks.filter((c) => c.startsWith('id: '));
  }
}

const request = { socket: { setNoDelay: () => undefined } } as unknown as Request;
const tick = () => new Promise((r) => setImmediate(r));

describe('EventStreamService', () => {
  it('frames an event: id = its cursor, event = its type, data = the event as JSON', () => {
    const frame = sseFrame(event(7));
    const [idLine, eventLine, dataLine] = frame.split('\n');
    expect(decodePositionCursor(idLine!.slice(4), 'id')).toEqual({ major: 100n, minor: 7n });
    expect(eventLine).toBe('event: SaleBooked');
    expect(JSON.parse(dataLine!.slice(6))).toMatchObject({ eventId: event(7).id, globalPosition: '7' });
    expect(frame.endsWith('\n\n')).toBe(true);
  });

  it('takes the next batch only after a slow client has drained', async () => {
    const store = new FakeStore([[event(1), event(2)], [event(3)]]);
    const service = new EventStreamService(store as unknown as EventStore);
    const res = new FakeResponse();
    res.full = true;
    service.serve(request, res as unknown as Response, { from: undefined, eventTypes: ['SaleBooked'] });
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(store.options).toMatchObject({ eventTypes: ['SaleBooked'], batchSize: 100 });
    await tick();
    expect(res.frames()).toHaveLength(1); // waits for drain before the second event
    expect(store.batchesTaken).toBe(1);
    res.drain();
    await tick();
    expect(res.frames()).toHaveLength(2);
    expect(store.batchesTaken).toBe(1); // the handler is still waiting: no new batch read
    res.full = false;
    res.drain();
    await tick();
    expect(res.frames()).toHaveLength(3);
    expect(store.batchesTaken).toBe(2);
    res.emit('close');
    await tick();
    expect(store.stopped).toBe(true);
    expect(service.size).toBe(0);
  });

  it('a client that disconnects while its buffer is full stops the subscription', async () => {
    const store = new FakeStore([[event(1), event(2)], [event(3)]]);
    const service = new EventStreamService(store as unknown as EventStore);
    const res = new FakeResponse();
    res.full = true;
    service.serve(request, res as unknown as Response, { from: { major: 1n, minor: 2n }, eventTypes: undefined });
    expect(store.options).toMatchObject({ from: { major: 1n, minor: 2n } });
    await tick();
    expect(service.size).toBe(1);
    res.emit('close');
    await tick();
    await tick();
    expect(store.stopped).toBe(true);
    expect(store.batchesTaken).toBe(1);
    expect(res.frames()).toHaveLength(1);
    expect(service.size).toBe(0);
  });

  it('at shutdown, a client that stopped reading does not hold the server: its stream is dropped', async () => {
    const store = new FakeStore([[event(1), event(2)], [event(3)]]);
    const service = new EventStreamService(store as unknown as EventStore);
    const res = new FakeResponse();
    res.full = true;
    service.serve(request, res as unknown as Response, { from: undefined, eventTypes: undefined });
    await tick();
    expect(res.frames()).toHaveLength(1); // blocked waiting for drain
    await service.onModuleDestroy();
    expect(store.stopped).toBe(true);
    expect(res.destroyed).toBe(true);
    expect(res.frames()).toHaveLength(1);
    expect(service.size).toBe(0);
  });

  it('sends a heartbeat comment every 15 s, but not to a client that is not reading', async () => {
    jest.useFakeTimers();
    try {
      const store = new FakeStore([]);
      const service = new EventStreamService(store as unknown as EventStore);
      const res = new FakeResponse();
      service.serve(request, res as unknown as Response, { from: undefined, eventTypes: undefined });
      jest.advanceTimersByTime(HEARTBEAT_MS);
      expect(res.chunks.filter((c) => c === ': heartbeat\n\n')).toHaveLength(1);
      res.writableNeedDrain = true;
      jest.advanceTimersByTime(HEARTBEAT_MS);
      expect(res.chunks.filter((c) => c === ': heartbeat\n\n')).toHaveLength(1);
      res.drain(); // reading again: shutdown ends the stream politely
      await service.onModuleDestroy();
      expect(res.writableEnded).toBe(true);
      expect(store.stopped).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
