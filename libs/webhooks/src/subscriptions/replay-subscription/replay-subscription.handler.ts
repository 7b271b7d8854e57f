import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { NotFoundError } from '../../../../eventsourcing/src/decider';
import { START } from '../../../../eventsourcing/src/event';
import { decodePositionCursor } from '../../../../feed/src/feed-cursor';
import { toSubscriptionDto, type WebhookSubscriptionDto } from '../webhook-subscription.response.dto';
import { WebhookSubscriptions } from '../webhook-subscriptions.repository';

export class ReplaySubscriptionCommand {
  constructor(
    readonly subscriptionId: string,
    readonly from: string | undefined,
  ) {}
}

/**
 * Moves the subscription's checkpoint to `from` and makes it active: a parked subscription resumes
 * (its parked event is attempted again, with fresh attempts), an active one re-delivers from there.
 */
@CommandHandler(ReplaySubscriptionCommand)
export class ReplaySubscriptionHandler implements ICommandHandler<ReplaySubscriptionCommand, WebhookSubscriptionDto> {
  constructor(private readonly subscriptions: WebhookSubscriptions) {}

  async execute({ subscriptionId, from }: ReplaySubscriptionCommand): Promise<WebhookSubscriptionDto> {
    const position = decodePositionCursor(from, 'from') ?? START;
    const replayed = await this.subscriptions.replay(subscriptionId, position);
    if (!replayed) throw new NotFoundError('Webhook subscription', subscriptionId);
    return toSubscriptionDto(replayed);
  }
}
