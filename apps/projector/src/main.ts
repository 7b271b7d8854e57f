import { runMain } from '../../../libs/bootstrap/src/main-runner';

// projector: see README.md § Architecture.
runMain('projector').catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
