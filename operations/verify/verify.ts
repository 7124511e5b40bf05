/**
 * Verify, as an operation: the live setup of each tenant compared with the model — which rollout stage the
 * live tenant is in and the next step; the Okta app (username format included), whether provisioning is on
 * and the "To App" switches (from the app's features), the provisioning connection on the API path, group
 * assignments, push mappings and the profile mapping of what Dynatrace requires; for stage-2 tenants whose
 * pushed groups carry policies, the Dynatrace groups (owner SCIM) and their bindings; then proof that the
 * Dynatrace SCIM token is accepted (`GET /Users?count=1`). Findings about objects of the plan name them as
 * the chosen engine does.
 *
 * The report it returns holds no known secret: every string in it went through the redaction of the
 * values read on the way (the credentials, assertions, tokens), which it also returns, so that whoever
 * prints or stores the report can redact its own text as well.
 *
 * Loads no IaC engine: only the model, the neutral plan and undici (and `jose`, once a private-key tenant signs in).
 */
import { redactSecrets, secretVariants } from '../ci/redact';
import { mapStrings } from '../map-strings';
import { credentialTarget, usesApiPath } from '../../constructs/model/resolve';
import type { ResolvedTenant } from '../../constructs/model/tenant';
import type { Engine } from '../../constructs/resources/names';
import { compareOkta } from './compare';
import { probeScim, scimTokenFromEnv } from './dynatrace-probe';
import { countFindings, type TenantReport, tenantReport, type VerifyReport, verifyReport } from './report';
import type { Finding } from './findings';
import { credentialSecrets, oktaCredentialFromEnv, oktaSessions } from './okta-auth';
import { type HttpPolicy, OktaClient, oktaOrgUrl, withConnectionPool } from './okta-client';
import { comparePermissions } from './permissions';
import { type LiveStage, stageReport } from './stage';

export interface VerifySettings {
  /** Name plan objects as `terraform plan` or `pulumi preview` does. */
  readonly engine: Engine;
  /** Treat UNKNOWN fields (not readable through the public APIs) as "could not check" (exit 2). */
  readonly strict: boolean;
  /** Where the credentials are read from: the variables the tenants file names. */
  readonly env: NodeJS.ProcessEnv;
  /** Timeouts, retries and the clock of every HTTP request. */
  readonly policy: HttpPolicy;
  /** Replaces `https://<orgName>.<baseDomain>` for every tenant (tests; an egress proxy). */
  readonly oktaBaseUrl?: string;
  /** Replaces every tenant's SCIM base URL for the credential probe only (tests; a proxy). Drift is still judged against the model's URL. */
  readonly scimBaseUrl?: string;
  /** Replace Dynatrace's Account Management API and SSO token endpoint (tests; a proxy). */
  readonly dynatraceApiUrl?: string;
  readonly dynatraceTokenUrl?: string;
  /**
   * Probe the Dynatrace SCIM token. The nightly drift check runs read-only and holds no SCIM token (a
   * write credential): it passes false, and the report notes the token as not checked. @default true
   */
  readonly scimProbe?: boolean;
}

export interface VerifyOutput {
  /** Redacted of every secret value read on the way. */
  readonly report: VerifyReport;
  /** Those values, for the caller's own redaction of what it writes around the report. */
  readonly secrets: ReadonlySet<string>;
}

export async function verifyTenants(tenants: readonly ResolvedTenant[], settings: VerifySettings): Promise<VerifyOutput> {
  const secrets = new Set<string>();
  // The pool is closed before the report is returned: nothing is left to keep the process alive after it.
  const reports = await withConnectionPool(settings.policy, async (policy) => {
    // Tenants that share an org and a service app share its access token.
    const sessions = oktaSessions({ policy, onSecret: (value) => secrets.add(value) });
    const done: TenantReport[] = [];
    for (const tenant of tenants) done.push(await verifyTenant(tenant, { ...settings, policy }, secrets, sessions));
    return done;
  });
  const variants = secretVariants(secrets);
  return { report: mapStrings(verifyReport(reports, settings.strict, settings.engine), (text) => redactSecrets(text, variants)), secrets };
}

async function verifyTenant(tenant: ResolvedTenant, settings: VerifySettings, secrets: Set<string>, sessions: ReturnType<typeof oktaSessions>): Promise<TenantReport> {
  const { env, policy } = settings;
  const findings: Finding[] = [];
  const notes: string[] = [];
  const warnings: string[] = [];
  let appId: string | undefined;
  let live: LiveStage = 'unknown';

  // Okta.
  const okta = oktaCredentialFromEnv(tenant.okta, env);
  if ('credential' in okta) {
    for (const secret of credentialSecrets(okta.credential)) secrets.add(secret);
    const baseUrl = settings.oktaBaseUrl ?? oktaOrgUrl(tenant.okta);
    const client = new OktaClient({ baseUrl, session: sessions.for(okta.credential, baseUrl) });
    const result = await compareOkta(tenant, client, settings.engine);
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
      engine: settings.engine,
      ...(settings.dynatraceApiUrl ? { apiUrl: settings.dynatraceApiUrl } : {}),
      ...(settings.dynatraceTokenUrl ? { tokenUrl: settings.dynatraceTokenUrl } : {}),
      secret: (value) => secrets.add(value),
    })),
  );

  // Dynatrace SCIM.
  const token = settings.scimProbe === false ? undefined : scimTokenFromEnv(tenant.integration.scimToken, env);
  if (!token) {
    notes.push('the SCIM token was not probed: this check runs with read-only credentials, and the token is a write credential (run verify with the token to check it)');
  } else if ('token' in token) {
    secrets.add(token.token);
    const probe = await probeScim({
      target: credentialTarget(tenant.integration.app),
      apiPath: usesApiPath(tenant.integration),
      scimBaseUrl: settings.scimBaseUrl ?? tenant.integration.scimBaseUrl,
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
  return tenantReport({ tenant: tenant.name, okta: `${tenant.okta.orgName}.${tenant.okta.baseDomain}`, ...(appId ? { appId } : {}), stage, findings, notes, warnings }, settings.strict);
}
