/**
 * No credential is written in the code: a scan of apps/, libs/ and tools/ (sources, not tests:
 * the fixed secrets of *.spec.ts and of test/ are test fixtures) for literals that look like
 * credentials. It fails on any finding not in ALLOWED, and on an ALLOWED entry that no longer
 * matches (so the list cannot rot). The planted-literal tests prove each rule finds what it should.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');
const SCANNED = ['apps', 'libs', 'tools'];
const SOURCE = /\.(ts|tsx|js|mjs|cjs|json|ya?ml|html|env|sh)$/;
const TEST_FILE = /\.(spec|int-spec|e2e-spec|faults-spec)\.ts$/;

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly text: string;
}

/** file: the literal it holds, and why it is not a credential. */
const ALLOWED: ReadonlyArray<{ file: string; text: string; why: string }> = [
  {
    file: 'libs/webhooks/src/subscriptions/webhook-subscription.response.dto.ts',
    text: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    why: 'the OpenAPI example: the sample secret of the Standard Webhooks documentation',
  },
  {
    file: 'libs/webhooks/src/subscriptions/create-subscription/create-subscription.request.dto.ts',
    text: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    why: 'the OpenAPI example: the sample secret of the Standard Webhooks documentation',
  },
  {
    file: 'libs/eventstore-esdb/src/esdb-event-store.ts',
    text: 'esdb://admin:changeit@',
    why: "a doc comment's example connection string, with EventStoreDB's documented default login",
  },
];

const NAME = String.raw`[A-Za-z0-9_]*(?:secret|password|passwd|pwd|apikey|api_key|token|private_?key|credentials?)`;
const RULES: ReadonlyArray<{ rule: string; pattern: RegExp; value?: (m: RegExpExecArray) => string }> = [
  {
    // `secret = '…'`, `password: "…"`, `adminToken = \`…\``: a literal of 8+ characters, no blanks,
    // not an interpolation and not an environment variable's name.
    rule: 'credential-named literal',
    pattern: new RegExp(String.raw`\b${NAME}\b['"]?\s*[:=]\s*(['"\`])([^'"\`\s]{8,})\1`, 'gi'),
    value: (m) => m[2]!,
  },
  {
    // `env.AUTH_JWT_SECRET ?? 'dev-secret'`, `process.env.DB_PASSWORD || "postgres"`: a default.
    rule: 'credential default',
    pattern: new RegExp(String.raw`\b${NAME}\b[^\n;]*?(?:\?\?|\|\|)\s*(['"\`])([^'"\`\s]{4,})\1`, 'gi'),
    value: (m) => m[2]!,
  },
  {
    rule: 'password in a URL',
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/'"`]+:(?!\$\{)([^\s@/'"`]+)@/gi,
    value: (m) => m[1]!,
  },
  { rule: 'private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/g },
  { rule: 'signed JWT', pattern: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g },
  { rule: 'webhook secret', pattern: /whsec_[A-Za-z0-9+/=]{16,}/g },
  {
    rule: 'cloud or SaaS key',
    pattern:
      /\b(?:AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|sk_live_[A-Za-z0-9]{16,}|xox[abprs]-[A-Za-z0-9-]{10,})\b/g,
  },
];

/** Not credentials although credential-named: env var names, placeholders, file names. */
function harmless(value: string): boolean {
  return (
    /^[A-Z][A-Z0-9_]*$/.test(value) || // an environment variable's name
    /^<[^>]*>$/.test(value) || // a placeholder
    /^\$\{/.test(value) || // an interpolation
    /^[\w-]+\.(ts|js|json|txt|pem)$/.test(value) // a file name
  );
}

export function scanText(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  for (const { rule, pattern, value } of RULES) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      if (value && harmless(value(m))) continue;
      findings.push({ file, line: text.slice(0, m.index).split('\n').length, rule, text: m[0] });
    }
  }
  return findings;
}

export function scanTree(root: string, dirs: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (SOURCE.test(entry.name) && !TEST_FILE.test(entry.name)) {
        findings.push(...scanText(relative(root, path), readFileSync(path, 'utf8')));
      }
    }
  };
  for (const dir of dirs) walk(join(root, dir));
  return findings;
}

const allowed = (f: Finding) => ALLOWED.some((a) => a.file === f.file && f.text.includes(a.text));

describe('no hard-coded credentials in apps/, libs/ and tools/', () => {
  const findings = scanTree(ROOT, SCANNED);

  it('given the sources, when scanned, then no credential-looking literal is found (beyond the allow-list)', () => {
    expect(findings.filter((f) => !allowed(f))).toEqual([]);
  });

  it('every allow-list entry still matches a finding (a stale entry fails)', () => {
    for (const a of ALLOWED) {
      expect([a.file, findings.some((f) => f.file === a.file && f.text.includes(a.text))]).toEqual([a.file, true]);
    }
  });

  it('the scan did read the tree (hundreds of files, the settings among them)', () => {
    expect(scanTree(ROOT, ['libs/platform/src/config'])).toEqual([]);
    let files = 0;
    const count = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) count(join(dir, e.name));
        else if (SOURCE.test(e.name)) files++;
      }
    };
    count(join(ROOT, 'libs'));
    expect(files).toBeGreaterThan(100);
  });
});

describe('docker-compose.yml takes its secrets from the environment', () => {
  /** `${NAME:-default}` / `${NAME-default}` for a secret-named variable: a secret with a default. */
  const secretDefaults = (text: string) =>
    [...text.matchAll(/\$\{([A-Z0-9_]*(?:PASSWORD|SECRET|TOKEN|KEY)[A-Z0-9_]*):?-[^}]*\}/g)].map((m) => m[0]);

  it('given the compose file, then no secret variable has a default (each is required with :?)', () => {
    const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    expect(secretDefaults(compose)).toEqual([]);
    expect(compose).toMatch(/\$\{POSTGRES_PASSWORD:\?/);
    expect(compose).toMatch(/\$\{AUTH_JWT_SECRET:\?/);
  });

  it('the check finds a planted default', () => {
    expect(secretDefaults('x: ${POSTGRES_PASSWORD:-commissions} y: ${REPLICATION_PASSWORD-r} z: ${PORT:-1}')).toEqual([
      '${POSTGRES_PASSWORD:-commissions}',
      '${REPLICATION_PASSWORD-r}',
    ]);
  });
});

describe('the scanner finds planted literals', () => {
  const jwt =
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIiwicm9sZXMiOlsiYWRtaW4iXX0.' + 'c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU';
  it.each<[string, string]>([
    ['a JWT secret default', `const secret = env.AUTH_JWT_SECRET ?? 'dev-secret-123456';`],
    ['a password property', `{ user: 'app', password: "hunter2hunter2" }`],
    ['a database URL with its password', 'const url = `postgres://app:s3cretpw@db:5432/x`;'],
    ['a token constant', `export const ADMIN_TOKEN = '${jwt}';`],
    ['a signed JWT anywhere', `headers: { authorization: 'Bearer ${jwt}' }`],
    ['a webhook secret', `subscribe({ url, secret: process.env.X || 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0' })`],
    ['a private key', `const key = \`-----BEGIN RSA PRIVATE KEY-----\nMIIE...\`;`],
    ['an AWS key', `const id = 'AKIAABCDEFGHIJKLMNOP';`],
    ['an api key', `apiKey: 'abcd1234efgh5678'`],
  ])('%s', (_name, source) => {
    expect(scanText('planted.ts', source)).not.toEqual([]);
  });

  it.each<[string, string]>([
    ['a read from the environment', 'const secret = env.AUTH_JWT_SECRET;'],
    [
      'an environment variable name',
      `throw new Error('set AUTH_JWT_SECRET'); const name = { secret: 'AUTH_JWT_SECRET' };`,
    ],
    ['a generated secret', `const secret = randomBytes(32).toString('base64url');`],
    ['an interpolated URL', 'const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1/x`;'],
    ['a description', `description: 'HS256 secret for bearer tokens'`],
    ['a file name', `const SECRET_FILE = 'auth-secret'; const secretFile = 'auth-secret.txt';`],
  ])('but not %s', (_name, source) => {
    expect(scanText('fine.ts', source)).toEqual([]);
  });

  it('and a file planted in a scanned tree fails the tree scan', () => {
    const root = mkdtempSync(join(tmpdir(), 'secret-scan-'));
    try {
      mkdirSync(join(root, 'libs', 'x'), { recursive: true });
      writeFileSync(join(root, 'libs', 'x', 'clean.ts'), 'export const secret = process.env.S;\n');
      expect(scanTree(root, ['libs'])).toEqual([]);
      writeFileSync(join(root, 'libs', 'x', 'config.ts'), "\nexport const jwtSecret = 'change-me-in-production';\n");
      writeFileSync(join(root, 'libs', 'x', 'config.spec.ts'), "const secret = 'a-test-fixture-secret';\n");
      expect(scanTree(root, ['libs'])).toEqual([
        expect.objectContaining({ file: join('libs', 'x', 'config.ts'), line: 2, rule: 'credential-named literal' }),
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
