/**
 * Validation and defaults: turns user input into a {@link ResolvedIntegration} that renderers can trust,
 * or throws one {@link SpecError} listing every problem with its path and fix. Decisions that are legal
 * but risky come back as warnings, each with its reason.
 */
import { createHash } from 'node:crypto';
import type { AppStatus, AuthMode, GroupSpec, ProvisioningSetup, RemovalPolicy, ScimIntegrationSpec, SecretSource, SignOnMode, UsernameFormat } from './spec';
import { CATALOG_APPS, type CatalogApp } from './catalog';
import type { CredentialTarget } from './credential';
import { SpecError, type SpecIssue } from './errors';
import { NO_FAILED_FIELDS, parseFields, type ParsedFields } from './parse';
import { accountIdWarning, checkScimEndpoint, SCIM_URL_FIX, type ScimEndpoint } from './scim-endpoint';
import { groupSchema, integrationSchema } from './schema';
import { quoteValue } from './quote';

/** Where a group comes from. */
export type GroupSource =
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'lookup'; readonly name: string }
  | { readonly kind: 'create'; readonly name: string; readonly description?: string };

export interface ResolvedGroup {
  readonly key: string;
  readonly source: GroupSource;
  /** Display name when known (always for lookup/create). */
  readonly name?: string;
  readonly priority?: number;
  /** Target group name in Dynatrace; undefined when the group is not pushed. */
  readonly pushAs?: string;
  /** Dynatrace policies bound to the pushed group; absent when it declares none. */
  readonly policies?: readonly ResolvedPolicyBinding[];
  /** The existing group in the app that the push links to (`target_group_id`); only for pushed groups. */
  readonly pushTargetId?: string;
  /** The existing push mapping to import; only with `pushTargetId`, an app known by id, and stage 2. */
  readonly existingPushId?: string;
}

/** A policy by uuid, or by name and where it is defined (global, the account, or the binding's environment). */
export type PolicyRef = { readonly uuid: string } | { readonly name: string; readonly definedIn: 'global' | 'account' | 'environment' };

/** Where a binding applies: the whole account, or one environment. */
export type BindingLevel = { readonly level: 'account' } | { readonly level: 'environment'; readonly environment: string };

export type ResolvedPolicyBinding = BindingLevel & {
  readonly policy: PolicyRef;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly boundaries?: readonly string[];
};

/** The Dynatrace account that binds the groups' policies, and the OAuth client's sources. */
export interface ResolvedDynatraceAccount {
  readonly accountUuid: string;
  readonly oauthClient: { readonly clientId: SecretSource; readonly clientSecret: SecretSource };
}

/** The app's username template as Okta stores it (`user_name_template` / `user_name_template_type`). */
export interface UsernameTemplate {
  readonly template: string;
  readonly type: 'BUILT_IN' | 'CUSTOM';
}

/** A SCIM 2.0 test app that the stacks create (or adopt) and own. */
export interface ResolvedCatalogApp {
  readonly type: 'catalog';
  readonly authMode: AuthMode;
  readonly signOn: SignOnMode;
  readonly label: string;
  /** OIN catalog app name (`preconfigured_app`). */
  readonly oinAppName: string;
  readonly status: AppStatus;
  readonly existingAppId?: string;
  readonly username: UsernameTemplate;
}

/** The existing Dynatrace SSO app: read by the stacks, never created, imported, replaced or destroyed. */
export interface ResolvedSsoApp {
  readonly type: 'sso';
  readonly id?: string;
  readonly label?: string;
  /** The groups' existing assignments to this app are imported (only with `id`). */
  readonly importAssignments?: true;
  /** What the app's username format must be (checked by `verify`, set in the console step). */
  readonly username: UsernameTemplate;
}

export type ResolvedApp = ResolvedCatalogApp | ResolvedSsoApp;

/**
 * Rollout stage of a tenant:
 * - `1`: the app (with its username format), the created groups and the assignments; the console step
 *   is still to do (`provisioning.setup: console` without `enabled`);
 * - `2`: also the group push mappings (provisioning is on: declared done, or set up through the API).
 */
export type Stage = 1 | 2;

export interface ResolvedProvisioning {
  readonly setup: ProvisioningSetup;
  /** Provisioning is on once this configuration is applied (declared done, or `setup: api`). */
  readonly enabled: boolean;
  readonly createUsers: boolean;
  readonly updateUserAttributes: boolean;
  readonly deactivateUsers: boolean;
  readonly syncPassword: boolean;
}

/** A validated integration with every default applied. */
export interface ResolvedIntegration {
  /** Brand: renderers accept resolved specs as they are instead of validating twice. */
  readonly resolved: true;
  readonly app: ResolvedApp;
  readonly scimBaseUrl: string;
  /** The Dynatrace account uuid in the SCIM base URL; undefined with `customScimEndpoint` or when its id is no uuid. */
  readonly accountUuid?: string;
  readonly scimToken: SecretSource;
  readonly provisioning: ResolvedProvisioning;
  readonly stage: Stage;
  readonly groups: readonly ResolvedGroup[];
  /** Present when a group declares policies. */
  readonly dynatrace?: ResolvedDynatraceAccount;
  readonly removalPolicy: RemovalPolicy;
  /** Legal but risky choices, each with its reason (paths relative to the integration). */
  readonly warnings: readonly SpecIssue[];
}

export const GROUP_KEY = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const OKTA_ID = /^[A-Za-z0-9]{1,64}$/;
/** Okta limits group names and app labels to 255 characters. */
export const MAX_NAME = 255;
/** Longer one-line texts: group descriptions, username templates, policy parameter values. */
export const MAX_TEXT = 1024;
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export const USERNAME_TEMPLATES = {
  email: { template: '${source.email}', type: 'BUILT_IN' },
  oktaUsername: { template: '${source.login}', type: 'BUILT_IN' },
} as const satisfies Record<string, UsernameTemplate>;

/** Evidence that Okta's API does not accept provisioning connections/features for these apps (see FACTS, README). */
export const API_PATH_EVIDENCE =
  'Okta\'s management API spec (okta-management-openapi-spec 2026.06.3, ApplicationConnections / ApplicationFeatures) supports token connections only for okta_org2org and zscalerbyz, answers other apps with connection status UNKNOWN and refuses their features ("Provisioning is not enabled for the app instance"); okta/terraform-provider-okta#1956 and #2854 report the same for SCIM apps';

/**
 * Validates `input` (typed props or parsed YAML) and applies defaults.
 * @param tenant named in every error message
 * @param pathPrefix prefix of error paths, e.g. `tenants[2].integration`
 * @param subject what is validated, when not a tenant of a file (see {@link SpecError})
 */
export function resolveIntegration(input: unknown, tenant?: string, pathPrefix = '', subject?: string): ResolvedIntegration {
  const issues: SpecIssue[] = [];
  const resolved = collectIntegration(input, issues);
  if (issues.length > 0 || !resolved) throw new SpecError(issues, tenant, subject).within(tenant, pathPrefix);
  return resolved;
}

/** Like {@link resolveIntegration}, but pushes problems into `issues` (paths relative to the integration). */
export function collectIntegration(input: unknown, issues: SpecIssue[]): ResolvedIntegration | undefined {
  const before = issues.length;
  const parsed = parseFields(integrationSchema, input, issues, '', { scimBaseUrl: SCIM_URL_FIX });
  if (!parsed) return undefined;
  const spec = parsed.fields;
  const warnings: SpecIssue[] = [];
  const username = resolveUsername(spec.username, issues, warnings);
  const app = resolveApp(spec, parsed.failed, username, issues, warnings);
  const endpoint = spec.scimBaseUrl === undefined ? undefined : checkScimEndpoint(spec.scimBaseUrl, spec.customScimEndpoint ?? false, issues);
  const accountWarning = endpoint && spec.dynatrace?.accountUuid === undefined ? accountIdWarning(endpoint) : undefined;
  if (accountWarning) warnings.push(accountWarning);
  if (spec.scimToken) checkSecretSource(spec.scimToken, 'scimToken', issues);
  const provisioning = resolveProvisioning(spec, issues, warnings);
  const groups = resolveGroups(input, spec.groups, issues, app && provisioning ? { appId: knownAppId(app), stage2: provisioning.enabled } : undefined);
  const dynatrace = resolveDynatraceAccount(spec.dynatrace, parsed.failed.has('dynatrace'), endpoint, spec.customScimEndpoint ?? false, groups, issues, warnings);
  if (issues.length > before || !app || !endpoint || !spec.scimToken || !provisioning) return undefined;
  return {
    resolved: true,
    app,
    scimBaseUrl: endpoint.url,
    ...(endpoint.accountUuid ? { accountUuid: endpoint.accountUuid } : {}),
    scimToken: spec.scimToken,
    provisioning,
    stage: provisioning.enabled ? 2 : 1,
    groups,
    ...(dynatrace ? { dynatrace } : {}),
    removalPolicy: spec.removalPolicy ?? 'retain',
    warnings,
  };
}

/** What renderers accept: a spec to validate, or one already resolved (e.g. from the tenants file). */
export type IntegrationInput = ScimIntegrationSpec | ResolvedIntegration;

/**
 * `input` as it is when already resolved, else validated with defaults applied (a renderer's props).
 * Errors name `subject` (e.g. the construct and its path) and the tenant, when given.
 */
export function ensureResolved(input: IntegrationInput, tenant?: string, subject?: string): ResolvedIntegration {
  if (typeof input === 'object' && input !== null && 'resolved' in input && input.resolved === true) return input;
  return resolveIntegration(input, tenant, '', subject);
}

/**
 * The API path (`provisioning.setup: api`): the stacks manage the provisioning connection and features
 * (`okta_app_connection`, `okta_app_features`) in the same apply as the app; otherwise an admin does the
 * console step once.
 */
export function usesApiPath(spec: Pick<ResolvedIntegration, 'provisioning'>): boolean {
  return spec.provisioning.setup === 'api';
}

/**
 * Whether the tenant's stacks read the Dynatrace SCIM token (a Terraform variable, a Pulumi secret), so
 * whatever deploys them must hold it: only on the API path, where the stacks manage the connection that
 * stores it; on the console path the admin pastes it once and the stacks never see it.
 */
export function needsScimToken(spec: Pick<ResolvedIntegration, 'provisioning'>): boolean {
  return usesApiPath(spec);
}

/**
 * The app's Okta id when the tenant gives it: `existingAppId` of an adopted test app, `ssoApp.id` of the
 * SSO app. Import ids of objects that already exist in the app (push mappings) name it literally.
 */
export function knownAppId(app: ResolvedApp): string | undefined {
  return app.type === 'catalog' ? app.existingAppId : app.id;
}

/** The Okta field the SCIM token goes into (see the credential rule). */
export function credentialTarget(app: ResolvedApp): CredentialTarget {
  return app.type === 'sso' ? 'ssoApp' : app.authMode;
}

export function checkSecretSource(source: SecretSource, path: string, issues: SpecIssue[]): void {
  if (!source.env && !source.pulumiConfig) {
    issues.push({ path, message: 'no source given for the secret', fix: `name where it comes from, e.g. ${path}: { env: MY_SECRET } (never the secret itself)` });
  }
}

type ParsedSpec = ParsedFields<typeof integrationSchema.shape>['fields'];

/** The sign-on every test app defaulted to before each got its own (README "Upgrading: the OAuth Bearer Token app's sign-on default"). */
const LEGACY_DEFAULT_SIGN_ON: SignOnMode = 'autoLogin';

/**
 * A tenant that leaves `signOn` to a default that changed: its app may have been created with the old one,
 * and a new sign-on mode is a new resource type, i.e. a replaced app that deprovisions every user.
 */
function changedSignOnDefault(catalog: CatalogApp): SpecIssue {
  const resource = (mode: SignOnMode): string => (mode === 'saml' ? 'okta_app_saml' : 'okta_app_auto_login');
  return {
    path: 'signOn',
    message: `the ${catalog.displayName} is created with \`signOn: ${catalog.defaultSignOn}\` by default (${resource(catalog.defaultSignOn)}), the sign-on public evidence shows for ${catalog.oinName}; the default used to be \`${LEGACY_DEFAULT_SIGN_ON}\`, and an app created with it would be replaced by the next apply (every user deprovisioned)`,
    fix: `write \`signOn: ${catalog.defaultSignOn}\` for a new app (this silences the warning); for an app applied before, write \`signOn: ${LEGACY_DEFAULT_SIGN_ON}\` to keep it (\`verify\` shows the live sign-on mode)`,
  };
}

function resolveApp(spec: ParsedSpec, failed: ReadonlySet<string>, username: UsernameTemplate | undefined, issues: SpecIssue[], warnings: SpecIssue[]): ResolvedApp | undefined {
  if (failed.has('ssoApp')) return undefined; // reported; which app path was meant is unknown
  if (spec.ssoApp) {
    const onlyForCreatedApps = ['label', 'authMode', 'signOn', 'status', 'oinAppName', 'existingAppId'] as const;
    for (const field of onlyForCreatedApps) {
      if (spec[field] !== undefined) {
        issues.push({ path: field, message: 'does not apply with `ssoApp`: the existing SSO app is only read, never created or changed', fix: `remove \`${field}\` (or remove \`ssoApp\` to create a SCIM 2.0 test app)` });
      }
    }
    const { id, label } = spec.ssoApp;
    const before = issues.length;
    if ((id === undefined) === (label === undefined)) {
      issues.push({ path: 'ssoApp', message: 'must name the app by exactly one of `id` and `label`', fix: 'e.g. ssoApp: { id: 0oa1a2b3c4d5e6f7g8h9 } (Applications → the app → its URL)' });
    }
    if (id !== undefined && !OKTA_ID.test(id.trim())) issues.push({ path: 'ssoApp.id', message: 'is not an Okta app id (letters and digits only)', fix: 'copy the id from the app\'s URL in the admin console, e.g. 0oa1a2b3c4d5e6f7g8h9' });
    const trimmedLabel = label === undefined ? undefined : checkOneLine(label, 'ssoApp.label', 'the app label', issues);
    if (spec.ssoApp.importAssignments && id === undefined) {
      issues.push({ path: 'ssoApp.importAssignments', message: 'needs `ssoApp.id`: an assignment is imported as <app id>/<group id>', fix: 'name the app by id (Applications → the app → its URL), or remove importAssignments' });
    }
    if (issues.length > before || !username) return undefined;
    return {
      type: 'sso',
      ...(id !== undefined ? { id: id.trim() } : {}),
      ...(trimmedLabel !== undefined ? { label: trimmedLabel } : {}),
      ...(spec.ssoApp.importAssignments ? { importAssignments: true as const } : {}),
      username,
    };
  }
  if (spec.label === undefined && !failed.has('label')) issues.push({ path: 'label', message: 'is required', fix: 'give the Okta app a label such as "Dynatrace SCIM" (or set `ssoApp` to use the existing Dynatrace SSO app)' });
  if (spec.authMode === undefined && !failed.has('authMode')) issues.push({ path: 'authMode', message: 'is required', fix: 'use "header" (SCIM 2.0 Test App (Header Auth)) or "oauthBearer" (SCIM 2.0 Test App (OAuth Bearer Token)), or set `ssoApp`' });
  const label = spec.label === undefined ? undefined : checkOneLine(spec.label, 'label', 'the app label', issues);
  if (label === undefined || spec.authMode === undefined || !username) return undefined;
  const catalog = CATALOG_APPS[spec.authMode];
  if (spec.signOn === undefined && catalog.defaultSignOn !== LEGACY_DEFAULT_SIGN_ON) warnings.push(changedSignOnDefault(catalog));
  return {
    type: 'catalog',
    authMode: spec.authMode,
    signOn: spec.signOn ?? catalog.defaultSignOn,
    label,
    oinAppName: spec.oinAppName ?? catalog.oinName,
    status: spec.status ?? 'ACTIVE',
    ...(spec.existingAppId ? { existingAppId: spec.existingAppId } : {}),
    username,
  };
}

function resolveUsername(format: UsernameFormat | undefined, issues: SpecIssue[], warnings: SpecIssue[]): UsernameTemplate | undefined {
  if (format === undefined || format === 'email') return USERNAME_TEMPLATES.email;
  const requirement =
    'Dynatrace needs the SCIM userName to be the user\'s persistent e-mail address: users whose username is not an e-mail of a domain verified in Dynatrace are not provisioned, and Dynatrace cannot apply a later change of it';
  if (format === 'oktaUsername') {
    warnings.push({ path: 'username', message: `the Okta username becomes the Dynatrace userName. ${requirement}`, fix: 'keep it only if every Okta username is the user\'s permanent e-mail; otherwise use username: email' });
    return USERNAME_TEMPLATES.oktaUsername;
  }
  const template = checkOneLine(format.template, 'username.template', 'the username template', issues, MAX_TEXT);
  if (template === undefined) return undefined;
  warnings.push({ path: 'username.template', message: `a custom expression becomes the Dynatrace userName. ${requirement}`, fix: 'make sure the expression yields the user\'s permanent e-mail; otherwise use username: email' });
  return { template, type: format.type ?? 'CUSTOM' };
}

function resolveProvisioning(spec: ParsedSpec, issues: SpecIssue[], warnings: SpecIssue[]): ResolvedProvisioning | undefined {
  const p = spec.provisioning ?? {};
  let setup: ProvisioningSetup = p.setup ?? 'console';
  if (spec.connection !== undefined) {
    const replacement = spec.connection === 'managed' ? 'api' : 'console';
    if (p.setup !== undefined) {
      issues.push({ path: 'connection', message: 'is replaced by `provisioning.setup`, which is also given', fix: 'remove `connection`' });
      return undefined;
    }
    setup = replacement;
    warnings.push({
      path: 'connection',
      message: `\`connection: ${spec.connection}\` is deprecated and read as \`provisioning.setup: ${replacement}\``,
      fix:
        spec.connection === 'managed'
          ? 'the default is now the console step; write `provisioning: { setup: console }` (recommended; see README "What is code and what is the console step") or `provisioning: { setup: api }` to keep the API path, and remove `connection`'
          : 'remove `connection` (the console step is the default); once the console step is done, add `provisioning: { enabled: true }`',
    });
  }
  if (setup === 'api') {
    if (p.enabled !== undefined) {
      issues.push({ path: 'provisioning.enabled', message: 'does not apply with `setup: api`: the apply turns provisioning on itself', fix: 'remove `enabled`' });
      return undefined;
    }
    warnings.push({ path: 'provisioning.setup', message: `the API path (okta_app_connection + okta_app_features) is likely refused for this app: ${API_PATH_EVIDENCE}`, fix: 'keep `setup: api` only if `verify` shows the connection ENABLED for this app in your org; otherwise use the console step (`setup: console`)' });
  }
  return {
    setup,
    enabled: setup === 'api' || (p.enabled ?? false),
    createUsers: p.createUsers ?? true,
    updateUserAttributes: p.updateUserAttributes ?? true,
    deactivateUsers: p.deactivateUsers ?? true,
    syncPassword: p.syncPassword ?? false,
  };
}

/**
 * `endpoint` is the checked SCIM base URL, undefined when it was missing or refused (reported there, so
 * the account is not reported again as underivable).
 */
function resolveDynatraceAccount(
  spec: ParsedSpec['dynatrace'],
  failed: boolean,
  endpoint: ScimEndpoint | undefined,
  custom: boolean,
  groups: readonly ResolvedGroup[],
  issues: SpecIssue[],
  warnings: SpecIssue[],
): ResolvedDynatraceAccount | undefined {
  const urlAccount = endpoint?.accountUuid;
  const bound = groups.some((group) => group.policies !== undefined);
  if (failed) return undefined;
  if (!spec) {
    if (bound) {
      issues.push({
        path: 'dynatrace',
        message: 'is required when a group declares policies (they are bound through the Dynatrace Account Management API)',
        fix: 'add dynatrace: { oauthClient: { clientId: { env: ACME_DT_CLIENT_ID }, clientSecret: { env: ACME_DT_CLIENT_SECRET } } } (an OAuth client with account-idm-read, iam-policies-management, account-env-read)',
      });
    }
    return undefined;
  }
  checkSecretSource(spec.oauthClient.clientId, 'dynatrace.oauthClient.clientId', issues);
  checkSecretSource(spec.oauthClient.clientSecret, 'dynatrace.oauthClient.clientSecret', issues);
  if (!bound) warnings.push({ path: 'dynatrace', message: 'is set but no pushed group declares policies, so nothing is bound', fix: 'add `policies` to a pushed group, or remove `dynatrace`' });
  const accountUuid = spec.accountUuid?.toLowerCase() ?? urlAccount;
  if (!accountUuid) {
    if (endpoint) {
      const why = custom ? 'cannot be derived from a custom SCIM endpoint' : 'cannot be derived: the account id in the SCIM base URL is not a uuid';
      issues.push({ path: 'dynatrace.accountUuid', message: why, fix: 'give the Dynatrace account uuid (Account Management → the account\'s URL)' });
    }
    return undefined;
  }
  if (urlAccount && accountUuid !== urlAccount) {
    warnings.push({
      path: 'dynatrace.accountUuid',
      message: `is not the account uuid of the SCIM base URL (${urlAccount}): policies are bound in account ${accountUuid} while SCIM provisions account ${urlAccount}`,
      fix: 'remove `accountUuid` to use the SCIM base URL\'s account, unless the SCIM id really differs from the account uuid',
    });
  }
  return { accountUuid, oauthClient: spec.oauthClient };
}

/** The policies of one group; issues under `groups[i].policies`. */
function resolvePolicies(group: GroupSpec, at: (field: string) => string, issues: SpecIssue[]): ResolvedPolicyBinding[] | undefined {
  if (group.policies === undefined) return undefined;
  if (!group.push) {
    issues.push({ path: at('policies'), message: 'only a pushed group exists in Dynatrace, so only a pushed group can be granted policies', fix: 'add `push: true`, or remove `policies`' });
    return undefined;
  }
  const seen = new Map<string, number>();
  const resolved: ResolvedPolicyBinding[] = [];
  group.policies.forEach((binding, index) => {
    const where = (field?: string): string => (field ? `${at('policies')}[${index}].${field}` : `${at('policies')}[${index}]`);
    const before = issues.length;
    if ((binding.name === undefined) === (binding.uuid === undefined)) issues.push({ path: where(), message: 'must name the policy by exactly one of `name` and `uuid`', fix: 'e.g. { name: Standard User, environment: abc12345 }' });
    if ((binding.account === undefined) === (binding.environment === undefined)) issues.push({ path: where(), message: 'must bind at exactly one level: `account: true` or `environment: <id>`', fix: 'e.g. environment: abc12345 (the id in the environment\'s URL)' });
    if (binding.definedIn !== undefined && binding.uuid !== undefined) issues.push({ path: where('definedIn'), message: 'only applies to a policy given by name', fix: 'remove `definedIn`' });
    if (binding.definedIn === 'environment' && binding.environment === undefined) issues.push({ path: where('definedIn'), message: 'a policy defined in an environment can only be bound in that environment', fix: 'bind it with `environment: <id>`' });
    const name = binding.name === undefined ? undefined : checkOneLine(binding.name, where('name'), 'the policy name', issues);
    const parameters = Object.entries(binding.parameters ?? {}).map(([key, value]) => [key, checkOneLine(value, `${where('parameters')}.${key}`, 'the parameter value', issues, MAX_TEXT)] as const);
    const boundaries = binding.boundaries?.map((uuid) => uuid.toLowerCase());
    if (boundaries && new Set(boundaries).size !== boundaries.length) issues.push({ path: where('boundaries'), message: 'lists a boundary twice', fix: 'list each boundary once' });
    if (issues.length > before) return;
    const policy: PolicyRef = name !== undefined ? { name, definedIn: binding.definedIn ?? 'global' } : { uuid: binding.uuid!.toLowerCase() };
    const level: BindingLevel = binding.environment !== undefined ? { level: 'environment', environment: binding.environment } : { level: 'account' };
    const id = `${'uuid' in policy ? policy.uuid : `${policy.definedIn}:${policy.name}`}@${level.level === 'account' ? 'account' : level.environment}`;
    const first = seen.get(id);
    if (first !== undefined) {
      issues.push({ path: where(), message: `binds the same policy at the same level as policies[${first}]`, fix: 'merge them: one binding per policy and level (its parameters and boundaries together)' });
      return;
    }
    seen.set(id, index);
    resolved.push({
      ...level,
      policy,
      ...(parameters.length > 0 ? { parameters: Object.fromEntries(parameters) as Record<string, string> } : {}),
      ...(boundaries && boundaries.length > 0 ? { boundaries } : {}),
    });
  });
  return resolved;
}

/** Trimmed single-line text of at most `max` characters, or an issue. */
function checkOneLine(raw: string, path: string, what: string, issues: SpecIssue[], max = MAX_NAME): string | undefined {
  const text = raw.trim();
  if (text.length === 0) {
    issues.push({ path, message: `${what} is empty`, fix: 'give it a value or remove the field' });
    return undefined;
  }
  if (text.length > max || CONTROL_CHARS.test(text)) {
    issues.push({ path, message: `${what} must be one line of at most ${max} characters`, fix: 'shorten it and remove line breaks and control characters' });
    return undefined;
  }
  return text;
}

/** What an imported push mapping needs from the rest of the integration; undefined when the app or provisioning did not resolve. */
interface PushAdoption {
  /** The app's id when it is known literally (`existingAppId`, `ssoApp.id`): import ids are `<app id>/<mapping id>`. */
  readonly appId?: string;
  /** Push mappings exist only once provisioning is on. */
  readonly stage2: boolean;
}

/** `parsedGroups`: the groups as the integration's check parsed them, when every one of them was valid. */
function resolveGroups(input: unknown, parsedGroups: readonly GroupSpec[] | undefined, issues: SpecIssue[], adoption: PushAdoption | undefined): ResolvedGroup[] {
  const raw = (input as { groups?: unknown }).groups;
  if (!Array.isArray(raw)) return []; // absent, or reported by the shape check
  const resolved: ResolvedGroup[] = [];
  const firstIndex = {
    key: new Map<string, number>(),
    id: new Map<string, number>(),
    name: new Map<string, number>(),
    pushAs: new Map<string, number>(),
    pushTargetId: new Map<string, number>(),
    existingPushId: new Map<string, number>(),
  };
  /** Where each group's key came from, when it was derived (`the name "Ops EU"`); absent for a `key:` given. */
  const derivedFrom = new Map<number, string>();
  /** Whether `value` was seen before (then reported with `fix`). */
  const duplicate = (kind: keyof typeof firstIndex, value: string, index: number, what: string, fix: string): boolean => {
    const seen = firstIndex[kind].get(value);
    if (seen === undefined) {
      firstIndex[kind].set(value, index);
      return false;
    }
    issues.push({ path: `groups[${index}]`, message: `duplicate ${what} ${quoteValue(value)} (also groups[${seen}])`, fix });
    return true;
  };

  raw.forEach((element, index) => {
    // Shape problems were reported by the integration's check; only then is each group parsed again, for its valid fields.
    const parsed = parsedGroups ? { fields: parsedGroups[index]!, failed: NO_FAILED_FIELDS } : parseFields(groupSchema, element, [], `groups[${index}]`);
    if (!parsed) return;
    const group = resolveGroup(parsed.fields, parsed.failed, index, issues);
    if (!group || parsed.failed.size > 0) return;
    if (parsed.fields.key === undefined) derivedFrom.set(index, group.source.kind === 'id' && group.name === undefined ? `the id ${quoteValue(group.source.id)}` : `the name ${quoteValue(group.name ?? '')}`);
    // The same group twice is one mistake: its derived key and push target clash too, unreported.
    const sameGroup =
      group.source.kind === 'id' ? duplicate('id', group.source.id, index, 'group id', 'list each group once') : duplicate('name', group.source.name.toLowerCase(), index, 'group name', 'list each group once');
    if (!sameGroup) {
      const first = firstIndex.key.get(group.key);
      if (first === undefined) firstIndex.key.set(group.key, index);
      else issues.push(keyClash(group.key, index, first, derivedFrom));
    }
    if (!sameGroup && group.pushAs) duplicate('pushAs', group.pushAs.toLowerCase(), index, 'Dynatrace group name', 'give each pushed group its own Dynatrace name (`pushAs`)');
    if (!sameGroup && group.pushTargetId) duplicate('pushTargetId', group.pushTargetId, index, 'push target group id', 'push each group to a target of its own');
    if (!sameGroup && group.existingPushId) duplicate('existingPushId', group.existingPushId, index, 'push mapping id', 'a push mapping belongs to one group: give each its own');
    if (group.existingPushId && adoption) checkPushImport(adoption, index, issues);
    resolved.push(group);
  });
  return resolved;
}

/**
 * Two groups with one key: when a key was derived from a name, the names are what clash, and `key:` on
 * one of them is the fix (keys name the Terraform addresses and Pulumi resources, so an applied one stays).
 */
function keyClash(key: string, index: number, first: number, derivedFrom: ReadonlyMap<number, string>): SpecIssue {
  const here = derivedFrom.get(index);
  const there = derivedFrom.get(first);
  const quoted = quoteValue(key);
  if (here === undefined && there === undefined) return { path: `groups[${index}].key`, message: `duplicate key ${quoted} (also groups[${first}])`, fix: 'give each group its own `key`' };
  const message =
    here !== undefined && there !== undefined
      ? `${here} gives the key ${quoted}, as ${there} of groups[${first}] does`
      : here !== undefined
        ? `${here} gives the key ${quoted}, which groups[${first}] has as its \`key\``
        : `the key ${quoted} is also derived from ${there} of groups[${first}]`;
  return {
    path: `groups[${index}]`,
    message,
    fix: `give ${here !== undefined && there !== undefined ? 'one of them' : 'this group'} a \`key\` of its own, e.g. key: ${key.slice(0, 60)}-2, and keep the key of a group already applied (it names the group's Terraform addresses and Pulumi resources)`,
  };
}

/** An imported push mapping needs the app's id for its import id, and exists only at stage 2. */
function checkPushImport(adoption: PushAdoption, index: number, issues: SpecIssue[]): void {
  const path = `groups[${index}].existingPushId`;
  if (adoption.appId === undefined) {
    issues.push({ path, message: 'an imported push mapping needs the app\'s id (its import id is <app id>/<mapping id>)', fix: 'set existingAppId (a test app made by hand) or ssoApp.id (the SSO app)' });
  }
  if (!adoption.stage2) {
    issues.push({ path, message: 'push mappings exist only once provisioning is on (stage 2), so there is nothing to import at stage 1', fix: 'set provisioning: { enabled: true } (a mapping exists, so the console step is done), or remove existingPushId' });
  }
}

/** A trimmed Okta id, or an issue. */
function checkOktaId(raw: string | undefined, path: string, example: string, issues: SpecIssue[]): string | undefined {
  if (raw === undefined) return undefined;
  const id = raw.trim();
  if (!OKTA_ID.test(id)) {
    issues.push({ path, message: id ? 'is not an Okta id (letters and digits only)' : 'is empty', fix: `copy the id from Okta, e.g. ${example}` });
    return undefined;
  }
  return id;
}

function resolveGroup(group: GroupSpec, failed: ReadonlySet<string>, index: number, issues: SpecIssue[]): ResolvedGroup | undefined {
  const at = (field: string): string => `groups[${index}].${field}`;
  const before = issues.length;
  const name = group.name === undefined ? undefined : checkOneLine(group.name, at('name'), 'the group name', issues);
  const id = group.id?.trim();
  if (group.id !== undefined && !id) issues.push({ path: at('id'), message: 'is empty', fix: 'give the Okta group id or remove the field' });
  if (id && !OKTA_ID.test(id)) issues.push({ path: at('id'), message: 'is not an Okta id (letters and digits only)', fix: 'copy the id from the group page URL, e.g. 00g1a2b3c4d5e6f7g8h9' });
  if (group.id === undefined && group.name === undefined && !failed.has('id') && !failed.has('name')) issues.push({ path: `groups[${index}]`, message: 'names no group', fix: 'give `id` (existing group), `name` (existing, looked up) or `name` with `create: true`' });
  if (group.create && group.id !== undefined) issues.push({ path: at('create'), message: 'cannot create a group that is given by id', fix: 'remove `id` to create the group, or remove `create` to use the existing one' });
  if (group.description !== undefined && !group.create) issues.push({ path: at('description'), message: 'only applies to groups created here', fix: 'add `create: true` or remove `description`' });
  const description = group.description === undefined ? undefined : group.description.trim() ? checkOneLine(group.description, at('description'), 'the description', issues, MAX_TEXT) : undefined;
  if (group.pushAs !== undefined && !group.push) issues.push({ path: at('pushAs'), message: 'is set but the group is not pushed', fix: 'add `push: true` or remove `pushAs`' });
  const pushAs = group.push ? (group.pushAs !== undefined ? checkOneLine(group.pushAs, at('pushAs'), 'the Dynatrace group name', issues) : name) : undefined;
  if (group.push && group.pushAs === undefined && group.name === undefined && !failed.has('name') && !failed.has('pushAs')) {
    issues.push({ path: at('pushAs'), message: 'a pushed group needs a target name', fix: 'give `name` or `pushAs`: the group name to create in Dynatrace' });
  }
  const policies = resolvePolicies(group, at, issues);
  const pushTargetId = checkOktaId(group.pushTargetId, at('pushTargetId'), '00g1a2b3c4d5e6f7g8h9 (the push mapping\'s targetGroupId)', issues);
  const existingPushId = checkOktaId(group.existingPushId, at('existingPushId'), 'gpm1a2b3c4d5e6f7g8h9 (the push mapping\'s id)', issues);
  for (const field of ['pushTargetId', 'existingPushId'] as const) {
    if (group[field] !== undefined && !group.push) issues.push({ path: at(field), message: 'is set but the group is not pushed', fix: `add \`push: true\` or remove \`${field}\`` });
  }
  if (group.existingPushId !== undefined && group.create) issues.push({ path: at('existingPushId'), message: 'a group created here has no push mapping to import', fix: 'remove existingPushId, or remove create and give the existing group\'s id' });
  if (group.existingPushId !== undefined && group.pushTargetId === undefined && group.push) {
    issues.push({
      path: at('existingPushId'),
      message: 'needs `pushTargetId`: the provider never reads a mapping\'s target name back and replaces a mapping whose target is given by name (okta_push_group, terraform-provider-okta v6.12.0), which would recreate the pushed group in Dynatrace',
      fix: 'add pushTargetId: the mapping\'s targetGroupId (okta-dynatrace-scim discover writes both)',
    });
  }
  const key = group.key ?? stableKey(name ?? id ?? '');
  if (!GROUP_KEY.test(key)) {
    issues.push({
      path: at('key'),
      message: group.key === undefined ? 'cannot derive a stable key from the group name' : `${quoteValue(key)} is not a valid key`,
      fix: 'set `key` to 1-63 lowercase letters, digits and dashes, e.g. key: dt-admins',
    });
  }
  if (issues.length > before) return undefined;

  const source: GroupSource = id
    ? { kind: 'id', id }
    : group.create
      ? { kind: 'create', name: name!, ...(description ? { description } : {}) }
      : { kind: 'lookup', name: name! };
  return {
    key,
    source,
    ...(name ? { name } : {}),
    ...(group.priority !== undefined ? { priority: group.priority } : {}),
    ...(pushAs ? { pushAs } : {}),
    ...(policies ? { policies } : {}),
    ...(pushTargetId ? { pushTargetId } : {}),
    ...(existingPushId ? { existingPushId } : {}),
  };
}

/**
 * A stable key for a name: its slug, or, for names with no latin letters or digits (`運用チーム`), a
 * short hash of the name. Group keys default to it; it names policy lookups too.
 */
export function stableKey(text: string): string {
  return slug(text) || `g-${createHash('sha256').update(text).digest('hex').slice(0, 10)}`;
}

/** Stable, readable key from a group name: `Dynatrace Admins` → `dynatrace-admins`. */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}
