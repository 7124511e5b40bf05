/**
 * `verify`: read-only check of live tenants (operations/verify/verify.ts), printed as a table or JSON.
 * Never prints a secret: the report comes redacted, and the command redacts everything it writes once more.
 *
 * Exit codes ({@link EXIT}): 0 in sync · 1 drift found · 2 could not check (credentials, network,
 * rate limit, unexpected answer; and UNKNOWN fields with `strict`) · 64 usage or configuration error.
 * Fields the public APIs do not expose are reported as `unknown` with the manual check; on their own they
 * exit 0 with a warning line, unless `strict`.
 *
 * Loads no IaC engine: only the model, the neutral plan and undici (and `jose`, once a private-key tenant signs in).
 */
import { EXIT } from '../../operations/exit-codes';
import { redactSecrets, secretVariants } from '../../operations/ci/redact';
import { SpecError } from '../../constructs/model/errors';
import type { ResolvedTenant } from '../../constructs/model/tenant';
import type { Engine } from '../../constructs/resources/names';
import { renderHuman, renderJson, useColour } from '../../operations/verify/report';
import { type Clock, DEFAULT_POLICY, type HttpPolicy } from '../../operations/verify/okta-client';
import { type VerifySettings, verifyTenants } from '../../operations/verify/verify';
import { chooseEngine, defaultEngine, ONE_ENGINE } from './engine';
import { problemsText } from './output';
import { selectTenants } from './tenants';
import { timeoutProblem } from './timeout';

/** The command's options; the URL overrides and `scimProbe` are the operation's own ({@link VerifySettings}). */
export interface VerifyOptions extends Pick<VerifySettings, 'oktaBaseUrl' | 'scimBaseUrl' | 'dynatraceApiUrl' | 'dynatraceTokenUrl' | 'scimProbe'> {
  tenantsFile: string;
  /** Only these tenants (a name, or several, as `--tenant` repeated gives them). @default every tenant in the file */
  tenant?: string | readonly string[];
  json: boolean;
  /** Per HTTP request. @default 15000 */
  timeoutMs?: number;
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
  /** @default process.stdout */
  stdout?: NodeJS.WritableStream;
  /** Where usage/configuration errors go. @default process.stderr */
  stderr?: NodeJS.WritableStream;
  /** List every problem of invalid input, not only the first ones (`--all-problems`). @default false */
  allProblems?: boolean;
  /** Treat UNKNOWN fields (not readable through the public APIs) as "could not check" (exit 2). @default false */
  strict?: boolean;
  /** Name plan objects as `terraform plan` or `pulumi preview` does: `terraform` or `pulumi` (checked). @default `OKTA_SCIM_ENGINE`, else terraform */
  engine?: string;
  /** Whether `engine` is what the user gave (`--engine`), not the default the CLI filled in: errors name the source. @default true when `engine` is set */
  engineGiven?: boolean;
  /** Retry policy and clock; tests inject a clock that does not sleep. */
  retry?: { maxAttempts?: number; maxWaitMs?: number; clock?: Clock };
}

export async function runVerify(options: VerifyOptions): Promise<number> {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const strict = Boolean(options.strict);

  const usage = (message: string): number => {
    stderr.write(`${message}\n`);
    if (options.json) stdout.write(`${JSON.stringify({ result: 'usage-error', exitCode: EXIT.usage, error: message }, null, 2)}\n`);
    return EXIT.usage;
  };
  const timeoutError = timeoutProblem(options.timeoutMs);
  if (timeoutError) return usage(`verify: ${timeoutError}`);
  const urls = [
    ['oktaBaseUrl', options.oktaBaseUrl],
    ['scimBaseUrl', options.scimBaseUrl],
    ['dynatraceApiUrl', options.dynatraceApiUrl],
    ['dynatraceTokenUrl', options.dynatraceTokenUrl],
  ] as const;
  for (const [name, value] of urls) {
    if (value !== undefined && !/^https?:\/\/[^\s/]+/.test(value)) return usage(`verify: ${name} must be an http(s) URL`);
  }

  let engine: Engine;
  let tenants: ResolvedTenant[];
  try {
    engine = chooseEngine(options.engine ?? defaultEngine(env), options.engine !== undefined && options.engineGiven !== false, ONE_ENGINE);
    tenants = selectTenants(options.tenantsFile, typeof options.tenant === 'string' ? [options.tenant] : (options.tenant ?? []));
  } catch (error) {
    if (error instanceof SpecError) return usage(problemsText(error, Boolean(options.allProblems)));
    throw error;
  }

  const policy: HttpPolicy = {
    timeoutMs: options.timeoutMs ?? DEFAULT_POLICY.timeoutMs,
    maxAttempts: options.retry?.maxAttempts ?? DEFAULT_POLICY.maxAttempts,
    maxWaitMs: options.retry?.maxWaitMs ?? DEFAULT_POLICY.maxWaitMs,
    clock: options.retry?.clock ?? DEFAULT_POLICY.clock,
  };

  const { report, secrets } = await verifyTenants(tenants, {
    engine,
    strict,
    env,
    policy,
    ...(options.oktaBaseUrl ? { oktaBaseUrl: options.oktaBaseUrl } : {}),
    ...(options.scimBaseUrl ? { scimBaseUrl: options.scimBaseUrl } : {}),
    ...(options.dynatraceApiUrl ? { dynatraceApiUrl: options.dynatraceApiUrl } : {}),
    ...(options.dynatraceTokenUrl ? { dynatraceTokenUrl: options.dynatraceTokenUrl } : {}),
    ...(options.scimProbe === false ? { scimProbe: false } : {}),
  });
  const text = options.json ? renderJson(report) : renderHuman(report, { colour: useColour(stdout as { isTTY?: boolean }, env) });
  // Last line of defence: no known secret value leaves this command, whatever a message may have quoted.
  stdout.write(redactSecrets(text, secretVariants(secrets)));
  return report.exitCode;
}
