import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { TerminateSalespersonMessage } from './terminate-salesperson.handler';
import { TerminateSalespersonRequestDto } from './terminate-salesperson.request.dto';

@ApiTags('salespeople')
@Controller('salespeople/:id/termination')
export class TerminateSalespersonHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('sales-ops')
  @HttpCode(201)
  @ApiBody({ type: TerminateSalespersonRequestDto, examples: { leaver: { value: { terminatedOn: '2026-06-30' } } } })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  terminate(
    @Param('id', IdParamPipe) salespersonId: string,
    @Body() body: TerminateSalespersonRequestDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new TerminateSalespersonMessage(
        { type: 'TerminateSalesperson', salespersonId, terminatedOn: body.terminatedOn },
        ctx,
        { salespersonId, ...body },
      ),
    );
  }
}
