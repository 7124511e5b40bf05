/**
 * Read-only proof that Dynatrace SCIM accepts the tenant's token: `GET <scimBaseUrl>/Users?count=1` (the
 * RFC 7644 list call; Dynatrace documents no `/ServiceProviderConfig`) with the `Authorization` header Okta
 * would send, i.e. the value computed by the project's credential rule ({@link credentialValue}):
 * - Header Auth app: Okta sends the stored value verbatim, and the rule stores `Bearer <token>`;
 * - OAuth Bearer Token app: the rule stores the raw token and Okta prepends `Bearer `.
 * Both end up as `Authorization: Bearer <token>`, which is what Dynatrace accepts.
 *
 * The classic mistake (a Header Auth app holding the raw token, without `Bearer `) cannot be read back:
 * Okta never returns the token. So when the token source itself holds a raw token, the probe also sends it
 * verbatim, as a hand-configured Header Auth app would; if Dynatrace rejects that, the report says so.
 *
 * The token never appears in a finding, a warning or an error: messages name the environment variable.
 */
import { type CredentialTarget, credentialValue, hasBearerScheme } from '../../constructs/model/credential';
import { SpecError } from '../../constructs/model/errors';
import type { SecretSource } from '../../constructs/model/spec';
import type { Finding } from './findings';
import { httpGet, HttpError, type HttpPolicy } from './okta-client';

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export const RAW_TOKEN_WARNING =
  "the token source holds a raw token; Okta Header Auth needs 'Bearer <token>' — this tool adds it, but a hand-configured app would not";

export type ScimTokenResult = { readonly token: string; readonly source: string } | { readonly problem: string; readonly hint: string };

/** Reads the SCIM token from the environment variable the tenant names (`integration.scimToken.env`). */
export function scimTokenFromEnv(source: SecretSource, env: NodeJS.ProcessEnv): ScimTokenResult {
  if (!source.env) {
    return {
      problem: `the SCIM token source names only a Pulumi secret (${source.pulumiConfig ?? '?'}); verify reads environment variables`,
      hint: `add \`env: <VARIABLE>\` to integration.scimToken and export it, e.g. ${'`'}export X=$(pulumi config get ${source.pulumiConfig ?? 'dynatraceScimToken'} --stack <tenant>)${'`'} with X as that variable`,
    };
  }
  const token = env[source.env];
  if (!token || token.trim().length === 0) {
    return { problem: `$${source.env} is not set`, hint: `export ${source.env} with the tenant's Dynatrace SCIM token (the one its app's provisioning settings hold)` };
  }
  return { token, source: source.env };
}

export interface ProbeOptions {
  /** The Okta field the token goes into (see the credential rule). */
  readonly target: CredentialTarget;
  /** The API path: the stacks stored the token in the app (else an admin pasted it in the console step). */
  readonly apiPath: boolean;
  readonly scimBaseUrl: string;
  /** The token exactly as its source holds it (possibly with `Bearer `). */
  readonly rawToken: string;
  /** Name of the environment variable it came from, for messages. */
  readonly tokenSource: string;
  readonly policy: HttpPolicy;
}

export interface ProbeResult {
  readonly findings: Finding[];
  readonly warnings: string[];
}

type Outcome = { readonly kind: 'accepted'; readonly totalResults?: number } | { readonly kind: 'rejected'; readonly status: number } | { readonly kind: 'other'; readonly status: number; readonly detail: string };

export async function probeScim(options: ProbeOptions): Promise<ProbeResult> {
  const findings: Finding[] = [];
  const warnings: string[] = [];
  const field = 'scim token accepted';
  const expected = `200 ListResponse from GET /Users?count=1`;

  let header: string;
  try {
    const stored = credentialValue(options.target, options.rawToken);
    header = options.target === 'header' ? stored : `Bearer ${stored}`;
  } catch (error) {
    // SpecError from the credential rule: empty or doubled "Bearer Bearer"; its message never echoes the token.
    if (!(error instanceof SpecError)) throw error;
    const issue = error.issues[0];
    findings.push({ area: 'credential', field, expected, actual: `not sent: in $${options.tokenSource}, ${issue?.message ?? 'the token is invalid'}`, status: 'error', hint: issue?.fix ?? `fix the value of $${options.tokenSource}` });
    return { findings, warnings };
  }

  const url = `${options.scimBaseUrl.replace(/\/+$/, '')}/Users?count=1`;
  let outcome: Outcome;
  try {
    outcome = await send(url, header, options.policy);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    findings.push({ area: 'credential', field, expected, actual: error.message, status: 'error', hint: 'could not reach Dynatrace SCIM: check scimBaseUrl and the runner\'s network' });
    return { findings, warnings };
  }

  if (outcome.kind === 'rejected') {
    findings.push({
      area: 'credential',
      field,
      expected,
      actual: `${outcome.status}: credential rejected`,
      status: 'error',
      hint: `Dynatrace does not accept the token in $${options.tokenSource} (deleted, from another account, or mistyped): generate a new one in Account Management → Identity & access management → SCIM configuration, update the secret, apply, and verify again`,
    });
    return { findings, warnings };
  }
  if (outcome.kind === 'other') {
    const hint = outcome.status === 404 ? 'nothing at this URL: check scimBaseUrl (it ends in /v2 and carries the account UUID)' : 'unexpected answer from Dynatrace SCIM; run again, and report it if it persists';
    findings.push({ area: 'credential', field, expected, actual: `${outcome.status}: ${outcome.detail}`, status: 'error', hint });
    return { findings, warnings };
  }
  findings.push({ area: 'credential', field, expected, actual: `200 ListResponse${outcome.totalResults === undefined ? '' : ` (totalResults ${outcome.totalResults})`}`, status: 'ok' });

  // The classic mistake: only a Header Auth app sends the stored value verbatim.
  if (options.target === 'header' && !hasBearerScheme(options.rawToken)) {
    let raw: Outcome | undefined;
    try {
      raw = await send(url, options.rawToken.trim(), options.policy);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      raw = undefined;
    }
    if (raw?.kind === 'rejected') {
      const manual = !options.apiPath;
      warnings.push(RAW_TOKEN_WARNING);
      findings.push({
        area: 'credential',
        field: 'token source format',
        expected: 'Bearer <token> in the Header Auth app',
        actual: `$${options.tokenSource} holds a raw token (no "Bearer " prefix); sent verbatim it gets ${raw.status}`,
        // Managed: the stacks stored "Bearer <token>" from this source. Manual: an admin pasted something we cannot read.
        status: manual ? 'unknown' : 'ok',
        hint: manual
          ? `${RAW_TOKEN_WARNING}. This tenant is configured by hand: make sure the app's API Token field holds "Bearer " followed by the token, then click Test API Credentials`
          : RAW_TOKEN_WARNING,
      });
    }
  }
  return { findings, warnings };
}

async function send(url: string, authorization: string, policy: HttpPolicy): Promise<Outcome> {
  const response = await httpGet(url, { Accept: 'application/scim+json, application/json', Authorization: authorization, 'User-Agent': 'okta-dynatrace-scim-verify' }, policy, 'GET /Users?count=1');
  // Bodies are never echoed: an error body could quote what it was sent.
  const text = await response.text().catch(() => '');
  if (response.status === 401 || response.status === 403) return { kind: 'rejected', status: response.status };
  if (response.status !== 200) return { kind: 'other', status: response.status, detail: response.statusText || 'unexpected status' };
  let body: { schemas?: unknown; totalResults?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return { kind: 'other', status: 200, detail: 'the body is not JSON (is scimBaseUrl the SCIM endpoint?)' };
  }
  if (!Array.isArray(body.schemas) || !body.schemas.includes(LIST_RESPONSE_SCHEMA)) {
    return { kind: 'other', status: 200, detail: 'not a SCIM ListResponse (is scimBaseUrl the SCIM endpoint?)' };
  }
  return { kind: 'accepted', ...(typeof body.totalResults === 'number' ? { totalResults: body.totalResults } : {}) };
}
