import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsString, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { IsId, IsSafeAmount } from '../../../../platform/src/http/validators';

/** A credit limit: 0 allowed (no credit at all: every sale needs an override). */
export class CreditLimitMoneyDto {
  @ApiProperty({ example: 5000000, description: 'Minor units (cents), an integer ≥ 0' })
  @IsSafeAmount(0)
  amount!: number;

  @ApiProperty({ example: 'USD', description: 'ISO-4217 code' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO-4217 code such as USD' })
  currency!: string;
}

export class SetCreditLimitRequestDto {
  @ApiProperty({ example: 'CL-C1-2026-03' })
  @IsId()
  creditLimitId!: string;

  @ApiProperty({
    type: CreditLimitMoneyDto,
    nullable: true,
    description: 'The new limit, or null for no limit (required: send null explicitly)',
  })
  @ValidateIf((o: SetCreditLimitRequestDto) => o.creditLimit !== null)
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CreditLimitMoneyDto)
  creditLimit!: CreditLimitMoneyDto | null;
}
