import type { Decider } from '../../../../eventsourcing/src/decider';
import { DomainError, NotFoundError } from '../../../../eventsourcing/src/decider';
import type { SalespersonTerminated } from '../../contracts/sales.events';
import { refuse } from '../../sales.errors';
import {
  evolveSalesperson,
  initialSalespersonState,
  type SalespersonEvent,
  type SalespersonState,
} from '../salesperson.state';
import type { TerminateSalesperson } from './terminate-salesperson.command';

/** A salesperson leaves on a date (≥ hiredOn). Clawbacks still apply to them afterwards. */
export function decideTerminateSalesperson(
  command: TerminateSalesperson,
  state: SalespersonState,
): SalespersonTerminated[] {
  if (!state.exists) throw new NotFoundError('Salesperson', command.salespersonId);
  if (state.terminatedOn !== null) throw refuse.alreadyTerminated(command.salespersonId);
  if (command.terminatedOn < state.hiredOn) {
    throw new DomainError(
      'TERMINATION_BEFORE_HIRE',
      `terminatedOn ${command.terminatedOn} is before hiredOn ${state.hiredOn}`,
    );
  }
  return [
    {
      type: 'SalespersonTerminated',
      occurredAt: `${command.terminatedOn}T00:00:00.000Z`,
      data: { salespersonId: command.salespersonId, terminatedOn: command.terminatedOn },
    },
  ];
}

export const terminateSalespersonDecider: Decider<TerminateSalesperson, SalespersonEvent, SalespersonState> = {
  initialState: initialSalespersonState,
  evolve: evolveSalesperson,
  decide: decideTerminateSalesperson,
};
