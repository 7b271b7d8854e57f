import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { RegisterSalespersonMessage } from './register-salesperson.handler';
import { RegisterSalespersonRequestDto } from './register-salesperson.request.dto';

@ApiTags('salespeople')
@Controller('salespeople')
export class RegisterSalespersonHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('sales-ops')
  @HttpCode(201)
  @ApiBody({
    type: RegisterSalespersonRequestDto,
    examples: {
      alice: { value: { salespersonId: 'alice', name: 'Alice Martin', teamId: 'team-east', hiredOn: '2025-03-01' } },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  register(@Body() body: RegisterSalespersonRequestDto, @Ctx() ctx: RequestContext): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new RegisterSalespersonMessage(
        {
          type: 'RegisterSalesperson',
          salespersonId: body.salespersonId,
          name: body.name,
          managerId: body.managerId ?? null,
          teamId: body.teamId ?? null,
          hiredOn: body.hiredOn,
        },
        ctx,
        body,
      ),
    );
  }
}
