/**
 * `npm run verify-log`: recomputes the hash chains of the event log (ADR 0006) and reports the
 * first broken link, on the same database and event store as the server (see tools/cli).
 *
 *   node dist/tools/verify-log/verify-log.js [--expect-seal <sealNo>:<hash>]
 *
 * Exit code 0 when every link holds, 1 when one is broken (the first is printed: position, event
 * id, stream, revision, reason), 2 on a usage or connection problem.
 */
import { parseArgs } from 'node:util';
import { createLogVerifier } from '../../libs/audit/src/verify-log/log-sources';
import { parseExpectedSeal } from '../../libs/audit/src/verify-log/expected-seal';
import type { BrokenLink, VerifyLogResult } from '../../libs/audit/src/verify-log/log-verifier';
import { openCliContext, runCli } from '../cli/cli-context';
import { count, createProgress, formatDuration } from '../cli/progress';

const HELP = `Verifies the tamper evidence of the event log: every event's hash, chained to the previous
event of its stream, and the seals over the global log (positions and record times).

Usage: npm run verify-log -- [options]      (or: node dist/tools/verify-log/verify-log.js [options])

  --expect-seal N:HASH   a seal noted from an earlier report: it must still have that hash
  --help                 this text

Works on DATABASE_URL (and EVENTSTORE_CONNECTION_STRING), else on the embedded PostgreSQL under
DATA_DIR (default ./data), whether npm start is running or not.
Exit code: 0 intact, 1 a broken link (the first is printed), 2 a usage or connection problem.`;

function describeLink(link: BrokenLink): string[] {
  const lines = [
    `  position: ${link.globalPosition ?? '—'}`,
    `  event id: ${link.eventId ?? '—'}`,
    `  stream:   ${link.streamId ?? '—'}`,
    `  revision: ${link.streamRevision ?? '—'}`,
  ];
  if (link.sealNo !== undefined) lines.push(`  seal:     ${link.sealNo}`);
  lines.push(`  reason:   ${link.reason}`);
  if (link.expected !== undefined) lines.push(`  expected: ${link.expected}`);
  if (link.actual !== undefined) lines.push(`  actual:   ${link.actual}`);
  return lines;
}

function oneLine(link: BrokenLink): string {
  const at = [
    link.globalPosition !== null ? `position ${link.globalPosition}` : null,
    link.streamId !== null ? `${link.streamId}@${link.streamRevision ?? '?'}` : null,
    link.sealNo !== undefined ? `seal ${link.sealNo}` : null,
  ].filter((x) => x !== null);
  return `  - ${at.join(', ')}: ${link.reason}`;
}

export function summary(result: VerifyLogResult, elapsedMs: number): string[] {
  const lines = [
    `Checked ${count(result.eventsChecked)} events in ${count(result.streamsChecked)} streams and ` +
      `${count(result.sealsChecked)} seals in ${formatDuration(elapsedMs)}` +
      (result.unsealedEvents > 0 ? ` (${count(result.unsealedEvents)} events not sealed yet)` : ''),
  ];
  if (result.lastSeal) {
    const { sealNo, hash, lastPosition } = result.lastSeal;
    lines.push(
      `Latest seal: ${sealNo} ${hash} (up to log position ${lastPosition})`,
      '  Note it outside this system (a ticket, an email, a signed file): a superuser who recomputes every',
      `  hash defeats an unanchored chain. Check it later with: npm run verify-log -- --expect-seal ${sealNo}:${hash}`,
    );
  } else {
    lines.push('No seal yet (the log-seals projection has not run, or the log is empty).');
  }
  if (result.ok) {
    lines.push('INTACT: every link of the chain holds.');
    return lines;
  }
  lines.push('BROKEN: the first broken link:', ...describeLink(result.firstBrokenLink!));
  if (result.brokenLinkCount > 1) {
    lines.push(`${count(result.brokenLinkCount)} broken links in all:`, ...result.brokenLinks.map(oneLine));
    if (result.brokenLinkCount > result.brokenLinks.length) lines.push('  …');
  }
  return lines;
}

async function main(): Promise<number> {
  let values: { 'expect-seal'?: string; help?: boolean };
  try {
    values = parseArgs({
      args: process.argv.slice(2),
      options: { 'expect-seal': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const expectSeal = values['expect-seal'] !== undefined ? parseExpectedSeal(values['expect-seal']) : null;
  if (values['expect-seal'] !== undefined && !expectSeal) {
    process.stderr.write('--expect-seal must be <sealNo>:<64 hex digits>, as a previous report printed it\n');
    return 2;
  }

  const cli = await openCliContext();
  try {
    process.stdout.write(`Verifying the event log on ${cli.describe}\n`);
    const progress = createProgress(process.stdout, 'events');
    const started = Date.now();
    let done = 0;
    let phase = false;
    let result: VerifyLogResult;
    try {
      result = await createLogVerifier(cli.store, cli.dataSource).verify({
        ...(expectSeal ? { expectSeal } : {}),
        onProgress: (checked, total) => {
          if (!phase) {
            progress.startPhase('verifying', total ?? checked);
            phase = true;
          }
          progress.advance(checked - done);
          done = checked;
        },
      });
      if (phase) progress.endPhase();
    } finally {
      progress.stop();
    }
    process.stdout.write(`${summary(result, Date.now() - started).join('\n')}\n`);
    return result.ok ? 0 : 1;
  } finally {
    await cli.close();
  }
}

if (require.main === module) runCli(main);
