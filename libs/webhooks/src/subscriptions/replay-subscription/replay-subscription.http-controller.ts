import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { WebhookSubscriptionDto } from '../webhook-subscription.response.dto';
import { ReplaySubscriptionCommand } from './replay-subscription.handler';
import { ReplaySubscriptionRequestDto } from './replay-subscription.request.dto';

@ApiTags('webhooks')
@Controller('webhook-subscriptions')
export class ReplaySubscriptionHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/replay')
  @Roles() // admin only
  @HttpCode(200)
  @ApiOperation({
    summary: 'Deliver again from a cursor; resumes a parked subscription',
    description:
      'The checkpoint moves to `from` (deliveries continue strictly after it, in order), the state becomes ' +
      'active and the parked event is forgotten. Receivers see the events again with the same webhook-id.',
  })
  @ApiParam({ name: 'id', example: 'erp-sync' })
  @ApiBody({ type: ReplaySubscriptionRequestDto, examples: { fromStart: { value: { from: '' } } } })
  @ApiOkResponse({ type: WebhookSubscriptionDto })
  replay(
    @Param('id', IdParamPipe) id: string,
    @Body() body: ReplaySubscriptionRequestDto,
  ): Promise<WebhookSubscriptionDto> {
    return this.commands.execute(new ReplaySubscriptionCommand(id, body.from));
  }
}
