/**
 * npm run rebuild -- <projection>... | --all
 *
 * Rebuilds projections from the whole event log without downtime: all of them are built in one
 * pass over the log beside their live tables (a running server keeps answering from those), then
 * each one is swapped in atomically.
 */
import { openCliContext, runCli } from '../cli/cli-context';
import { count, createProgress, formatDuration } from '../cli/progress';

const USAGE = 'usage: npm run rebuild -- <projection>... | --all';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.length === 0 || args.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return args.length === 0 ? 2 : 0;
  }
  const cli = await openCliContext();
  try {
    const rebuildable = cli.engine.projectors.filter((p) => p.rebuildable !== false).map((p) => p.name);
    const names = args.includes('--all') ? rebuildable : args;
    const unknown = names.filter((n) => !rebuildable.includes(n));
    if (unknown.length > 0) {
      process.stderr.write(
        `Unknown or not rebuildable: ${unknown.join(', ')}. Rebuildable: ${rebuildable.join(', ')}\n`,
      );
      return 2;
    }
    process.stdout.write(`Rebuilding ${names.join(', ')} on ${cli.describe}\n`);
    const total = cli.store.countEventsAfter ? await cli.store.countEventsAfter({ major: -1n, minor: -1n }, 1e12) : 0;
    const progress = createProgress(process.stdout, 'events');
    try {
      // One pass over the log for all of them; each is switched in as soon as the pass is done.
      const started = Date.now();
      progress.startPhase(names.join(' + '), total);
      let done = 0;
      await cli.engine.rebuildMany(names, {
        onProgress: (read) => {
          progress.advance(read - done);
          done = read;
        },
      });
      progress.endPhase();
      progress.log(
        `${names.join(', ')}: ${count(done)} events read once for all, switched in ${formatDuration(Date.now() - started)}`,
      );
    } finally {
      progress.stop();
    }
    return 0;
  } finally {
    await cli.close();
  }
}

runCli(main);
