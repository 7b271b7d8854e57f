import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type Page, type PageRequest, toPage } from '../../../../platform/src/http/pagination';
import { toSubscriptionDto, type WebhookSubscriptionDto } from '../webhook-subscription.response.dto';
import { WebhookSubscriptions } from '../webhook-subscriptions.repository';

export class ListSubscriptionsQuery {
  constructor(readonly page: PageRequest) {}
}

/** Live subscriptions in id order, with their delivery status. */
@QueryHandler(ListSubscriptionsQuery)
export class ListSubscriptionsQueryHandler implements IQueryHandler<
  ListSubscriptionsQuery,
  Page<WebhookSubscriptionDto>
> {
  constructor(private readonly subscriptions: WebhookSubscriptions) {}

  async execute({ page }: ListSubscriptionsQuery): Promise<Page<WebhookSubscriptionDto>> {
    const rows = await this.subscriptions.list(page.after, page.limit);
    return toPage(rows, page, (s) => s.subscriptionId, toSubscriptionDto);
  }
}
