/**
 * A webhook receiver for e2e tests: a real HTTP server on loopback (node:http) that verifies every
 * delivery with the `standardwebhooks` package, as a customer's receiver would, and records what
 * arrived and what it answered. Its behaviour (status, delay) is a function of the request number.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Answer {
  readonly status: number;
  /** Answer after this long (ms). */
  readonly delayMs?: number;
}

export type LogEntry =
  | { readonly kind: 'arrived'; readonly id: string; readonly n: number }
  | { readonly kind: 'answered'; readonly id: string; readonly n: number; readonly status: number };

export interface Delivery {
  readonly id: string;
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
  /** null: verified with the subscription's secret; else why not. */
  readonly problem: string | null;
  readonly payload: { type?: string; timestamp?: string; data?: { eventId?: string; type?: string } } | null;
}

export class WebhookReceiver {
  /** Every arrival and every answer, in the order they happened. */
  readonly log: LogEntry[] = [];
  readonly deliveries: Delivery[] = [];
  /** The subscription's secret, set once the POST answered it (deliveries before are unverified). */
  secret: string | null = null;
  /** How to answer the n-th request (0-based). */
  respond: (n: number, id: string) => Answer = () => ({ status: 200 });
  /** Requests whose answer has not been written yet. */
  readonly inFlight = new Set<string>();
  private server: Server | null = null;
  private count = 0;

  private constructor(private port: number) {}

  /** Listening on 127.0.0.1 (a free port, or `port`). */
  static async start(respond?: (n: number, id: string) => Answer): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(0);
    if (respond) receiver.respond = respond;
    await receiver.up();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** Starts listening (again, on the same port once it had one). */
  async up(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req.headers, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Stops listening and drops open connections: connections are refused until `up()`. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  }

  /** Event ids in arrival order, repeats included. */
  arrivals(): string[] {
    return this.deliveries.map((d) => d.id);
  }

  /** Event ids in the order of their first arrival (duplicates dropped: at-least-once). */
  unique(): string[] {
    return [...new Set(this.arrivals())];
  }

  timesArrived(id: string): number {
    return this.arrivals().filter((x) => x === id).length;
  }

  /**
   * In order, one at a time: each event first arrived only after the previous one had been answered
   * 2xx. Answers the violations.
   */
  orderViolations(): string[] {
    const acked = new Set<string>();
    const seen: string[] = [];
    const violations: string[] = [];
    for (const entry of this.log) {
      if (entry.kind === 'answered') {
        if (entry.status >= 200 && entry.status < 300) acked.add(entry.id);
        continue;
      }
      if (seen.includes(entry.id)) continue;
      const previous = seen[seen.length - 1];
      if (previous !== undefined && !acked.has(previous)) {
        violations.push(`${entry.id} arrived before ${previous} was answered 2xx`);
      }
      seen.push(entry.id);
    }
    return violations;
  }

  private handle(headers: IncomingHttpHeaders, body: string, res: ServerResponse): void {
    const n = this.count++;
    const id = String(headers['webhook-id'] ?? '');
    this.log.push({ kind: 'arrived', id, n });
    let problem: string | null = null;
    let payload: Delivery['payload'] = null;
    if (this.secret === null) {
      problem = 'no secret to verify with';
    } else {
      try {
        payload = new Webhook(this.secret).verify(body, headers as Record<string, string>) as Delivery['payload'];
        if (payload?.data?.eventId !== id) problem = `data.eventId ${payload?.data?.eventId} is not webhook-id ${id}`;
      } catch (error) {
        problem = `not verified: ${(error as Error).message}`;
      }
    }
    this.deliveries.push({ id, body, headers, problem, payload });
    const answer = this.respond(n, id);
    this.inFlight.add(id);
    const finish = () => {
      this.inFlight.delete(id);
      // The sender may have hung up meanwhile (its timeout, or its process stopped): no answer then (0).
      const gone = res.destroyed || !res.socket || res.socket.destroyed;
      this.log.push({ kind: 'answered', id, n, status: gone ? 0 : answer.status });
      if (!gone) res.writeHead(answer.status, { 'content-type': 'text/plain' }).end('ok');
    };
    if (answer.delayMs) setTimeout(finish, answer.delayMs);
    else finish();
  }
}

/** Polls `check` until it holds, else fails after `timeoutMs` saying what it waited for. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  describe?: () => unknown,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${describe ? `: ${JSON.stringify(describe())}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
