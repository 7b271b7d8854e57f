import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ProjectionEngine } from '../../../../projections/src/projection-engine';
import { CollectionDueScan, type FallDueScanReport, SCHEDULER_ACTOR } from './collection-due-scan';

/** How long a scan waits for the collection-tasks projection to catch up with the log. */
const CATCH_UP_TIMEOUT_MS = 30_000;

/**
 * Runs the due scan every `intervalSeconds` (COLLECTION_DUE_SCAN_SECONDS; 0: never) at the current
 * instant, in the processes that run projections (roles `all` and `projector`). The first scan runs
 * at start. Runs never overlap; each first waits until the collection-tasks read model has applied
 * everything in the log, so an action recorded a moment ago is seen. Several instances may scan at
 * once: the scan records each task once whoever finds it first.
 */
export class CollectionDueScheduler {
  private readonly log = new Logger('CollectionDueScan');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** The last finished scan (for tests and logs). */
  lastReport: FallDueScanReport | null = null;

  constructor(
    private readonly scan: CollectionDueScan,
    private readonly engine: Pick<ProjectionEngine, 'waitUntilCaughtUp'>,
    private readonly intervalSeconds: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(): void {
    if (this.intervalSeconds <= 0 || this.timer || this.stopped) return;
    this.schedule(0);
  }

  /** Stops the timer and waits for a scan in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce().finally(() => {
        this.running = null;
        this.schedule(this.intervalSeconds * 1000);
      });
    }, delayMs);
    this.timer.unref();
  }

  /** Waits (in short steps, so a stop is not held up) until the read model has applied the log. */
  private async caughtUp(): Promise<boolean> {
    const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
    for (;;) {
      if (this.stopped) return false;
      try {
        await this.engine.waitUntilCaughtUp(1000, ['collection-tasks']);
        return !this.stopped;
      } catch (error) {
        if (Date.now() >= deadline) throw error;
        // e.g. the database is unreachable: retry after a pause, not in a tight loop.
        await new Promise((r) => setTimeout(r, Math.min(500, Math.max(0, deadline - Date.now()))));
      }
    }
  }

  private async runOnce(): Promise<void> {
    try {
      if (!(await this.caughtUp())) return;
      const report = await this.scan.run(this.now(), { actor: SCHEDULER_ACTOR, correlationId: randomUUID() });
      this.lastReport = report;
      if (report.fellDue.length > 0) {
        this.log.log(`${report.fellDue.length} collection task(s) fell due (${report.alreadyFallen} before)`);
      }
    } catch (error) {
      // The next run tries again (e.g. the database was unavailable, or the projection is behind).
      this.log.warn(`Collection due scan failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
