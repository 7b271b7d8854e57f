import { Logger } from '@nestjs/common';
import { Client, type ClientConfig } from 'pg';
import type { DataSource } from 'typeorm';
import { comparePositions, type StoredEvent } from '../../../eventsourcing/src/event';
import type { EventStore } from '../../../eventsourcing/src/event-store.port';
import { toEventDto } from '../../../feed/src/event.response.dto';
import { webhookDeliveriesTotal, webhookDeliveryFailuresTotal } from '../../../platform/src/metrics/app-metrics';
import { type SubscriptionRecord, WebhookSubscriptions } from '../subscriptions/webhook-subscriptions.repository';
import { backoffDelay } from './backoff';
import { checkReceiverUrl } from './receiver-url';
import { postDelivery } from './webhook-sender';
import { signDelivery } from './webhook-signature';

export interface WebhookDispatcherOptions {
  /** How often the dispatcher looks for subscriptions with events to deliver (ms). Default 250. */
  readonly pollMs?: number;
  /** One HTTP attempt may take this long (ms). Default 10 000. */
  readonly timeoutMs?: number;
  /** Attempts at one event before the subscription is parked. Default 12. */
  readonly maxAttempts?: number;
  /** Backoff: the first retry waits up to this (ms), doubling at each failure… Default 1 000. */
  readonly baseDelayMs?: number;
  /** …up to this (ms). Default 300 000 (5 min). */
  readonly maxDelayMs?: number;
  /** Events read from the log at once per subscription. Default 100. */
  readonly batchSize?: number;
  /** WEBHOOK_ALLOWED_HOSTS, checked again at every attempt (the setting may have changed). */
  readonly allowedHosts?: readonly string[] | null;
  /** Jitter source, in [0, 1). Default Math.random. */
  readonly random?: () => number;
}

export const WEBHOOK_DEFAULTS = {
  pollMs: 250,
  timeoutMs: 10_000,
  maxAttempts: 12,
  baseDelayMs: 1_000,
  maxDelayMs: 300_000,
  batchSize: 100,
} as const;

/** How often a retry's wait looks whether the subscription was replayed or deleted meanwhile (ms). */
const CHANGE_CHECK_MS = 1_000;
const LOCK_NAMESPACE = 7_340_041;

type Outcome = 'delivered' | 'parked' | 'changed' | 'stopped';

interface Worker {
  readonly abort: AbortController;
  readonly done: Promise<void>;
}

/** What a webhook receives: the event as the feed shows it (GET /api/v1/events), wrapped. */
export function deliveryBody(event: StoredEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.recordedAt, data: toEventDto(event) });
}

/**
 * Delivers the event log to webhook subscriptions (ADR 0008). Runs where the projections run.
 *
 * Every `pollMs` it reads the active subscriptions and the head of the log; each subscription that
 * is behind gets a worker, which takes the subscription's advisory lock (one session per process
 * holds every lock it owns, so at most one process delivers a subscription) and delivers its events
 * one at a time in global order: POST, and on a 2xx the checkpoint moves past the event (a
 * conditional UPDATE on the position and generation it read). A failure is retried with
 * exponential backoff and full jitter; after `maxAttempts` the subscription is parked and nothing
 * after that event is sent until a replay. A worker ends when its subscription is caught up.
 * Stopping aborts requests in flight; their events are sent again by the next owner
 * (at-least-once, with the event id as `webhook-id`).
 */
export class WebhookDispatcher {
  private readonly log = new Logger('Webhooks');
  private readonly subscriptions: WebhookSubscriptions;
  private readonly workers = new Map<string, Worker>();
  private readonly settings: Required<WebhookDispatcherOptions>;
  private stopped = true;
  private loop: Promise<void> | null = null;
  private wakeLoop: (() => void) | null = null;
  private lockClient: Promise<Client> | null = null;
  private lockQueue: Promise<void> = Promise.resolve();
  private lastTickError: string | null = null;

  constructor(
    private readonly store: EventStore,
    dataSource: DataSource,
    private readonly lockConnection: ClientConfig,
    options: WebhookDispatcherOptions = {},
  ) {
    this.subscriptions = new WebhookSubscriptions(dataSource);
    const d = WEBHOOK_DEFAULTS;
    this.settings = {
      pollMs: options.pollMs ?? d.pollMs,
      timeoutMs: options.timeoutMs ?? d.timeoutMs,
      maxAttempts: Math.max(1, options.maxAttempts ?? d.maxAttempts),
      baseDelayMs: options.baseDelayMs ?? d.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? d.maxDelayMs,
      batchSize: options.batchSize ?? d.batchSize,
      random: options.random ?? Math.random,
      allowedHosts: options.allowedHosts ?? null,
    };
  }

  /** The subscriptions this process is delivering right now. */
  delivering(): string[] {
    return [...this.workers.keys()];
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wakeLoop?.();
    for (const worker of this.workers.values()) worker.abort.abort();
    await this.loop;
    await Promise.all([...this.workers.values()].map((w) => w.done));
    const client = this.lockClient;
    this.lockClient = null;
    await client?.then((c) => c.end()).catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.tick();
        this.lastTickError = null;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (!this.stopped && message !== this.lastTickError) this.log.warn(`Looking for deliveries failed: ${message}`);
        this.lastTickError = message;
      }
      await this.pause(this.settings.pollMs);
    }
  }

  private async tick(): Promise<void> {
    const [active, head] = await Promise.all([this.subscriptions.active(), this.store.headPosition()]);
    for (const subscription of active) {
      if (this.stopped) return;
      if (this.workers.has(subscription.subscriptionId)) continue;
      if (comparePositions(subscription.position, head) >= 0) continue; // caught up
      this.spawn(subscription.subscriptionId);
    }
  }

  private spawn(subscriptionId: string): void {
    const abort = new AbortController();
    const done = this.work(subscriptionId, abort.signal)
      .catch((error: unknown) => {
        if (!abort.signal.aborted) {
          this.log.warn(`Subscription ${subscriptionId}: ${error instanceof Error ? error.message : String(error)}`);
        }
      })
      .finally(() => this.workers.delete(subscriptionId));
    this.workers.set(subscriptionId, { abort, done });
  }

  private async work(subscriptionId: string, signal: AbortSignal): Promise<void> {
    const key = [LOCK_NAMESPACE, subscriptionId];
    const locked = await this.onLockSession((c) =>
      c.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', key),
    );
    if (!locked.rows[0]?.locked) return; // another process delivers it
    try {
      await this.deliverAll(subscriptionId, signal);
    } finally {
      await this.onLockSession((c) => c.query('SELECT pg_advisory_unlock($1, hashtext($2))', key)).catch(
        () => undefined,
      );
    }
  }

  /** Queries on the lock session, one at a time (a pg Client runs one query at once). */
  private onLockSession<T>(run: (client: Client) => Promise<T>): Promise<T> {
    const next = this.lockQueue.then(async () => run(await this.lockSession()));
    this.lockQueue = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  /** One session holds the locks of every subscription this process delivers. */
  private lockSession(): Promise<Client> {
    this.lockClient ??= (async () => {
      const client = new Client(this.lockConnection);
      client.on('error', () => {
        // The locks died with the session: stop every worker; the next tick starts over.
        this.lockClient = null;
        for (const worker of this.workers.values()) worker.abort.abort();
      });
      try {
        await client.connect();
      } catch (error) {
        this.lockClient = null;
        throw error;
      }
      return client;
    })();
    return this.lockClient;
  }

  /** Delivers until caught up, parked, deleted or stopped. */
  private async deliverAll(subscriptionId: string, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const found = await this.subscriptions.find(subscriptionId);
      if (!found || found.state !== 'active') return;
      let current: SubscriptionRecord = found;
      const page = await this.store.readAll({
        after: current.position,
        maxCount: this.settings.batchSize,
        ...(current.eventTypes.length > 0 ? { eventTypes: current.eventTypes } : {}),
      });
      let changed = false;
      for (const event of page.events) {
        const outcome = await this.deliverOne(current, event, signal);
        if (outcome === 'parked' || outcome === 'stopped') return;
        if (outcome === 'changed' || !(await this.subscriptions.advance(current, event.logPosition, 1))) {
          changed = true; // replayed, deleted or taken over: read the row again
          break;
        }
        current = { ...current, position: event.logPosition, failingEventId: null, failedAttempts: 0 };
      }
      if (changed) continue;
      if (comparePositions(page.lastPosition, current.position) > 0) {
        // Events of other types up to here: nothing to send, but no need to read them again.
        if (!(await this.subscriptions.advance(current, page.lastPosition, 0))) continue;
      }
      if (page.isEnd) return;
    }
  }

  /** Attempts one event until a 2xx, the last attempt (parked), a change of the row, or a stop. */
  private async deliverOne(
    subscription: SubscriptionRecord,
    event: StoredEvent,
    signal: AbortSignal,
  ): Promise<Outcome> {
    let current = subscription;
    let attempts = current.failingEventId === event.id ? current.failedAttempts : 0;
    const body = deliveryBody(event);
    for (;;) {
      if (signal.aborted) return 'stopped';
      const result = await this.attempt(current, event, body, signal);
      if (result.ok) {
        webhookDeliveriesTotal.inc({ outcome: 'delivered' });
        return 'delivered';
      }
      if (result.aborted) return 'stopped';
      webhookDeliveriesTotal.inc({ outcome: 'failed' });
      webhookDeliveryFailuresTotal.inc();
      attempts += 1;
      if (attempts >= this.settings.maxAttempts) {
        if (!(await this.subscriptions.park(current, event.id, attempts, result.error))) return 'changed';
        webhookDeliveriesTotal.inc({ outcome: 'parked' });
        this.log.warn(
          `Subscription ${current.subscriptionId} parked at event ${event.id} after ${attempts} attempts: ${result.error}`,
        );
        return 'parked';
      }
      if (!(await this.subscriptions.recordFailure(current, event.id, attempts, result.error))) return 'changed';
      current = { ...current, failingEventId: event.id, failedAttempts: attempts };
      const wait = backoffDelay(
        attempts,
        { baseMs: this.settings.baseDelayMs, maxMs: this.settings.maxDelayMs },
        this.settings.random,
      );
      const still = await this.waitUnchanged(current, wait, signal);
      if (still !== 'unchanged') return still;
    }
  }

  private async attempt(
    subscription: SubscriptionRecord,
    event: StoredEvent,
    body: string,
    signal: AbortSignal,
  ): Promise<{ ok: true } | { ok: false; error: string; aborted: boolean }> {
    const url = checkReceiverUrl(subscription.url, this.settings.allowedHosts);
    if (!url.ok) return { ok: false, error: url.message, aborted: false };
    const headers = signDelivery(subscription.secret, event.id, Math.floor(Date.now() / 1000), body);
    return postDelivery(subscription.url, headers, body, { timeoutMs: this.settings.timeoutMs, signal });
  }

  /** Waits `ms`, looking every second whether the subscription was replayed, deleted or moved. */
  private async waitUnchanged(
    subscription: SubscriptionRecord,
    ms: number,
    signal: AbortSignal,
  ): Promise<'unchanged' | 'changed' | 'stopped'> {
    const until = Date.now() + ms;
    for (;;) {
      const left = until - Date.now();
      if (left <= 0) return 'unchanged';
      await sleep(Math.min(left, CHANGE_CHECK_MS), signal);
      if (signal.aborted) return 'stopped';
      const now = await this.subscriptions.find(subscription.subscriptionId);
      if (
        !now ||
        now.state !== 'active' ||
        now.generation !== subscription.generation ||
        comparePositions(now.position, subscription.position) !== 0
      ) {
        return 'changed';
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeLoop = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
