/**
 * Validation and defaults: turns user input into a {@link ResolvedIntegration} that renderers can trust,
 * or throws one {@link SpecError} listing every problem with its path and fix.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { AppStatus, AuthMode, ConnectionMode, RemovalPolicy, ScimIntegrationSpec, SecretSource, SignOnMode } from './spec';
import { CATALOG_APPS } from './catalog';
import { SpecError, type SpecIssue, joinPath } from './errors';
import { integrationSchema, SECRET_LOOKING_KEYS } from './schema';

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
}

/** A validated integration with every default applied. */
export interface ResolvedIntegration {
  /** Brand: renderers accept resolved specs as they are instead of validating twice. */
  readonly resolved: true;
  readonly label: string;
  readonly authMode: AuthMode;
  readonly scimBaseUrl: string;
  readonly scimToken: SecretSource;
  readonly signOn: SignOnMode;
  readonly connection: ConnectionMode;
  readonly provisioning: {
    readonly createUsers: boolean;
    readonly updateUserAttributes: boolean;
    readonly deactivateUsers: boolean;
    readonly syncPassword: boolean;
  };
  readonly groups: readonly ResolvedGroup[];
  readonly status: AppStatus;
  /** OIN catalog app name (`preconfigured_app`). */
  readonly oinAppName: string;
  readonly removalPolicy: RemovalPolicy;
  readonly existingAppId?: string;
}

const GROUP_KEY = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Okta limits group names to 255 characters. */
const MAX_GROUP_NAME = 255;
const MAX_LABEL = 255;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/**
 * Validates `input` (typed props or parsed YAML) and applies defaults.
 * @param tenant named in every error message
 * @param pathPrefix prefix of error paths, e.g. `tenants[2].integration`
 */
export function resolveIntegration(input: unknown, tenant?: string, pathPrefix = ''): ResolvedIntegration {
  const parsed = integrationSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    throw new SpecError(zodIssues(parsed.error), tenant).within(tenant, pathPrefix);
  }
  const spec = parsed.data;
  const issues: SpecIssue[] = [];
  const label = checkLabel(spec.label, issues);
  const scimBaseUrl = checkScimBaseUrl(spec.scimBaseUrl, issues);
  checkSecretSource(spec.scimToken, 'scimToken', issues);
  const groups = resolveGroups(spec.groups ?? [], issues);
  if (issues.length > 0) throw new SpecError(issues, tenant).within(tenant, pathPrefix);

  const p = spec.provisioning ?? {};
  return {
    resolved: true,
    label,
    authMode: spec.authMode,
    scimBaseUrl,
    scimToken: spec.scimToken,
    signOn: spec.signOn ?? 'autoLogin',
    connection: spec.connection ?? 'managed',
    provisioning: {
      createUsers: p.createUsers ?? true,
      updateUserAttributes: p.updateUserAttributes ?? true,
      deactivateUsers: p.deactivateUsers ?? true,
      syncPassword: p.syncPassword ?? false,
    },
    groups,
    status: spec.status ?? 'ACTIVE',
    oinAppName: spec.oinAppName ?? CATALOG_APPS[spec.authMode].oinName,
    removalPolicy: spec.removalPolicy ?? 'retain',
    ...(spec.existingAppId ? { existingAppId: spec.existingAppId } : {}),
  };
}

/** What renderers accept: a spec to validate, or one already resolved (e.g. from the tenants file). */
export type IntegrationInput = ScimIntegrationSpec | ResolvedIntegration;

export function ensureResolved(input: IntegrationInput, tenant?: string): ResolvedIntegration {
  return 'resolved' in input && input.resolved === true ? input : resolveIntegration(input, tenant);
}

export function checkSecretSource(source: SecretSource, path: string, issues: SpecIssue[]): void {
  if (!source.env && !source.pulumiConfig) {
    issues.push({
      path,
      message: 'no source given for the secret',
      fix: `name where it comes from, e.g. ${path}: { env: MY_SECRET } (never the secret itself)`,
    });
  }
}

function checkLabel(raw: string, issues: SpecIssue[]): string {
  const label = raw.trim();
  if (label.length === 0) {
    issues.push({ path: 'label', message: 'the app label is empty', fix: 'give the Okta app a label such as "Dynatrace SCIM"' });
  } else if (label.length > MAX_LABEL || CONTROL_CHARS.test(label)) {
    issues.push({ path: 'label', message: `the app label must be one line of at most ${MAX_LABEL} characters`, fix: 'shorten it' });
  }
  return label;
}

/** Validates the SCIM base URL; never echoes a URL that carries credentials. */
export function checkScimBaseUrl(raw: string, issues: SpecIssue[], path = 'scimBaseUrl'): string {
  const fix = 'copy the SCIM Base URL from Dynatrace Account Management → Identity & access management → SCIM configuration, e.g. https://api.sso.dynatrace.com/idm/public/scim/<account-uuid>/v2';
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    issues.push({ path, message: 'is not a URL', fix });
    return raw;
  }
  const problems: string[] = [];
  if (url.username || url.password) problems.push('must not contain credentials (user:password@)');
  if (url.protocol !== 'https:') problems.push(`must use https, not ${url.protocol.replace(':', '')}`);
  if (url.search) problems.push('must not have a query string');
  if (url.hash) problems.push('must not have a fragment');
  if (!url.hostname) problems.push('has no host');
  if (problems.length > 0) {
    issues.push({ path, message: problems.join('; '), fix });
    return raw;
  }
  return url.toString().replace(/\/+$/, '');
}

function resolveGroups(groups: NonNullable<ScimIntegrationSpec['groups']>, issues: SpecIssue[]): ResolvedGroup[] {
  const resolved: ResolvedGroup[] = [];
  const firstIndex = { key: new Map<string, number>(), id: new Map<string, number>(), name: new Map<string, number>(), pushAs: new Map<string, number>() };
  const duplicate = (kind: keyof typeof firstIndex, value: string, index: number, what: string): void => {
    const seen = firstIndex[kind].get(value);
    if (seen === undefined) {
      firstIndex[kind].set(value, index);
      return;
    }
    issues.push({ path: `groups[${index}]`, message: `duplicate ${what} "${value}" (also groups[${seen}])`, fix: 'list each group once' });
  };

  groups.forEach((group, index) => {
    const at = (field: string): string => `groups[${index}].${field}`;
    const before = issues.length;
    const name = group.name?.trim();
    const id = group.id?.trim();
    if (group.name !== undefined && !name) issues.push({ path: at('name'), message: 'is empty', fix: 'give the Okta group name or remove the field' });
    if (group.id !== undefined && !id) issues.push({ path: at('id'), message: 'is empty', fix: 'give the Okta group id or remove the field' });
    if (name && (name.length > MAX_GROUP_NAME || CONTROL_CHARS.test(name))) {
      issues.push({ path: at('name'), message: `must be one line of at most ${MAX_GROUP_NAME} characters`, fix: 'use the group name as Okta shows it' });
    }
    if (id && !/^[A-Za-z0-9]+$/.test(id)) issues.push({ path: at('id'), message: 'is not an Okta id (letters and digits only)', fix: 'copy the id from the group page URL, e.g. 00g1a2b3c4d5e6f7g8h9' });
    if (!id && !name) issues.push({ path: `groups[${index}]`, message: 'names no group', fix: 'give `id` (existing group), `name` (existing, looked up) or `name` with `create: true`' });
    if (group.create && id) issues.push({ path: at('create'), message: 'cannot create a group that is given by id', fix: 'remove `id` to create the group, or remove `create` to use the existing one' });
    if (group.description !== undefined && !group.create) issues.push({ path: at('description'), message: 'only applies to groups created here', fix: 'add `create: true` or remove `description`' });
    const pushAs = group.push ? (group.pushAs ?? name)?.trim() : undefined;
    if (group.pushAs !== undefined && !group.push) issues.push({ path: at('pushAs'), message: 'is set but the group is not pushed', fix: 'add `push: true` or remove `pushAs`' });
    if (group.push && !pushAs) issues.push({ path: at('pushAs'), message: 'a pushed group needs a target name', fix: 'give `name` or `pushAs`: the group name to create in Dynatrace' });
    const key = group.key ?? derivedKey(name ?? id ?? '');
    if (!GROUP_KEY.test(key)) {
      issues.push({
        path: at('key'),
        message: group.key === undefined ? `cannot derive a stable key from "${name ?? id ?? ''}"` : `"${key}" is not a valid key`,
        fix: 'set `key` to 1-63 lowercase letters, digits and dashes, e.g. key: dt-admins',
      });
    }
    if (issues.length > before) return;

    duplicate('key', key, index, 'key');
    if (id) duplicate('id', id, index, 'group id');
    if (name && !id) duplicate('name', name.toLowerCase(), index, 'group name');
    if (pushAs) duplicate('pushAs', pushAs.toLowerCase(), index, 'Dynatrace group name');
    const source: GroupSource = id
      ? { kind: 'id', id }
      : group.create
        ? { kind: 'create', name: name!, ...(group.description?.trim() ? { description: group.description.trim() } : {}) }
        : { kind: 'lookup', name: name! };
    resolved.push({
      key,
      source,
      ...(name ? { name } : {}),
      ...(group.priority !== undefined ? { priority: group.priority } : {}),
      ...(pushAs ? { pushAs } : {}),
    });
  });
  return resolved;
}

/**
 * Default group key: the slug of the name, or, for names with no latin letters or digits
 * (`運用チーム`), a short hash of the name — stable either way.
 */
function derivedKey(text: string): string {
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

/** Maps zod's issues to ours, with a fix for the mistakes people actually make. */
export function zodIssues(error: z.ZodError): SpecIssue[] {
  return error.issues.flatMap((issue): SpecIssue[] => {
    const path = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const keyPath = joinPath(path, key);
        return SECRET_LOOKING_KEYS.includes(key)
          ? { path: keyPath, message: 'secrets cannot be written into configuration', fix: 'remove it and name the environment variable (`env`) or Pulumi secret (`pulumiConfig`) that holds it' }
          : { path: keyPath, message: 'is not a known field', fix: 'remove it or check its spelling' };
      });
    }
    if (issue.code === 'invalid_value') {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
      return [{ path, message: `must be one of ${allowed}`, fix: `use one of ${allowed}` }];
    }
    if (issue.code === 'invalid_type') {
      const missing = issue.input === undefined;
      if (!missing && issue.expected === 'object' && /token|secret|credential/i.test(path)) {
        return [{ path, message: 'secrets cannot be written into configuration', fix: 'name the environment variable (`env`) or Pulumi secret (`pulumiConfig`) that holds it' }];
      }
      return [{ path, message: missing ? 'is required' : `must be a ${issue.expected}`, ...(missing ? { fix: 'add it' } : {}) }];
    }
    return [{ path, message: issue.message.replace(/\.$/, '') }];
  });
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : joinPath(acc, String(part))), '');
}
