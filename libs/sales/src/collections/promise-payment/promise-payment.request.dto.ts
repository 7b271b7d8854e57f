import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, ValidateNested } from 'class-validator';
import { IsDateOnly, IsId, IsInstant, MoneyDto } from '../../../../platform/src/http/validators';

export class PromisePaymentRequestDto {
  @ApiProperty({ example: 'PRM-1' })
  @IsId()
  promiseId!: string;

  @ApiProperty({ example: 'INV-1' })
  @IsId()
  invoiceId!: string;

  @ApiProperty({ type: MoneyDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount!: MoneyDto;

  @ApiProperty({ example: '2026-02-20', description: 'The day by which the amount is to be paid (inclusive)' })
  @IsDateOnly()
  promisedDate!: string;

  @ApiProperty({ example: '2026-02-12T10:00:00Z', description: 'When the promise was taken (business time)' })
  @IsInstant()
  recordedAt!: string;
}
