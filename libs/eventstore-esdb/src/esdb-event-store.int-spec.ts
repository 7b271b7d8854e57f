/**
 * The shared event-store contract against a live EventStoreDB (>= 22.10, 23.10+ recommended).
 * Runs only when EVENTSTORE_CONNECTION_STRING is set, e.g.
 *   EVENTSTORE_CONNECTION_STRING='esdb://localhost:2113?tls=false' npx jest libs/eventstore-esdb
 * The user in the connection string must be allowed to read $all (an admin, or an insecure node).
 */
import { eventStoreContract } from '../../eventsourcing/src/testing/event-store.contract';
import { EsdbEventStore } from './esdb-event-store';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  // Subscription tests wait up to 15 s for deliveries (Collector.waitFor).
  jest.setTimeout(30_000);
  eventStoreContract('EventStoreDB', {
    connect: async () => EsdbEventStore.connect(connectionString),
  });
} else {
  describe.skip('EventStore contract: EventStoreDB (skipped: EVENTSTORE_CONNECTION_STRING not set)', () => {
    it('runs the shared contract suite against a live EventStoreDB', () => undefined);
  });
}
