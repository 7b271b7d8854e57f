import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsId, IsInstant } from '../../../../platform/src/http/validators';
import { COLLECTION_ACTIONS, type CollectionAction } from '../../contracts/collections.events';

export class RecordCollectionActionRequestDto {
  @ApiProperty({ example: 'ACT-1' })
  @IsId()
  actionId!: string;

  @ApiProperty({ example: 'INV-1' })
  @IsId()
  invoiceId!: string;

  @ApiPropertyOptional({ example: 'reminder-after', description: 'The policy step this action carries out' })
  @IsOptional()
  @IsId()
  stepId?: string;

  @ApiProperty({ enum: [...COLLECTION_ACTIONS], example: 'REMINDER' })
  @IsIn(COLLECTION_ACTIONS)
  action!: CollectionAction;

  @ApiProperty({ example: '2026-02-10T09:00:00Z' })
  @IsInstant()
  takenAt!: string;

  @ApiPropertyOptional({ example: 'Sent the reminder e-mail' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;
}
