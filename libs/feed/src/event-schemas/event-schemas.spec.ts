/**
 * The published event schemas (issue 5, item 4): every file compiles as JSON Schema 2020-12
 * (ajv, strict), every event type of the contracts has a schema of its current version, the files
 * on disk are exactly the ones published, and PeriodClosed v1 upcasts to a valid v2.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { COMMISSIONS_SCHEMA_VERSIONS } from '../../../commissions/src/contracts/commissions.events';
import { COMMISSIONS_EVENT_SCHEMAS } from '../../../commissions/src/contracts/commissions.schemas';
import { periodClosedV1ToV2 } from '../../../commissions/src/contracts/commissions.upcasters';
import type { StoredEvent } from '../../../eventsourcing/src/event';
import {
  eventSchema,
  EventSchemaRegistry,
  eventSchemaId,
  type JsonSchema,
} from '../../../eventsourcing/src/schemas/event-schemas';
import { Upcasters } from '../../../eventsourcing/src/upcasting/upcaster';
import { SALES_EVENT_TYPES, SALES_SCHEMA_VERSIONS } from '../../../sales/src/contracts/sales.events';
import { SALES_EVENT_SCHEMAS } from '../../../sales/src/contracts/sales.schemas';
import { COLLECTION_TASK_SCHEMA_VERSIONS } from '../../../track-to-cash/src/collection-tasks/contracts/collection-tasks.events';
import { EVENT_ENVELOPE_SCHEMA, EVENT_SCHEMAS, UPCASTERS } from './published-events';
import { createAjv, EventSchemaValidator } from './testing/event-schema-validator';

const LIBS = join(__dirname, '..', '..', '..');

describe('published event schemas', () => {
  it('every schema and the envelope compile as JSON Schema 2020-12 (ajv, strict)', () => {
    const ajv = createAjv();
    for (const s of EVENT_SCHEMAS.list()) {
      expect(() => ajv.compile(s.schema)).not.toThrow();
      expect(s.schema).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: eventSchemaId(s.type, s.version),
        type: 'object',
        additionalProperties: false,
      });
      expect(typeof s.schema['description']).toBe('string');
    }
    expect(() => ajv.compile(EVENT_ENVELOPE_SCHEMA)).not.toThrow();
  });

  it('every event type of the contracts has a schema of its current version, and no other type has one', () => {
    const current = { ...SALES_SCHEMA_VERSIONS, ...COMMISSIONS_SCHEMA_VERSIONS, ...COLLECTION_TASK_SCHEMA_VERSIONS };
    expect(Object.keys(SALES_SCHEMA_VERSIONS).sort()).toEqual([...SALES_EVENT_TYPES].sort());
    for (const [type, version] of Object.entries(current)) {
      expect({ type, schema: EVENT_SCHEMAS.get(type, version)?.schema['$id'] }).toEqual({
        type,
        schema: eventSchemaId(type, version),
      });
      expect(EVENT_SCHEMAS.currentVersion(type)).toBe(version);
    }
    expect(EVENT_SCHEMAS.currentVersions()).toEqual(current);
    expect(new Set(EVENT_SCHEMAS.list().map((s) => s.type))).toEqual(new Set(Object.keys(current)));
    expect(EVENT_SCHEMAS.list().filter((s) => s.current)).toHaveLength(Object.keys(current).length);
  });

  it('the JSON files kept in the repository are exactly the published ones, each named after its $id', () => {
    for (const [context, list] of [
      ['sales', SALES_EVENT_SCHEMAS],
      ['commissions', COMMISSIONS_EVENT_SCHEMAS],
    ] as const) {
      const files = readdirSync(join(LIBS, context, 'src', 'contracts', 'schemas')).sort();
      expect(files).toEqual(list.map((s) => `${s.type}.v${s.version}.schema.json`).sort());
    }
  });

  it('money amounts are integers and every property is described', () => {
    const walk = (node: unknown, path: string, visit: (node: JsonSchema, path: string) => void) => {
      if (node === null || typeof node !== 'object') return;
      visit(node as JsonSchema, path);
      for (const [k, v] of Object.entries(node)) walk(v, `${path}/${k}`, visit);
    };
    for (const s of EVENT_SCHEMAS.list()) {
      const properties = s.schema['properties'] as Record<string, JsonSchema>;
      for (const [name, p] of Object.entries(properties)) {
        expect({ at: `${s.type}/v${s.version}/${name}`, described: typeof p['description'] === 'string' }).toEqual({
          at: `${s.type}/v${s.version}/${name}`,
          described: true,
        });
      }
      walk(s.schema, `${s.type}/v${s.version}`, (node, path) => {
        const money = node['$defs'] as Record<string, JsonSchema> | undefined;
        for (const def of ['money', 'signedMoney']) {
          const m = money?.[def];
          if (m)
            expect({ path, amount: (m['properties'] as Record<string, JsonSchema>)['amount']?.['type'] }).toEqual({
              path,
              amount: 'integer',
            });
        }
      });
    }
  });

  it('validates a real shape and refuses a wrong one', () => {
    const v = new EventSchemaValidator();
    const sale = {
      orderId: 'O1',
      customerId: 'C1',
      amount: { amount: 10000000, currency: 'USD' },
      bookedAt: '2026-01-10T00:00:00.000Z',
      salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
      paymentTermsDays: 30,
      dueDate: '2026-02-09',
      businessUnit: null,
      lines: [{ sku: 'SKU-1', quantity: 1, amount: { amount: 10000000, currency: 'USD' } }],
    };
    expect(v.dataErrors('SaleBooked', 1, sale)).toEqual([]);
    expect(v.dataErrors('SaleBooked', 1, { ...sale, amount: { amount: 100.5, currency: 'USD' } })).toEqual([
      '/amount/amount must be integer',
    ]);
    expect(v.dataErrors('SaleBooked', 1, { ...sale, extra: 1 })).toEqual(['/ must NOT have additional properties']);
    const { dueDate: _dueDate, ...withoutDueDate } = sale;
    expect(v.dataErrors('SaleBooked', 1, withoutDueDate)).toEqual(["/ must have required property 'dueDate'"]);
    expect(v.dataErrors('SaleBooked', 2, sale)).toEqual(['no schema of SaleBooked v2']);
  });
});

describe('PeriodClosed v1 → v2 (the upcast)', () => {
  const v = new EventSchemaValidator();
  const statement = {
    salespersonId: 'alice',
    currency: 'USD',
    opening: 0,
    earned: 600000,
    clawedBack: 0,
    adjustments: 0,
    paidOut: 0,
    closing: 600000,
    entryCount: 1,
    digest: 'a'.repeat(64),
  };
  const v1 = { period: '2026-01', closedBy: 'fin-joe', throughPosition: '7', statements: [statement] };
  const asStored = (data: unknown): StoredEvent => ({
    id: '00000000-0000-4000-8000-000000000001',
    type: 'PeriodClosed',
    schemaVersion: 1,
    data,
    metadata: {
      actor: 'fin-joe',
      commandId: '2026-01',
      commandType: 'ClosePeriod',
      correlationId: 'c',
      causationId: 'c',
    },
    occurredAt: '2026-02-01T00:00:00.000Z',
    streamId: 'periods-ledger',
    streamRevision: 0n,
    globalPosition: 8n,
    logPosition: { major: 8n, minor: 0n },
    recordedAt: '2026-02-01T00:00:00.000Z',
  });

  it('PeriodClosed is at version 2: v1 stays published, with an upcaster to v2', () => {
    expect(COMMISSIONS_SCHEMA_VERSIONS.PeriodClosed).toBe(2);
    expect(EVENT_SCHEMAS.list().filter((s) => s.type === 'PeriodClosed')).toEqual([
      expect.objectContaining({ version: 1, current: false }),
      expect.objectContaining({ version: 2, current: true }),
    ]);
    expect(UPCASTERS.versionAfter('PeriodClosed', 1)).toBe(2);
  });

  it('a v1 event without throughLogPosition is valid v1, invalid v2, and upcasts to a valid v2 with null', () => {
    expect(v.dataErrors('PeriodClosed', 1, v1)).toEqual([]);
    expect(v.dataErrors('PeriodClosed', 2, v1)).toEqual(["/ must have required property 'throughLogPosition'"]);
    const read = UPCASTERS.upcast(asStored(v1));
    expect(read.schemaVersion).toBe(2);
    expect(read.data).toEqual({ ...v1, throughLogPosition: null });
    expect(v.dataErrors('PeriodClosed', 2, read.data)).toEqual([]);
  });

  it('a v1 event that has throughLogPosition keeps it', () => {
    const withIt = { ...v1, throughLogPosition: '812/3' };
    expect(periodClosedV1ToV2.upcast(withIt, asStored(withIt))).toEqual(withIt);
    expect(v.dataErrors('PeriodClosed', 2, UPCASTERS.upcast(asStored(withIt)).data)).toEqual([]);
  });
});

describe('EventSchemaRegistry checks the set is complete', () => {
  const schema = (type: string, version: number) =>
    eventSchema({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: eventSchemaId(type, version),
      type: 'object',
    });

  it('refuses a missing current schema, an unknown type, a later version and a version no upcaster reaches', () => {
    expect(() => new EventSchemaRegistry([schema('A', 1)], { A: 2 })).toThrow('A: no schema of its current version 2');
    expect(() => new EventSchemaRegistry([schema('A', 1), schema('B', 1)], { A: 1 })).toThrow(
      'B/v1: no such event type',
    );
    expect(() => new EventSchemaRegistry([schema('A', 2)], { A: 1 })).toThrow('later than the current version 1');
    expect(() => new EventSchemaRegistry([schema('A', 1), schema('A', 2)], { A: 2 }, new Upcasters([]))).toThrow(
      'A/v1: no upcaster chain to the current version 2',
    );
    expect(() => eventSchema({ $id: 'https://elsewhere.example/A/v1' })).toThrow(/\$id/);
  });
});
