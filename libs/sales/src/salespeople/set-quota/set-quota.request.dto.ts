import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsInt, Max, Min, ValidateNested } from 'class-validator';
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
}
