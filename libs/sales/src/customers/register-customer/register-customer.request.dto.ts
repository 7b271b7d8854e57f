import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { IsId, MoneyDto, SalesCreditDto, IsSalesCredits } from '../../../../platform/src/http/validators';

export class RegisterCustomerRequestDto {
  @ApiProperty({ example: 'C1' })
  @IsId()
  customerId!: string;

  @ApiProperty({ example: 'Acme Corp' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 30 })
  @IsInt()
  @Min(0)
  @Max(3650)
  paymentTermsDays!: number;

  @ApiPropertyOptional({ type: MoneyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => MoneyDto)
  creditLimit?: MoneyDto;

  @ApiProperty({
    type: [SalesCreditDto],
    example: [
      { salespersonId: 'alice', splitBps: 6000 },
      { salespersonId: 'bob', splitBps: 4000 },
    ],
  })
  @IsSalesCredits()
  salesCredits!: SalesCreditDto[];
}
