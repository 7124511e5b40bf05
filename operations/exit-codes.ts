/**
 * Process exit codes: the same for every command of the CLI, and the `exitCode` of verify's JSON report.
 * 64 and 70 are EX_USAGE and EX_SOFTWARE of sysexits(3). Users read them in one table, in the README
 * ("Exit codes") and at the end of `okta-dynatrace-scim --help`; a test keeps the two equal to this.
 */
export const EXIT = {
  /** Success; verify: in sync. */
  ok: 0,
  /** Differences found: drift (verify, `batch drift`); `stacks --check`, `workflows --check` found files out of date. */
  differences: 1,
  /** Could not check, read or finish: credentials, network, timeout, rate limit, an unexpected answer (verify, discover, batch); GitHub refused (pr-comment, drift-issues). */
  couldNotCheck: 2,
  /** review found a dangerous change. */
  dangerous: 3,
  /** Invalid input or usage: bad or missing tenants file, unknown tenant, bad option value, usage error; discover: no Dynatrace integration in the org, or several without `--app`. */
  usage: 64,
  /** Unexpected error, i.e. a bug: `--debug` prints the stack trace. */
  unexpected: 70,
  /** Output closed early (`| head`): the command stops silently. 128 + SIGPIPE, as shells report it. */
  brokenPipe: 141,
} as const;
