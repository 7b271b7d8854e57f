import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { ValidationFailedException } from '../../../../platform/src/http/problem';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { isValidPeriod } from '../../../../shared-kernel/src/time';
import { ClosePeriodMessage } from './close-period.handler';

/** The body is `{}`: the period is in the path. */
export class ClosePeriodRequestDto {
  @IsOptional()
  readonly _?: never;
}

@ApiTags('ledger')
@Controller('periods/:period/close')
export class ClosePeriodHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('finance')
  @HttpCode(201)
  @ApiParam({ name: 'period', example: '2026-01' })
  @ApiBody({ schema: { type: 'object', example: {} } })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  close(
    @Param('period') period: string,
    @Body() _body: ClosePeriodRequestDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAcceptedDto> {
    if (!isValidPeriod(period))
      throw new ValidationFailedException([{ field: 'period', message: 'period must be a month YYYY-MM' }]);
    return this.commands.execute(
      new ClosePeriodMessage(
        {
          type: 'ClosePeriod',
          period,
          closedBy: ctx.actor,
          at: new Date().toISOString(),
          statements: [],
          throughPosition: null,
          throughLogPosition: null,
          earlierPeriodsWithActivity: [],
        },
        ctx,
        { period },
      ),
    );
  }
}
