import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, ValidateNested } from 'class-validator';
import { IsId, IsInstant, MoneyDto } from '../../../../platform/src/http/validators';

export class ReceivePaymentRequestDto {
  @ApiProperty({ example: 'PAY-1' })
  @IsId()
  paymentId!: string;

  @ApiProperty({ type: MoneyDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount!: MoneyDto;

  @ApiProperty({ example: '2026-02-01T00:00:00Z' })
  @IsInstant()
  receivedAt!: string;
}
