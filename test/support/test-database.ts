import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrate, migrateAndGrant } from '../../libs/platform/src/database/data-source';
import { prepareEmbeddedRoles } from '../../libs/platform/src/database/embedded-postgres';
import { APP_SCHEMA } from '../../libs/bootstrap/src/schema';

export interface TestDatabase {
  /** What the code under test connects with: the server's admin, or the app role (see below). */
  readonly url: string;
  readonly name: string;
  /** The server's administrator (a superuser) on this database: for tampering and inspection. */
  readonly adminUrl: string;
  /** With `role: 'app'`: the schema owner's URL (it ran the migrations); else adminUrl. */
  readonly ownerUrl: string;
  /** With `role: 'app'`: the restricted role `url` logs in as (ADR 0009); else null. */
  readonly appRole: string | null;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run through jest (test/support/global-setup.js)');
  return url;
}

/**
 * A fresh, migrated database on the test server, for one test file. `role: 'app'` (the default
 * when TEST_DATABASE_ROLE=app) sets it up as an embedded start does (ADR 0009): two roles of its own
 * (`<name>_owner` runs the migrations, `<name>_app` gets least privilege), and `url` logs in as the
 * app role; both roles are dropped with the database.
 */
export async function createTestDatabase(
  options: { migrate?: boolean; role?: 'admin' | 'app' } = {},
): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const role = options.role ?? (process.env.TEST_DATABASE_ROLE === 'app' ? 'app' : 'admin');
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const dbAdminUrl = url.toString();
  const drop = async () => {
    const c = new Client({ connectionString: adminUrl() });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    if (role === 'app') {
      await c.query(`DROP ROLE IF EXISTS ${name}_app`);
      await c.query(`DROP ROLE IF EXISTS ${name}_owner`);
    }
    await c.end();
  };
  if (role === 'admin') {
    if (options.migrate !== false) await migrate(dbAdminUrl, APP_SCHEMA);
    return { url: dbAdminUrl, name, adminUrl: dbAdminUrl, ownerUrl: dbAdminUrl, appRole: null, drop };
  }
  const password = 'test-role';
  await prepareEmbeddedRoles(dbAdminUrl, {
    owner: `${name}_owner`,
    ownerPassword: password,
    app: `${name}_app`,
    appPassword: password,
  });
  const as = (user: string) => {
    const u = new URL(dbAdminUrl);
    u.username = user;
    u.password = password;
    return u.toString();
  };
  const ownerUrl = as(`${name}_owner`);
  const appUrl = as(`${name}_app`);
  if (options.migrate !== false) await migrateAndGrant(ownerUrl, appUrl, APP_SCHEMA);
  return { url: appUrl, name, adminUrl: dbAdminUrl, ownerUrl, appRole: `${name}_app`, drop };
}
