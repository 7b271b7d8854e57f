import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsId } from '../../../../platform/src/http/validators';
import { MoneyDto } from '../../../../platform/src/http/validators';

export class SetQuotaRequestDto {
  @ApiProperty({ example: 'Q-alice-2026' })
  @IsId()
  quotaId!: string;

  @ApiProperty({ type: MoneyDto, example: { amount: 120000000, currency: 'USD' } })
  @IsDefined()
  @ValidateNested()
  @Type(() => MoneyDto)
  annualTarget!: MoneyDto;

  @ApiProperty({
    type: [Number],
    example: [600, 700, 900, 800, 800, 900, 600, 600, 900, 1000, 1000, 1200],
    description: '12 monthly weights in bps, January first, totalling 10000',
  })
  @IsArray()
  @ArrayMinSize(12)
  @ArrayMaxSize(12)
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(10_000, { each: true })
  monthlyWeightsBps!: number[];

  @ApiPropertyOptional({
    example: 'enterprise',
    description:
      "The business unit the quota is for (one quota per salesperson, year and unit); the salesperson's " +
      'annual quota is the sum of their quotas of the year. Omitted: the quota without a unit',
  })
  @IsOptional()
  @IsId()
  businessUnit?: string;
}
