import { runMain } from '../../../libs/bootstrap/src/main-runner';

// api: see README.md § Architecture.
runMain('api').catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
