const { rmSync } = require('node:fs');

module.exports = async function globalTeardown() {
  const handle = globalThis.__EMBEDDED_TEST_PG__;
  if (!handle) return;
  await handle.pg.stop();
  rmSync(handle.dir, { recursive: true, force: true });
};
