import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
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
    description: 'Draft terms of 1 to 50 plans (each plan once); terms not given keep their recorded value',
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
