import { createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import {
  CLOCK_LEEWAY_SECONDS,
  JWKS_REFETCH_INTERVAL_MS,
  JwksUnavailableError,
  JwtError,
  JwtVerifier,
  signHs256,
} from './jwt';

const SECRET = 'unit-test-secret-0123456789-abcdefghijklmnop';
const NOW = 1_800_000_000;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: 'u1',
  roles: ['rep'],
  salespersonId: 'alice',
  exp: NOW + 600,
  ...extra,
});

/** A compact JWS with any header, signed by `signer` (or with an empty signature). */
function jws(header: Record<string, unknown>, payload: unknown, signer?: (input: Buffer) => Buffer): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${signer ? signer(Buffer.from(input)).toString('base64url') : ''}`;
}

const hmac = (secret: string) => (input: Buffer) => createHmac('sha256', secret).update(input).digest();
const rsaSign = (key: KeyObject) => (input: Buffer) => sign('sha256', input, key);
const ecSign = (key: KeyObject) => (input: Buffer) => sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });

function hs256Verifier(now = NOW) {
  return new JwtVerifier({ hs256Secret: SECRET, jwksUrl: null, now: () => now });
}

async function refusal(verifier: JwtVerifier, token: string): Promise<string> {
  try {
    await verifier.verify(token);
  } catch (error) {
    expect(error).toBeInstanceOf(JwtError);
    return (error as Error).message;
  }
  throw new Error('the token was accepted');
}

describe('HS256', () => {
  it('accepts a token signed with the secret and returns its claims', async () => {
    const token = signHs256(claims({ teamId: 'east' }), SECRET);
    await expect(hs256Verifier().verify(token)).resolves.toMatchObject({
      sub: 'u1',
      roles: ['rep'],
      salespersonId: 'alice',
      teamId: 'east',
    });
  });

  it('signs a standard header', () => {
    const [header] = signHs256(claims(), SECRET).split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
  });

  it('refuses another secret and a tampered payload', async () => {
    expect(await refusal(hs256Verifier(), signHs256(claims(), `${SECRET}x`))).toMatch(/signature/);
    const [h, , s] = signHs256(claims(), SECRET).split('.');
    const forged = `${h}.${b64(claims({ roles: ['admin'] }))}.${s}`;
    expect(await refusal(hs256Verifier(), forged)).toMatch(/signature/);
  });

  it('refuses a truncated or empty signature', async () => {
    const token = signHs256(claims(), SECRET);
    expect(await refusal(hs256Verifier(), token.slice(0, -4))).toMatch(/signature/);
    expect(await refusal(hs256Verifier(), token.slice(0, token.lastIndexOf('.') + 1))).toMatch(/signature/);
  });

  it.each([
    ['none', { alg: 'none', typ: 'JWT' }],
    ['None', { alg: 'None' }],
    ['HS512', { alg: 'HS512' }],
    ['RS256 (no JWKS configured)', { alg: 'RS256' }],
    ['no alg', { typ: 'JWT' }],
  ])('refuses alg %s', async (_name, header) => {
    expect(await refusal(hs256Verifier(), jws(header, claims()))).toMatch(/algorithm/);
    expect(await refusal(hs256Verifier(), jws(header, claims(), hmac(SECRET)))).toMatch(/algorithm/);
  });

  it('refuses header extensions it does not understand (crit)', async () => {
    const token = jws({ alg: 'HS256', crit: ['exp'] }, claims(), hmac(SECRET));
    expect(await refusal(hs256Verifier(), token)).toMatch(/crit/);
  });

  it.each([
    ['empty', ''],
    ['one segment', 'abc'],
    ['two segments', 'abc.def'],
    ['four segments', 'a.b.c.d'],
    ['not base64url', 'ab$c.def.ghi'],
    ['padding', `${b64({ alg: 'HS256' })}=.${b64(claims())}.xx`],
    ['header not JSON', `${Buffer.from('{alg').toString('base64url')}.${b64(claims())}.xx`],
    ['header an array', `${b64(['HS256'])}.${b64(claims())}.xx`],
    ['empty header', `.${b64(claims())}.xx`],
  ])('refuses a malformed token: %s', async (_name, token) => {
    await refusal(hs256Verifier(), token);
  });

  it('refuses a payload that is not a JSON object, even when signed', async () => {
    const input = `${b64({ alg: 'HS256' })}.${Buffer.from('"text"').toString('base64url')}`;
    const token = `${input}.${hmac(SECRET)(Buffer.from(input)).toString('base64url')}`;
    expect(await refusal(hs256Verifier(), token)).toMatch(/payload/);
  });

  it('refuses a very long token without looking at it', async () => {
    await refusal(hs256Verifier(), `${'a'.repeat(20_000)}.b.c`);
  });
});

describe('time claims (60 s leeway)', () => {
  it('refuses an expired token, accepts one expired within the leeway', async () => {
    expect(await refusal(hs256Verifier(), signHs256(claims({ exp: NOW - CLOCK_LEEWAY_SECONDS - 1 }), SECRET))).toMatch(
      /expired/,
    );
    await expect(hs256Verifier().verify(signHs256(claims({ exp: NOW - 30 }), SECRET))).resolves.toBeDefined();
  });

  it('refuses a token not valid yet, accepts one valid within the leeway', async () => {
    expect(await refusal(hs256Verifier(), signHs256(claims({ nbf: NOW + CLOCK_LEEWAY_SECONDS + 1 }), SECRET))).toMatch(
      /not valid yet/,
    );
    await expect(hs256Verifier().verify(signHs256(claims({ nbf: NOW + 30 }), SECRET))).resolves.toBeDefined();
  });

  it.each(['exp', 'nbf', 'iat'])('refuses a non-numeric %s', async (name) => {
    await refusal(hs256Verifier(), signHs256(claims({ [name]: String(NOW + 100) }), SECRET));
  });
});

describe('required claims', () => {
  const without = (name: string) => {
    const c: Record<string, unknown> = claims();
    delete c[name];
    return c;
  };

  it.each([
    ['no sub', without('sub')],
    ['an empty sub', claims({ sub: '' })],
    ['a numeric sub', claims({ sub: 42 })],
    ['no roles', without('roles')],
    ['roles as a string', claims({ roles: 'admin' })],
    ['roles with a number', claims({ roles: ['admin', 1] })],
    ['a numeric salespersonId', claims({ salespersonId: 7 })],
    ['a non-string teamId', claims({ teamId: ['east'] })],
  ])('refuses %s', async (_name, payload) => {
    await refusal(hs256Verifier(), signHs256(payload, SECRET));
  });

  it('accepts an empty roles array (it grants nothing) and no exp', async () => {
    await expect(hs256Verifier().verify(signHs256({ sub: 'u', roles: [] }, SECRET))).resolves.toMatchObject({
      roles: [],
    });
  });
});

describe('JWKS (RS256, ES256)', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsa2 = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = (key: KeyObject, extra: Record<string, unknown>) => ({ ...key.export({ format: 'jwk' }), ...extra });

  function setup(keys: unknown[], options: { hs256Secret?: string | null } = {}) {
    let now = NOW;
    const jwks = { keys };
    const fetches: string[] = [];
    let fail = false;
    const verifier = new JwtVerifier({
      hs256Secret: options.hs256Secret ?? null,
      jwksUrl: 'https://idp.example/jwks.json',
      now: () => now,
      fetchJwks: async (url) => {
        fetches.push(url);
        if (fail) throw new Error('connect ECONNREFUSED');
        return structuredClone(jwks);
      },
    });
    return {
      verifier,
      fetches,
      jwks,
      advance: (ms: number) => (now += ms / 1000),
      failFetches: (value: boolean) => (fail = value),
    };
  }

  it('verifies RS256 and ES256 tokens by kid, fetching the key set once', async () => {
    const { verifier, fetches } = setup([
      jwk(rsa.publicKey, { kid: 'r1', use: 'sig', alg: 'RS256' }),
      jwk(ec.publicKey, { kid: 'e1' }),
    ]);
    const rs = jws({ alg: 'RS256', kid: 'r1' }, claims(), rsaSign(rsa.privateKey));
    const es = jws({ alg: 'ES256', kid: 'e1' }, claims({ sub: 'u2' }), ecSign(ec.privateKey));
    await expect(verifier.verify(rs)).resolves.toMatchObject({ sub: 'u1' });
    await expect(verifier.verify(es)).resolves.toMatchObject({ sub: 'u2' });
    await expect(verifier.verify(rs)).resolves.toMatchObject({ sub: 'u1' });
    expect(fetches).toEqual(['https://idp.example/jwks.json']);
  });

  it('verifies a token without kid against the keys of its algorithm', async () => {
    const { verifier } = setup([jwk(rsa2.publicKey, { kid: 'other' }), jwk(rsa.publicKey, { kid: 'r1' })]);
    await expect(verifier.verify(jws({ alg: 'RS256' }, claims(), rsaSign(rsa.privateKey)))).resolves.toBeDefined();
  });

  it('refuses a bad signature, a DER-encoded ES256 signature and a key of the wrong type', async () => {
    const { verifier } = setup([jwk(rsa.publicKey, { kid: 'r1' }), jwk(ec.publicKey, { kid: 'e1' })]);
    expect(await refusal(verifier, jws({ alg: 'RS256', kid: 'r1' }, claims(), rsaSign(rsa2.privateKey)))).toMatch(
      /signature/,
    );
    const der = (input: Buffer) => sign('sha256', input, ec.privateKey);
    expect(await refusal(verifier, jws({ alg: 'ES256', kid: 'e1' }, claims(), der))).toMatch(/signature/);
    expect(await refusal(verifier, jws({ alg: 'ES256', kid: 'r1' }, claims(), ecSign(ec.privateKey)))).toMatch(
      /No key/,
    );
  });

  it('refuses HS256 when only a JWKS is configured (no algorithm confusion with a public key)', async () => {
    const { verifier } = setup([jwk(rsa.publicKey, { kid: 'r1' })]);
    const pem = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(await refusal(verifier, jws({ alg: 'HS256', kid: 'r1' }, claims(), hmac(pem)))).toMatch(/algorithm/);
  });

  it('accepts HS256 too when a secret is configured beside the JWKS', async () => {
    const { verifier, fetches } = setup([jwk(rsa.publicKey, { kid: 'r1' })], { hs256Secret: SECRET });
    await expect(verifier.verify(signHs256(claims(), SECRET))).resolves.toBeDefined();
    expect(fetches).toEqual([]);
  });

  it('ignores keys not meant for signatures, of other curves, or RSA keys under 2048 bits', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const { verifier } = setup([
      jwk(rsa.publicKey, { kid: 'enc', use: 'enc' }),
      jwk(small.publicKey, { kid: 'small' }),
      jwk(p384.publicKey, { kid: 'p384' }),
      jwk(rsa.publicKey, { kid: 'hs', alg: 'HS256' }),
      { kty: 'oct', k: 'c2VjcmV0', kid: 'oct' },
      'garbage',
    ]);
    expect(await refusal(verifier, jws({ alg: 'RS256', kid: 'enc' }, claims(), rsaSign(rsa.privateKey)))).toMatch(
      /No key/,
    );
    await refusal(verifier, jws({ alg: 'RS256', kid: 'small' }, claims(), rsaSign(small.privateKey)));
    await refusal(verifier, jws({ alg: 'ES256', kid: 'p384' }, claims(), ecSign(p384.privateKey)));
    await refusal(verifier, jws({ alg: 'RS256', kid: 'hs' }, claims(), rsaSign(rsa.privateKey)));
  });

  it('refetches for an unknown kid at most once a minute (key rotation)', async () => {
    const { verifier, fetches, jwks, advance } = setup([jwk(rsa.publicKey, { kid: 'r1' })]);
    await verifier.verify(jws({ alg: 'RS256', kid: 'r1' }, claims(), rsaSign(rsa.privateKey)));
    expect(fetches).toHaveLength(1);

    // The provider rotates: r2 appears. Within the minute the unknown kid is refused without a fetch.
    jwks.keys.push(jwk(rsa2.publicKey, { kid: 'r2' }));
    const rotated = jws({ alg: 'RS256', kid: 'r2' }, claims(), rsaSign(rsa2.privateKey));
    advance(1000);
    expect(await refusal(verifier, rotated)).toMatch(/No key/);
    expect(fetches).toHaveLength(1);
    for (let i = 0; i < 5; i++) await refusal(verifier, jws({ alg: 'RS256', kid: `junk${i}` }, claims()));
    expect(fetches).toHaveLength(1);

    advance(JWKS_REFETCH_INTERVAL_MS);
    await expect(verifier.verify(rotated)).resolves.toBeDefined();
    expect(fetches).toHaveLength(2);
  });

  it('fetches once for concurrent requests', async () => {
    const { verifier, fetches } = setup([jwk(rsa.publicKey, { kid: 'r1' })]);
    const token = jws({ alg: 'RS256', kid: 'r1' }, claims(), rsaSign(rsa.privateKey));
    await Promise.all(Array.from({ length: 5 }, () => verifier.verify(token)));
    expect(fetches).toHaveLength(1);
  });

  it('reports an unreachable identity provider as unavailable and retries after 5 s', async () => {
    const { verifier, fetches, advance, failFetches } = setup([jwk(rsa.publicKey, { kid: 'r1' })]);
    const token = jws({ alg: 'RS256', kid: 'r1' }, claims(), rsaSign(rsa.privateKey));
    failFetches(true);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(JwksUnavailableError);
    advance(1000);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(JwksUnavailableError);
    expect(fetches).toHaveLength(1);
    failFetches(false);
    advance(5000);
    await expect(verifier.verify(token)).resolves.toBeDefined();
    expect(fetches).toHaveLength(2);
  });
});
