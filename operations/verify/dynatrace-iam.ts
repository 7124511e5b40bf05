/**
 * A read-only Dynatrace Account Management (IAM) client for `verify`: did the groups Okta pushed arrive
 * (owner `SCIM`), and which policies are bound to them at account and environment level?
 *
 * - OAuth2 client credentials: `POST https://sso.dynatrace.com/sso/oauth2/token` (form `grant_type`,
 *   `client_id`, `client_secret`, `scope` space-separated, `resource=urn:dtaccount:<account uuid>`). The
 *   token is cached until shortly before `expires_in` and fetched again once if the API answers 401.
 * - `GET /iam/v1/accounts/{accountUuid}/groups` (scope `account-idm-read`): all groups, with `owner`.
 * - `GET /iam/v1/repo/{account|environment}/{id}/bindings/groups/{groupUuid}?details=true`
 *   (`iam-policies-management`): the group's bindings at that level, with parameters and boundaries.
 * - `GET /iam/v1/repo/{account|environment}/{id}/policies/aggregate` (`iam-policies-management`): every
 *   policy usable at that level (global, account, environment), to name the bound uuids.
 * GETs only (the token POST aside), through the shared HTTP helpers (timeout, bounded retries on 429/5xx).
 * The client secret and the access token are sent in the form body and the Authorization header only, and
 * every error message is scrubbed of both. Sources: docs/research/dynatrace-iam.md.
 */
import { DEFAULT_POLICY, httpGet, HttpError, httpPostForm, type HttpErrorKind, type HttpPolicy } from './okta-client';

export const DYNATRACE_SSO_TOKEN_URL = 'https://sso.dynatrace.com/sso/oauth2/token';
export const DYNATRACE_IAM_API_URL = 'https://api.dynatrace.com';

/**
 * The scopes `verify` asks for. The Account Management docs name `account-idm-read` for the group list and
 * `iam-policies-management` for every policy and binding read (there is no documented read-only scope for
 * those endpoints). The Terraform provider's OAuth client additionally needs `account-env-read`.
 */
export const DYNATRACE_IAM_READ_SCOPES = ['account-idm-read', 'iam-policies-management'] as const;

export interface DynatraceOAuthCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Where they came from (variable names), for messages; never the values. */
  readonly source: string;
}

export type DynatraceCredentialsResult = { readonly credentials: DynatraceOAuthCredentials } | { readonly problem: string; readonly hint: string };

/** Reads the OAuth client from the environment variables the tenant names (default: the provider's own). */
export function dynatraceCredentialsFromEnv(env: NodeJS.ProcessEnv, names: { readonly clientId: string; readonly clientSecret: string } = { clientId: 'DT_CLIENT_ID', clientSecret: 'DT_CLIENT_SECRET' }): DynatraceCredentialsResult {
  const clientId = env[names.clientId]?.trim();
  const clientSecret = env[names.clientSecret]?.trim();
  const unset = [!clientId && names.clientId, !clientSecret && names.clientSecret].filter(Boolean);
  if (!clientId || !clientSecret) {
    return {
      problem: `no Dynatrace OAuth client: $${unset.join(' and $')} ${unset.length > 1 ? 'are' : 'is'} not set`,
      hint: `export ${unset.join(' and ')} with an OAuth client of the account (Account Management → Identity & access management → OAuth clients) that has the scopes ${DYNATRACE_IAM_READ_SCOPES.join(', ')}`,
    };
  }
  return { credentials: { clientId, clientSecret, source: `$${names.clientId} / $${names.clientSecret}` } };
}

export type BindingLevel = { readonly level: 'account'; readonly levelId: string } | { readonly level: 'environment'; readonly levelId: string };

export interface DynatraceGroup {
  readonly uuid: string;
  readonly name: string;
  /** `SCIM` for groups Okta pushed; `LOCAL`, `SAML`, `DCS`, `ALL_USERS` otherwise. */
  readonly owner?: string;
}

export interface PolicyBinding {
  readonly policyUuid: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly metadata: Readonly<Record<string, string>>;
  readonly boundaries: readonly string[];
}

export interface PolicyOverview {
  readonly uuid: string;
  readonly name: string;
  /** Where the policy is defined: `global` (Dynatrace's own), `account` or `environment`. */
  readonly levelType: string;
  readonly levelId: string;
}

export interface DynatraceIamClientOptions {
  readonly credentials: DynatraceOAuthCredentials;
  /** @default DYNATRACE_SSO_TOKEN_URL; tests point it at a loopback stand-in. */
  readonly tokenUrl?: string;
  /** @default DYNATRACE_IAM_API_URL */
  readonly apiUrl?: string;
  /** @default DYNATRACE_IAM_READ_SCOPES */
  readonly scopes?: readonly string[];
  readonly policy?: HttpPolicy;
  /** Pages followed per list before giving up (a loop guard). @default 50 */
  readonly maxPages?: number;
}

/** Refresh this long before the token's `expires_in` runs out. */
const EXPIRY_MARGIN_MS = 30_000;

export class DynatraceIamClient {
  private readonly tokenUrl: string;
  private readonly apiUrl: URL;
  private readonly scopes: readonly string[];
  private readonly policy: HttpPolicy;
  private readonly maxPages: number;
  /** Access tokens by account (the token's `resource` is one account). */
  private readonly tokens = new Map<string, { readonly value: string; readonly expiresAt: number }>();

  constructor(private readonly options: DynatraceIamClientOptions) {
    this.tokenUrl = options.tokenUrl ?? DYNATRACE_SSO_TOKEN_URL;
    this.apiUrl = new URL(options.apiUrl ?? DYNATRACE_IAM_API_URL);
    this.scopes = options.scopes ?? DYNATRACE_IAM_READ_SCOPES;
    this.policy = options.policy ?? DEFAULT_POLICY;
    this.maxPages = options.maxPages ?? 50;
  }

  /** Every group of the account. */
  async listGroups(accountUuid: string): Promise<DynatraceGroup[]> {
    const path = `/iam/v1/accounts/${encodeURIComponent(accountUuid)}/groups`;
    const groups: DynatraceGroup[] = [];
    let pageKey: string | undefined;
    for (let page = 0; ; page++) {
      if (page >= this.maxPages) throw new HttpError('unexpected', `GET ${path}: more than ${this.maxPages} pages; giving up`);
      const body = await this.get<{ items?: unknown; nextPageKey?: unknown }>(accountUuid, pageKey ? `${path}?nextPageKey=${encodeURIComponent(pageKey)}` : path, `GET ${path}`);
      if (!Array.isArray(body.items)) throw new HttpError('unexpected', `GET ${path}: no items list in the answer`);
      for (const item of body.items as { uuid?: unknown; name?: unknown; owner?: unknown }[]) {
        if (typeof item.uuid !== 'string' || typeof item.name !== 'string') throw new HttpError('unexpected', `GET ${path}: a group without uuid or name`);
        groups.push({ uuid: item.uuid, name: item.name, ...(typeof item.owner === 'string' ? { owner: item.owner } : {}) });
      }
      // Not documented for this endpoint; followed when present, as Dynatrace's paged APIs use it.
      if (typeof body.nextPageKey !== 'string' || body.nextPageKey === '') return groups;
      pageKey = body.nextPageKey;
    }
  }

  /**
   * The account's environment ids: `GET /env/v2/accounts/{accountUuid}/environments` (scope `account-env-read`),
   * answered as `{ data: [{ id, … }] }` — how the Terraform provider lists them (`policy_level.go`).
   */
  async listEnvironments(accountUuid: string): Promise<string[]> {
    const path = `/env/v2/accounts/${encodeURIComponent(accountUuid)}/environments`;
    const body = await this.get<{ data?: unknown }>(accountUuid, path, `GET ${path}`);
    if (!Array.isArray(body.data)) throw new HttpError('unexpected', `GET ${path}: no data list in the answer`);
    return (body.data as { id?: unknown }[]).flatMap((environment) => (typeof environment.id === 'string' ? [environment.id] : []));
  }

  /** The policies bound to a group at one level, with parameters, metadata and boundaries. */
  async groupBindings(accountUuid: string, groupUuid: string, at: BindingLevel): Promise<PolicyBinding[]> {
    const path = `${levelPath(at)}/bindings/groups/${encodeURIComponent(groupUuid)}`;
    const body = await this.get<{ policyUuids?: unknown; bindingsDetails?: unknown }>(accountUuid, `${path}?details=true`, `GET ${path}`);
    const details = Array.isArray(body.bindingsDetails) ? (body.bindingsDetails as Record<string, unknown>[]) : [];
    const bindings = details.map((d) => ({
      policyUuid: String(d.policyUuid),
      parameters: stringRecord(d.parameters),
      metadata: stringRecord(d.metadata),
      boundaries: Array.isArray(d.boundaries) ? d.boundaries.map(String) : [],
    }));
    // Bound policies without a details entry still count (older answers carry only `policyUuids`).
    const uuids = Array.isArray(body.policyUuids) ? body.policyUuids.map(String) : [];
    for (const uuid of uuids) if (!bindings.some((b) => b.policyUuid === uuid)) bindings.push({ policyUuid: uuid, parameters: {}, metadata: {}, boundaries: [] });
    return bindings;
  }

  /** Every policy that can be bound at this level: global, the account's, and (environment level) the environment's. */
  async policiesAt(accountUuid: string, at: BindingLevel): Promise<PolicyOverview[]> {
    const path = `${levelPath(at)}/policies/aggregate`;
    const body = await this.get<{ policyOverviewList?: unknown }>(accountUuid, path, `GET ${path}`);
    if (!Array.isArray(body.policyOverviewList)) throw new HttpError('unexpected', `GET ${path}: no policyOverviewList in the answer`);
    return (body.policyOverviewList as Record<string, unknown>[]).map((p) => ({ uuid: String(p.uuid), name: String(p.name), levelType: String(p.levelType), levelId: String(p.levelId) }));
  }

  private async get<T>(accountUuid: string, pathAndQuery: string, what: string): Promise<T> {
    const url = new URL(pathAndQuery, this.apiUrl).toString();
    for (let attempt = 1; ; attempt++) {
      const token = await this.token(accountUuid);
      const response = await this.guard(() => httpGet(url, { Accept: 'application/json', Authorization: `Bearer ${token}`, 'User-Agent': 'okta-dynatrace-scim-verify' }, this.policy, what));
      const text = await response.text().catch(() => '');
      if (response.status === 401 && attempt === 1) {
        // Expired or revoked early: one fresh token, then give up.
        this.tokens.delete(accountUuid);
        continue;
      }
      if (!response.ok) throw this.scrub(apiError(response.status, text, what));
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new HttpError('unexpected', `${what}: ${response.status} but the body is not JSON`, response.status);
      }
    }
  }

  private async token(accountUuid: string): Promise<string> {
    const cached = this.tokens.get(accountUuid);
    const now = this.policy.clock.now();
    if (cached && cached.expiresAt > now) return cached.value;
    const { clientId, clientSecret, source } = this.options.credentials;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: this.scopes.join(' '), resource: `urn:dtaccount:${accountUuid}` });
    const what = `POST ${new URL(this.tokenUrl).pathname} (OAuth client from ${source})`;
    const response = await this.guard(() => httpPostForm(this.tokenUrl, { Accept: 'application/json' }, form, this.policy, what));
    const text = await response.text().catch(() => '');
    if (!response.ok) throw this.scrub(tokenError(response.status, text, what, this.scopes));
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new HttpError('unexpected', `${what}: ${response.status} but the body is not JSON`, response.status);
    }
    if (typeof body.access_token !== 'string' || body.access_token === '') throw new HttpError('unexpected', `${what}: no access_token in the answer`, response.status);
    const lifetimeMs = (typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 300) * 1000;
    this.tokens.set(accountUuid, { value: body.access_token, expiresAt: now + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, 0) });
    return body.access_token;
  }

  /** Network and retry errors from the helpers, scrubbed like the others. */
  private async guard(request: () => Promise<Response>): Promise<Response> {
    try {
      return await request();
    } catch (error) {
      throw error instanceof HttpError ? this.scrub(error) : error;
    }
  }

  /** Belt and braces: neither the client secret nor an access token may reach a message. */
  private scrub(error: HttpError): HttpError {
    const secrets = [this.options.credentials.clientSecret, ...[...this.tokens.values()].map((t) => t.value)].filter((s) => s.length >= 4);
    // Also as a server may echo them back: URL- and form-encoded.
    const forms = secrets.flatMap((secret) => [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]);
    let message = error.message;
    for (const secret of forms.sort((a, b) => b.length - a.length)) message = message.split(secret).join('[redacted]');
    return message === error.message ? error : new HttpError(error.kind, message, error.status, error.errorCode);
  }
}

function levelPath(at: BindingLevel): string {
  return `/iam/v1/repo/${at.level}/${encodeURIComponent(at.levelId)}`;
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

const kindOf = (status: number): HttpErrorKind => (status === 401 || status === 403 ? 'auth' : status === 404 ? 'not-found' : status === 429 ? 'rate-limited' : 'unexpected');

/** Account Management errors: `ErrorDto { code, message }` or `{ error: { code, message } }`. */
function apiError(status: number, body: string, what: string): HttpError {
  let detail = '';
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: { message?: unknown } };
    const message = parsed.message ?? parsed.error?.message;
    if (typeof message === 'string') detail = message.slice(0, 200);
  } catch {
    // not JSON: status alone
  }
  const scope = what.includes('/repo/') ? 'iam-policies-management' : what.includes('/environments') ? 'account-env-read' : 'account-idm-read';
  const hint = status === 403 ? ` (the OAuth client needs scope ${scope} and must belong to this account)` : '';
  return new HttpError(kindOf(status), `${what}: ${status}${detail ? ` ${detail}` : ''}${hint}`, status);
}

/** OAuth token errors (RFC 6749 §5.2): `{ error, error_description }`. */
function tokenError(status: number, body: string, what: string, scopes: readonly string[]): HttpError {
  let code: string | undefined;
  let description = '';
  try {
    const parsed = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    if (typeof parsed.error === 'string') code = parsed.error;
    if (typeof parsed.error_description === 'string') description = parsed.error_description.slice(0, 200);
  } catch {
    // not JSON: status alone
  }
  const hints: Record<string, string> = {
    invalid_client: 'the client id or secret is wrong, or the client was deleted: create a new OAuth client and update the secret',
    invalid_scope: `the OAuth client lacks one of the scopes ${scopes.join(', ')}: add them to the client in Account Management`,
    invalid_target: 'the OAuth client does not belong to this account (resource urn:dtaccount:<uuid>)',
  };
  const hint = code && hints[code] ? `; ${hints[code]}` : '';
  const kind: HttpErrorKind = status === 400 || status === 401 || status === 403 ? 'auth' : kindOf(status);
  return new HttpError(kind, `${what}: ${status}${code ? ` ${code}` : ''}${description ? ` (${description})` : ''}${hint}`, status, code);
}

// ---------------------------------------------------------------------------------------------------------
// What verify asks: the pushed groups, their owner, and their bindings
// ---------------------------------------------------------------------------------------------------------

export interface BoundPolicy {
  readonly uuid: string;
  /** From the level's policy list; absent when the uuid is not among them. */
  readonly name?: string;
  /** Where the policy is defined (`global`, `account`, `environment`). */
  readonly definedAt?: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly boundaries: readonly string[];
}

export interface LevelBindings {
  readonly level: BindingLevel['level'];
  readonly levelId: string;
  /** False when Dynatrace does not know the level (an environment id outside the account): no bindings read. */
  readonly levelFound: boolean;
  readonly policies: readonly BoundPolicy[];
}

export interface DynatraceGroupState {
  readonly name: string;
  /** Absent: no group of that exact name in the account. */
  readonly uuid?: string;
  readonly owner?: string;
  /** Account level first, then each environment asked for; empty when the group is missing. */
  readonly bindings: readonly LevelBindings[];
}

export interface ReadGroupsOptions {
  /** Environment ids whose bindings to read besides the account level. @default none */
  readonly environments?: readonly string[];
}

/**
 * The state verify compares with the tenant: for each name, the group (exact name match, as the Terraform
 * data source does) with its owner, and its bindings at account level and in each given environment, with
 * policy names resolved. Errors (credentials, network, rate limit) throw {@link HttpError}; an unknown
 * environment is reported in its entry instead.
 */
export async function readDynatraceGroups(client: DynatraceIamClient, accountUuid: string, names: readonly string[], options: ReadGroupsOptions = {}): Promise<DynatraceGroupState[]> {
  const groups = await client.listGroups(accountUuid);
  const levels: BindingLevel[] = [{ level: 'account', levelId: accountUuid }, ...(options.environments ?? []).map((levelId) => ({ level: 'environment' as const, levelId }))];
  const catalogs = new Map<string, Promise<Map<string, PolicyOverview> | undefined>>();
  const catalog = (at: BindingLevel) => {
    const key = `${at.level}/${at.levelId}`;
    if (!catalogs.has(key)) catalogs.set(key, notFoundAsUndefined(client.policiesAt(accountUuid, at)).then((list) => list && new Map(list.map((p) => [p.uuid, p]))));
    return catalogs.get(key)!;
  };

  const states: DynatraceGroupState[] = [];
  for (const name of names) {
    const group = groups.find((g) => g.name === name);
    if (!group) {
      states.push({ name, bindings: [] });
      continue;
    }
    const bindings: LevelBindings[] = [];
    for (const at of levels) {
      const [bound, policies] = await Promise.all([notFoundAsUndefined(client.groupBindings(accountUuid, group.uuid, at)), catalog(at)]);
      bindings.push({
        level: at.level,
        levelId: at.levelId,
        levelFound: bound !== undefined,
        policies: (bound ?? []).map((b) => {
          const known = policies?.get(b.policyUuid);
          return { uuid: b.policyUuid, ...(known ? { name: known.name, definedAt: known.levelType } : {}), parameters: b.parameters, boundaries: b.boundaries };
        }),
      });
    }
    states.push({ name, uuid: group.uuid, ...(group.owner ? { owner: group.owner } : {}), bindings });
  }
  return states;
}

export interface PolicyReference {
  readonly name?: string;
  readonly uuid?: string;
  /** Where a policy given by name is defined (`global`, `account`, `environment`: the tenants file's `definedIn`); any level when absent. */
  readonly definedIn?: string;
}

export type ResolvedPolicy = { readonly ref: PolicyReference; readonly uuid: string; readonly name: string; readonly definedAt: string } | { readonly ref: PolicyReference; readonly problem: string };

/**
 * Resolves declared policies (by name or uuid) against what can be bound at a level. A name must match
 * exactly one policy where it is defined (`definedIn`), or, without it, at any level; Dynatrace allows the
 * same name at different levels, which is then reported, not guessed.
 */
export async function resolvePolicies(client: DynatraceIamClient, accountUuid: string, refs: readonly PolicyReference[], at: BindingLevel): Promise<ResolvedPolicy[]> {
  const policies = await client.policiesAt(accountUuid, at);
  const where = `${at.level} ${at.levelId}`;
  return refs.map((ref) => {
    const matches = policies.filter((p) => (ref.uuid ? p.uuid === ref.uuid : p.name === ref.name && (ref.definedIn === undefined || p.levelType === ref.definedIn)));
    const label = ref.uuid ? `policy ${ref.uuid}` : `policy "${ref.name}"`;
    if (matches.length === 0) return { ref, problem: `${label} cannot be bound at ${where}: no such policy (${ref.definedIn ? `defined at ${ref.definedIn}` : "global, account, or that environment's"})` };
    if (matches.length > 1) return { ref, problem: `${label} is ambiguous at ${where}: defined at ${matches.map((m) => m.levelType).join(' and ')}; use its uuid` };
    const [match] = matches as [PolicyOverview];
    return { ref, uuid: match.uuid, name: match.name, definedAt: match.levelType };
  });
}

async function notFoundAsUndefined<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof HttpError && error.kind === 'not-found') return undefined;
    throw error;
  }
}
