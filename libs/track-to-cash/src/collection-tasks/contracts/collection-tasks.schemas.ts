/**
 * The published JSON Schema of the due-task feed's event (./schemas; served at
 * GET /api/v1/event-schemas). Versioning policy: README.md § Published event schemas. Framework-free.
 */
import { type EventSchema, eventSchema } from '../../../../eventsourcing/src/schemas/event-schemas';
import CollectionTaskFellDueV1 from './schemas/CollectionTaskFellDue.v1.schema.json';

export const COLLECTION_TASK_EVENT_SCHEMAS: readonly EventSchema[] = [CollectionTaskFellDueV1].map(eventSchema);
