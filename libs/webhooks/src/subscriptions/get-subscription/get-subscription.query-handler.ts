import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '../../../../eventsourcing/src/decider';
import { toSubscriptionDto, type WebhookSubscriptionDto } from '../webhook-subscription.response.dto';
import { WebhookSubscriptions } from '../webhook-subscriptions.repository';

export class GetSubscriptionQuery {
  constructor(readonly subscriptionId: string) {}
}

@QueryHandler(GetSubscriptionQuery)
export class GetSubscriptionQueryHandler implements IQueryHandler<GetSubscriptionQuery, WebhookSubscriptionDto> {
  constructor(private readonly subscriptions: WebhookSubscriptions) {}

  async execute({ subscriptionId }: GetSubscriptionQuery): Promise<WebhookSubscriptionDto> {
    const found = await this.subscriptions.find(subscriptionId);
    if (!found) throw new NotFoundError('Webhook subscription', subscriptionId);
    return toSubscriptionDto(found);
  }
}
