import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  Matches,
  Max,
  Min,
  registerDecorator,
  type ValidationArguments,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsBps, IsId } from '../../../platform/src/http/validators';
import { MAX_FROM_ATTAINMENT_BPS, MAX_TIERS, tiersProblem } from '../../../sales/src/plans/plan-terms';

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

export class ClawbackOverrideDto {
  @ApiProperty({ required: false, example: 60, description: 'Draft clawback window in days (0..3650)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  windowDays?: number;

  @ApiProperty({ required: false, example: 5000, description: 'Draft share of the commission taken back, in bps' })
  @IsOptional()
  @IsBps()
  percentBps?: number;
}

export class DraftTierDto {
  @ApiProperty({
    example: 10000,
    description: 'From this attainment on (bps of the annual quota, 10000 = 100 %), 0..1000000',
  })
  @IsInt()
  @Min(0)
  @Max(MAX_FROM_ATTAINMENT_BPS)
  fromAttainmentBps!: number;

  @ApiProperty({ example: 2000, description: 'Marginal commission rate in bps in this band' })
  @IsBps()
  rateBps!: number;
}

/**
 * The tier rules of plan creation that span the list (plan-terms.ts): 400 naming
 * `planOverrides.N.tiers`. The first tier must be at the draft's rateBps when the draft gives one;
 * otherwise at the recorded plan's, which only the query knows (422 INVALID_TIERS there).
 */
function DraftTiersKeepTheRules(): PropertyDecorator {
  const problem = (value: unknown, o: PlanOverrideDto): string | null => {
    // Shapes and ranges are the nested validation's errors; this names what spans the list.
    if (!Array.isArray(value) || value.some((t) => t === null || typeof t !== 'object')) return null;
    const tiers = value as DraftTierDto[];
    return tiersProblem(tiers, o.rateBps ?? tiers[0]?.rateBps ?? 0);
  };
  return (target, key) =>
    registerDecorator({
      name: 'draftTiersKeepTheRules',
      target: target.constructor,
      propertyName: key as string,
      options: {
        message: (args: ValidationArguments) =>
          problem(args.value, args.object as PlanOverrideDto) ?? 'tiers are not valid',
      },
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          problem(value, args.object as PlanOverrideDto) === null,
      },
    });
}

export class PlanOverrideDto {
  @ApiProperty({ example: 'P1', description: 'A plan the log knows (404 otherwise)' })
  @IsId()
  planId!: string;

  @ApiProperty({ required: false, enum: ['BOOKING', 'COLLECTION'], example: 'COLLECTION' })
  @IsOptional()
  @IsIn(['BOOKING', 'COLLECTION'])
  basis?: 'BOOKING' | 'COLLECTION';

  @ApiProperty({ required: false, example: 1200, description: 'Draft commission rate in bps (1200 = 12 %)' })
  @IsOptional()
  @IsBps()
  rateBps?: number;

  @ApiProperty({ required: false, type: ClawbackOverrideDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ClawbackOverrideDto)
  clawback?: ClawbackOverrideDto;

  @ApiProperty({
    required: false,
    nullable: true,
    type: [DraftTierDto],
    example: [
      { fromAttainmentBps: 0, rateBps: 1000 },
      { fromAttainmentBps: 10000, rateBps: 2000 },
    ],
    description:
      `Draft marginal rates by attainment (accelerators), as for plan creation: 1-${MAX_TIERS} tiers, ` +
      'fromAttainmentBps strictly ascending, the first {fromAttainmentBps: 0, rateBps: <rateBps>}, where ' +
      "rateBps is the draft's if given, else the recorded plan's (a mismatch with the recorded one is 422 " +
      'INVALID_TIERS). null: the draft plan has no tiers (flat rateBps). A plan recorded with tiers and a ' +
      'draft rateBps needs draft tiers or null (422 INVALID_TIERS otherwise)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TIERS)
  @ValidateNested({ each: true })
  @Type(() => DraftTierDto)
  @DraftTiersKeepTheRules()
  tiers?: DraftTierDto[] | null;

  @ApiProperty({
    required: false,
    nullable: true,
    example: 200,
    description: "Draft manager override rate in bps on their direct reports' credits; null: none",
  })
  @IsOptional()
  @IsBps()
  overrideRateBps?: number | null;

  @ApiProperty({
    required: false,
    nullable: true,
    example: 2000,
    description:
      "Draft share (bps) of each earned commission held until its sale's clawback window has passed; null: none",
  })
  @IsOptional()
  @IsBps()
  holdbackBps?: number | null;

  @ApiProperty({
    required: false,
    nullable: true,
    example: true,
    description:
      'Whether primary sales to distributors (sell-in) earn commission in the draft; null: the default, false',
  })
  @IsOptional()
  @IsBoolean()
  primaryDistributorSalesEarn?: boolean | null;

  @ApiProperty({
    required: false,
    nullable: true,
    example: 300,
    description: 'Draft flat rate (bps) of secondary sales (sell-through); null: as a primary sale',
  })
  @IsOptional()
  @IsBps()
  secondaryRateBps?: number | null;
}

/** `period` may not be given together with `periods`. */
function IsNotWith(other: string): PropertyDecorator {
  return (target, key) =>
    registerDecorator({
      name: 'isNotWith',
      target: target.constructor,
      propertyName: key as string,
      options: { message: `give either $property or ${other}, not both` },
      validator: {
        validate: (_value: unknown, args: ValidationArguments) =>
          (args.object as Record<string, unknown>)[other] === undefined,
      },
    });
}

export class WhatIfRequestDto {
  @ApiProperty({
    required: false,
    example: ['2026-01', '2026-02'],
    description: 'Posted periods (YYYY-MM, 1 to 24) to answer for; or give `period`',
  })
  @ValidateIf((o: WhatIfRequestDto) => o.periods !== undefined || o.period === undefined)
  @IsDefined({ message: 'periods (or period) is required' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(24)
  @Matches(PERIOD, { each: true, message: 'each of periods must be a month YYYY-MM' })
  periods?: string[];

  @ApiProperty({
    required: false,
    example: '2026-01',
    description: 'One posted period (YYYY-MM), instead of `periods`',
  })
  @IsOptional()
  @Matches(PERIOD, { message: 'period must be a month YYYY-MM' })
  @IsNotWith('periods')
  period?: string;

  @ApiProperty({
    type: [PlanOverrideDto],
    description:
      'Draft terms of 1 to 50 plans (each plan once), validated as for plan creation; terms not given keep ' +
      'their recorded value. null on tiers, overrideRateBps, holdbackBps, primaryDistributorSalesEarn or ' +
      'secondaryRateBps removes that term (its default applies); null on basis, rateBps or clawback is as if ' +
      'not given',
  })
  @IsDefined()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique((o: PlanOverrideDto) => o?.planId, { message: 'each plan may be overridden once' })
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PlanOverrideDto)
  planOverrides!: PlanOverrideDto[];
}
