import { ApiProperty } from '@nestjs/swagger';

export class DashboardRowDto {
  @ApiProperty({ example: 'alice', description: 'salesperson id, team id or business unit' }) key!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ example: 10000000, nullable: true, type: Number }) target!: number | null;
  @ApiProperty({ example: 6000000 }) achieved!: number;
  @ApiProperty({ example: 6000, nullable: true, type: Number }) attainmentBps!: number | null;
  @ApiProperty({
    example: 0,
    description:
      'credited primary sales to distributors (sell-in) in the period, net of their cancellations and returns; never part of achieved',
  })
  sellIn!: number;
  @ApiProperty({ example: 2400000 }) collected!: number;
  @ApiProperty({ example: 3600000 }) outstanding!: number;
  @ApiProperty({ example: 0 }) overdue!: number;
  @ApiProperty({ example: 600000 }) commissionEarned!: number;
  @ApiProperty({ example: 0 }) clawedBack!: number;
}

export class DashboardDto {
  @ApiProperty({ example: '2026-01' }) period!: string;
  @ApiProperty({ enum: ['salesperson', 'team', 'businessUnit'], example: 'salesperson' }) groupBy!: string;
  @ApiProperty({ example: '2026-01-31T23:59:59.999Z', description: 'The instant receivables were evaluated at' })
  receivablesAt!: string;
  @ApiProperty({ type: [DashboardRowDto] }) items!: DashboardRowDto[];
  @ApiProperty({ example: null, nullable: true, type: String }) nextCursor!: string | null;
}
