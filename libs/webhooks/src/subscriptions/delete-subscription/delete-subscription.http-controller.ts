import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { DeleteSubscriptionCommand } from './delete-subscription.handler';

@ApiTags('webhooks')
@Controller('webhook-subscriptions')
export class DeleteSubscriptionHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Delete(':id')
  @Roles() // admin only
  @HttpCode(204)
  @ApiOperation({ summary: 'Unsubscribe: no delivery starts after this (404 if unknown or already deleted)' })
  @ApiParam({ name: 'id', example: 'erp-sync' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@Param('id', IdParamPipe) id: string): Promise<void> {
    await this.commands.execute(new DeleteSubscriptionCommand(id));
  }
}
