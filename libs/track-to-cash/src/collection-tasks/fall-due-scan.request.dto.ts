import { ApiProperty } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsInstant } from '../../../platform/src/http/validators';

export class FallDueScanRequestDto {
  @ApiProperty({
    required: false,
    example: '2026-03-01T00:00:00Z',
    description: 'Tasks due by this instant’s UTC date fall due (default now; never in the future)',
  })
  @IsOptional()
  @IsInstant()
  asOf?: string;
}
