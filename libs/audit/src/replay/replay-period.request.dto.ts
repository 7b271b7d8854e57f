import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class ReplayPeriodRequestDto {
  @ApiProperty({ example: '2026-03', description: 'The period (YYYY-MM) to replay and compare' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'period must be a month YYYY-MM' })
  period!: string;

  @ApiProperty({
    required: false,
    example: ['commission-ledger', 'track-to-cash'],
    description:
      'Projections to rebuild and compare (default: all of them; the ledger is always rebuilt for the digest)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  projections?: string[];
}
