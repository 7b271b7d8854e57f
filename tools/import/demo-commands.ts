/**
 * Import files for tests and the benchmark: the demo company of `npm run seed:demo`
 * (tools/seed-demo, every command computed from a local model so none is refused) as import lines,
 * in an order the API accepts them (phases, steps and chains one after the other). Only the
 * importable commands: ClosePeriod, SetCreditLimit and the due scan cannot be imported (they read
 * the projections, or scan the log), and the import has no routes for the collection commands
 * (policies, actions, promises, disputes) yet.
 */
import { buildDemoCompany, type SeedCommand } from '../seed-demo/demo-company';
import { IMPORTABLE_COMMANDS } from './routes';

const IMPORTABLE: ReadonlySet<string> = new Set(IMPORTABLE_COMMANDS);

export function* demoCommands(options: { seed: number; orders: number }): Generator<SeedCommand> {
  const company = buildDemoCompany(options);
  for (const phase of company.phases)
    for (const step of phase.steps)
      for (const chain of step) for (const command of chain) if (IMPORTABLE.has(command.type)) yield command;
}

/** One JSON line per command, as `npm run import` reads them. */
export function toImportLine(command: SeedCommand): string {
  return JSON.stringify({ method: command.method, path: command.path, body: command.body });
}

/**
 * About how many demo orders make `events` events: each order's life is 3 to 4 events on average
 * (measured: 3.4 with seed 42), and the reference data of 30 salespeople and 300 customers about 800.
 */
export function ordersForEvents(events: number): number {
  return Math.max(1, Math.round((events - 800) / 3.4));
}
