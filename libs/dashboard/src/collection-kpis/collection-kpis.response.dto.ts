import { ApiProperty } from '@nestjs/swagger';

/** The KPI figures of one row (or of the totals): amounts in minor units, ratios in bps. */
export class CollectionKpiFiguresDto {
  @ApiProperty({
    example: 100000,
    description: 'Invoice amounts (net of cancellations and returns) due in the period by asOf',
  })
  due!: number;
  @ApiProperty({ example: 80000, description: 'The part of `due` paid by asOf' }) collectedToDate!: number;
  @ApiProperty({ example: 60000, description: 'The part of `due` paid on or before each invoice’s due date' })
  collectedOnTime!: number;
  @ApiProperty({ example: 8000, nullable: true, type: Number, description: 'floor(collectedToDate × 10000 ÷ due)' })
  collectionRateBps!: number | null;
  @ApiProperty({ example: 6000, nullable: true, type: Number, description: 'floor(collectedOnTime × 10000 ÷ due)' })
  onTimeRateBps!: number | null;
  @ApiProperty({ example: 50000, description: 'Receivables outstanding at receivablesAt' }) outstanding!: number;
  @ApiProperty({
    example: 150000,
    description: 'Net sales (bookings − cancellations − returns) in the period up to receivablesAt',
  })
  sales!: number;
  @ApiProperty({
    example: 10,
    nullable: true,
    type: Number,
    description: 'roundHalfUp(outstanding × daysInPeriod ÷ sales); null unless sales > 0',
  })
  dsoDays!: number | null;
  @ApiProperty({ example: 70000, description: 'Payments received in the period (gross)' }) paid!: number;
  @ApiProperty({
    example: '1400000',
    description: 'Σ payment slice × days from its invoice’s issue date to the payment (an exact integer, as a string)',
  })
  paidAmountDays!: string;
  @ApiProperty({
    example: 20,
    nullable: true,
    type: Number,
    description: 'roundHalfUp(paidAmountDays ÷ paid); null without payments',
  })
  averageDaysToPay!: number | null;
}

export class CollectionKpiRowDto extends CollectionKpiFiguresDto {
  @ApiProperty({ example: 'alice', description: 'salesperson id, team id or customer id' }) key!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
}

export class CollectionKpiTotalsDto extends CollectionKpiFiguresDto {
  @ApiProperty({ example: 'USD' }) currency!: string;
}

export class CollectionKpisDto {
  @ApiProperty({ example: '2026-01' }) period!: string;
  @ApiProperty({ enum: ['salesperson', 'team', 'customer'], example: 'salesperson' }) groupBy!: string;
  @ApiProperty({
    example: '2026-02-15T00:00:00.000Z',
    description: 'Payments and reductions counted up to this instant',
  })
  asOf!: string;
  @ApiProperty({ example: '2026-01-31T23:59:59.999Z', description: 'The period end, or asOf if earlier (DSO)' })
  receivablesAt!: string;
  @ApiProperty({ example: 31, description: 'Days of the period up to receivablesAt (DSO)' }) daysInPeriod!: number;
  @ApiProperty({ type: [CollectionKpiRowDto] }) items!: CollectionKpiRowDto[];
  @ApiProperty({ type: [CollectionKpiTotalsDto], description: 'The sums of the rows per currency, ratios recomputed' })
  totals!: CollectionKpiTotalsDto[];
  @ApiProperty({ example: null, nullable: true, type: String }) nextCursor!: string | null;
}
