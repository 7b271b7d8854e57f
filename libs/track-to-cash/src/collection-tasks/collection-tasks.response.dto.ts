import { ApiProperty } from '@nestjs/swagger';

export class TaskMoneyDto {
  @ApiProperty({ example: 6000000, description: 'Minor units' }) amount!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
}

export class CollectionTaskDto {
  @ApiProperty({ example: 'O1:INV-1:reminder-after', description: '<orderId>:<invoiceId>:<stepId>' }) taskId!: string;
  @ApiProperty({ example: 'O1' }) orderId!: string;
  @ApiProperty({ example: 'C1' }) customerId!: string;
  @ApiProperty({ example: 'INV-1', description: 'The receivable' }) invoiceId!: string;
  @ApiProperty({ example: 'default' }) policyId!: string;
  @ApiProperty({ example: 'reminder-after' }) stepId!: string;
  @ApiProperty({ enum: ['REMINDER', 'FORMAL_NOTICE', 'CALL', 'ESCALATION', 'LEGAL_HANDOFF'], example: 'REMINDER' })
  action!: string;
  @ApiProperty({ enum: ['SALESPERSON', 'MANAGER', 'FINANCE'], example: 'SALESPERSON' }) responsible!: string;
  @ApiProperty({ example: ['alice', 'bob'], type: [String], description: 'Salesperson ids and/or finance' })
  assignees!: string[];
  @ApiProperty({ example: '2026-02-15', description: "The invoice's due date + the step's offset" })
  scheduledDate!: string;
  @ApiProperty({ example: '2026-02-15', description: 'After dispute pauses and broken-promise escalations' })
  dueDate!: string;
  @ApiProperty({ enum: ['UPCOMING', 'DUE', 'OVERDUE', 'DONE', 'CANCELLED'], example: 'OVERDUE' }) status!: string;
  @ApiProperty({ example: 14, description: 'Days past the due date at asOf when DUE or OVERDUE, else 0' })
  daysPastDue!: number;
  @ApiProperty({ example: null, nullable: true, type: String }) doneAt!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) doneByActionId!: string | null;
  @ApiProperty({ example: null, nullable: true, enum: ['BROKEN_PROMISE'], type: String }) raisedBy!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) raisedByPromiseId!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) pausedByDisputeId!: string | null;
  @ApiProperty({ type: TaskMoneyDto, description: "The invoice's open amount at asOf" }) openAmount!: TaskMoneyDto;
}

export class CollectionTasksPageDto {
  @ApiProperty({ example: '2026-03-01T00:00:00.000Z' }) asOf!: string;
  @ApiProperty({ type: [CollectionTaskDto] }) items!: CollectionTaskDto[];
  @ApiProperty({ example: null, nullable: true, type: String }) nextCursor!: string | null;
}

export class FellDueTaskDto {
  @ApiProperty({ example: 'O1:INV-1:reminder-after' }) taskId!: string;
  @ApiProperty({ example: '2026-02-15' }) dueDate!: string;
  @ApiProperty({ example: '42', description: 'Global position of its CollectionTaskFellDue event' }) position!: string;
}

export class FallDueScanDto {
  @ApiProperty({ example: '2026-03-01T00:00:00.000Z' }) asOf!: string;
  @ApiProperty({ example: 3, description: 'Receivables whose tasks were computed' }) receivables!: number;
  @ApiProperty({ type: [FellDueTaskDto], description: 'Tasks this scan recorded as fallen due' })
  fellDue!: FellDueTaskDto[];
  @ApiProperty({ example: 2, description: 'Due tasks recorded before (by an earlier or concurrent scan)' })
  alreadyFallen!: number;
}
