import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsId } from '../../../../platform/src/http/validators';
import {
  COLLECTION_ACTIONS,
  COLLECTION_RESPONSIBLES,
  type CollectionAction,
  type CollectionResponsible,
} from '../../contracts/collections.events';

export class CollectionStepDto {
  @ApiProperty({ example: 'reminder-after' })
  @IsId()
  stepId!: string;

  @ApiProperty({ example: 1, description: 'Days from the invoice due date (negative: before it), -365..3650' })
  @IsInt()
  @Min(-365)
  @Max(3650)
  offsetDays!: number;

  @ApiProperty({ enum: [...COLLECTION_ACTIONS], example: 'REMINDER' })
  @IsIn(COLLECTION_ACTIONS)
  action!: CollectionAction;

  @ApiProperty({ enum: [...COLLECTION_RESPONSIBLES], example: 'SALESPERSON' })
  @IsIn(COLLECTION_RESPONSIBLES)
  responsible!: CollectionResponsible;
}

export class CreateCollectionPolicyRequestDto {
  @ApiProperty({ example: 'strict-v1' })
  @IsId()
  policyId!: string;

  @ApiProperty({ example: 'Strict collection' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ type: [CollectionStepDto], description: '1 to 20 steps, unique stepIds, offsets strictly increasing' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CollectionStepDto)
  steps!: CollectionStepDto[];
}
