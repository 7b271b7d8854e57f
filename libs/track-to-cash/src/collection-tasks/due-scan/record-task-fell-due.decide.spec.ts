import { recordTaskFellDueDecider as decider, type RecordTaskFellDue } from './record-task-fell-due.decide';

const command: RecordTaskFellDue = {
  type: 'RecordTaskFellDue',
  task: {
    taskId: 'O1:INV-1:reminder-after',
    orderId: 'O1',
    customerId: 'C1',
    invoiceId: 'INV-1',
    policyId: 'default',
    stepId: 'reminder-after',
    action: 'REMINDER',
    responsible: 'SALESPERSON',
    assignees: ['alice', 'bob'],
    dueDate: '2026-02-15',
    openAmount: { amount: 6000000, currency: 'USD' },
  },
};

describe('record that a collection task fell due', () => {
  it('given a task never recorded, when it is recorded, then CollectionTaskFellDue dated its due day', () => {
    expect(decider.decide(command, decider.initialState())).toEqual([
      { type: 'CollectionTaskFellDue', data: command.task, occurredAt: '2026-02-15T00:00:00.000Z' },
    ]);
  });

  it('given the task already fell due, when it is recorded again, then nothing is decided', () => {
    const [event] = decider.decide(command, decider.initialState());
    const state = decider.evolve(decider.initialState(), event!);
    expect(decider.decide(command, state)).toEqual([]);
    expect(decider.decide({ ...command, task: { ...command.task, dueDate: '2026-03-01' } }, state)).toEqual([]);
  });
});
