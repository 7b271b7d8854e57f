import { ApiProperty } from '@nestjs/swagger';

export class LedgerExceptionDto {
  @ApiProperty({
    example: 'NO_PLAN',
    description:
      'NO_PLAN: a credited salesperson had no plan for the sale. NO_QUOTA: a tiered plan, but no quota for the ' +
      "year (the sale earned the first tier's rate). OVERRIDE_CURRENCY_MISMATCH: the manager's plan is in another " +
      'currency than the sale (no override). RECALCULATION_NEEDS_REBUILD: a credit projected before sale amounts ' +
      'were kept (rebuild the ledger, then recalculate). See docs/plans-and-channels.md',
  })
  code!: string;
  @ApiProperty({ example: 'O7', nullable: true, type: String }) orderId!: string | null;
  @ApiProperty({ example: 'dave', nullable: true, type: String }) salespersonId!: string | null;
  @ApiProperty({ example: 'No plan applies to dave on 2026-01-10: the sale earns nothing for them' })
  detail!: string;
  @ApiProperty({ example: '12', description: 'Global position of the event that raised it' }) sourcePosition!: string;
  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description:
      'A NO_PLAN a retroactive recalculation resolved (the credit got its plan): the CommissionsRecalculated ' +
      'event, whose adjustment pays what was missed. Null while open',
  })
  resolvedByEventId!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'When it was resolved (record time)' })
  resolvedAt!: string | null;
}

export class LedgerExceptionPageDto {
  @ApiProperty({ type: [LedgerExceptionDto] }) items!: LedgerExceptionDto[];
  @ApiProperty({ example: null, nullable: true, type: String, description: 'null on the last page' })
  nextCursor!: string | null;
}
