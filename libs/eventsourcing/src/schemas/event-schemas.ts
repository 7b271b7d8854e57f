/**
 * Published event schemas: one JSON Schema (draft 2020-12) per event type and schema version,
 * describing the event's `data`. The JSON files kept beside each context's contracts are the
 * published truth; this registry only indexes them and checks that they are complete. Framework-free.
 *
 * Versioning policy: an additive change (a new optional field) keeps the version; any other change
 * (a field renamed, removed, made required, retyped) is a new version with an upcaster from the
 * previous one. Readers only ever see current versions (see ../upcasting).
 */
import type { Upcasters } from '../upcasting/upcaster';

/** A JSON Schema document, as parsed from its file. */
export type JsonSchema = { readonly [key: string]: unknown };

export interface EventSchema {
  readonly type: string;
  readonly version: number;
  readonly schema: JsonSchema;
}

export interface EventSchemaEntry extends EventSchema {
  /** Events of this type are written (and read, after upcasting) in this version. */
  readonly current: boolean;
}

/** Where the schemas are published: `$id` of a type's version, `${EVENT_SCHEMA_BASE}/<type>/v<version>`. */
export const EVENT_SCHEMA_BASE = 'https://docs.commissions.example/events';
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export function eventSchemaId(type: string, version: number): string {
  return `${EVENT_SCHEMA_BASE}/${type}/v${version}`;
}

/** An entry of a contracts folder's list: the type and version are read from the schema's `$id`. */
export function eventSchema(schema: JsonSchema): EventSchema {
  const id = typeof schema['$id'] === 'string' ? schema['$id'] : '';
  const m = /^(.*)\/([A-Za-z][A-Za-z0-9]*)\/v([1-9]\d*)$/.exec(id);
  if (!m || m[1] !== EVENT_SCHEMA_BASE || m[2] === undefined || m[3] === undefined) {
    throw new Error(`An event schema's $id must be ${eventSchemaId('<Type>', 1)}-like, got "${id}"`);
  }
  return { type: m[2], version: Number(m[3]), schema };
}

/**
 * Every published schema of a system, with the current version of each type. Construction checks
 * the set is complete: a schema per type for its current version, none for a later version or an
 * unknown type, and (given the upcasters) a chain from every older version to the current one.
 */
export class EventSchemaRegistry {
  private readonly byKey = new Map<string, EventSchema>();
  private readonly current: ReadonlyMap<string, number>;

  constructor(
    schemas: readonly EventSchema[],
    currentVersions: Readonly<Record<string, number>>,
    upcasters?: Upcasters,
  ) {
    this.current = new Map(Object.entries(currentVersions));
    for (const s of schemas) {
      const key = `${s.type}/v${s.version}`;
      if (this.byKey.has(key)) throw new Error(`Two schemas of ${key}`);
      if (s.schema['$schema'] !== JSON_SCHEMA_DIALECT)
        throw new Error(`${key}: $schema must be ${JSON_SCHEMA_DIALECT}`);
      if (s.schema['$id'] !== eventSchemaId(s.type, s.version)) {
        throw new Error(`${key}: $id must be ${eventSchemaId(s.type, s.version)}`);
      }
      const current = this.current.get(s.type);
      if (current === undefined) throw new Error(`${key}: no such event type`);
      if (s.version > current) throw new Error(`${key}: later than the current version ${current}`);
      if (upcasters && s.version < current && upcasters.versionAfter(s.type, s.version) !== current) {
        throw new Error(`${key}: no upcaster chain to the current version ${current}`);
      }
      this.byKey.set(key, s);
    }
    for (const [type, version] of this.current) {
      if (!this.byKey.has(`${type}/v${version}`))
        throw new Error(`${type}: no schema of its current version ${version}`);
    }
  }

  /** Every schema, by type then version. */
  list(): EventSchemaEntry[] {
    return [...this.byKey.values()]
      .map((s) => ({ ...s, current: this.current.get(s.type) === s.version }))
      .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.version - b.version));
  }

  get(type: string, version: number): EventSchema | undefined {
    return this.byKey.get(`${type}/v${version}`);
  }

  /** The version events of this type are written and read in; undefined for an unknown type. */
  currentVersion(type: string): number | undefined {
    return this.current.get(type);
  }

  /** The current version of every type, by type. */
  currentVersions(): Record<string, number> {
    return Object.fromEntries([...this.current].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}
