import { ApiProperty } from '@nestjs/swagger';
import { IsDateOnly, IsId } from '../../../../platform/src/http/validators';

export class AssignCollectionPolicyRequestDto {
  @ApiProperty({ example: 'CPA-C1-1' })
  @IsId()
  assignmentId!: string;

  @ApiProperty({ example: 'strict-v1', description: 'A created policy, or `default` for the built-in one' })
  @IsId()
  policyId!: string;

  @ApiProperty({ example: '2026-01-01', description: 'Applies to invoices issued on or after this date' })
  @IsDateOnly()
  effectiveFrom!: string;
}
