import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { NotFoundError } from '../../../../eventsourcing/src/decider';
import { WebhookSubscriptions } from '../webhook-subscriptions.repository';

export class DeleteSubscriptionCommand {
  constructor(readonly subscriptionId: string) {}
}

/**
 * Stops deliveries: the dispatcher sees the deletion before its next attempt (a request already in
 * flight completes). The row is kept, marked deleted; the id may be used again.
 */
@CommandHandler(DeleteSubscriptionCommand)
export class DeleteSubscriptionHandler implements ICommandHandler<DeleteSubscriptionCommand, void> {
  constructor(private readonly subscriptions: WebhookSubscriptions) {}

  async execute({ subscriptionId }: DeleteSubscriptionCommand): Promise<void> {
    if (!(await this.subscriptions.delete(subscriptionId))) {
      throw new NotFoundError('Webhook subscription', subscriptionId);
    }
  }
}
