import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsId } from '../../../../platform/src/http/validators';

export class RecalculateCommissionsRequestDto {
  @ApiProperty({ example: 'RC-alice-2026-03' })
  @IsId()
  recalculationId!: string;

  @ApiProperty({ example: 'Plan assignment corrected back to January' })
  @IsString()
  @Length(1, 500)
  reason!: string;

  @ApiPropertyOptional({
    example: '2026-01',
    description: 'Recalculate orders booked in open periods from this month on. Omitted: every open period',
  })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'fromPeriod must be a month YYYY-MM' })
  fromPeriod?: string;
}
