/**
 * The read-model API over fetch: the bearer token on every request, and `X-Consistent-Position`
 * when a live update names the position to read at (the server waits until its projections have
 * applied it). Errors are problem+json (RFC 9457) and surface as ApiError.
 */
import type { Problem } from './types';

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }

  get forbidden(): boolean {
    return this.status === 403;
  }

  get unauthenticated(): boolean {
    return this.status === 401;
  }
}

export type Query = Record<string, string | number | null | undefined>;

export interface RequestOptions {
  /** Read at least this global position (X-Consistent-Position). */
  readonly position?: string | null;
  readonly signal?: AbortSignal;
  /** The browser's fetch priority: background refreshes go 'low' so live figures are not queued behind them. */
  readonly priority?: RequestPriority;
}

export class Api {
  /** Called once per 401, so the app can ask for a new token. */
  onUnauthenticated: (() => void) | null = null;

  constructor(private readonly token: string) {}

  url(path: string, query: Query = {}): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== null && value !== undefined && value !== '') params.set(name, String(value));
    }
    const search = params.toString();
    return `${API_BASE}${path}${search ? `?${search}` : ''}`;
  }

  headers(position?: string | null): Record<string, string> {
    return {
      authorization: `Bearer ${this.token}`,
      accept: 'application/json',
      ...(position ? { 'x-consistent-position': position } : {}),
    };
  }

  async get<T>(path: string, query: Query = {}, options: RequestOptions = {}): Promise<T> {
    const url = this.url(path, query);
    for (let attempt = 0; ; attempt++) {
      const init: RequestInit = { headers: this.headers(options.position) };
      if (options.signal) init.signal = options.signal;
      if (options.priority) init.priority = options.priority;
      const response = await fetch(url, init);
      if (response.ok) return (await response.json()) as T;
      const problem = await problemOf(response);
      // The projections have not applied the position yet: wait as told (briefly) and ask again.
      if (response.status === 503 && problem.code === 'PROJECTION_BEHIND' && attempt < 5) {
        const seconds = Number(response.headers.get('retry-after') ?? '1');
        await delay(Math.min(Number.isFinite(seconds) ? seconds : 1, 2) * 1000, options.signal);
        continue;
      }
      if (response.status === 401) this.onUnauthenticated?.();
      throw new ApiError(response.status, problem);
    }
  }

  /** A non-JSON resource (a CSV statement) as a Blob, with the same authentication. */
  async blob(path: string, query: Query = {}): Promise<Blob> {
    const response = await fetch(this.url(path, query), { headers: { authorization: `Bearer ${this.token}` } });
    if (!response.ok) throw new ApiError(response.status, await problemOf(response));
    return response.blob();
  }
}

async function problemOf(response: Response): Promise<Problem> {
  try {
    const body = (await response.json()) as Problem;
    return typeof body === 'object' && body !== null ? body : { status: response.status };
  } catch {
    return { status: response.status, title: response.statusText };
  }
}

export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
