import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsString, Length, ValidateNested } from 'class-validator';
import { IsId, IsInstant, MoneyDto } from '../../../../platform/src/http/validators';

export class ReturnGoodsRequestDto {
  @ApiProperty({ example: 'RET-1' })
  @IsId()
  returnId!: string;

  @ApiProperty({ example: '2026-03-01T00:00:00Z' })
  @IsInstant()
  returnedAt!: string;

  @ApiProperty({ example: 'Damaged in transit' })
  @IsString()
  @Length(1, 500)
  reason!: string;

  @ApiProperty({ type: MoneyDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount!: MoneyDto;
}
