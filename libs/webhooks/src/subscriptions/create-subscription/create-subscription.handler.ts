import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../../../eventsourcing/src/decider';
import { START } from '../../../../eventsourcing/src/event';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { decodePositionCursor } from '../../../../feed/src/feed-cursor';
import type { Settings } from '../../../../platform/src/config/settings';
import { EVENT_STORE, SETTINGS } from '../../../../platform/src/cqrs/tokens';
import { ValidationFailedException } from '../../../../platform/src/http/problem';
import { checkReceiverUrl } from '../../delivery/receiver-url';
import { generateSecret, secretKey } from '../../delivery/webhook-signature';
import { toSubscriptionDto, type WebhookSubscriptionCreatedDto } from '../webhook-subscription.response.dto';
import { WebhookSubscriptions } from '../webhook-subscriptions.repository';
import type { CreateSubscriptionRequestDto } from './create-subscription.request.dto';

export class CreateSubscriptionCommand {
  constructor(readonly body: CreateSubscriptionRequestDto) {}
}

/**
 * Subscribes a receiver URL. Repeating the request with the same subscriptionId and the same url,
 * eventTypes (and secret, if given) answers as the first time, secret included; another body is
 * 409 IDEMPOTENCY_CONFLICT.
 */
@CommandHandler(CreateSubscriptionCommand)
export class CreateSubscriptionHandler implements ICommandHandler<
  CreateSubscriptionCommand,
  WebhookSubscriptionCreatedDto
> {
  constructor(
    private readonly subscriptions: WebhookSubscriptions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  async execute({ body }: CreateSubscriptionCommand): Promise<WebhookSubscriptionCreatedDto> {
    const url = checkReceiverUrl(body.url, this.settings.webhookAllowedHosts);
    if (!url.ok && url.reason === 'invalid') {
      throw new ValidationFailedException([{ field: 'url', message: url.message }]);
    }
    if (body.secret !== undefined && secretKey(body.secret) === null) {
      throw new ValidationFailedException([
        { field: 'secret', message: 'secret must be whsec_ followed by the base64 of 24 to 64 random bytes' },
      ]);
    }
    const position =
      body.from === undefined ? await this.store.headPosition() : (decodePositionCursor(body.from, 'from') ?? START);
    if (!url.ok) throw new DomainError('WEBHOOK_HOST_NOT_ALLOWED', url.message);
    const eventTypes = [...new Set(body.eventTypes)].sort();
    const subscriptionId = body.subscriptionId ?? randomUUID();
    const secret = body.secret ?? generateSecret();
    const created = await this.subscriptions.insert({ subscriptionId, url: body.url, eventTypes, secret, position });
    if (created) return { ...toSubscriptionDto(created), secret };
    const existing = await this.subscriptions.find(subscriptionId);
    if (
      existing &&
      existing.url === body.url &&
      existing.eventTypes.join(',') === eventTypes.join(',') &&
      (body.secret === undefined || body.secret === existing.secret)
    ) {
      return { ...toSubscriptionDto(existing), secret: existing.secret };
    }
    throw new DomainError(
      'IDEMPOTENCY_CONFLICT',
      `Webhook subscription ${subscriptionId} already exists with another url, eventTypes or secret`,
      'conflict',
    );
  }
}
