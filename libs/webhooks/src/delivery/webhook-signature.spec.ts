import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { generateSecret, secretKey, signDelivery } from './webhook-signature';

describe('Standard Webhooks signatures', () => {
  const body = JSON.stringify({ type: 'SaleBooked', timestamp: '2026-01-10T09:12:44.120Z', data: { eventId: 'e1' } });
  const now = () => Math.floor(Date.now() / 1000);

  it('given a generated secret, when a delivery is signed, then standardwebhooks verifies it', () => {
    const secret = generateSecret();
    const headers = signDelivery(secret, '9b2f7d4e-1c3a-5e6f-8a9b-0c1d2e3f4a5b', now(), body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it.each([24, 32, 64])('given a %i-byte secret, the signature verifies', (bytes) => {
    const secret = `whsec_${randomBytes(bytes).toString('base64')}`;
    const headers = signDelivery(secret, 'msg-1', now(), body);
    expect(() => new Webhook(secret).verify(body, { ...headers })).not.toThrow();
  });

  it('given another secret, a changed body or another id, verification fails', () => {
    const secret = generateSecret();
    const headers = signDelivery(secret, 'msg-1', now(), body);
    expect(() => new Webhook(generateSecret()).verify(body, { ...headers })).toThrow();
    expect(() => new Webhook(secret).verify(`${body} `, { ...headers })).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg-2' })).toThrow();
  });

  it('given a timestamp older than the tolerance (5 min), the receiver refuses it', () => {
    const secret = generateSecret();
    const headers = signDelivery(secret, 'msg-1', now() - 600, body);
    expect(() => new Webhook(secret).verify(body, { ...headers })).toThrow(/timestamp/i);
  });

  it('the headers are the three of the specification, the signature v1 over id.timestamp.body', () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const headers = signDelivery(secret, 'msg_1', 1_767_225_600, '{}');
    expect(headers).toEqual({
      'webhook-id': 'msg_1',
      'webhook-timestamp': '1767225600',
      'webhook-signature': new Webhook(secret).sign('msg_1', new Date(1_767_225_600_000), '{}'),
    });
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it.each([
    ['no prefix', randomBytes(32).toString('base64')],
    ['too short (16 bytes)', `whsec_${randomBytes(16).toString('base64')}`],
    ['too long (65 bytes)', `whsec_${randomBytes(65).toString('base64')}`],
    ['not base64', 'whsec_not base64 at all!!'],
    ['base64url instead of base64', `whsec_${Buffer.alloc(32, 255).toString('base64url')}`],
    ['empty', 'whsec_'],
  ])('refuses a secret with %s', (_name, secret) => {
    expect(secretKey(secret)).toBeNull();
  });

  it('generated secrets are whsec_ + 32 random bytes', () => {
    const secret = generateSecret();
    expect(secretKey(secret)?.length).toBe(32);
    expect(generateSecret()).not.toBe(secret);
  });
});
