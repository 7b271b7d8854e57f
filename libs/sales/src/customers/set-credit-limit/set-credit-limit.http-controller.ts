import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { SetCreditLimitMessage } from './set-credit-limit.handler';
import { SetCreditLimitRequestDto } from './set-credit-limit.request.dto';

/** Credit limits are finance's (credit risk; docs/collections-and-credit.md § Credit limits). */
@ApiTags('customers')
@Controller('customers/:id/credit-limit')
export class SetCreditLimitHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('finance')
  @HttpCode(201)
  @ApiBody({
    type: SetCreditLimitRequestDto,
    examples: {
      limit: { value: { creditLimitId: 'CL-C1-1', creditLimit: { amount: 5000000, currency: 'USD' } } },
      none: { value: { creditLimitId: 'CL-C1-2', creditLimit: null } },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  set(
    @Param('id', IdParamPipe) customerId: string,
    @Body() body: SetCreditLimitRequestDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new SetCreditLimitMessage(
        {
          type: 'SetCreditLimit',
          customerId,
          creditLimitId: body.creditLimitId,
          creditLimit: body.creditLimit
            ? { amount: body.creditLimit.amount, currency: body.creditLimit.currency }
            : null,
        },
        ctx,
        { customerId, ...body },
      ),
    );
  }
}
