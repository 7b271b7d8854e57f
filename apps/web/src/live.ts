/**
 * Live updates over `GET /api/v1/dashboard/updates` (Server-Sent Events). EventSource cannot send
 * an Authorization header, so the stream is read with fetch and a ReadableStream. Each
 * `event: position` frame names the newest global position recorded (never an event's content);
 * the page then refetches its data with `X-Consistent-Position` set to it. The stream reconnects
 * after an error or an end, waiting the server's `retry:` (1 s), doubling up to 10 s.
 */
import { API_BASE, delay, isAbort } from './api';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface LiveHandlers {
  /** A new position (or, after a reconnection, null: something may have changed meanwhile). */
  readonly onChange: (position: string | null) => void;
  readonly onState: (state: LiveState) => void;
  readonly onUnauthenticated: () => void;
}

export interface SseFrame {
  readonly event: string;
  readonly data: string;
  readonly id: string | null;
  readonly retry: number | null;
}

/**
 * An incremental parser of the text/event-stream format: feed it chunks, get whole frames.
 * Comments (`: heartbeat`) produce nothing.
 */
export class SseParser {
  private buffer = '';

  push(chunk: string): SseFrame[] {
    this.buffer += chunk.replace(/\r\n?/g, '\n');
    const frames: SseFrame[] = [];
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      let id: string | null = null;
      let retry: number | null = null;
      let fields = 0;
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const name = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        fields++;
        if (name === 'event') event = value;
        else if (name === 'data') data.push(value);
        else if (name === 'id') id = value;
        else if (name === 'retry' && /^\d+$/.test(value)) retry = Number(value);
      }
      if (fields > 0) frames.push({ event, data: data.join('\n'), id, retry });
    }
    return frames;
  }
}

export class LiveUpdates {
  private controller: AbortController | null = null;
  private state: LiveState = 'stopped';

  constructor(
    private readonly token: string,
    private readonly handlers: LiveHandlers,
  ) {}

  get current(): LiveState {
    return this.state;
  }

  start(): void {
    if (this.controller) return;
    this.controller = new AbortController();
    void this.run(this.controller.signal);
  }

  stop(): void {
    this.controller?.abort();
    this.controller = null;
    this.setState('stopped');
  }

  private setState(state: LiveState): void {
    if (state === this.state) return;
    this.state = state;
    this.handlers.onState(state);
  }

  private async run(signal: AbortSignal): Promise<void> {
    let retryMs = 1000;
    let wait = retryMs;
    let connections = 0;
    this.setState('connecting');
    while (!signal.aborted) {
      try {
        const response = await fetch(`${API_BASE}/dashboard/updates`, {
          headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' },
          cache: 'no-store',
          signal,
        });
        if (response.status === 401) {
          this.stop();
          this.handlers.onUnauthenticated();
          return;
        }
        if (!response.ok || !response.body) throw new Error(`updates: HTTP ${response.status}`);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        const parser = new SseParser();
        connections++;
        this.setState('live');
        wait = retryMs;
        // After a reconnection, whatever happened while away has no frame: refresh once.
        if (connections > 1) this.handlers.onChange(null);
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const frame of parser.push(value)) {
            if (frame.retry !== null) retryMs = Math.min(Math.max(frame.retry, 250), 10_000);
            if (frame.event !== 'position') continue;
            const position = positionOf(frame.data);
            if (position) this.handlers.onChange(position);
          }
        }
      } catch (error) {
        if (signal.aborted || isAbort(error)) return;
      }
      if (signal.aborted) return;
      this.setState('reconnecting');
      try {
        await delay(wait, signal);
      } catch {
        return;
      }
      wait = Math.min(wait * 2, 10_000);
    }
  }
}

function positionOf(data: string): string | null {
  try {
    const parsed = JSON.parse(data) as { position?: unknown };
    return typeof parsed.position === 'string' && /^\d+$/.test(parsed.position) ? parsed.position : null;
  } catch {
    return null;
  }
}

/** The larger of two global positions (decimal strings of 64-bit integers). */
export function maxPosition(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return BigInt(a) >= BigInt(b) ? a : b;
}
