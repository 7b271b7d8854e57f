/**
 * Sends the demo company's commands over HTTP: a small pool of chains in flight, each chain's
 * commands strictly one after the other. Transient answers (5xx, 429, 409 CONCURRENCY_CONFLICT,
 * a dropped connection) are retried; any other 4xx is a refusal, which for this generator is a
 * bug: it is printed in full and the rest of its chain is skipped.
 */
import type { Chain, CommandType, Phase, SeedCommand } from './demo-company';
import type { Progress } from '../cli/progress';

export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | null,
  ) {}

  async request(method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<Reply> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: response.status, body: parsed };
  }
}

export interface Refusal {
  readonly command: SeedCommand;
  readonly status: number;
  readonly body: unknown;
}

/** The server stopped answering: nothing more can be sent. */
export class ServerGoneError extends Error {}

export interface SendStats {
  readonly accepted: Record<string, number>;
  readonly refusals: Refusal[];
  /** Transient answers (5xx, 429, 409 CONCURRENCY_CONFLICT) that stayed so after every retry. */
  readonly failures: Refusal[];
  retries: number;
  /** Commands not sent because an earlier command of their chain was refused. */
  skipped: number;
  /** Highest position the server answered. */
  lastPosition: bigint;
}

export function newStats(): SendStats {
  return { accepted: {}, refusals: [], failures: [], retries: 0, skipped: 0, lastPosition: 0n };
}

const MAX_ATTEMPTS = 6;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function codeOf(body: unknown): string | undefined {
  return typeof body === 'object' && body !== null
    ? ((body as { code?: unknown }).code as string | undefined)
    : undefined;
}

function isTransient(reply: Reply): boolean {
  return (
    reply.status >= 500 ||
    reply.status === 429 ||
    (reply.status === 409 && codeOf(reply.body) === 'CONCURRENCY_CONFLICT')
  );
}

export function describeRefusal(r: Refusal): string {
  const detail = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  return `${r.command.method} /api/v1${r.command.path} (${r.command.type}) → ${r.status}: ${detail}\n    body: ${JSON.stringify(r.command.body)}`;
}

export class CommandSender {
  private aborted: Error | null = null;

  constructor(
    private readonly client: ApiClient,
    private readonly concurrency: number,
    private readonly progress: Progress,
    readonly stats: SendStats = newStats(),
    /** How many refusals are printed in full (the rest are only counted). */
    private readonly printLimit = 20,
  ) {}

  /** Sends one command, retrying transient failures; answers whether it was accepted. */
  private async send(command: SeedCommand): Promise<boolean> {
    let reply: Reply | null = null;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        reply = await this.client.request(command.method, `/api/v1${command.path}`, command.body);
      } catch (error) {
        if (attempt === MAX_ATTEMPTS) {
          throw new ServerGoneError(`${this.client.baseUrl} stopped answering: ${(error as Error).message}`);
        }
        this.stats.retries++;
        await sleep(250 * 2 ** (attempt - 1));
        continue;
      }
      if (reply.status === 200 || reply.status === 201) {
        const type: CommandType = command.type;
        this.stats.accepted[type] = (this.stats.accepted[type] ?? 0) + 1;
        const position = (reply.body as { position?: unknown } | null)?.position;
        if (typeof position === 'string' && /^\d+$/.test(position) && BigInt(position) > this.stats.lastPosition) {
          this.stats.lastPosition = BigInt(position);
        }
        return true;
      }
      if (!isTransient(reply) || attempt === MAX_ATTEMPTS) break;
      this.stats.retries++;
      await sleep(250 * 2 ** (attempt - 1));
    }
    const refusal: Refusal = { command, status: reply!.status, body: reply!.body };
    // Still 5xx, 429 or CONCURRENCY_CONFLICT after every retry: the server's trouble, not a refusal.
    const failed = isTransient(reply!);
    (failed ? this.stats.failures : this.stats.refusals).push(refusal);
    const shown = this.stats.refusals.length + this.stats.failures.length;
    if (shown <= this.printLimit) {
      this.progress.log(
        `${
          failed
            ? `FAILED after ${MAX_ATTEMPTS} attempts`
            : codeOf(reply!.body) === 'IDEMPOTENCY_CONFLICT'
              ? 'REFUSED (sent before with another body: an earlier seed with other options?)'
              : 'REFUSED (a bug in the generator)'
        }: ${describeRefusal(refusal)}`,
      );
    } else if (shown === this.printLimit + 1) {
      this.progress.log('… more refusals: only counted from here on');
    }
    return false;
  }

  private async runChain(chain: Chain): Promise<void> {
    for (let i = 0; i < chain.length; i++) {
      if (this.aborted) return;
      const ok = await this.send(chain[i] as SeedCommand);
      if (!ok) {
        // The next commands of this chain depend on this one: they would be refused too.
        this.stats.skipped += chain.length - i - 1;
        this.progress.advance(chain.length - i);
        return;
      }
      this.progress.advance(1);
    }
  }

  /** Runs the steps of a phase in turn, the chains of each step `concurrency` at a time. */
  async runPhase(phase: Phase): Promise<void> {
    const total = phase.steps.reduce((sum, step) => sum + step.reduce((s, chain) => s + chain.length, 0), 0);
    this.progress.startPhase(phase.name, total);
    try {
      for (const step of phase.steps) {
        let next = 0;
        const worker = async () => {
          while (!this.aborted && next < step.length) {
            const chain = step[next++] as Chain;
            try {
              await this.runChain(chain);
            } catch (error) {
              this.aborted = error as Error;
            }
          }
        };
        await Promise.all(Array.from({ length: Math.max(1, this.concurrency) }, worker));
        if (this.aborted) throw this.aborted;
      }
    } finally {
      this.progress.endPhase();
    }
  }
}
