import { readSettings } from '../../../platform/src/config/settings';
import { checkReceiverUrl, hostAllowed } from './receiver-url';

describe('receiver URLs', () => {
  it.each([
    'http://127.0.0.1:8080/hook',
    'https://hooks.example.com/commissions?tenant=7',
    'HTTPS://Hooks.Example.com/x',
    'http://[::1]:3000/',
  ])('accepts %s', (url) => {
    expect(checkReceiverUrl(url, null)).toMatchObject({ ok: true, url });
  });

  it.each([
    ['a relative URL', '/hooks'],
    ['another scheme', 'ftp://example.com/x'],
    ['file:', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(1)'],
    ['no scheme', 'example.com/hook'],
    ['credentials', 'https://user:secret@example.com/hook'],
    ['a user name', 'https://user@example.com/hook'],
    ['a fragment', 'https://example.com/hook#x'],
    ['spaces', 'https://example.com/a hook'],
    ['a control character', 'https://example.com/\u0000'],
    ['no host', 'http:///path'],
    ['a malformed URL', 'http://exa mple.com:99999/'],
    ['too long', `https://example.com/${'a'.repeat(2000)}`],
  ])('refuses %s (400)', (_name, url) => {
    expect(checkReceiverUrl(url, null)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  describe('WEBHOOK_ALLOWED_HOSTS', () => {
    const allowed = ['hooks.example.com', '10.0.0.7', '::1', '*.partner.example'];

    it.each([
      'https://hooks.example.com/x',
      'https://HOOKS.example.com:8443/x',
      'http://10.0.0.7/x',
      'http://[::1]:9000/x',
      'https://a.partner.example/x',
      'https://b.c.partner.example/x',
    ])('allows %s', (url) => {
      expect(checkReceiverUrl(url, allowed).ok).toBe(true);
    });

    it.each([
      'https://evil.example.com/x',
      'https://hooks.example.com.evil.net/x',
      'http://10.0.0.8/x',
      'http://169.254.169.254/latest/meta-data/',
      'https://partner.example/x',
      'https://evilpartner.example/x',
      'http://localhost/x',
    ])('refuses %s (422)', (url) => {
      expect(checkReceiverUrl(url, allowed)).toMatchObject({ ok: false, reason: 'host_not_allowed' });
    });

    it('is read from the environment: trimmed, lower case, brackets dropped; unset means any host', () => {
      expect(
        readSettings({ WEBHOOK_ALLOWED_HOSTS: ' Hooks.Example.com, 10.0.0.7,[::1] ' }).webhookAllowedHosts,
      ).toEqual(['hooks.example.com', '10.0.0.7', '::1']);
      expect(readSettings({}).webhookAllowedHosts).toBeNull();
      expect(readSettings({ WEBHOOK_ALLOWED_HOSTS: '  ' }).webhookAllowedHosts).toBeNull();
      expect(() => readSettings({ WEBHOOK_ALLOWED_HOSTS: ',' })).toThrow(/no host/);
      expect(() => readSettings({ WEBHOOK_ALLOWED_HOSTS: 'http://x.com/' })).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
    });

    it('a wildcard matches subdomains only', () => {
      expect(hostAllowed('x.example.com', ['*.example.com'])).toBe(true);
      expect(hostAllowed('example.com', ['*.example.com'])).toBe(false);
    });
  });
});
