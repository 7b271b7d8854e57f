import { formatBps, formatMoney, lastPeriods, minorUnitDigits, ratioBps, scaledDecimal } from './format';
import { SseParser } from './live';
import { parseScope, rowsInScope, scopeParam, totalsOf } from './figures';
import { sessionOf } from './session';
import type { DashboardRow } from './types';

describe('money in minor units', () => {
  it('scales integers exactly, without float division', () => {
    expect(scaledDecimal(123456, 2)).toBe('1234.56');
    expect(scaledDecimal(-5, 3)).toBe('-0.005');
    expect(scaledDecimal(7, 0)).toBe('7');
    expect(scaledDecimal(0, 2)).toBe('0.00');
    expect(scaledDecimal(Number.MAX_SAFE_INTEGER, 2)).toBe('90071992547409.91');
    expect(scaledDecimal(12345678901234567890n, 2)).toBe('123456789012345678.90');
    expect(() => scaledDecimal(1.5, 2)).toThrow(RangeError);
  });

  it('takes the minor units from the currency: JPY 0, USD 2, BHD 3', () => {
    expect([minorUnitDigits('JPY', 'en-US'), minorUnitDigits('USD', 'en-US'), minorUnitDigits('BHD', 'en-US')]).toEqual(
      [0, 2, 3],
    );
    expect(formatMoney(123456, 'USD', 'en-US')).toBe('$1,234.56');
    expect(formatMoney(123456, 'JPY', 'en-US')).toBe('¥123,456');
    const plain = (text: string) => text.replace(/\s/g, ' '); // Intl puts non-breaking spaces
    expect(plain(formatMoney(123456, 'BHD', 'en-US'))).toBe('BHD 123.456');
    expect(formatMoney(-2141200, 'USD', 'en-US')).toBe('-$21,412.00');
    expect(plain(formatMoney(123456789, 'EUR', 'de-DE'))).toBe('1.234.567,89 €');
  });

  it('shows basis points as a percentage and floors ratios like the API', () => {
    expect(formatBps(9305, 'en-US')).toBe('93.05%');
    expect(formatBps(null, 'en-US')).toBe('—');
    expect(ratioBps(2n, 3n)).toBe(6666n);
    expect(ratioBps(-1n, 3n)).toBe(-3334n);
    expect(ratioBps(1n, 0n)).toBeNull();
  });

  it('lists the twelve months ending at a period', () => {
    expect(lastPeriods('2026-02', 3)).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(lastPeriods('2026-12', 12)[0]).toBe('2026-01');
  });
});

describe('overview figures', () => {
  const row = (key: string, over: Partial<DashboardRow> = {}): DashboardRow => ({
    key,
    currency: 'USD',
    target: 1000,
    achieved: 500,
    attainmentBps: 5000,
    collected: 100,
    outstanding: 300,
    overdue: 50,
    commissionEarned: 40,
    clawedBack: 1,
    ...over,
  });

  it('sums the rows of the company per currency and derives attainment and collection rate', () => {
    const rows = [
      row('north'),
      row('south', { target: 2000, achieved: 2500, attainmentBps: 12500 }),
      row('(no team)', { target: null }),
    ];
    expect(totalsOf(rows)).toEqual([
      {
        currency: 'USD',
        target: 3000n,
        achieved: 3500n,
        attainmentBps: 11666n,
        collected: 300n,
        collectionRateBps: 2500n,
        outstanding: 900n,
        overdue: 150n,
        commissionEarned: 120n,
        clawedBack: 3n,
        sellIn: 0n,
      },
    ]);
  });

  it('sums sell-in apart from achieved, and reads a row without it (an older server) as 0', () => {
    const [t] = totalsOf([row('north', { sellIn: 700 }), row('south')]);
    expect([t?.achieved, t?.sellIn]).toEqual([1000n, 700n]);
  });

  it('keeps the API’s own figures for one row, and null without a target or money in play', () => {
    const [t] = totalsOf([row('alice', { target: null, attainmentBps: null, collected: 0, outstanding: 0 })]);
    expect(t).toMatchObject({ target: null, attainmentBps: null, collectionRateBps: null });
    expect(totalsOf([row('a'), row('b', { currency: 'EUR' })]).map((x) => x.currency)).toEqual(['EUR', 'USD']);
  });

  it('reads scopes from the address and filters rows by them', () => {
    expect(parseScope('team:north')).toEqual({ kind: 'team', key: 'north' });
    expect(parseScope('businessUnit:smb')).toEqual({ kind: 'businessUnit', key: 'smb' });
    expect(parseScope('company')).toEqual({ kind: 'company', key: null });
    expect(parseScope('planet:x')).toBeNull();
    expect(parseScope('team:')).toBeNull();
    expect(scopeParam({ kind: 'salesperson', key: 'zoe.dubois' })).toBe('salesperson:zoe.dubois');
    expect(rowsInScope([row('a'), row('b')], { kind: 'team', key: 'b' }).map((r) => r.key)).toEqual(['b']);
  });
});

describe('live updates stream', () => {
  it('parses position frames across chunk boundaries and ignores comments', () => {
    const parser = new SseParser();
    expect(parser.push('retry: 1000\n: connected\n\nid: 7\nevent: posi')).toEqual([
      { event: 'message', data: '', id: null, retry: 1000 },
    ]);
    expect(parser.push('tion\r\ndata: {"position":"7"}\r\n\r\n: heartbeat\n\n')).toEqual([
      { event: 'position', data: '{"position":"7"}', id: '7', retry: null },
    ]);
  });
});

describe('session', () => {
  it('reads the claims of a JWT payload (not verified: the server does)', () => {
    const payload = btoa(JSON.stringify({ sub: 'ann', roles: ['manager'], teamId: 'north', exp: 4102444800 }))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    expect(sessionOf(`e30.${payload}.sig`)).toEqual({
      token: `e30.${payload}.sig`,
      sub: 'ann',
      roles: ['manager'],
      salespersonId: null,
      teamId: 'north',
      exp: 4102444800,
    });
    expect(sessionOf('not-a-token')).toBeNull();
  });
});
