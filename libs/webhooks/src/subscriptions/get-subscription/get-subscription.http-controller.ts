import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { WebhookSubscriptionDto } from '../webhook-subscription.response.dto';
import { GetSubscriptionQuery } from './get-subscription.query-handler';

@ApiTags('webhooks')
@Controller('webhook-subscriptions')
export class GetSubscriptionHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @Roles('compliance') // and admin: compliance reads everything (api.md), never the signing secret
  @ApiOperation({ summary: 'One webhook subscription and its delivery status (404 once deleted)' })
  @ApiParam({ name: 'id', example: 'erp-sync' })
  @ApiOkResponse({ type: WebhookSubscriptionDto })
  get(@Param('id', IdParamPipe) id: string): Promise<WebhookSubscriptionDto> {
    return this.queries.execute(new GetSubscriptionQuery(id));
  }
}
