import { ApiProperty } from '@nestjs/swagger';
import { IsDateOnly, IsId, IsSalesCredits, SalesCreditDto } from '../../../../platform/src/http/validators';

export class ReassignSalesCreditsRequestDto {
  @ApiProperty({ example: 'RA-C1-2026-03' })
  @IsId()
  reassignmentId!: string;

  @ApiProperty({ example: '2026-03-01' })
  @IsDateOnly()
  effectiveFrom!: string;

  @ApiProperty({ type: [SalesCreditDto], example: [{ salespersonId: 'bob', splitBps: 10000 }] })
  @IsSalesCredits()
  salesCredits!: SalesCreditDto[];
}
