import type { Decider, DomainEvent } from '../decider';
import { DomainError } from '../decider';

/**
 * given(events).when(command).then(events) | .thenRefuses(code): a decider's behaviour as a
 * specification, with no store and no framework.
 */
export function specFor<C, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return {
    given(history: readonly E[]) {
      const state = history.reduce(decider.evolve, decider.initialState());
      return {
        when(command: C) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: readonly E[]): void {
              expect(run()).toEqual(expected);
            },
            thenRefuses(code: string): void {
              let error: unknown;
              try {
                run();
              } catch (e) {
                error = e;
              }
              expect(error).toBeInstanceOf(DomainError);
              expect((error as DomainError).code).toBe(code);
            },
          };
        },
      };
    },
  };
}
