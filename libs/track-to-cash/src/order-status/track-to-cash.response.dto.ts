import { ApiProperty } from '@nestjs/swagger';

export class MilestoneDto {
  @ApiProperty({
    enum: ['BOOKED', 'INVOICED', 'PAYMENT', 'CANCELLATION', 'RETURN', 'WRITE_OFF', 'PAID_IN_FULL'],
    example: 'PAYMENT',
  })
  type!: string;
  @ApiProperty({ example: '2026-02-01T00:00:00.000Z' }) at!: string;
  @ApiProperty({ example: 4000000 }) amount!: number;
}

export class TrackToCashDto {
  @ApiProperty({ example: 'O1' }) orderId!: string;
  @ApiProperty({ example: 'C1' }) customerId!: string;
  @ApiProperty({
    enum: ['CANCELLED', 'PAID', 'WRITTEN_OFF', 'OVERDUE', 'PARTIALLY_PAID', 'INVOICED', 'BOOKED'],
    example: 'PARTIALLY_PAID',
  })
  status!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ example: 10000000 }) booked!: number;
  @ApiProperty({ example: 0 }) cancelled!: number;
  @ApiProperty({ example: 0 }) returned!: number;
  @ApiProperty({ example: 10000000 }) net!: number;
  @ApiProperty({ example: 0 }) invoiced!: number;
  @ApiProperty({ example: 4000000 }) paidNet!: number;
  @ApiProperty({ example: 0 }) refunded!: number;
  @ApiProperty({ example: 0 }) writtenOff!: number;
  @ApiProperty({ example: 6000000 }) receivable!: number;
  @ApiProperty({ example: '2026-02-09' }) dueDate!: string;
  @ApiProperty({ example: 0, description: 'Days past the due date when OVERDUE, else 0' }) daysOverdue!: number;
  @ApiProperty({
    example: null,
    nullable: true,
    type: Number,
    description: 'Once PAID: days from booking to the last payment',
  })
  daysToCash!: number | null;
  @ApiProperty({ enum: ['current', 'd1_30', 'd31_60', 'd61_90', 'd90plus'], example: 'current' }) agingBucket!: string;
  @ApiProperty({ type: [MilestoneDto] }) milestones!: MilestoneDto[];
}

export class TrackToCashPageDto {
  @ApiProperty({ type: [TrackToCashDto] }) items!: TrackToCashDto[];
  @ApiProperty({ example: null, nullable: true, type: String }) nextCursor!: string | null;
}

export class AgingRowDto {
  @ApiProperty({ example: 'alice' }) key!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ example: 0 }) current!: number;
  @ApiProperty({ example: 3600000 }) d1_30!: number;
  @ApiProperty({ example: 0 }) d31_60!: number;
  @ApiProperty({ example: 0 }) d61_90!: number;
  @ApiProperty({ example: 0 }) d90plus!: number;
  @ApiProperty({ example: 3600000 }) total!: number;
}

export class AgingDto {
  @ApiProperty({ example: '2026-02-15T00:00:00.000Z' }) asOf!: string;
  @ApiProperty({ enum: ['salesperson', 'customer', 'team'], example: 'salesperson' }) groupBy!: string;
  @ApiProperty({ type: [AgingRowDto] }) items!: AgingRowDto[];
  @ApiProperty({ example: null, nullable: true, type: String }) nextCursor!: string | null;
}
