/**
 * `verify`: read-only check of live tenants. For each tenant: which rollout stage the live tenant is in and
 * the next step; the Okta app (username format included), whether provisioning is on and the "To App"
 * switches (from the app's features), the provisioning connection on the API path, group assignments, push
 * mappings and the profile mapping of what Dynatrace requires, compared with the model;
 * for stage-2 tenants whose pushed groups carry policies, the Dynatrace groups (owner SCIM) and their
 * bindings; then proof that the Dynatrace SCIM token is accepted (`GET /Users?count=1`). Findings about
 * objects of the plan name them as the chosen engine does. Never prints a secret.
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
import { credentialTarget } from '../../constructs/model/resolve';
import { SpecError } from '../../constructs/model/errors';
import type { ResolvedTenant } from '../../constructs/model/tenant';
import type { Engine } from '../../constructs/resources/names';
import { compareOkta } from '../../operations/verify/compare';
import { probeScim, scimTokenFromEnv } from '../../operations/verify/dynatrace-probe';
import { countFindings, renderHuman, renderJson, type TenantReport, tenantReport, useColour, verifyReport } from '../../operations/verify/report';
import type { Finding } from '../../operations/verify/findings';
import { credentialSecrets, oktaCredentialFromEnv, oktaSessions } from '../../operations/verify/okta-auth';
import { type Clock, DEFAULT_POLICY, type HttpPolicy, OktaClient, oktaOrgUrl, withConnectionPool } from '../../operations/verify/okta-client';
import { MAX_TIMEOUT_MS } from '../../operations/verify/timeouts';
import { comparePermissions } from '../../operations/verify/permissions';
import { type LiveStage, stageReport } from '../../operations/verify/stage';
import { chooseEngine, defaultEngine, ONE_ENGINE } from './engine';
import { problemsText } from './output';
import { selectTenants } from './tenants';

export interface VerifyOptions {
  tenantsFile: string;
  /** Only these tenants (a name, or several, as `--tenant` repeated gives them). @default every tenant in the file */
  tenant?: string | readonly string[];
  json: boolean;
  /** Per HTTP request. @default 15000 */
  timeoutMs?: number;
  /** Replaces `https://<orgName>.<baseDomain>` for every tenant (tests; an egress proxy). */
  oktaBaseUrl?: string;
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
  /** Replaces every tenant's SCIM base URL for the credential probe only (tests; a proxy). Drift is still judged against the model's URL. */
  scimBaseUrl?: string;
  /** Replace Dynatrace's Account Management API and SSO token endpoint (tests; a proxy). */
  dynatraceApiUrl?: string;
  dynatraceTokenUrl?: string;
  /** Retry policy and clock; tests inject a clock that does not sleep. */
  retry?: { maxAttempts?: number; maxWaitMs?: number; clock?: Clock };
  /**
   * Probe the Dynatrace SCIM token. The nightly drift check runs read-only and holds no SCIM token (a
   * write credential): it passes false, and the report notes the token as not checked. @default true
   */
  scimProbe?: boolean;
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
  if (options.timeoutMs !== undefined && !(Number.isInteger(options.timeoutMs) && options.timeoutMs >= 1 && options.timeoutMs <= MAX_TIMEOUT_MS)) {
    return usage(`verify: --timeout must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, e.g. --timeout 30000`);
  }
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

  const secrets = new Set<string>();
  // The pool is closed before the report is written: nothing is left to keep the process alive after it.
  const reports = await withConnectionPool(policy, async (pooled) => {
    // Tenants that share an org and a service app share its access token.
    const sessions = oktaSessions({ policy: pooled, onSecret: (value) => secrets.add(value) });
    const done: TenantReport[] = [];
    for (const tenant of tenants) done.push(await verifyTenant(tenant, { ...options, engine, strict }, env, pooled, secrets, sessions));
    return done;
  });
  const report = verifyReport(reports, strict, engine);

  const text = options.json ? renderJson(report) : renderHuman(report, { colour: useColour(stdout as { isTTY?: boolean }, env) });
  // Last line of defence: no known secret value leaves this command, whatever a message may have quoted.
  stdout.write(redactSecrets(text, secretVariants(secrets)));
  return report.exitCode;
}

async function verifyTenant(
  tenant: ResolvedTenant,
  options: Omit<VerifyOptions, 'engine'> & { engine: Engine; strict: boolean },
  env: NodeJS.ProcessEnv,
  policy: HttpPolicy,
  secrets: Set<string>,
  sessions: ReturnType<typeof oktaSessions>,
): Promise<TenantReport> {
  const findings: Finding[] = [];
  const notes: string[] = [];
  const warnings: string[] = [];
  let appId: string | undefined;
  let live: LiveStage = 'unknown';

  // Okta.
  const okta = oktaCredentialFromEnv(tenant.okta, env);
  if ('credential' in okta) {
    for (const secret of credentialSecrets(okta.credential)) secrets.add(secret);
    const baseUrl = options.oktaBaseUrl ?? oktaOrgUrl(tenant.okta);
    const client = new OktaClient({ baseUrl, session: sessions.for(okta.credential, baseUrl) });
    const result = await compareOkta(tenant, client, options.engine);
    appId = result.appId;
    live = result.live;
    findings.push(...result.findings);
    notes.push(...result.notes);
  } else {
    findings.push({ area: 'okta', field: 'credentials', expected: okta.expected, actual: okta.problem, status: 'error', hint: okta.hint });
  }

  // Dynatrace permissions of the pushed groups (only when the plan binds policies).
  findings.push(
    ...(await comparePermissions(tenant, {
      env,
      policy,
      engine: options.engine,
      ...(options.dynatraceApiUrl ? { apiUrl: options.dynatraceApiUrl } : {}),
      ...(options.dynatraceTokenUrl ? { tokenUrl: options.dynatraceTokenUrl } : {}),
      secret: (value) => secrets.add(value),
    })),
  );

  // Dynatrace SCIM.
  const token = options.scimProbe === false ? undefined : scimTokenFromEnv(tenant.integration.scimToken, env);
  if (!token) {
    notes.push('the SCIM token was not probed: this check runs with read-only credentials, and the token is a write credential (run verify with the token to check it)');
  } else if ('token' in token) {
    secrets.add(token.token);
    const probe = await probeScim({
      target: credentialTarget(tenant.integration.app),
      setup: tenant.integration.provisioning.setup,
      scimBaseUrl: options.scimBaseUrl ?? tenant.integration.scimBaseUrl,
      rawToken: token.token,
      tokenSource: token.source,
      policy,
    });
    findings.push(...probe.findings);
    warnings.push(...probe.warnings);
  } else {
    findings.push({ area: 'credential', field: 'scim token accepted', expected: 'the SCIM token in the environment', actual: `could not check: ${token.problem}`, status: 'error', hint: token.hint });
  }

  const counts = countFindings(findings);
  const stage = stageReport(tenant, live, { drift: counts.drift > 0, unknown: counts.unknown > 0 });
  return tenantReport({ tenant: tenant.name, okta: `${tenant.okta.orgName}.${tenant.okta.baseDomain}`, ...(appId ? { appId } : {}), stage, findings, notes, warnings }, options.strict);
}
