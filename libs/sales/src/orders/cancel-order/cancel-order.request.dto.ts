import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { IsId, IsInstant, MoneyDto } from '../../../../platform/src/http/validators';

export class CancelOrderRequestDto {
  @ApiProperty({ example: 'CAN-1' })
  @IsId()
  cancellationId!: string;

  @ApiProperty({ example: '2026-05-01T00:00:00Z' })
  @IsInstant()
  cancelledAt!: string;

  @ApiProperty({ example: 'Customer cancelled' })
  @IsString()
  @Length(1, 500)
  reason!: string;

  @ApiPropertyOptional({ type: MoneyDto, description: 'Omitted: the whole remaining net amount' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount?: MoneyDto;
}
