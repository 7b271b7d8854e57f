import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { AssignPlanMessage } from './assign-plan.handler';
import { AssignPlanRequestDto } from './assign-plan.request.dto';

@ApiTags('salespeople')
@Controller('salespeople/:id/plan-assignments')
export class AssignPlanHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('sales-ops')
  @HttpCode(201)
  @ApiBody({
    type: AssignPlanRequestDto,
    examples: { alice: { value: { assignmentId: 'A-alice-P1', planId: 'P1', effectiveFrom: '2026-01-01' } } },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  assign(
    @Param('id', IdParamPipe) salespersonId: string,
    @Body() body: AssignPlanRequestDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new AssignPlanMessage(
        {
          type: 'AssignPlan',
          salespersonId,
          assignmentId: body.assignmentId,
          planId: body.planId,
          effectiveFrom: body.effectiveFrom,
        },
        ctx,
        { salespersonId, ...body },
      ),
    );
  }
}
