/**
 * Both engines capture and format a stack trace for every token (cdktf), promise and resource (Pulumi)
 * they create, for debugging output that a successful synth never shows: at 2000 tenants that is
 * seconds of work. These helpers make such captures cheap; `--debug` keeps the full traces.
 */

/** `Error.prepareStackTrace` that formats no frames: `TypeError: message`, as `String(error)` would. */
export function framelessStack(error: unknown): string {
  return error instanceof Error ? Error.prototype.toString.call(error) : '';
}

/**
 * Runs `work` with stack traces formatted without frames. V8 formats an error's trace when `.stack` is
 * first read, so an error thrown by `work` and read afterwards still has all its frames.
 */
export function withoutStackFrames<T>(work: () => T): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = framelessStack;
  try {
    return work();
  } finally {
    Error.prepareStackTrace = previous;
  }
}
