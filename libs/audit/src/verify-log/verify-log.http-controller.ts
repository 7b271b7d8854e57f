import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../platform/src/auth/roles';
import { ValidationFailedException } from '../../../platform/src/http/problem';
import { parseExpectedSeal } from './expected-seal';
import type { VerifyLogResult } from './log-verifier';
import { VerifyLogQuery } from './verify-log.query-handler';
import { VerifyLogResultDto } from './verify-log.response.dto';

@ApiTags('audit')
@Controller('audit/verify')
export class VerifyLogHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('compliance')
  @ApiOperation({
    summary: 'Recompute the hash chains of the event log and report the first broken link',
    description:
      'Reads the whole log: every event’s hash chained to its stream’s previous event, and the seals ' +
      'over the global log (positions and record times). Answers 200 whether the log is intact or not: ' +
      '`ok` says which, `firstBrokenLink` names the edited or deleted event (or the seal). ' +
      'Note `lastSeal.hash` outside the system: a superuser who recomputes every hash defeats an unanchored chain.',
  })
  @ApiQuery({
    name: 'expectSeal',
    required: false,
    example: '12:5e0b8f3c9a1d4e7f2b6c8a0d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f',
    description: '`<sealNo>:<hash>` noted from an earlier report: that seal must still have that hash',
  })
  @ApiOkResponse({
    type: VerifyLogResultDto,
    schema: {
      example: {
        ok: false,
        eventsChecked: 57,
        streamsChecked: 11,
        sealsChecked: 12,
        unsealedEvents: 0,
        lastSeal: { sealNo: 12, hash: '5e0b8f3c…', lastPosition: '1043/57' },
        firstBrokenLink: {
          globalPosition: '42',
          eventId: '0b6f3c1e-8c1a-5d2e-9f00-1a2b3c4d5e6f',
          streamId: 'order-O1',
          streamRevision: '2',
          reason: 'the content does not match its hash: the event was edited',
          expected: '9f2c…',
          actual: '41d0…',
        },
        brokenLinkCount: 1,
        brokenLinks: ['…'],
      },
    },
  })
  verify(@Query('expectSeal') expectSeal?: string): Promise<VerifyLogResult> {
    let anchor: { sealNo: number; hash: string } | null = null;
    if (expectSeal !== undefined && expectSeal !== '') {
      anchor = typeof expectSeal === 'string' ? parseExpectedSeal(expectSeal) : null;
      if (!anchor) {
        throw new ValidationFailedException([
          { field: 'expectSeal', message: 'expectSeal must be <sealNo>:<64 hex digits of the seal hash>' },
        ]);
      }
    }
    return this.queries.execute(new VerifyLogQuery(anchor));
  }
}
