import { ApiProperty } from '@nestjs/swagger';
import { IsDateOnly, IsId } from '../../../../platform/src/http/validators';

export class AssignPlanRequestDto {
  @ApiProperty({ example: 'A-alice-P1' })
  @IsId()
  assignmentId!: string;

  @ApiProperty({ example: 'P1' })
  @IsId()
  planId!: string;

  @ApiProperty({ example: '2026-01-01' })
  @IsDateOnly()
  effectiveFrom!: string;
}
