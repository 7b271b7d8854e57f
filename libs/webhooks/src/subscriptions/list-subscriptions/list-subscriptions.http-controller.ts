import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { singleParam } from '../../../../feed/src/feed-cursor';
import { Roles } from '../../../../platform/src/auth/roles';
import { type Page, parsePage } from '../../../../platform/src/http/pagination';
import { ValidationFailedException } from '../../../../platform/src/http/problem';
import { ID_PATTERN } from '../../../../platform/src/http/validators';
import { type WebhookSubscriptionDto, WebhookSubscriptionPageDto } from '../webhook-subscription.response.dto';
import { ListSubscriptionsQuery } from './list-subscriptions.query-handler';

@ApiTags('webhooks')
@Controller('webhook-subscriptions')
export class ListSubscriptionsHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('compliance') // and admin: compliance reads everything (api.md), never the signing secret
  @ApiOperation({
    summary: 'Webhook subscriptions with their delivery status',
    description:
      'position (the last event delivered, as a feed cursor), delivered, the event being retried, and `parked` ' +
      'when the last attempt failed. The secret is never shown again.',
  })
  @ApiQuery({ name: 'limit', required: false, example: 100, description: '1-1000, default 100' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiOkResponse({ type: WebhookSubscriptionPageDto })
  list(@Query('limit') limit?: unknown, @Query('cursor') cursor?: unknown): Promise<Page<WebhookSubscriptionDto>> {
    const page = parsePage(singleParam(limit, 'limit'), singleParam(cursor, 'cursor'));
    if (page.after !== null && !ID_PATTERN.test(page.after)) {
      throw new ValidationFailedException([
        { field: 'cursor', message: 'cursor must be a nextCursor from a previous page' },
      ]);
    }
    return this.queries.execute(new ListSubscriptionsQuery(page));
  }
}
