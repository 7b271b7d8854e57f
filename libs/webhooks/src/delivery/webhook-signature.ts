/**
 * Standard Webhooks (https://www.standardwebhooks.com): the three headers of a delivery and the
 * `v1` signature, an HMAC-SHA256 of `${id}.${timestamp}.${body}` keyed with the secret's bytes.
 * Receivers verify with any Standard Webhooks library, e.g. `new Webhook(secret).verify(body, headers)`.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';
/** Secret sizes we accept (bytes, before base64): the spec recommends 24 to 64. */
export const SECRET_MIN_BYTES = 24;
export const SECRET_MAX_BYTES = 64;
const SECRET_FORM = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

/** A fresh secret in Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** The key bytes of a `whsec_…` secret, or null when it is not one (wrong form or size). */
export function secretKey(secret: string): Buffer | null {
  if (secret.length > 200 || !SECRET_FORM.test(secret)) return null;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (encoded.length % 4 !== 0) return null;
  const key = Buffer.from(encoded, 'base64');
  if (key.toString('base64') !== encoded) return null; // not canonical base64
  return key.length >= SECRET_MIN_BYTES && key.length <= SECRET_MAX_BYTES ? key : null;
}

export interface WebhookHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/** The signature headers of one attempt: `timestamp` is in Unix seconds, taken at send time. */
export function signDelivery(secret: string, id: string, timestamp: number, body: string): WebhookHeaders {
  const key = secretKey(secret);
  if (!key) throw new Error('Not a whsec_ secret of 24 to 64 bytes');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` };
}
