import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { AssignCollectionPolicyMessage } from './assign-collection-policy.handler';
import { AssignCollectionPolicyRequestDto } from './assign-collection-policy.request.dto';

@ApiTags('collections')
@Controller('customers/:id/collection-policy')
export class AssignCollectionPolicyHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('finance')
  @HttpCode(201)
  @ApiBody({
    type: AssignCollectionPolicyRequestDto,
    examples: { strict: { value: { assignmentId: 'CPA-C1-1', policyId: 'strict-v1', effectiveFrom: '2026-01-01' } } },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  assign(
    @Param('id', IdParamPipe) customerId: string,
    @Body() body: AssignCollectionPolicyRequestDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new AssignCollectionPolicyMessage(
        {
          type: 'AssignCollectionPolicy',
          customerId,
          assignmentId: body.assignmentId,
          policyId: body.policyId,
          effectiveFrom: body.effectiveFrom,
        },
        ctx,
        { customerId, ...body },
      ),
    );
  }
}
