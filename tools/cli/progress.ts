/**
 * Progress of long CLI work (seed, replay, rebuild, verify-log), one bar per phase (cli-progress) on a terminal; on anything else (CI logs,
 * a pipe) one line per 10 % of each phase instead.
 */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';

export interface Progress {
  startPhase(name: string, total: number): void;
  advance(commands: number): void;
  endPhase(): void;
  /** A line above the bars (refusals, warnings). */
  log(line: string): void;
  stop(): void;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${String(s % 60).padStart(2, '0')} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export const count = (n: number | bigint) => n.toLocaleString('en-US');

/** Commands per second over the phase so far. */
function rate(done: number, startedMs: number): number {
  const seconds = (Date.now() - startedMs) / 1000;
  return seconds > 0 ? done / seconds : 0;
}

const PHASE_WIDTH = 24;

class BarProgress implements Progress {
  private readonly multi: MultiBar;
  private bar: SingleBar | null = null;
  private done = 0;
  private total = 0;
  private startedMs = 0;
  private ticker: NodeJS.Timeout | null = null;

  constructor(
    stream: NodeJS.WriteStream,
    private readonly unit: string,
  ) {
    this.multi = new MultiBar(
      {
        stream,
        format: `{phase} {bar} {percentage}% | {value}/{total} ${unit} | {speed} ${unit}/s | {timing}`,
        barsize: 30,
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        fps: 8,
        autopadding: true,
      },
      Presets.shades_classic,
    );
  }

  startPhase(name: string, total: number): void {
    this.done = 0;
    this.total = total;
    this.startedMs = Date.now();
    this.bar = this.multi.create(total, 0, { phase: name.padEnd(PHASE_WIDTH), speed: '0', timing: 'ETA …' });
    this.ticker = setInterval(() => this.refresh(), 500);
  }

  private refresh(final = false): void {
    if (!this.bar) return;
    const elapsed = Date.now() - this.startedMs;
    const speed = rate(this.done, this.startedMs);
    const timing = final
      ? `done in ${formatDuration(elapsed)}`
      : speed > 0
        ? `ETA ${formatDuration(((this.total - this.done) / speed) * 1000)}`
        : formatDuration(elapsed);
    this.bar.update(this.done, { speed: String(Math.round(speed)), timing });
  }

  advance(commands: number): void {
    this.done += commands;
    this.bar?.update(this.done);
  }

  endPhase(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    this.refresh(true);
    this.bar = null;
  }

  log(line: string): void {
    this.multi.log(`${line}\n`);
  }

  stop(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.multi.stop();
  }
}

class LineProgress implements Progress {
  private name = '';
  private total = 0;
  private done = 0;
  private nextTenth = 1;
  private startedMs = 0;

  constructor(
    private readonly out: (line: string) => void,
    private readonly unit: string,
  ) {}

  startPhase(name: string, total: number): void {
    Object.assign(this, { name, total, done: 0, nextTenth: 1, startedMs: Date.now() });
    this.out(`${name}: ${count(total)} ${this.unit}`);
  }

  advance(commands: number): void {
    this.done += commands;
    while (this.total > 0 && this.nextTenth <= 10 && this.done * 10 >= this.nextTenth * this.total) {
      const speed = rate(this.done, this.startedMs);
      const eta = speed > 0 ? ((this.total - this.done) / speed) * 1000 : 0;
      this.out(
        `${this.name}: ${this.nextTenth * 10} % (${count(this.done)}/${count(this.total)} ${this.unit}, ` +
          `${Math.round(speed)} ${this.unit}/s${this.nextTenth < 10 ? `, ETA ${formatDuration(eta)}` : ''})`,
      );
      this.nextTenth++;
    }
  }

  endPhase(): void {
    this.out(`${this.name}: done in ${formatDuration(Date.now() - this.startedMs)}`);
  }

  log(line: string): void {
    this.out(line);
  }

  stop(): void {}
}

/** Bars when stdout is a terminal, else a line per 10 %. */
export function createProgress(stdout: NodeJS.WriteStream = process.stdout, unit = 'commands'): Progress {
  return stdout.isTTY ? new BarProgress(stdout, unit) : new LineProgress((line) => stdout.write(`${line}\n`), unit);
}
