import type { Decider } from '../../../../eventsourcing/src/decider';
import { DomainError } from '../../../../eventsourcing/src/decider';
import type { PeriodClosed } from '../../contracts/commissions.events';
import type { ClosePeriod } from './close-period.command';

export interface PeriodsState {
  readonly closed: readonly string[];
}

export const initialPeriodsState = (): PeriodsState => ({ closed: [] });

export function evolvePeriods(state: PeriodsState, event: PeriodClosed): PeriodsState {
  return event.type === 'PeriodClosed' ? { closed: [...state.closed, event.data.period] } : state;
}

/**
 * Closing P: not twice (PERIOD_CLOSED), not before it has ended (PERIOD_NOT_ENDED), and only
 * once every earlier period with activity is closed (PERIOD_ORDER).
 */
export function decideClosePeriod(command: ClosePeriod, state: PeriodsState): PeriodClosed[] {
  if (state.closed.includes(command.period)) {
    throw new DomainError('PERIOD_CLOSED', `Period ${command.period} is already closed`);
  }
  if (command.at.slice(0, 7) <= command.period) {
    throw new DomainError('PERIOD_NOT_ENDED', `Period ${command.period} has not ended yet`);
  }
  const open = command.earlierPeriodsWithActivity.filter((p) => p < command.period && !state.closed.includes(p)).sort();
  if (open.length > 0) {
    throw new DomainError('PERIOD_ORDER', `Close ${open.join(', ')} first: periods close in order`);
  }
  return [
    {
      type: 'PeriodClosed',
      occurredAt: command.at,
      data: {
        period: command.period,
        closedBy: command.closedBy,
        throughPosition: command.throughPosition,
        throughLogPosition: command.throughLogPosition,
        statements: command.statements,
      },
    },
  ];
}

export const closePeriodDecider: Decider<ClosePeriod, PeriodClosed, PeriodsState> = {
  initialState: initialPeriodsState,
  evolve: evolvePeriods,
  decide: decideClosePeriod,
};
