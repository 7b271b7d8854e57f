import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** Plans as the ledger knows them (built from PlanCreated). */
@Entity({ name: 'ledger_plans' })
export class LedgerPlanEntity {
  @PrimaryColumn({ name: 'plan_id', type: 'text' }) planId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) currency!: string;
  @Column({ type: 'text' }) basis!: string;
  @Column({ name: 'rate_bps', type: 'integer' }) rateBps!: number;
  @Column({ name: 'window_days', type: 'integer' }) windowDays!: number;
  @Column({ name: 'percent_bps', type: 'integer' }) percentBps!: number;
}

@Entity({ name: 'ledger_salespeople' })
export class LedgerSalespersonEntity {
  @PrimaryColumn({ name: 'salesperson_id', type: 'text' }) salespersonId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ name: 'team_id', type: 'text', nullable: true }) teamId!: string | null;
  @Column({ name: 'manager_id', type: 'text', nullable: true }) managerId!: string | null;
}

/** Plan assignments in the order they were recorded (`seq`). */
@Entity({ name: 'ledger_assignments' })
@Index('ledger_assignments_salesperson_idx', ['salespersonId', 'seq'])
export class LedgerAssignmentEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) seq!: string;
  @Column({ name: 'assignment_id', type: 'text', unique: true }) assignmentId!: string;
  @Column({ name: 'salesperson_id', type: 'text' }) salespersonId!: string;
  @Column({ name: 'plan_id', type: 'text' }) planId!: string;
  @Column({ name: 'effective_from', type: 'date' }) effectiveFrom!: string;
}

/** One ledger entry; `seq` keeps the global order in which entries were made. */
@Entity({ name: 'ledger_entries' })
@Index('ledger_entries_salesperson_period_idx', ['salespersonId', 'period', 'seq'])
export class LedgerEntryEntity {
  @PrimaryColumn({ name: 'entry_id', type: 'uuid' }) entryId!: string;
  @Column({ type: 'bigint', generated: 'increment' }) seq!: string;
  @Column({ name: 'salesperson_id', type: 'text' }) salespersonId!: string;
  @Column({ type: 'text' }) type!: string;
  @Column({ type: 'bigint' }) amount!: string;
  @Column({ type: 'text' }) currency!: string;
  @Column({ type: 'text' }) period!: string;
  @Column({ name: 'original_period', type: 'text', nullable: true }) originalPeriod!: string | null;
  @Column({ name: 'order_id', type: 'text', nullable: true }) orderId!: string | null;
  @Column({ name: 'source_event_id', type: 'uuid' }) sourceEventId!: string;
  @Column({ name: 'source_position', type: 'bigint' }) sourcePosition!: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
  @Column({ name: 'recorded_at', type: 'timestamptz' }) recordedAt!: Date;
  @Column({ type: 'jsonb' }) explanation!: Record<string, unknown>;
  /** The source event's log position (major/minor); null on rows written before it was recorded. */
  @Column({ name: 'source_log_major', type: 'bigint', nullable: true }) sourceLogMajor!: string | null;
  @Column({ name: 'source_log_minor', type: 'bigint', nullable: true }) sourceLogMinor!: string | null;
  /** Set when a period close moved the entry to the next period: where it was, and when. */
  @Column({ name: 'reposted_from', type: 'text', nullable: true }) repostedFrom!: string | null;
  @Column({ name: 'reposted_at', type: 'timestamptz', nullable: true }) repostedAt!: Date | null;
}

@Entity({ name: 'ledger_exceptions' })
export class LedgerExceptionEntity {
  @PrimaryColumn({ name: 'exception_id', type: 'uuid' }) exceptionId!: string;
  @Column({ type: 'text' }) code!: string;
  @Column({ name: 'order_id', type: 'text', nullable: true }) orderId!: string | null;
  @Column({ name: 'salesperson_id', type: 'text', nullable: true }) salespersonId!: string | null;
  @Column({ type: 'text' }) detail!: string;
  @Column({ name: 'source_position', type: 'bigint' }) sourcePosition!: string;
}

export const LEDGER_ENTITIES = [
  LedgerPlanEntity,
  LedgerSalespersonEntity,
  LedgerAssignmentEntity,
  LedgerEntryEntity,
  LedgerExceptionEntity,
];
