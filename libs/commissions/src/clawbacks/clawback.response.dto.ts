import { ApiProperty } from '@nestjs/swagger';

export class ClawbackDto {
  @ApiProperty({ example: '6f1c7b1e-3c1a-5d2e-9f00-1a2b3c4d5e6f' }) entryId!: string;
  @ApiProperty({ example: 'alice' }) salespersonId!: string;
  @ApiProperty({ example: 'O1' }) orderId!: string;
  @ApiProperty({ enum: ['CANCELLATION', 'RETURN', 'WRITE_OFF'], example: 'RETURN' }) trigger!: string;
  @ApiProperty({ example: 60000, description: 'Taken back, minor units (positive)' }) amount!: number;
  @ApiProperty({ example: 60000, description: 'commission(base, split, rate) before percentBps' })
  originalCommission!: number;
  @ApiProperty({ example: 10000 }) percentBps!: number;
  @ApiProperty({ example: 1000000, description: 'The reduced (or refunded) amount the clawback is computed from' })
  baseAmount!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ example: '2026-03-01T00:00:00.000Z' }) occurredAt!: string;
  @ApiProperty({ example: '2026-03' }) period!: string;
}

export class ClawbackPageDto {
  @ApiProperty({ type: [ClawbackDto] }) items!: ClawbackDto[];
  @ApiProperty({ example: null, nullable: true, type: String }) nextCursor!: string | null;
}
