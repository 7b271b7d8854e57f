import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { WebhookSubscriptionCreatedDto } from '../webhook-subscription.response.dto';
import { CreateSubscriptionCommand } from './create-subscription.handler';
import { CreateSubscriptionRequestDto } from './create-subscription.request.dto';

@ApiTags('webhooks')
@Controller('webhook-subscriptions')
export class CreateSubscriptionHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles() // admin only
  @HttpCode(201)
  @ApiOperation({
    summary: 'Subscribe a receiver URL to the event log (Standard Webhooks deliveries)',
    description:
      'Each event is POSTed as `{type, timestamp, data}` (data: the event as GET /api/v1/events shows it) with ' +
      'the headers webhook-id (the event id), webhook-timestamp and webhook-signature (v1, HMAC-SHA256 with the ' +
      'secret): verify with any Standard Webhooks library. At least once, one at a time in the global order; a ' +
      'non-2xx answer, a redirect or a timeout is retried with exponential backoff and jitter, and after the last ' +
      'attempt the subscription is parked until POST …/{id}/replay. 400 for a URL that is not absolute http(s) or ' +
      'carries credentials; 422 WEBHOOK_HOST_NOT_ALLOWED for a host outside WEBHOOK_ALLOWED_HOSTS.',
  })
  @ApiBody({
    type: CreateSubscriptionRequestDto,
    examples: {
      erp: {
        value: {
          subscriptionId: 'erp-sync',
          url: 'https://hooks.example.com/commissions',
          eventTypes: ['SaleBooked', 'PaymentReceived'],
        },
      },
    },
  })
  @ApiCreatedResponse({ type: WebhookSubscriptionCreatedDto })
  create(@Body() body: CreateSubscriptionRequestDto): Promise<WebhookSubscriptionCreatedDto> {
    return this.commands.execute(new CreateSubscriptionCommand(body));
  }
}
