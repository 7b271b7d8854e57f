/**
 * Secrets come only from the environment: readSettings has no default for any of them, reads
 * nothing but the env it is given, and a production start (DATABASE_URL) without AUTH_JWT_SECRET
 * or AUTH_JWKS_URL refuses to start — that last rule is exercised end to end in
 * test/e2e/auth.e2e-spec.ts ('a production api › refuses to start on a shared database without
 * AUTH_JWT_SECRET or AUTH_JWKS_URL').
 */
import { DEFAULT_RATE_LIMIT_BURST, DEFAULT_RATE_LIMIT_PER_SECOND, readSettings, type Settings } from './settings';

const SECRET_SETTINGS: ReadonlyArray<keyof Settings> = [
  'authJwtSecret',
  'authJwksUrl',
  'databaseUrl',
  'databaseReadUrl',
  'eventStoreConnectionString',
];

describe('secrets only from the environment', () => {
  it('given an empty environment, then no secret or credential-bearing setting has a value', () => {
    const settings = readSettings({});
    for (const key of SECRET_SETTINGS) expect([key, settings[key]]).toEqual([key, null]);
  });

  it('given the process environment holds secrets, readSettings(env) reads only the env it is given', () => {
    const saved = { ...process.env };
    try {
      process.env.AUTH_JWT_SECRET = 'from-process-env-0123456789-0123456789';
      process.env.DATABASE_URL = 'postgres://u:p@process-env/db';
      const settings = readSettings({});
      expect(settings.authJwtSecret).toBeNull();
      expect(settings.databaseUrl).toBeNull();
      // and the process environment is what readSettings() reads by default
      expect(readSettings().authJwtSecret).toBe('from-process-env-0123456789-0123456789');
    } finally {
      process.env = saved;
    }
  });

  it('each secret is taken as given (trimmed), and blank means unset', () => {
    const env = {
      AUTH_JWT_SECRET: '  s3cr3t-from-env-s3cr3t-from-env  ',
      AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
      DATABASE_URL: 'postgres://app:pw-from-env@db:5432/commissions',
      DATABASE_READ_URL: 'postgres://app:pw-from-env@replica:5432/commissions',
      EVENTSTORE_CONNECTION_STRING: 'esdb://user:pw-from-env@esdb:2113',
    };
    expect(readSettings(env)).toMatchObject({
      authJwtSecret: 's3cr3t-from-env-s3cr3t-from-env',
      authJwksUrl: env.AUTH_JWKS_URL,
      databaseUrl: env.DATABASE_URL,
      databaseReadUrl: env.DATABASE_READ_URL,
      eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING,
    });
    expect(readSettings({ AUTH_JWT_SECRET: '   ' }).authJwtSecret).toBeNull();
  });
});

describe('rate limit settings', () => {
  it('default to 50/s, bursts of 200, with DATABASE_URL (a shared deployment)', () => {
    const s = readSettings({ DATABASE_URL: 'postgres://db/x' });
    expect([s.rateLimitPerSecond, s.rateLimitBurst]).toEqual([DEFAULT_RATE_LIMIT_PER_SECOND, DEFAULT_RATE_LIMIT_BURST]);
    expect([DEFAULT_RATE_LIMIT_PER_SECOND, DEFAULT_RATE_LIMIT_BURST]).toEqual([50, 200]);
  });

  it('are off by default for an embedded start (npm start on one machine)', () => {
    expect(readSettings({}).rateLimitPerSecond).toBe(0);
  });

  it('are read from RATE_LIMIT_PER_SECOND and RATE_LIMIT_BURST; 0/s turns the limiter off', () => {
    expect(readSettings({ RATE_LIMIT_PER_SECOND: '2.5', RATE_LIMIT_BURST: '10' })).toMatchObject({
      rateLimitPerSecond: 2.5,
      rateLimitBurst: 10,
    });
    expect(readSettings({ DATABASE_URL: 'postgres://db/x', RATE_LIMIT_PER_SECOND: '0' }).rateLimitPerSecond).toBe(0);
  });

  it.each([
    ['RATE_LIMIT_PER_SECOND', '-1'],
    ['RATE_LIMIT_PER_SECOND', 'fast'],
    ['RATE_LIMIT_PER_SECOND', 'Infinity'],
    ['RATE_LIMIT_BURST', '0'],
    ['RATE_LIMIT_BURST', '1e9'],
  ])('refuse %s=%s', (name, value) => {
    expect(() => readSettings({ [name]: value })).toThrow(name);
  });
});
