import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { RegisterDistributorMessage } from './register-distributor.handler';
import { RegisterDistributorRequestDto } from './register-distributor.request.dto';

@ApiTags('distributors')
@Controller('distributors')
export class RegisterDistributorHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('sales-ops')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Registers a distributor',
    description:
      'A distributor is a customer (stream customer-<distributorId>, CustomerRegistered with distributor: true): ' +
      'its orders are primary (sell-in) sales, and it reports secondary sales to end customers.',
  })
  @ApiBody({
    type: RegisterDistributorRequestDto,
    examples: {
      d1: {
        value: {
          distributorId: 'D1',
          name: 'Northwind Distribution',
          paymentTermsDays: 45,
          salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  register(@Body() body: RegisterDistributorRequestDto, @Ctx() ctx: RequestContext): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new RegisterDistributorMessage(
        {
          type: 'RegisterCustomer',
          customerId: body.distributorId,
          name: body.name,
          paymentTermsDays: body.paymentTermsDays,
          creditLimit: body.creditLimit
            ? { amount: body.creditLimit.amount, currency: body.creditLimit.currency }
            : null,
          salesCredits: body.salesCredits.map((c) => ({ salespersonId: c.salespersonId, splitBps: c.splitBps })),
          distributor: true,
          at: new Date().toISOString(),
        },
        ctx,
        body,
      ),
    );
  }
}
