import { ApiProperty } from '@nestjs/swagger';
import type { PlanOverride } from './what-if';

export class CommissionFiguresDto {
  @ApiProperty({ example: 600000, description: 'EARNED entries posted to the period, minor units' })
  earned!: number;

  @ApiProperty({ example: 60000, description: 'CLAWBACK entries posted to the period (positive), minor units' })
  clawedBack!: number;

  @ApiProperty({ example: 540000, description: 'earned − clawedBack' })
  commission!: number;

  @ApiProperty({
    example: 0,
    description: 'Holdbacks posted to the period, net of clawbacks taken from what was held (the ledger’s `held`)',
  })
  held!: number;

  @ApiProperty({ example: 0, description: 'Held amounts released in the period (the ledger’s `released`)' })
  released!: number;
}

export class WhatIfItemDto {
  @ApiProperty({ example: 'alice' })
  salespersonId!: string;

  @ApiProperty({ example: '2026-01', description: 'The posted period of the entries' })
  period!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ type: CommissionFiguresDto, description: 'As recorded' })
  actual!: CommissionFiguresDto;

  @ApiProperty({ type: CommissionFiguresDto, description: 'With the draft plan terms' })
  whatIf!: CommissionFiguresDto;

  @ApiProperty({ type: CommissionFiguresDto, description: 'whatIf − actual' })
  difference!: CommissionFiguresDto;
}

export class WhatIfTotalDto {
  @ApiProperty({ example: '2026-01' })
  period!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ type: CommissionFiguresDto })
  actual!: CommissionFiguresDto;

  @ApiProperty({ type: CommissionFiguresDto })
  whatIf!: CommissionFiguresDto;

  @ApiProperty({ type: CommissionFiguresDto })
  difference!: CommissionFiguresDto;
}

export class WhatIfReportDto {
  @ApiProperty({ example: ['2026-01'] })
  periods!: string[];

  @ApiProperty({ example: [{ planId: 'P1', rateBps: 1200 }], description: 'The draft terms, as requested' })
  planOverrides!: PlanOverride[];

  @ApiProperty({ example: 7, description: 'Events read from the log by each of the two builds' })
  eventsRead!: number;

  @ApiProperty({ example: '7', nullable: true, description: 'Global position both builds were read to' })
  throughPosition!: string | null;

  @ApiProperty({
    type: [WhatIfItemDto],
    description:
      'Per salesperson and posted period (or period of release), by period then salespersonId; only non-zero ones',
  })
  items!: WhatIfItemDto[];

  @ApiProperty({ type: [WhatIfTotalDto], description: 'Sums of the items per period and currency' })
  totals!: WhatIfTotalDto[];
}
