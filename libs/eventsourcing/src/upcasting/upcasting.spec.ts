import type { StoredEvent } from '../event';
import { eventHash } from '../event-hash';
import type { BatchHandler, EventStore, ReadAllOptions, SubscribeOptions } from '../event-store.port';
import { type Upcaster, Upcasters } from './upcaster';
import { storedEventsOf, UpcastingEventStore } from './upcasting-event-store';

function stored(type: string, schemaVersion: number, data: unknown, revision = 0n): StoredEvent {
  const base = {
    id: `00000000-0000-4000-8000-00000000000${revision}`,
    type,
    schemaVersion,
    data,
    metadata: { actor: 't', commandId: 'c', commandType: 'T', correlationId: 'x', causationId: 'y' },
    occurredAt: '2026-01-10T00:00:00.000Z',
    streamId: 'thing-1',
    streamRevision: revision,
  };
  return {
    ...base,
    globalPosition: revision + 1n,
    logPosition: { major: revision + 1n, minor: 0n },
    recordedAt: '2026-01-10T00:00:01.000Z',
    hash: eventHash(null, base),
    prevHash: null,
  };
}

const renamed: Upcaster = {
  type: 'Thing',
  fromVersion: 1,
  toVersion: 2,
  upcast: (data) => {
    const { name, ...rest } = data as { name: string };
    return { ...rest, title: name };
  },
};
const defaulted: Upcaster = {
  type: 'Thing',
  fromVersion: 2,
  toVersion: 3,
  upcast: (data) => ({ ...(data as object), tags: [] }),
};

describe('Upcasters', () => {
  const upcasters = new Upcasters([defaulted, renamed]);

  it('applies the chain from the stored version to the newest one', () => {
    const v1 = stored('Thing', 1, { id: 'a', name: 'A' });
    const read = upcasters.upcast(v1);
    expect(read).toMatchObject({ schemaVersion: 3, data: { id: 'a', title: 'A', tags: [] } });
    expect(upcasters.upcast(stored('Thing', 2, { id: 'b', title: 'B' }))).toMatchObject({
      schemaVersion: 3,
      data: { id: 'b', title: 'B', tags: [] },
    });
    expect(upcasters.versionAfter('Thing', 1)).toBe(3);
  });

  it('never touches the stored event, and keeps its stored hash (which covers the stored bytes)', () => {
    const v1 = stored('Thing', 1, { id: 'a', name: 'A' });
    const snapshot = JSON.parse(JSON.stringify(v1, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}` : v)));
    const read = upcasters.upcast(v1);
    expect(JSON.parse(JSON.stringify(v1, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}` : v)))).toEqual(snapshot);
    expect(read.hash).toBe(v1.hash);
    expect(eventHash(null, v1)).toBe(v1.hash);
    expect(eventHash(null, read)).not.toBe(read.hash);
  });

  it('gives back the same object when nothing applies', () => {
    const current = stored('Thing', 3, { id: 'c', title: 'C', tags: [] });
    const other = stored('Other', 1, { x: 1 });
    expect(upcasters.upcast(current)).toBe(current);
    expect(upcasters.upcast(other)).toBe(other);
  });

  it('refuses two upcasters from one version, or one that does not go forwards', () => {
    expect(() => new Upcasters([renamed, { ...renamed }])).toThrow(/Two upcasters of Thing from version 1/);
    expect(() => new Upcasters([{ ...renamed, toVersion: 1 }])).toThrow(/must go forwards/);
  });
});

describe('UpcastingEventStore', () => {
  const v1 = stored('Thing', 1, { id: 'a', name: 'A' }, 0n);
  const v3 = stored('Thing', 3, { id: 'b', title: 'B', tags: ['x'] }, 1n);
  const appended: unknown[] = [];
  const inner: EventStore = {
    kind: 'postgres',
    appendToStream: async (streamId, events) => {
      appended.push({ streamId, events });
      return { nextExpectedRevision: 0n, globalPosition: 1n, logPosition: { major: 1n, minor: 0n }, appended: true };
    },
    readStream: async () => [v1, v3],
    readAll: async (_o: ReadAllOptions) => ({ events: [v1, v3], lastPosition: v3.logPosition, isEnd: true }),
    subscribeToAll: (handler: BatchHandler, _o?: SubscribeOptions) => {
      const done = handler([v1, v3], { caughtUp: true });
      return { stop: async () => undefined, done };
    },
    logPositionOf: async () => v1.logPosition,
    headPosition: async () => v3.logPosition,
    countEventsAfter: async (_after, cap) => Math.min(2, cap),
    close: async () => undefined,
  };
  const store = new UpcastingEventStore(inner, new Upcasters([renamed, defaulted]));
  const upcastV1 = { ...v1, schemaVersion: 3, data: { id: 'a', title: 'A', tags: [] } };

  it('delivers upcast events from readStream, readAll and subscribeToAll', async () => {
    expect(await store.readStream('thing-1')).toEqual([upcastV1, v3]);
    expect((await store.readAll({ maxCount: 10 })).events).toEqual([upcastV1, v3]);
    const seen: StoredEvent[] = [];
    await store.subscribeToAll(async (events) => void seen.push(...events)).done;
    expect(seen).toEqual([upcastV1, v3]);
  });

  it('passes appends and everything else through', async () => {
    await store.appendToStream('thing-2', [], { expectedRevision: 'any' });
    expect(appended).toEqual([{ streamId: 'thing-2', events: [] }]);
    expect(store.kind).toBe('postgres');
    expect(await store.headPosition()).toEqual(v3.logPosition);
    expect(await store.logPositionOf(1n)).toEqual(v1.logPosition);
    expect(await store.countEventsAfter!({ major: 0n, minor: 0n }, 5)).toBe(2);
  });

  it('storedEventsOf unwraps it (the log verifier reads the stored bytes)', async () => {
    expect(storedEventsOf(store)).toBe(inner);
    expect(storedEventsOf(new UpcastingEventStore(store, new Upcasters([])))).toBe(inner);
    expect(storedEventsOf(inner)).toBe(inner);
    expect(await storedEventsOf(store).readStream('thing-1')).toEqual([v1, v3]);
  });

  it('has no countEventsAfter when the store has none', () => {
    const { countEventsAfter: _ignored, ...withoutCount } = inner;
    expect(new UpcastingEventStore(withoutCount, new Upcasters([])).countEventsAfter).toBeUndefined();
  });
});
