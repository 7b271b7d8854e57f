import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { IsId, IsInstant, MoneyDto } from '../../../../platform/src/http/validators';

export class ReportSecondarySaleRequestDto {
  @ApiProperty({ example: 'SS1', description: 'The secondary sale (stream secondary-sale-<saleId>)' })
  @IsId()
  saleId!: string;

  @ApiProperty({ type: MoneyDto, example: { amount: 2500000, currency: 'USD' }, description: 'More than 0' })
  @IsDefined()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount!: MoneyDto;

  @ApiProperty({
    example: '2026-02-14T00:00:00Z',
    description: "When the distributor sold: the credits are the distributor's sales credits on this date",
  })
  @IsInstant()
  soldAt!: string;

  @ApiPropertyOptional({ example: 'Contoso Retail', description: 'Who the distributor sold to' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  endCustomer?: string;

  @ApiPropertyOptional({ example: 'enterprise' })
  @IsOptional()
  @IsId()
  businessUnit?: string;
}
