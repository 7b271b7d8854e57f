import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '../../../eventsourcing/src/decider';
import { Roles } from '../../../platform/src/auth/roles';
import { EventSchemaListDto } from './event-schemas.response.dto';
import { EVENT_ENVELOPE_SCHEMA, EVENT_SCHEMAS } from './published-events';

const ENVELOPE = 'envelope';

/** `2` or `v2`: the version as the path gives it (the `$id` of a schema ends in `/v2`). */
function parseVersion(text: string): number | null {
  const m = /^v?([1-9]\d{0,5})$/.exec(text);
  return m?.[1] ? Number(m[1]) : null;
}

@ApiTags('events')
@Controller('event-schemas')
@Roles('service', 'compliance')
export class EventSchemasHttpController {
  @Get()
  @ApiOperation({
    summary: 'The published JSON Schemas of every event type and version',
    description:
      'One JSON Schema (draft 2020-12) per event type and schema version, describing the event’s `data`; ' +
      '`current` marks the version events are written and read in (older versions are upcast on read, so the ' +
      'feed only shows current ones). The same files are kept in the repository beside the contracts ' +
      '(libs/*/src/contracts/schemas). `envelope` is the schema of the event around the data, as the feed shows it.',
  })
  @ApiOkResponse({
    type: EventSchemaListDto,
    schema: {
      example: {
        items: [
          {
            type: 'PeriodClosed',
            version: 1,
            current: false,
            schema: { $id: 'https://docs.commissions.example/events/PeriodClosed/v1', '…': '…' },
          },
          {
            type: 'PeriodClosed',
            version: 2,
            current: true,
            schema: { $id: 'https://docs.commissions.example/events/PeriodClosed/v2', '…': '…' },
          },
          {
            type: 'SaleBooked',
            version: 1,
            current: true,
            schema: { $id: 'https://docs.commissions.example/events/SaleBooked/v1', '…': '…' },
          },
        ],
        currentVersions: { PeriodClosed: 2, SaleBooked: 1, '…': 1 },
        envelope: { $id: 'https://docs.commissions.example/events/envelope/v1', '…': '…' },
      },
    },
  })
  list(): EventSchemaListDto {
    return {
      items: EVENT_SCHEMAS.list().map((s) => ({
        type: s.type,
        version: s.version,
        current: s.current,
        schema: s.schema,
      })),
      currentVersions: EVENT_SCHEMAS.currentVersions(),
      envelope: EVENT_ENVELOPE_SCHEMA,
    };
  }

  @Get(':type/:version')
  @ApiOperation({
    summary: 'The JSON Schema of one event type and version',
    description: 'The schema alone (its `$id` names it). `envelope/1` is the schema of the envelope.',
  })
  @ApiParam({ name: 'type', example: 'SaleBooked' })
  @ApiParam({ name: 'version', example: '1', description: 'The schema version, `1` or `v1`' })
  @ApiOkResponse({
    description: 'A JSON Schema (draft 2020-12)',
    schema: {
      type: 'object',
      additionalProperties: true,
      example: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: 'https://docs.commissions.example/events/PayoutRecorded/v1',
        title: 'PayoutRecorded v1',
        type: 'object',
        required: ['payoutId', 'salespersonId', 'amount', 'paidAt'],
        additionalProperties: false,
        properties: {
          payoutId: { type: 'string' },
          salespersonId: { type: 'string' },
          amount: { $ref: '#/$defs/money' },
          paidAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such event type or version' })
  get(@Param('type') type: string, @Param('version') versionText: string): Record<string, unknown> {
    const version = parseVersion(versionText);
    if (type === ENVELOPE && version === 1) return { ...EVENT_ENVELOPE_SCHEMA };
    const found = version === null ? undefined : EVENT_SCHEMAS.get(type, version);
    if (!found) throw new NotFoundError('Event schema', `${type}/${versionText}`);
    return { ...found.schema };
  }
}
