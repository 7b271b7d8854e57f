import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../../platform/src/cqrs/tokens';
import { CreateSubscriptionHandler } from './subscriptions/create-subscription/create-subscription.handler';
import { CreateSubscriptionHttpController } from './subscriptions/create-subscription/create-subscription.http-controller';
import { DeleteSubscriptionHandler } from './subscriptions/delete-subscription/delete-subscription.handler';
import { DeleteSubscriptionHttpController } from './subscriptions/delete-subscription/delete-subscription.http-controller';
import { GetSubscriptionHttpController } from './subscriptions/get-subscription/get-subscription.http-controller';
import { GetSubscriptionQueryHandler } from './subscriptions/get-subscription/get-subscription.query-handler';
import { ListSubscriptionsHttpController } from './subscriptions/list-subscriptions/list-subscriptions.http-controller';
import { ListSubscriptionsQueryHandler } from './subscriptions/list-subscriptions/list-subscriptions.query-handler';
import { ReplaySubscriptionHandler } from './subscriptions/replay-subscription/replay-subscription.handler';
import { ReplaySubscriptionHttpController } from './subscriptions/replay-subscription/replay-subscription.http-controller';
import { WebhookSubscriptions } from './subscriptions/webhook-subscriptions.repository';

/**
 * Webhook subscriptions (admin): `/api/v1/webhook-subscriptions`. The deliveries themselves are made
 * by the WebhookDispatcher, which runs where the projections run (see libs/bootstrap/src/system.ts).
 */
@Module({
  imports: [CqrsModule],
  controllers: [
    CreateSubscriptionHttpController,
    ListSubscriptionsHttpController,
    GetSubscriptionHttpController,
    DeleteSubscriptionHttpController,
    ReplaySubscriptionHttpController,
  ],
  providers: [
    {
      provide: WebhookSubscriptions,
      useFactory: (dataSource: DataSource) => new WebhookSubscriptions(dataSource),
      inject: [DATA_SOURCE],
    },
    CreateSubscriptionHandler,
    ListSubscriptionsQueryHandler,
    GetSubscriptionQueryHandler,
    DeleteSubscriptionHandler,
    ReplaySubscriptionHandler,
  ],
})
export class WebhooksModule {}
