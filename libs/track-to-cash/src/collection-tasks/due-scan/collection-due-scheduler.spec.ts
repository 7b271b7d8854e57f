import type { CollectionDueScan, FallDueScanReport } from './collection-due-scan';
import { CollectionDueScheduler } from './collection-due-scheduler';

const report = (asOf: Date): FallDueScanReport => ({
  asOf: asOf.toISOString(),
  receivables: 0,
  fellDue: [],
  alreadyFallen: 0,
});

/** A scan that takes `ms` and records when it ran, and how many ran at once. */
function fakeScan(ms: number) {
  const calls: Array<{ asOf: Date; actor: string }> = [];
  let running = 0;
  let maxRunning = 0;
  let resolveFirst: () => void = () => undefined;
  const first = new Promise<void>((r) => (resolveFirst = r));
  const scan = {
    run: async (asOf: Date, by: { actor: string }) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      calls.push({ asOf, actor: by.actor });
      await new Promise((r) => setTimeout(r, ms));
      running--;
      resolveFirst();
      return report(asOf);
    },
  };
  return { scan: scan as unknown as CollectionDueScan, calls, first, maxRunning: () => maxRunning };
}

const caughtUp = { waitUntilCaughtUp: () => Promise.resolve() };

describe('the due-scan scheduler', () => {
  it('given an interval, when started, then it scans at once and again, never two runs at a time, at the current instant', async () => {
    const f = fakeScan(30);
    const now = new Date('2026-03-01T08:00:00Z');
    const scheduler = new CollectionDueScheduler(f.scan, caughtUp, 0.01, () => now);
    scheduler.start();
    await f.first;
    while (f.calls.length < 3) await new Promise((r) => setTimeout(r, 10));
    await scheduler.stop();
    expect(f.maxRunning()).toBe(1);
    expect(f.calls.every((c) => c.asOf === now && c.actor === 'system:collection-due-scan')).toBe(true);
    expect(scheduler.lastReport).toEqual(report(now));
  });

  it('when stopped, then the run in progress finishes and no other starts', async () => {
    const f = fakeScan(50);
    const scheduler = new CollectionDueScheduler(f.scan, caughtUp, 0.01);
    scheduler.start();
    while (f.calls.length < 1) await new Promise((r) => setTimeout(r, 5));
    await scheduler.stop();
    const after = f.calls.length;
    await new Promise((r) => setTimeout(r, 80));
    expect(f.calls.length).toBe(after);
  });

  it('given 0 seconds (COLLECTION_DUE_SCAN_SECONDS=0), then it never scans', async () => {
    const f = fakeScan(0);
    const scheduler = new CollectionDueScheduler(f.scan, caughtUp, 0);
    scheduler.start();
    await new Promise((r) => setTimeout(r, 50));
    await scheduler.stop();
    expect(f.calls).toEqual([]);
  });

  it('given the read model never catches up, then it does not scan (and tries again later)', async () => {
    const f = fakeScan(0);
    let waits = 0;
    const behind = {
      waitUntilCaughtUp: () => {
        waits++;
        return Promise.reject(new Error('Projections not caught up: collection-tasks'));
      },
    };
    const scheduler = new CollectionDueScheduler(f.scan, behind, 0.01);
    scheduler.start();
    while (waits < 2) await new Promise((r) => setTimeout(r, 5));
    await scheduler.stop();
    expect(f.calls).toEqual([]);
  });
});
