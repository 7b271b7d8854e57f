import { ApiProperty } from '@nestjs/swagger';
import { LedgerEntryDto } from '../../../commissions/src/commission-ledger/ledger.response.dto';
import { EventDto } from '../../../feed/src/event.response.dto';

export class LineageClawbackPolicyDto {
  @ApiProperty({ example: 90 }) windowDays!: number;
  @ApiProperty({ example: 10000 }) percentBps!: number;
}

export class LineagePlanDto {
  @ApiProperty({ example: 'P1' }) planId!: string;
  @ApiProperty({ example: 'Booking 10 %' }) name!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ enum: ['BOOKING', 'COLLECTION'], example: 'BOOKING' }) basis!: string;
  @ApiProperty({ example: 1000 }) rateBps!: number;
  @ApiProperty({ type: LineageClawbackPolicyDto }) clawback!: LineageClawbackPolicyDto;
}

export class LineageAssignmentDto {
  @ApiProperty({ example: 'A-alice' }) assignmentId!: string;
  @ApiProperty({ example: 'alice' }) salespersonId!: string;
  @ApiProperty({ example: 'P1' }) planId!: string;
  @ApiProperty({ example: '2026-01-01' }) effectiveFrom!: string;
}

export class LineageFormulaDto {
  @ApiProperty({ example: 'roundHalfUp(baseAmount × splitBps × rateBps / 10^8)' }) expression!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The entry’s explanation: the formula’s inputs and their context',
    example: {
      trigger: 'SALE_BOOKED',
      baseAmount: 10000000,
      splitBps: 6000,
      rateBps: 1000,
      percentBps: null,
      planId: 'P1',
      assignmentId: 'A-alice',
    },
  })
  inputs!: Record<string, unknown>;
  @ApiProperty({ example: 600000, description: 'The stored amount, signed (CLAWBACK and PAYOUT are negative)' })
  result!: number;
  @ApiProperty({
    example: 600000,
    nullable: true,
    type: Number,
    description:
      'The formula recomputed from `inputs` (a magnitude: equals |result| unless `capped`; signed for a recalculation adjustment, equal to result)',
  })
  recomputed!: number | null;
  @ApiProperty({
    example: false,
    description: 'A clawback reduced by the cap (never more than the order earned): recomputed = inputs.cappedFrom',
  })
  capped!: boolean;
  @ApiProperty({ example: true, description: 'The recomputation confirms the stored amount' }) matches!: boolean;
}

export class LineageDto {
  @ApiProperty({ type: LedgerEntryDto, description: 'As in GET /api/v1/salespeople/{id}/ledger' })
  entry!: LedgerEntryDto;
  @ApiProperty({
    type: EventDto,
    nullable: true,
    description: 'The event the entry was made from, read from the event store (null only if the store lacks it)',
  })
  sourceEvent!: EventDto | null;
  @ApiProperty({ type: LineagePlanDto, nullable: true, description: 'Null for adjustments and payouts' })
  plan!: LineagePlanDto | null;
  @ApiProperty({ type: LineageAssignmentDto, nullable: true, description: 'Null for adjustments and payouts' })
  assignment!: LineageAssignmentDto | null;
  @ApiProperty({ type: LineageFormulaDto }) formula!: LineageFormulaDto;
}
