import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { IsInstant } from '../../../../platform/src/http/validators';

export class ResolveInvoiceDisputeRequestDto {
  @ApiProperty({ example: '2026-02-20T10:00:00Z' })
  @IsInstant()
  resolvedAt!: string;

  @ApiPropertyOptional({ example: 'Replacement shipped; invoice stands' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  outcome?: string;
}
