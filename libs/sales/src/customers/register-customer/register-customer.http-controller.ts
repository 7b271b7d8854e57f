import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { RegisterCustomerMessage } from './register-customer.handler';
import { RegisterCustomerRequestDto } from './register-customer.request.dto';

@ApiTags('customers')
@Controller('customers')
export class RegisterCustomerHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('sales-ops')
  @HttpCode(201)
  @ApiBody({
    type: RegisterCustomerRequestDto,
    examples: {
      c1: {
        value: {
          customerId: 'C1',
          name: 'Acme Corp',
          paymentTermsDays: 30,
          salesCredits: [
            { salespersonId: 'alice', splitBps: 6000 },
            { salespersonId: 'bob', splitBps: 4000 },
          ],
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  register(@Body() body: RegisterCustomerRequestDto, @Ctx() ctx: RequestContext): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new RegisterCustomerMessage(
        {
          type: 'RegisterCustomer',
          customerId: body.customerId,
          name: body.name,
          paymentTermsDays: body.paymentTermsDays,
          creditLimit: body.creditLimit
            ? { amount: body.creditLimit.amount, currency: body.creditLimit.currency }
            : null,
          salesCredits: body.salesCredits.map((c) => ({ salespersonId: c.salespersonId, splitBps: c.splitBps })),
          at: new Date().toISOString(),
        },
        ctx,
        body,
      ),
    );
  }
}
