/**
 * `--timeout`, for every command that takes it (verify, discover): one bound and one message. Checked by
 * the command, not by commander, so a bad value is answered as the command answers usage errors (verify
 * and discover also in their `--json` output).
 */
import { MAX_TIMEOUT_MS } from '../../operations/verify/timeouts';

/** What is wrong with `--timeout`'s value (commander's `Number` of it: `abc` is NaN, `0` stays 0), or `undefined` when it is fine or not given. */
export function timeoutProblem(timeoutMs: number | undefined): string | undefined {
  if (timeoutMs === undefined || (Number.isInteger(timeoutMs) && timeoutMs >= 1 && timeoutMs <= MAX_TIMEOUT_MS)) return undefined;
  return `--timeout must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, e.g. --timeout 30000`;
}
