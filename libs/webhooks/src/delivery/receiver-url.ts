/**
 * Where deliveries may go. A webhook makes our server send requests to a URL an administrator
 * typed, which is a server-side request forgery risk (internal services, cloud metadata endpoints):
 * only absolute http(s) URLs without credentials are accepted, and WEBHOOK_ALLOWED_HOSTS, when set,
 * restricts the host to a list. The check is by host name as written: it does not resolve names, so
 * it is no defence against a name that resolves to an internal address (see README § Webhooks).
 */
export const MAX_URL_LENGTH = 2000;

export type ReceiverUrlCheck =
  | { readonly ok: true; readonly url: string; readonly host: string }
  | { readonly ok: false; readonly reason: 'invalid' | 'host_not_allowed'; readonly message: string };

/** The host as compared with the allowlist: lower case, IPv6 without brackets. */
export function normaliseHost(host: string): string {
  const h = host.trim().toLowerCase();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/** `example.com` allows exactly that host; `*.example.com` allows its subdomains (not itself). */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = normaliseHost(host);
  return allowed.some((entry) => {
    const e = normaliseHost(entry);
    return e.startsWith('*.') ? h.endsWith(e.slice(1)) && h.length > e.length - 1 : h === e;
  });
}

export function checkReceiverUrl(value: string, allowedHosts: readonly string[] | null): ReceiverUrlCheck {
  const invalid = (message: string): ReceiverUrlCheck => ({ ok: false, reason: 'invalid', message });
  if (value.length > MAX_URL_LENGTH) return invalid(`url must be at most ${MAX_URL_LENGTH} characters`);
  if (!/^https?:\/\/[^/\\?#@]/i.test(value)) return invalid('url must be an absolute http:// or https:// URL');
  if (/[\s\u0000-\u001f\u007f]/.test(value)) return invalid('url must not contain spaces or control characters');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return invalid('url must be an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return invalid('url must be an absolute http:// or https:// URL');
  }
  if (url.username !== '' || url.password !== '') return invalid('url must not contain credentials (user:password@)');
  if (url.hostname === '') return invalid('url must name a host');
  if (url.hash !== '') return invalid('url must not contain a fragment (#…)');
  const host = normaliseHost(url.hostname);
  if (allowedHosts && !hostAllowed(host, allowedHosts)) {
    return {
      ok: false,
      reason: 'host_not_allowed',
      message: `The host ${host} is not in WEBHOOK_ALLOWED_HOSTS`,
    };
  }
  return { ok: true, url: value, host };
}
