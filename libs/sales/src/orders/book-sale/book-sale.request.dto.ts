import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsInt,
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
}
