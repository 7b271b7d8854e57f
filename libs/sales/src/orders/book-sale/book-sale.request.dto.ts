import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsId, IsInstant, MoneyDto, SalesCreditDto, IsSalesCredits } from '../../../../platform/src/http/validators';

export class OrderLineDto {
  @ApiPropertyOptional({ example: 'SKU-1' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  sku?: string;

  @ApiPropertyOptional({ example: 'Annual licence' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  description?: string;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  quantity!: number;

  @ApiProperty({ type: MoneyDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount!: MoneyDto;
}

export class CreditOverrideDto {
  @ApiProperty({ example: 'carol.finance', description: 'Who approved the sale past the credit limit' })
  @IsString()
  @Length(1, 200)
  approvedBy!: string;

  @ApiProperty({ example: 'Prepayment received by wire, not yet recorded' })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

export class BookSaleRequestDto {
  @ApiProperty({ example: 'O1' })
  @IsId()
  orderId!: string;

  @ApiProperty({ example: 'C1' })
  @IsId()
  customerId!: string;

  @ApiProperty({ type: MoneyDto, example: { amount: 10000000, currency: 'USD' } })
  @IsDefined()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount!: MoneyDto;

  @ApiProperty({ example: '2026-01-10T00:00:00Z' })
  @IsInstant()
  bookedAt!: string;

  @ApiPropertyOptional({ type: [SalesCreditDto], description: "Default: the customer's current sales credits" })
  @IsOptional()
  @IsSalesCredits()
  salesCredits?: SalesCreditDto[];

  @ApiPropertyOptional({ example: 'enterprise' })
  @IsOptional()
  @IsId()
  businessUnit?: string;

  @ApiPropertyOptional({ type: [OrderLineDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  lines?: OrderLineDto[];

  @ApiPropertyOptional({
    type: CreditOverrideDto,
    description:
      "An approval to book past the customer's credit limit (or in another currency than the limit's): " +
      'recorded on the credit reservation when the sale needs it, else ignored',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CreditOverrideDto)
  creditOverride?: CreditOverrideDto;
}
