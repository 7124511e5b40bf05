import { EXIT } from '../operations/exit-codes';
import { SpecError } from '../constructs';

/**
 * Runs an engine entry point (`cdktf.json` app): configuration errors print their message (no stack
 * trace; the first problems, and where to see the rest) and exit 64, as the CLI does (README, "Exit codes").
 */
export function runMain(main: () => void): void {
  try {
    main();
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    process.stderr.write(`${error.format({ more: '`npx okta-dynatrace-scim validate --all-problems` lists every one' })}\n`);
    process.exitCode = EXIT.usage;
  }
}
