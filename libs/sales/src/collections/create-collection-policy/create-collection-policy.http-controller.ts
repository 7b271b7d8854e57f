import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { CreateCollectionPolicyMessage } from './create-collection-policy.handler';
import { CreateCollectionPolicyRequestDto } from './create-collection-policy.request.dto';

@ApiTags('collections')
@Controller('collection-policies')
export class CreateCollectionPolicyHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('finance')
  @HttpCode(201)
  @ApiBody({
    type: CreateCollectionPolicyRequestDto,
    examples: {
      strict: {
        value: {
          policyId: 'strict-v1',
          name: 'Strict collection',
          steps: [
            { stepId: 'pre', offsetDays: -5, action: 'REMINDER', responsible: 'SALESPERSON' },
            { stepId: 'call', offsetDays: 7, action: 'CALL', responsible: 'MANAGER' },
            { stepId: 'legal', offsetDays: 45, action: 'LEGAL_HANDOFF', responsible: 'FINANCE' },
          ],
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  create(@Body() body: CreateCollectionPolicyRequestDto, @Ctx() ctx: RequestContext): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new CreateCollectionPolicyMessage(
        {
          type: 'CreateCollectionPolicy',
          policyId: body.policyId,
          name: body.name,
          steps: body.steps.map((s) => ({
            stepId: s.stepId,
            offsetDays: s.offsetDays,
            action: s.action,
            responsible: s.responsible,
          })),
          at: new Date().toISOString(),
        },
        ctx,
        body,
      ),
    );
  }
}
