import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, ValidateNested } from 'class-validator';
import { IsId, IsInstant, MoneyDto } from '../../../../platform/src/http/validators';

export class RecordPayoutRequestDto {
  @ApiProperty({ example: 'PO-2026-01-alice' })
  @IsId()
  payoutId!: string;

  @ApiProperty({ example: 'alice' })
  @IsId()
  salespersonId!: string;

  @ApiProperty({ type: MoneyDto, example: { amount: 500000, currency: 'USD' } })
  @IsDefined()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount!: MoneyDto;

  @ApiProperty({ example: '2026-01-31T00:00:00Z' })
  @IsInstant()
  paidAt!: string;
}
