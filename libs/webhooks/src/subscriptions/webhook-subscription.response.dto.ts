import { ApiProperty } from '@nestjs/swagger';
import { encodePositionCursor } from '../../../feed/src/feed-cursor';
import type { SubscriptionRecord } from './webhook-subscriptions.repository';

/** The event a subscription is stuck on: nothing after it is delivered until a replay. */
export class ParkedDto {
  @ApiProperty({ example: '9b2f7d4e-1c3a-5e6f-8a9b-0c1d2e3f4a5b', description: 'The event whose delivery failed' })
  eventId!: string;
  @ApiProperty({ example: '2026-01-10T09:31:02.512Z', description: 'When the last attempt failed' }) at!: string;
  @ApiProperty({ example: 12, description: 'Attempts made at that event' }) attempts!: number;
}

/** The event being retried right now. */
export class RetryingDto {
  @ApiProperty({ example: '9b2f7d4e-1c3a-5e6f-8a9b-0c1d2e3f4a5b' }) eventId!: string;
  @ApiProperty({ example: 3, description: 'Attempts that failed so far' }) attempts!: number;
}

export class WebhookSubscriptionDto {
  @ApiProperty({ example: 'erp-sync' }) subscriptionId!: string;
  @ApiProperty({ example: 'https://hooks.example.com/commissions' }) url!: string;
  @ApiProperty({ example: ['SaleBooked', 'PaymentReceived'], description: 'Empty: every event type' })
  eventTypes!: string[];
  @ApiProperty({
    enum: ['active', 'parked'],
    example: 'active',
    description: 'parked: the last attempt at an event failed; deliveries wait for POST …/{id}/replay',
  })
  state!: 'active' | 'parked';
  @ApiProperty({
    example: 'YzE6MTA0My83',
    description:
      'A feed cursor (as GET /api/v1/events answers) of the last event delivered or passed over: deliveries ' +
      'continue strictly after it',
  })
  position!: string;
  @ApiProperty({ example: 42, description: 'Events delivered (2xx) since the subscription was made' })
  delivered!: number;
  @ApiProperty({ example: '2026-01-10T09:12:44.120Z', nullable: true, type: String })
  lastDeliveredAt!: string | null;
  @ApiProperty({
    example: 'HTTP 503',
    nullable: true,
    type: String,
    description: 'The last failed attempt (kept after a later success; see lastErrorAt)',
  })
  lastError!: string | null;
  @ApiProperty({ example: '2026-01-10T09:12:40.003Z', nullable: true, type: String }) lastErrorAt!: string | null;
  @ApiProperty({ type: RetryingDto, nullable: true, example: null }) retrying!: RetryingDto | null;
  @ApiProperty({ type: ParkedDto, nullable: true, example: null }) parked!: ParkedDto | null;
  @ApiProperty({ example: '2026-01-10T09:00:00.000Z' }) createdAt!: string;
}

/** The answer to POST: the only one that shows the secret. */
export class WebhookSubscriptionCreatedDto extends WebhookSubscriptionDto {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret (Standard Webhooks form). Shown only in this answer: keep it',
  })
  secret!: string;
}

export class WebhookSubscriptionPageDto {
  @ApiProperty({ type: [WebhookSubscriptionDto] }) items!: WebhookSubscriptionDto[];
  @ApiProperty({ example: null, nullable: true, type: String, description: 'null on the last page' })
  nextCursor!: string | null;
}

export function toSubscriptionDto(s: SubscriptionRecord): WebhookSubscriptionDto {
  return {
    subscriptionId: s.subscriptionId,
    url: s.url,
    eventTypes: [...s.eventTypes],
    state: s.state,
    position: encodePositionCursor(s.position),
    delivered: Number(s.delivered),
    lastDeliveredAt: s.lastDeliveredAt,
    lastError: s.lastError,
    lastErrorAt: s.lastErrorAt,
    retrying:
      s.state === 'active' && s.failingEventId !== null && s.failedAttempts > 0
        ? { eventId: s.failingEventId, attempts: s.failedAttempts }
        : null,
    parked:
      s.state === 'parked' && s.parkedEventId !== null
        ? { eventId: s.parkedEventId, at: s.parkedAt ?? s.lastErrorAt ?? s.createdAt, attempts: s.failedAttempts }
        : null,
    createdAt: s.createdAt,
  };
}
