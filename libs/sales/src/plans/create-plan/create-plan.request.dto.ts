import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmptyObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  registerDecorator,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import { IsBps, IsId } from '../../../../platform/src/http/validators';
import { MAX_FROM_ATTAINMENT_BPS, MAX_TIERS, tiersProblem } from '../../plans/plan-terms';

export class ClawbackPolicyDto {
  @ApiProperty({ example: 90, description: 'Days after booking within which a reversal claws back' })
  @IsInt()
  @Min(0)
  @Max(3650)
  windowDays!: number;

  @ApiProperty({ example: 10000, description: 'Share of the commission taken back, in bps' })
  @IsBps()
  percentBps!: number;
}

export class PlanTierDto {
  @ApiProperty({
    example: 10000,
    description: 'From this attainment on (bps of the annual quota, 10000 = 100 %), 0..1000000',
  })
  @IsInt()
  @Min(0)
  @Max(MAX_FROM_ATTAINMENT_BPS)
  fromAttainmentBps!: number;

  @ApiProperty({ example: 1500, description: 'Marginal commission rate in bps in this band' })
  @IsBps()
  rateBps!: number;
}

/**
 * The tier rules that span the list (first tier, order) and the plan's rateBps: 400 naming
 * `tiers` (docs/plans-and-channels.md § Plans). Element ranges are checked per field by PlanTierDto.
 */
function TiersKeepTheRules(): PropertyDecorator {
  return (target, key) =>
    registerDecorator({
      name: 'tiersKeepTheRules',
      target: target.constructor,
      propertyName: key as string,
      options: {
        message: (args: ValidationArguments) =>
          tiersProblem(args.value as PlanTierDto[], (args.object as CreatePlanRequestDto).rateBps) ??
          'tiers are not valid',
      },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          // Shapes and ranges are the nested validation's errors; this names what spans the list.
          if (!Array.isArray(value) || value.some((t) => t === null || typeof t !== 'object')) return true;
          return tiersProblem(value as PlanTierDto[], (args.object as CreatePlanRequestDto).rateBps) === null;
        },
      },
    });
}

export class CreatePlanRequestDto {
  @ApiProperty({ example: 'P1' })
  @IsId()
  planId!: string;

  @ApiProperty({ example: 'Field sales 2026' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'USD' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO-4217 code such as USD' })
  currency!: string;

  @ApiProperty({ enum: ['BOOKING', 'COLLECTION'], example: 'BOOKING' })
  @IsIn(['BOOKING', 'COLLECTION'])
  basis!: 'BOOKING' | 'COLLECTION';

  @ApiProperty({ example: 1000, description: 'Commission rate in bps (1000 = 10 %)' })
  @IsBps()
  rateBps!: number;

  @ApiProperty({ type: ClawbackPolicyDto })
  @IsDefined()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => ClawbackPolicyDto)
  clawback!: ClawbackPolicyDto;

  @ApiPropertyOptional({
    type: [PlanTierDto],
    example: [
      { fromAttainmentBps: 0, rateBps: 1000 },
      { fromAttainmentBps: 10000, rateBps: 1500 },
    ],
    description:
      `Marginal rates by attainment (accelerators): 1-${MAX_TIERS} tiers, the first {fromAttainmentBps: 0, ` +
      'rateBps: <rateBps>}, fromAttainmentBps strictly ascending. Default: the flat rateBps',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TIERS)
  @ValidateNested({ each: true })
  @Type(() => PlanTierDto)
  @TiersKeepTheRules()
  tiers?: PlanTierDto[];

  @ApiPropertyOptional({
    example: 200,
    description: "A manager on this plan earns this rate (bps) on their direct reports' credits. Default: none",
  })
  @IsOptional()
  @IsBps()
  overrideRateBps?: number;

  @ApiPropertyOptional({
    example: 2000,
    description: "Share (bps) of each earned commission held until its sale's clawback window has passed",
  })
  @IsOptional()
  @IsBps()
  holdbackBps?: number;

  @ApiPropertyOptional({
    example: false,
    description: 'Whether primary sales to distributors (sell-in) earn commission. Default: false',
  })
  @IsOptional()
  @IsBoolean()
  primaryDistributorSalesEarn?: boolean;

  @ApiPropertyOptional({
    example: 800,
    description: 'Flat rate (bps) of secondary sales (sell-through). Default: as a primary sale',
  })
  @IsOptional()
  @IsBps()
  secondaryRateBps?: number;
}
