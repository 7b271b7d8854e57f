import { ApiProperty } from '@nestjs/swagger';
import type { StoredEvent } from '../../eventsourcing/src/event';

/** Who did what, and why: recorded with every event (more keys may appear). */
export class EventMetadataDto {
  @ApiProperty({ example: 'ops-jane', description: 'The `sub` of the token that sent the command, or a system actor' })
  actor!: string;
  @ApiProperty({ example: 'O1', description: 'The command’s own id (orderId, paymentId, …)' }) commandId!: string;
  @ApiProperty({ example: 'BookSale' }) commandType!: string;
  @ApiProperty({ example: '4d0c3b8e-0f3e-4a55-9a43-6c1b0d6e2f11' }) correlationId!: string;
  @ApiProperty({ example: '0e6b1c4a-2d7f-4b8e-8f5a-3c2d1e0f9a8b' }) causationId!: string;
  @ApiProperty({
    required: false,
    example: '3f1a9c…',
    description: 'SHA-256 of the command’s canonical body (idempotency check)',
  })
  requestHash?: string;
  readonly [key: string]: unknown;
}

/** One event as the store keeps it: the same shape in stream reads, the feed and the SSE stream. */
export class EventDto {
  @ApiProperty({ example: '9b2f7d4e-1c3a-5e6f-8a9b-0c1d2e3f4a5b' }) eventId!: string;
  @ApiProperty({ example: 'SaleBooked' }) type!: string;
  @ApiProperty({ example: 1 }) schemaVersion!: number;
  @ApiProperty({ example: 'order-O1' }) streamId!: string;
  @ApiProperty({ example: '0', description: '0-based revision within its stream (a string: 64-bit)' })
  streamRevision!: string;
  @ApiProperty({ example: '7', description: 'Global position in the log (a string: 64-bit)' }) globalPosition!: string;
  @ApiProperty({ example: '2026-01-10T00:00:00.000Z', description: 'Business time, given by the caller' })
  occurredAt!: string;
  @ApiProperty({ example: '2026-01-10T09:12:44.120Z', description: 'Record time, set by the store' })
  recordedAt!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: {
      orderId: 'O1',
      customerId: 'C1',
      amount: { amount: 10000000, currency: 'USD' },
      bookedAt: '2026-01-10T00:00:00.000Z',
      salesCredits: [
        { salespersonId: 'alice', splitBps: 6000 },
        { salespersonId: 'bob', splitBps: 4000 },
      ],
    },
  })
  data!: unknown;
  @ApiProperty({ type: EventMetadataDto }) metadata!: EventMetadataDto;
}

export function toEventDto(event: StoredEvent): EventDto {
  return {
    eventId: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    streamId: event.streamId,
    streamRevision: event.streamRevision.toString(),
    globalPosition: event.globalPosition.toString(),
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    data: event.data,
    metadata: event.metadata as EventMetadataDto,
  };
}

/** A page of the global feed. */
export class FeedPageDto {
  @ApiProperty({ type: [EventDto] }) items!: EventDto[];
  @ApiProperty({
    example: 'YzE6MTA0My83',
    description:
      'Always present: resume with `after=<nextCursor>` (strictly after every event considered so far, ' +
      'matching `types` or not). At the end of the log it is where new events will start; poll with it.',
  })
  nextCursor!: string;
  @ApiProperty({ example: true, description: 'The read reached the newest event visible now' }) isEnd!: boolean;
}
