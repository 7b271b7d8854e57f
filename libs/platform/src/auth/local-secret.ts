import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signHs256 } from './jwt';

export const LOCAL_SECRET_FILE = 'auth-secret';
export const LOCAL_ADMIN_SUB = 'local-admin';
export const LOCAL_ADMIN_TOKEN_DAYS = 30;

/**
 * The HS256 secret of an embedded start without AUTH_JWT_SECRET: made at first start (32 random
 * bytes, base64url) and kept in `dataDir/auth-secret` (mode 0600), reused on later starts.
 */
export function loadOrCreateLocalSecret(dataDir: string): { secret: string; file: string; created: boolean } {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCAL_SECRET_FILE);
  let created = false;
  if (!existsSync(file)) {
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
      created = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${file} holds no usable secret: delete it to have a new one made`);
  return { secret, file, created };
}

/** A token for the local administrator: sub `local-admin`, roles `['admin']`, valid 30 days. */
export function mintLocalAdminToken(secret: string, nowSeconds = Math.floor(Date.now() / 1000)): string {
  return signHs256(
    { sub: LOCAL_ADMIN_SUB, roles: ['admin'], iat: nowSeconds, exp: nowSeconds + LOCAL_ADMIN_TOKEN_DAYS * 86_400 },
    secret,
  );
}
