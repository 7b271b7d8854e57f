import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsString, Length, Matches, Max, Min, NotEquals, ValidateNested } from 'class-validator';
import { IsId } from '../../../../platform/src/http/validators';

export class SignedMoneyDto {
  @ApiProperty({ example: -25000, description: 'Signed minor units, not 0' })
  @IsInt()
  @NotEquals(0)
  @Min(-Number.MAX_SAFE_INTEGER)
  @Max(Number.MAX_SAFE_INTEGER)
  amount!: number;

  @ApiProperty({ example: 'USD' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO-4217 code such as USD' })
  currency!: string;
}

export class PostAdjustmentRequestDto {
  @ApiProperty({ example: 'ADJ-2026-03-alice-1' })
  @IsId()
  adjustmentId!: string;

  @ApiProperty({ example: '2026-03' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'period must be a month YYYY-MM' })
  period!: string;

  @ApiProperty({ type: SignedMoneyDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => SignedMoneyDto)
  amount!: SignedMoneyDto;

  @ApiProperty({ example: 'Split dispute settled with bob' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}
