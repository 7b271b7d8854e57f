import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmptyObject,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsBps, IsId } from '../../../../platform/src/http/validators';

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
}
