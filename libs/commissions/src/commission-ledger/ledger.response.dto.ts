import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LedgerEntryExplanationDto {
  @ApiProperty({ example: 'SALE_BOOKED' }) trigger!: string;
  @ApiProperty({ example: 10000000 }) baseAmount!: number;
  @ApiProperty({ example: 6000 }) splitBps!: number;
  @ApiProperty({ example: 1000 }) rateBps!: number;
  @ApiProperty({ example: null, nullable: true, type: Number }) percentBps!: number | null;
  @ApiProperty({ example: 'P1' }) planId!: string;
  @ApiProperty({ example: 'A-alice-P1' }) assignmentId!: string;
  @ApiProperty({ example: 'roundHalfUp(baseAmount × splitBps × rateBps / 10^8)' }) formula!: string;
  @ApiPropertyOptional({
    example: '4a1d2c3b-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    description: 'Set when a period close moved the entry to the next period: the id of that PeriodClosed event',
  })
  repostedByEventId?: string;
}

export class LedgerEntryDto {
  @ApiProperty({ example: '6f1c7b1e-3c1a-5d2e-9f00-1a2b3c4d5e6f' }) entryId!: string;
  @ApiProperty({ example: 'alice' }) salespersonId!: string;
  @ApiProperty({ enum: ['EARNED', 'CLAWBACK', 'ADJUSTMENT', 'PAYOUT'], example: 'EARNED' }) type!: string;
  @ApiProperty({ example: 600000, description: 'Signed minor units' }) amount!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ example: '2026-01' }) period!: string;
  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: 'The business period of a prior-period entry (its fact fell in a period closed by then)',
  })
  originalPeriod!: string | null;
  @ApiProperty({ example: 'O1', nullable: true, type: String }) orderId!: string | null;
  @ApiProperty({ example: '0b0f5d2c-93a4-5e1f-8c71-0d5a4e1b2c3d' }) sourceEventId!: string;
  @ApiProperty({ example: '17', description: 'Global position of the source event' }) sourcePosition!: string;
  @ApiProperty({ example: '2026-01-10T00:00:00.000Z' }) occurredAt!: string;
  @ApiProperty({ example: '2026-01-10T09:12:44.120Z' }) recordedAt!: string;
  @ApiProperty({ type: LedgerEntryExplanationDto }) explanation!: LedgerEntryExplanationDto;
  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description:
      'Set when a period close moved this entry to the next period: the period it was posted to before. ' +
      'Its source event was recorded after the statements of that close were computed (so it is not in them); ' +
      'a ledger asked with knownAt before repostedAt shows it in this period.',
  })
  repostedFrom!: string | null;
  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: 'When it was moved: the record time of the PeriodClosed event (null unless repostedFrom is set)',
  })
  repostedAt!: string | null;
  @ApiProperty({
    example: 0,
    description:
      'Holdbacks (docs/plans-and-channels.md): the part of this entry held until releaseOn; ' +
      'negative on a clawback that took from what was held. 0 when the plan holds nothing back',
  })
  held!: number;
  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: "When what this entry holds is released: the first day after its sale's clawback window",
  })
  releaseOn!: string | null;
}

export class LedgerDto {
  @ApiProperty({ example: 'alice' }) salespersonId!: string;
  @ApiProperty({ example: '2026-01' }) period!: string;
  @ApiProperty({ example: 'USD', nullable: true, type: String }) currency!: string | null;
  @ApiProperty({ example: 0 }) opening!: number;
  @ApiProperty({ example: 600000 }) earned!: number;
  @ApiProperty({ example: 0 }) clawedBack!: number;
  @ApiProperty({ example: 0 }) adjustments!: number;
  @ApiProperty({ example: 0 }) paidOut!: number;
  @ApiProperty({ example: 600000 }) closing!: number;
  @ApiProperty({ example: 0, description: 'Holdbacks posted in the period, net of clawbacks taken from what was held' })
  held!: number;
  @ApiProperty({ example: 0, description: 'Held amounts released in the period (their release date falls in it)' })
  released!: number;
  @ApiProperty({ example: 0, description: 'Held at the end of the period: not yet payable' })
  heldBalance!: number;
  @ApiProperty({ example: 600000, description: 'closing − heldBalance: what may be paid out' })
  payable!: number;
  @ApiProperty({ type: [LedgerEntryDto] }) entries!: LedgerEntryDto[];
}
