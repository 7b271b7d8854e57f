import type { WebhookHeaders } from './webhook-signature';

export type AttemptResult =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly error: string; readonly aborted: boolean };

/**
 * One HTTP POST of a delivery. 2xx is success; any other status, a redirect (never followed: it
 * could lead anywhere, including past WEBHOOK_ALLOWED_HOSTS), a timeout or a network error is a
 * failed attempt. `aborted` is true when `signal` (our own shutdown) cut it short: not the
 * receiver's fault, and not counted.
 */
export async function postDelivery(
  url: string,
  headers: WebhookHeaders,
  body: string,
  options: { readonly timeoutMs: number; readonly signal: AbortSignal },
): Promise<AttemptResult> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'commissions-webhooks/1', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.any([options.signal, timeout]),
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
    return { ok: false, error: `HTTP ${response.status}${redirect}`, aborted: false };
  } catch (error) {
    if (options.signal.aborted) return { ok: false, error: 'stopped', aborted: true };
    if (timeout.aborted) return { ok: false, error: `timed out after ${options.timeoutMs} ms`, aborted: false };
    return { ok: false, error: describe(error), aborted: false };
  }
}

/** `fetch failed` says little: name the cause (ECONNREFUSED 127.0.0.1:4000, ENOTFOUND host, …). */
function describe(error: unknown): string {
  const message = (e: unknown): string | null =>
    e !== null && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string'
      ? (e as { message: string }).message
      : null;
  const cause = (error as { cause?: unknown } | null)?.cause;
  const inner = message(cause) !== null ? (cause as { message: string; code?: unknown }) : null;
  if (!inner) return message(error) ?? String(error);
  const code = inner.code;
  return typeof code === 'string' && !inner.message.includes(code) ? `${code}: ${inner.message}` : inner.message;
}
