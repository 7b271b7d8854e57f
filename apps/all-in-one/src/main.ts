import { runMain } from '../../../libs/bootstrap/src/main-runner';

// all-in-one: see README.md § Architecture.
runMain('all').catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
