import { ApiProperty } from '@nestjs/swagger';
import { MoneyDto } from '../../../../platform/src/http/validators';

export class CreditHoldingDto {
  @ApiProperty({ example: 'O1' })
  orderId!: string;

  @ApiProperty({ enum: ['BOOKED', 'IN_FLIGHT'], description: 'IN_FLIGHT: reserved, no SaleBooked yet' })
  status!: 'BOOKED' | 'IN_FLIGHT';

  @ApiProperty({ example: 2500000, description: 'What the order holds of the credit (its receivable)' })
  held!: number;
}

export class CreditOverrideRecordDto {
  @ApiProperty({ example: 'O7' })
  orderId!: string;

  @ApiProperty({ type: MoneyDto })
  amount!: MoneyDto;

  @ApiProperty({ example: 'carol.finance' })
  approvedBy!: string;

  @ApiProperty({ example: 'Prepayment received by wire' })
  reason!: string;

  @ApiProperty({ type: MoneyDto, description: 'The limit in force' })
  limit!: MoneyDto;

  @ApiProperty({ example: 4500000, description: 'The exposure before the sale' })
  exposure!: number;

  @ApiProperty({ example: 'sales-ops-user', description: 'Who sent the booking (the token’s sub)' })
  actor!: string;

  @ApiProperty({ example: '2026-03-02T10:00:00.000Z', description: 'When it was recorded' })
  recordedAt!: string;
}

export class CustomerCreditDto {
  @ApiProperty({ example: 'C1' })
  customerId!: string;

  @ApiProperty({ type: MoneyDto, nullable: true, description: 'null: no limit, nothing is checked' })
  creditLimit!: MoneyDto | null;

  @ApiProperty({
    example: 4500000,
    nullable: true,
    description: 'Σ held, in the limit’s currency; null without a limit',
  })
  exposure!: number | null;

  @ApiProperty({ example: 500000, nullable: true, description: 'limit − exposure (negative after overrides)' })
  available!: number | null;

  @ApiProperty({ example: 0, nullable: true, description: 'The part of the exposure held by bookings in flight' })
  inFlight!: number | null;

  @ApiProperty({ type: [CreditHoldingDto] })
  orders!: CreditHoldingDto[];

  @ApiProperty({ type: [CreditOverrideRecordDto], description: 'The 20 latest overrides, newest first' })
  recentOverrides!: CreditOverrideRecordDto[];
}
