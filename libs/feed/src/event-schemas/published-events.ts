/**
 * The catalog of the events this system publishes: every event schema of the contracts (the JSON
 * files beside them are the published truth), the envelope the feed wraps them in, the current
 * version of each type, and the upcasters that make older versions read as current. Framework-free:
 * the server and the CLIs install `withUpcasting` where they open the event store.
 */
import type { EventStore } from '../../../eventsourcing/src/event-store.port';
import { EventSchemaRegistry, type JsonSchema } from '../../../eventsourcing/src/schemas/event-schemas';
import { Upcasters } from '../../../eventsourcing/src/upcasting/upcaster';
import { UpcastingEventStore } from '../../../eventsourcing/src/upcasting/upcasting-event-store';
import { COMMISSIONS_SCHEMA_VERSIONS } from '../../../commissions/src/contracts/commissions.events';
import { COMMISSIONS_EVENT_SCHEMAS } from '../../../commissions/src/contracts/commissions.schemas';
import { COMMISSIONS_UPCASTERS } from '../../../commissions/src/contracts/commissions.upcasters';
import { SALES_SCHEMA_VERSIONS } from '../../../sales/src/contracts/sales.events';
import { SALES_EVENT_SCHEMAS } from '../../../sales/src/contracts/sales.schemas';
import { COLLECTION_TASK_SCHEMA_VERSIONS } from '../../../track-to-cash/src/collection-tasks/contracts/collection-tasks.events';
import { COLLECTION_TASK_EVENT_SCHEMAS } from '../../../track-to-cash/src/collection-tasks/contracts/collection-tasks.schemas';
import envelopeSchema from './event-envelope.v1.schema.json';

/** Every upcaster of the system. */
export const UPCASTERS = new Upcasters([...COMMISSIONS_UPCASTERS]);

/** Every published event schema, with the current version of each type (checked complete at load). */
export const EVENT_SCHEMAS = new EventSchemaRegistry(
  [...SALES_EVENT_SCHEMAS, ...COMMISSIONS_EVENT_SCHEMAS, ...COLLECTION_TASK_EVENT_SCHEMAS],
  { ...SALES_SCHEMA_VERSIONS, ...COMMISSIONS_SCHEMA_VERSIONS, ...COLLECTION_TASK_SCHEMA_VERSIONS },
  UPCASTERS,
);

/** The envelope of one event as the feed shows it (see event.response.dto.ts, toEventDto). */
export const EVENT_ENVELOPE_SCHEMA: JsonSchema = envelopeSchema;

/** The store every reader should use: events delivered in their current version. */
export function withUpcasting(store: EventStore): EventStore {
  return new UpcastingEventStore(store, UPCASTERS);
}
