import { ApiProperty } from '@nestjs/swagger';

export class LedgerEntryExplanationDto {
  @ApiProperty({ example: 'SALE_BOOKED' }) trigger!: string;
  @ApiProperty({ example: 10000000 }) baseAmount!: number;
  @ApiProperty({ example: 6000 }) splitBps!: number;
  @ApiProperty({ example: 1000 }) rateBps!: number;
  @ApiProperty({ example: null, nullable: true, type: Number }) percentBps!: number | null;
  @ApiProperty({ example: 'P1' }) planId!: string;
  @ApiProperty({ example: 'A-alice-P1' }) assignmentId!: string;
  @ApiProperty({ example: 'roundHalfUp(baseAmount × splitBps × rateBps / 10^8)' }) formula!: string;
}

export class LedgerEntryDto {
  @ApiProperty({ example: '6f1c7b1e-3c1a-5d2e-9f00-1a2b3c4d5e6f' }) entryId!: string;
  @ApiProperty({ example: 'alice' }) salespersonId!: string;
  @ApiProperty({ enum: ['EARNED', 'CLAWBACK', 'ADJUSTMENT', 'PAYOUT'], example: 'EARNED' }) type!: string;
  @ApiProperty({ example: 600000, description: 'Signed minor units' }) amount!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ example: '2026-01' }) period!: string;
  @ApiProperty({ example: null, nullable: true, type: String }) originalPeriod!: string | null;
  @ApiProperty({ example: 'O1', nullable: true, type: String }) orderId!: string | null;
  @ApiProperty({ example: '0b0f5d2c-93a4-5e1f-8c71-0d5a4e1b2c3d' }) sourceEventId!: string;
  @ApiProperty({ example: '17', description: 'Global position of the source event' }) sourcePosition!: string;
  @ApiProperty({ example: '2026-01-10T00:00:00.000Z' }) occurredAt!: string;
  @ApiProperty({ example: '2026-01-10T09:12:44.120Z' }) recordedAt!: string;
  @ApiProperty({ type: LedgerEntryExplanationDto }) explanation!: LedgerEntryExplanationDto;
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
  @ApiProperty({ type: [LedgerEntryDto] }) entries!: LedgerEntryDto[];
}
