/**
 * Validates events against the published schemas with ajv (draft 2020-12, strict). Tests only:
 * ajv is a dev dependency. `date-time` and `date` are checked here (ajv-formats is not installed).
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { isValidDate } from '../../../../shared-kernel/src/time';
import type { EventSchemaRegistry, JsonSchema } from '../../../../eventsourcing/src/schemas/event-schemas';
import { EVENT_ENVELOPE_SCHEMA, EVENT_SCHEMAS } from '../published-events';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addFormat('date-time', {
    type: 'string',
    validate: (s: string) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)) && isValidDate(s.slice(0, 10)),
  });
  ajv.addFormat('date', { type: 'string', validate: (s: string) => isValidDate(s) });
  return ajv;
}

/** One event as the feed shows it (toEventDto), loosely typed. */
export interface FeedEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly [key: string]: unknown;
}

export class EventSchemaValidator {
  private readonly ajv = createAjv();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly envelope: ValidateFunction;

  constructor(
    readonly registry: EventSchemaRegistry = EVENT_SCHEMAS,
    envelope: JsonSchema = EVENT_ENVELOPE_SCHEMA,
  ) {
    this.envelope = this.ajv.compile(envelope);
  }

  private validator(type: string, version: number): ValidateFunction | null {
    const key = `${type}/v${version}`;
    let v = this.compiled.get(key);
    if (!v) {
      const found = this.registry.get(type, version);
      if (!found) return null;
      v = this.ajv.compile(found.schema);
      this.compiled.set(key, v);
    }
    return v;
  }

  /** Problems of one event's data against the schema of its type and version; [] when valid. */
  dataErrors(type: string, version: number, data: unknown): string[] {
    const validate = this.validator(type, version);
    if (!validate) return [`no schema of ${type} v${version}`];
    return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  }

  /** Problems of one feed item: the envelope, its data, and a version other than the current one. */
  feedEventErrors(event: FeedEvent): string[] {
    const errors = this.envelope(event)
      ? []
      : (this.envelope.errors ?? []).map((e) => `envelope ${e.instancePath || '/'} ${e.message ?? ''}`);
    const current = this.registry.currentVersion(event.type);
    if (current !== event.schemaVersion) errors.push(`schemaVersion ${event.schemaVersion}, current ${current}`);
    return [...errors, ...this.dataErrors(event.type, event.schemaVersion, event.data)];
  }
}
