/**
 * npm run replay -- --period YYYY-MM [--period YYYY-MM ...] [--closed] [--projections a,b] [--json]
 *
 * Rebuilds the projections from the event log into an isolated schema (nothing live is written),
 * compares each period's rows with the live read models, prints each period's digest and, for a
 * closed period, whether the rebuilt statements equal those recorded at close. Exits 1 when
 * anything differs, 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { PERIODS_STREAM } from '../../libs/commissions/src/contracts/commissions.events';
import { type PeriodReplayReport, replayPeriods } from '../../libs/audit/src/replay/period-replay';
import { openCliContext, runCli } from '../cli/cli-context';
import { count, createProgress, formatDuration } from '../cli/progress';

const USAGE = `Usage: npm run replay -- --period YYYY-MM [--period YYYY-MM ...] [options]

  --period YYYY-MM     a period to replay and compare (repeatable)
  --closed             every closed period
  --projections a,b    projections to rebuild and compare (default: all)
  --json               print the full reports as JSON instead of a table
`;

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

function summary(r: PeriodReplayReport): string {
  const recorded = r.recorded
    ? r.recorded.matches && r.recorded.digest === r.digest
      ? 'equals the digest recorded at close'
      : `DIFFERS from the digest recorded at close (${r.recorded.digest})`
    : 'period open';
  return `${r.period}  ${count(r.rowsCompared).padStart(9)} rows  ${String(r.differencesTotal).padStart(5)} differences  digest ${r.digest}  ${recorded}`;
}

async function main(): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: process.argv.slice(2),
      options: {
        period: { type: 'string', multiple: true },
        closed: { type: 'boolean' },
        projections: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const bad = (values.period ?? []).filter((p) => !PERIOD.test(p));
  if (bad.length > 0 || (!values.period?.length && !values.closed)) {
    process.stderr.write(`${bad.length > 0 ? `Not a period: ${bad.join(', ')}\n\n` : ''}${USAGE}`);
    return 2;
  }
  const cli = await openCliContext();
  const progress = createProgress(values.json ? process.stderr : process.stdout, 'events');
  try {
    const periods = new Set(values.period ?? []);
    if (values.closed) {
      for (const e of await cli.store.readStream(PERIODS_STREAM)) {
        if (e.type === 'PeriodClosed') periods.add((e.data as { period: string }).period);
      }
    }
    if (periods.size === 0) {
      process.stdout.write('No closed period to replay.\n');
      return 0;
    }
    const list = [...periods].sort();
    process.stderr.write(`Replaying ${list.join(', ')} on ${cli.describe}\n`);
    const started = Date.now();
    let phaseStarted = false;
    let doneSoFar = 0;
    const reports = await replayPeriods(
      { dataSource: cli.dataSource, store: cli.store, projectors: cli.engine.projectors },
      {
        periods: list,
        projections: values.projections
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        onProgress: (read, total) => {
          if (!phaseStarted) {
            progress.startPhase('rebuild into isolated schema', total ?? read);
            phaseStarted = true;
          }
          progress.advance(read - doneSoFar);
          doneSoFar = read;
        },
      },
    );
    if (phaseStarted) progress.endPhase();
    progress.stop();
    if (values.json) {
      process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
    } else {
      process.stdout.write(
        `Replayed ${count(reports[0]?.eventsRead ?? 0)} events into an isolated schema in ${formatDuration(Date.now() - started)}\n`,
      );
      for (const r of reports) {
        process.stdout.write(`${summary(r)}\n`);
        for (const d of r.differences) {
          process.stdout.write(
            `  ${d.kind} ${d.projection}/${d.table} ${JSON.stringify(d.key)} live=${JSON.stringify(d.live)} rebuilt=${JSON.stringify(d.rebuilt)}\n`,
          );
        }
      }
    }
    const failed = reports.some(
      (r) => r.differencesTotal > 0 || (r.recorded !== null && r.recorded.digest !== r.digest),
    );
    return failed ? 1 : 0;
  } finally {
    progress.stop();
    await cli.close();
  }
}

runCli(main);
