import type { Decider } from '../../../../eventsourcing/src/decider';
import type { SalespersonRegistered } from '../../contracts/sales.events';
import { refuse } from '../../sales.errors';
import {
  evolveSalesperson,
  initialSalespersonState,
  type SalespersonEvent,
  type SalespersonState,
} from '../salesperson.state';
import type { RegisterSalesperson } from './register-salesperson.command';

export function decideRegisterSalesperson(
  command: RegisterSalesperson,
  state: SalespersonState,
): SalespersonRegistered[] {
  if (state.exists) throw refuse.alreadyExists('Salesperson', command.salespersonId);
  return [
    {
      type: 'SalespersonRegistered',
      occurredAt: `${command.hiredOn}T00:00:00.000Z`,
      data: {
        salespersonId: command.salespersonId,
        name: command.name,
        managerId: command.managerId,
        teamId: command.teamId,
        hiredOn: command.hiredOn,
      },
    },
  ];
}

export const registerSalespersonDecider: Decider<RegisterSalesperson, SalespersonEvent, SalespersonState> = {
  initialState: initialSalespersonState,
  evolve: evolveSalesperson,
  decide: decideRegisterSalesperson,
};
