import {
  DuplicateEventIdError,
  type NewEvent,
  type StoredEvent,
  WrongExpectedRevisionError,
} from '../../libs/eventsourcing/src/index';
import { StagingEventStore } from './staging-store';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const event = (n: number, data: unknown = { n }): NewEvent => ({
  id: uuid(n),
  type: 'Happened',
  schemaVersion: 1,
  data,
  metadata: { actor: 'a', commandId: `c${n}`, commandType: 'Do', correlationId: 'x', causationId: 'y' },
  occurredAt: '2026-01-01T00:00:00Z',
});
const stored = (streamId: string, n: number, revision: number): StoredEvent => ({
  ...event(n),
  occurredAt: '2026-01-01T00:00:00.000Z',
  streamId,
  streamRevision: BigInt(revision),
  globalPosition: BigInt(n),
  logPosition: { major: 1n, minor: BigInt(n) },
  recordedAt: '2026-01-01T00:00:00.000Z',
});

function store(existing: Record<string, StoredEvent[]> = {}) {
  const loads: string[][] = [];
  const s = new StagingEventStore(async (ids) => {
    loads.push([...ids]);
    return new Map(ids.filter((id) => existing[id]).map((id) => [id, existing[id]!]));
  });
  return { s, loads };
}

describe('the import staging store', () => {
  it('reads stored streams once (in bulk when prefetched), then its own appends, as stored', async () => {
    const { s, loads } = store({ 'a-1': [stored('a-1', 1, 0)] });
    await s.prefetch(['a-1', 'b-1']);
    await s.appendToStream('a-1', [event(2, { x: undefined, d: new Date(0) })], { expectedRevision: 0n });
    const a = await s.readStream('a-1');
    expect(a.map((e) => [e.streamRevision, e.data])).toEqual([
      [0n, { n: 1 }],
      [1n, { d: '1970-01-01T00:00:00.000Z' }],
    ]);
    expect(a[1]!.occurredAt).toBe('2026-01-01T00:00:00.000Z');
    expect(await s.readStream('b-1')).toEqual([]);
    expect(await s.readStream('c-1')).toEqual([]);
    expect(loads).toEqual([['a-1', 'b-1'], ['c-1']]);
    expect(s.pendingAppends()).toEqual([
      { streamId: 'a-1', expectedRevision: 0n, events: [expect.objectContaining({ id: uuid(2) })] },
    ]);
  });

  it('checks expected revisions, recognises an exact retry and refuses a reused id', async () => {
    const { s } = store();
    await s.appendToStream('a-1', [event(1), event(2)], { expectedRevision: 'no_stream' });
    await expect(s.appendToStream('a-1', [event(3)], { expectedRevision: 0n })).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    const retry = await s.appendToStream('a-1', [event(1), event(2)], { expectedRevision: 'no_stream' });
    expect(retry.appended).toBe(false);
    await expect(s.appendToStream('b-1', [event(2)], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
      DuplicateEventIdError,
    );
    s.noteStoredIds(new Map([[uuid(9), { streamId: 'z-1', revision: 0n }]]));
    await expect(s.appendToStream('b-1', [event(9)])).rejects.toBeInstanceOf(DuplicateEventIdError);
    expect(s.pendingEventCount()).toBe(2);
  });

  it('forgets pending appends on rollback and keeps them on commit', async () => {
    const { s } = store();
    await s.appendToStream('a-1', [event(1)], { expectedRevision: 'no_stream' });
    s.commit();
    await s.appendToStream('a-1', [event(2)], { expectedRevision: 0n });
    s.rollback();
    expect((await s.readStream('a-1')).map((e) => e.id)).toEqual([uuid(1)]);
    expect(s.pendingAppends()).toEqual([]);
    // The rolled-back id is free again.
    await s.appendToStream('a-1', [event(2)], { expectedRevision: 0n });
    expect(s.pendingEventCount()).toBe(1);
  });
});
