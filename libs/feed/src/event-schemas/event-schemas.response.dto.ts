import { ApiProperty } from '@nestjs/swagger';

const SALE_BOOKED_V1_EXCERPT = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://docs.commissions.example/events/SaleBooked/v1',
  title: 'SaleBooked v1',
  type: 'object',
  required: ['orderId', 'customerId', 'amount', '…'],
  additionalProperties: false,
  properties: { orderId: { type: 'string' }, amount: { $ref: '#/$defs/money' } },
};

/** One published schema of an event type's data. */
export class EventSchemaItemDto {
  @ApiProperty({ example: 'SaleBooked', description: 'The event type (the `type` of events in the feed)' })
  type!: string;
  @ApiProperty({ example: 1, description: 'The schema version (the `schemaVersion` of events)' }) version!: number;
  @ApiProperty({
    example: true,
    description: 'Events of this type are written, and read (older versions are upcast), in this version',
  })
  current!: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The JSON Schema (draft 2020-12) of the event’s `data`',
    example: SALE_BOOKED_V1_EXCERPT,
  })
  schema!: Record<string, unknown>;
}

/** Every published event schema, the current version of each type and the envelope. */
export class EventSchemaListDto {
  @ApiProperty({ type: [EventSchemaItemDto], description: 'By type, then version' }) items!: EventSchemaItemDto[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { PeriodClosed: 2, SaleBooked: 1 },
    description: 'The current version of every event type',
  })
  currentVersions!: Record<string, number>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'The JSON Schema of the envelope every event comes in (feed items, SSE data:); also at /event-schemas/envelope/1',
    example: { $id: 'https://docs.commissions.example/events/envelope/v1', type: 'object' },
  })
  envelope!: Record<string, unknown>;
}
