/**
 * A collection task falls due once: the first record of it is the only one (a later scan, a
 * retry or another instance scanning at the same time decides nothing). Framework-free.
 */
import type { Decider } from '../../../../eventsourcing/src/decider';
import type { CollectionTaskFellDue } from '../contracts/collection-tasks.events';

export interface RecordTaskFellDue {
  readonly type: 'RecordTaskFellDue';
  readonly task: CollectionTaskFellDue['data'];
}

export interface TaskFellDueState {
  readonly fallen: boolean;
}

export const recordTaskFellDueDecider: Decider<RecordTaskFellDue, CollectionTaskFellDue, TaskFellDueState> = {
  initialState: () => ({ fallen: false }),
  evolve: (state, event) => (event.type === 'CollectionTaskFellDue' ? { fallen: true } : state),
  decide: (command, state) =>
    state.fallen
      ? []
      : [
          {
            type: 'CollectionTaskFellDue',
            data: command.task,
            occurredAt: `${command.task.dueDate}T00:00:00.000Z`,
          },
        ],
};
