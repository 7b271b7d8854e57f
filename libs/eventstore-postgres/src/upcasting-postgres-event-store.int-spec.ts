/**
 * The store as the server and the CLIs open it (`withUpcasting`): the whole event-store contract
 * holds through the upcasting decorator, and a stored PeriodClosed v1 reads as v2 from every read
 * path while the raw store still gives back exactly the stored bytes (which the hash covers).
 */
import { eventHash } from '../../eventsourcing/src/event-hash';
import { Collector, eventStoreContract, newEvent } from '../../eventsourcing/src/testing/event-store.contract';
import { storedEventsOf } from '../../eventsourcing/src/upcasting/upcasting-event-store';
import { withUpcasting } from '../../feed/src/event-schemas/published-events';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { PostgresEventStore } from './postgres-event-store';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

eventStoreContract('PostgreSQL behind the upcaster', {
  connect: async () => withUpcasting(PostgresEventStore.connect(db.url, { pollIntervalMs: 100 })),
});

it('a stored PeriodClosed v1 reads as v2 from readStream, readAll and subscribeToAll; the stored bytes keep their hash', async () => {
  const store = withUpcasting(PostgresEventStore.connect(db.url, { pollIntervalMs: 50 }));
  try {
    const v1 = { period: '2026-01', closedBy: 'old-system', throughPosition: null, statements: [] };
    const event = newEvent('PeriodClosed', v1, '2026-02-01T00:00:00.000Z');
    const streamId = `periods-upcast${Date.now()}`;
    await store.appendToStream(streamId, [event], { expectedRevision: 'no_stream' });
    const expected = { id: event.id, schemaVersion: 2, data: { ...v1, throughLogPosition: null } };

    const [fromStream] = await store.readStream(streamId);
    expect(fromStream).toMatchObject(expected);
    const all = await store.readAll({ maxCount: 1000, eventTypes: ['PeriodClosed'] });
    expect(all.events.find((e) => e.id === event.id)).toMatchObject(expected);
    const collector = new Collector();
    const subscription = store.subscribeToAll(collector.handler, { eventTypes: ['PeriodClosed'] });
    await collector.waitFor(1);
    await subscription.stop();
    expect(collector.events.find((e) => e.id === event.id)).toMatchObject(expected);

    const [stored] = await storedEventsOf(store).readStream(streamId);
    expect(stored).toMatchObject({ schemaVersion: 1, data: v1 });
    expect(eventHash(null, stored!)).toBe(stored!.hash);
    expect(fromStream!.hash).toBe(stored!.hash);
  } finally {
    await store.close();
  }
});
