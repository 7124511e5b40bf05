import { EXIT } from '../operations/exit-codes';
import { SpecError } from '../constructs';

/**
 * Runs an engine entry point (`cdktf.json` app): configuration errors print their message (no stack
 * trace) and exit 64, as the CLI does (README, "Exit codes").
 */
export function runMain(main: () => void): void {
  try {
    main();
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = EXIT.usage;
  }
}
