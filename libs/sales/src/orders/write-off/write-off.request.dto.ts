import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { IsId, IsInstant, MoneyDto } from '../../../../platform/src/http/validators';

export class WriteOffDebtRequestDto {
  @ApiProperty({ example: 'WO-1' })
  @IsId()
  writeOffId!: string;

  @ApiProperty({ example: '2026-09-30T00:00:00Z' })
  @IsInstant()
  writtenOffAt!: string;

  @ApiProperty({ example: 'Customer insolvent' })
  @IsString()
  @Length(1, 500)
  reason!: string;

  @ApiPropertyOptional({ type: MoneyDto, description: 'Omitted: the whole receivable' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount?: MoneyDto;
}
