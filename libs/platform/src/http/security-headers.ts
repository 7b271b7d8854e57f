import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * The Content-Security-Policy of the pages we serve: the dashboard (dist/web, one bundled script,
 * a stylesheet, inline `style` attributes for bar widths, charts drawn on canvas, fetch and SSE to
 * the same origin) and Swagger UI at /docs (external scripts, an inline <style> block, data: icons).
 * Nothing is loaded from another origin, no inline script, no eval, no framing.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The API answers JSON, never a document to render: nothing at all may load from it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** One year; sent only on answers to requests that came over https. */
export const HSTS = 'max-age=31536000';

const API_PATH = /^\/api\//;

/** Whether the request reached us over TLS, directly or through a TLS-terminating proxy. */
function overHttps(req: Request): boolean {
  if (req.secure) return true;
  // X-Forwarded-Proto from the proxy in front. A client forging it over plain http gains nothing:
  // browsers ignore Strict-Transport-Security received over http (RFC 6797 § 8.1).
  const proto = req.header('x-forwarded-proto');
  return proto !== undefined && proto.split(',')[0]!.trim().toLowerCase() === 'https';
}

/**
 * Sets the security headers on every answer (success, error, static file, Swagger UI) before
 * anything else runs, so a 401, 404, 413 or 429 carries them too. `/api/...` answers also get
 * `Cache-Control: no-store` (they hold personal and financial data; shared caches must not keep
 * them). Strict-Transport-Security only when the request came over https.
 */
export function securityHeadersMiddleware(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const api = API_PATH.test(req.path);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Content-Security-Policy', api ? API_CSP : PAGE_CSP);
    if (api) res.setHeader('Cache-Control', 'no-store');
    if (overHttps(req)) res.setHeader('Strict-Transport-Security', HSTS);
    next();
  };
}
