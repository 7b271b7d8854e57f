import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../../../platform/src/auth/auth-user';
import { Roles } from '../../../platform/src/auth/roles';
import { ConsistentRead } from '../../../platform/src/http/consistent-read';
import { ValidationFailedException } from '../../../platform/src/http/problem';
import { GetLineageQuery } from './get-lineage.query-handler';
import { LineageDto } from './lineage.response.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('audit')
@Controller('ledger-entries/:entryId/lineage')
export class GetLineageHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('compliance', 'finance', 'manager', 'rep')
  @ConsistentRead('commission-ledger')
  @ApiOperation({
    summary: 'Where a ledger entry comes from: its source event, plan, assignment and formula, recomputed',
    description:
      'A manager reads the entries of their team, a rep their own (403 otherwise). ' +
      '`formula.recomputed` is the formula evaluated again from `formula.inputs`; `formula.matches` says it ' +
      'confirms the stored amount.',
  })
  @ApiParam({ name: 'entryId', example: '6f1c7b1e-3c1a-5d2e-9f00-1a2b3c4d5e6f' })
  @ApiOkResponse({ type: LineageDto })
  get(@Param('entryId') entryId: string, @CurrentUser() user: AuthUser): Promise<LineageDto> {
    if (typeof entryId !== 'string' || !UUID.test(entryId)) {
      throw new ValidationFailedException([{ field: 'entryId', message: 'entryId must be a UUID' }]);
    }
    return this.queries.execute(new GetLineageQuery(entryId.toLowerCase(), user));
  }
}
