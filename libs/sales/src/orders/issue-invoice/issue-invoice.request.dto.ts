import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, ValidateNested } from 'class-validator';
import { IsDateOnly, IsId, IsInstant, MoneyDto } from '../../../../platform/src/http/validators';

export class IssueInvoiceRequestDto {
  @ApiProperty({ example: 'INV-1' })
  @IsId()
  invoiceId!: string;

  @ApiProperty({ type: MoneyDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount!: MoneyDto;

  @ApiProperty({ example: '2026-01-15T00:00:00Z' })
  @IsInstant()
  issuedAt!: string;

  @ApiProperty({ example: '2026-02-14' })
  @IsDateOnly()
  dueDate!: string;
}
