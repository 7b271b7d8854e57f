/**
 * The published JSON Schemas (draft 2020-12) of the commissions events' `data`, one file per type and
 * version in ./schemas: those files are the published truth (served at GET /api/v1/event-schemas).
 * Versioning policy: README.md § Published event schemas. Framework-free.
 */
import { type EventSchema, eventSchema } from '../../../eventsourcing/src/schemas/event-schemas';
import AdjustmentPostedV1 from './schemas/AdjustmentPosted.v1.schema.json';
import CommissionsRecalculatedV1 from './schemas/CommissionsRecalculated.v1.schema.json';
import PayoutRecordedV1 from './schemas/PayoutRecorded.v1.schema.json';
import PeriodClosedV1 from './schemas/PeriodClosed.v1.schema.json';
import PeriodClosedV2 from './schemas/PeriodClosed.v2.schema.json';

/** Every published schema of these contracts, each file's `$id` naming its type and version. */
export const COMMISSIONS_EVENT_SCHEMAS: readonly EventSchema[] = [
  AdjustmentPostedV1,
  CommissionsRecalculatedV1,
  PayoutRecordedV1,
  PeriodClosedV1,
  PeriodClosedV2,
].map(eventSchema);
