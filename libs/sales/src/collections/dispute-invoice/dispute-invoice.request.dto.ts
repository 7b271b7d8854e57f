import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsId, IsInstant } from '../../../../platform/src/http/validators';

export class DisputeInvoiceRequestDto {
  @ApiProperty({ example: 'DSP-1' })
  @IsId()
  disputeId!: string;

  @ApiProperty({ example: 'INV-1' })
  @IsId()
  invoiceId!: string;

  @ApiProperty({ example: 'Goods arrived damaged' })
  @IsString()
  @Length(1, 500)
  reason!: string;

  @ApiProperty({ example: '2026-02-12T10:00:00Z' })
  @IsInstant()
  disputedAt!: string;
}
