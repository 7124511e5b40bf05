import { SpecError } from '../constructs/model/errors';

/** Runs an entry point: configuration errors print their message (no stack trace) and exit 1. */
export function runMain(main: () => void): void {
  try {
    main();
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
