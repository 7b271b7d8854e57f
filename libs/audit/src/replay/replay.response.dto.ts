import { ApiProperty } from '@nestjs/swagger';
import type { PeriodStatement } from '../../../commissions/src/contracts/commissions.events';
import type { RecordedClose, ReplayDifference } from './period-replay';

const EXAMPLE_STATEMENT = {
  salespersonId: 'alice',
  currency: 'USD',
  opening: 0,
  earned: 12500,
  clawedBack: 2500,
  adjustments: 0,
  paidOut: 0,
  closing: 10000,
  entryCount: 2,
  digest: '5b0c2f0f6b1c4e1e8a7d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a098f7e',
};

export class ReplayReportDto {
  @ApiProperty({ example: '2026-03' })
  period!: string;

  @ApiProperty({ example: ['commission-ledger', 'track-to-cash', 'dashboard'] })
  projections!: string[];

  @ApiProperty({ example: 66770, description: 'Events read from the log and applied to the rebuilt projections' })
  eventsRead!: number;

  @ApiProperty({ example: '66770', nullable: true, description: 'Global position the rebuilt ledger reached' })
  throughPosition!: string | null;

  @ApiProperty({
    example: 5312,
    description: 'Rows of the period compared (rebuilt rows, plus live rows with no twin)',
  })
  rowsCompared!: number;

  @ApiProperty({
    example: [],
    description:
      'Rows that differ (at most 100; see differencesTotal): {projection, table, kind: missing|unexpected|changed, ' +
      'key, live, rebuilt}. Table `statements`: a statement recorded at close (`live`) that the rebuilt ledger ' +
      'does not reproduce (`rebuilt`).',
  })
  differences!: ReplayDifference[];

  @ApiProperty({ example: 0 })
  differencesTotal!: number;

  @ApiProperty({
    example: '0d4f5b7c2a1e9f8d7c6b5a4938271605f4e3d2c1b0a9988776655443322110ff',
    description:
      'SHA-256 (hex) of the canonical JSON of the period statements computed from the rebuilt ledger ' +
      '(docs/domain-decisions.md § Period digest): the same events give the same digest on every run',
  })
  digest!: string;

  @ApiProperty({ example: [EXAMPLE_STATEMENT], description: 'The rebuilt statements the digest covers' })
  statements!: PeriodStatement[];

  @ApiProperty({
    nullable: true,
    example: { closeEventId: '0b7c…', closedBy: 'finance-1', digest: '0d4f5b7c…', matches: true },
    description: 'The close recorded in PeriodClosed (null while the period is open)',
  })
  recorded!: RecordedClose | null;
}
