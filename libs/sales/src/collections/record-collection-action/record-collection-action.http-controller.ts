import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { normaliseInstant } from '../../../../shared-kernel/src/time';
import { RecordCollectionActionMessage } from './record-collection-action.handler';
import { RecordCollectionActionRequestDto } from './record-collection-action.request.dto';

@ApiTags('collections')
@Controller('orders/:id/collection-actions')
export class RecordCollectionActionHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('finance')
  @HttpCode(201)
  @ApiBody({
    type: RecordCollectionActionRequestDto,
    examples: {
      reminder: {
        value: {
          actionId: 'ACT-1',
          invoiceId: 'INV-1',
          stepId: 'reminder-after',
          action: 'REMINDER',
          takenAt: '2026-02-10T09:00:00Z',
          note: 'Sent the reminder e-mail',
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  execute(
    @Param('id', IdParamPipe) orderId: string,
    @Body() body: RecordCollectionActionRequestDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new RecordCollectionActionMessage(
        {
          type: 'RecordCollectionAction',
          orderId,
          actionId: body.actionId,
          invoiceId: body.invoiceId,
          stepId: body.stepId ?? null,
          action: body.action,
          takenAt: normaliseInstant(body.takenAt),
          note: body.note ?? null,
        },
        ctx,
        { orderId, ...body },
      ),
    );
  }
}
