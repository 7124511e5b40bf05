/**
 * A tenant: one Okta org provisioning one Dynatrace account. Tenants become one CDKTF stack and one
 * Pulumi stack each.
 */
import * as z from '../zod';
import type { ScimIntegrationSpec, SecretSource } from './spec';
import { type BackendSpec, type ResolvedBackend, resolveBackend } from './backend';
import { joinPath, SpecError, type SpecIssue } from './errors';
import { parseFields } from './parse';
import { checkSecretSource, collectIntegration, type ResolvedIntegration } from './resolve';
import { quoteValue } from './quote';
import { oktaOrgSchema, tenantSchema } from './schema';

/**
 * A setting that is not secret but differs between the places a stack runs: a literal, or the environment
 * variable that holds it (each GitHub environment sets its own value under that name).
 */
export type EnvSetting = string | { readonly env: string };

/**
 * Okta Management API credentials. Both engines' Okta providers read them from their own environment
 * variables (`OKTA_API_TOKEN`, or `OKTA_API_CLIENT_ID` + `OKTA_API_PRIVATE_KEY` [+ `OKTA_API_PRIVATE_KEY_ID`]
 * + `OKTA_API_SCOPES`); the sources named here tell CI which secret to put into them.
 *
 * The same names resolve to different values in different GitHub environments: the read-only
 * environment of plans and drift checks holds a read-only credential, `okta-write` the one apply uses.
 * For an API token that is the token's secret; for a service app it is the app itself — its client id
 * and key id come from the environment too (`clientId: { env: … }`), and read-only runs request only
 * the `.read` form of each scope ({@link readOnlyScopes}).
 */
export type OktaCredentials =
  | {
      /** An Okta API token (`OKTA_API_TOKEN`). */
      readonly type: 'apiToken';
      /** Where the API token comes from. */
      readonly token: SecretSource;
    }
  | {
      /** An OAuth service app with a private key (`OKTA_API_PRIVATE_KEY`). */
      readonly type: 'privateKey';
      /**
       * OAuth service app client id (not a secret): a literal (one app for plan, drift and apply, so
       * pull-request plans hold its write scopes — validation warns), or `{ env: NAME }`, the variable each
       * CI environment sets to its own app: a read-only app for plans and drift, the write app for apply.
       */
      readonly clientId: EnvSetting;
      /** Where the private key (PEM or JWK) comes from. */
      readonly privateKey: SecretSource;
      /** Key id (`kid`) of the private key, given the same way as `clientId`. @default none */
      readonly privateKeyId?: EnvSetting;
      /** The scopes apply needs (read-only runs request their `.read` forms). @default {@link REQUIRED_OKTA_SCOPES} */
      readonly scopes?: readonly string[];
    };

export interface OktaOrgSpec {
  /** Org subdomain: `acme` for `https://acme.okta.com`. */
  readonly orgName: string;
  /** Okta base domain. @default 'okta.com' */
  readonly baseDomain?: string;
  /** @default { type: 'apiToken', token: { env: 'OKTA_API_TOKEN' } } */
  readonly credentials?: OktaCredentials;
}

export interface TenantSpec {
  /** Tenant name: lowercase letters, digits, dashes. Names the stacks, so it never changes. */
  readonly name: string;
  /** The Okta org and the credentials its provider uses. */
  readonly okta: OktaOrgSpec;
  /** The SCIM integration: the app, the Dynatrace endpoint, the token's source, the groups. */
  readonly integration: ScimIntegrationSpec;
  /** Where each engine keeps this tenant's state. @default local state for both engines */
  readonly backend?: BackendSpec;
}

/**
 * Scopes an Okta OAuth service app needs for the resources this library manages: apps (app, connection,
 * features, assignments, push mappings) and groups (lookup, creation, push).
 */
export const REQUIRED_OKTA_SCOPES = ['okta.apps.read', 'okta.apps.manage', 'okta.groups.read', 'okta.groups.manage'] as const;

/**
 * What a run may do: plans, destroy plans and drift checks only read (a GitHub environment of read-only
 * credentials, no SCIM token, no state lock); apply writes (`okta-write`).
 */
export type Access = 'read' | 'write';

/** What a read-only run (plan, drift check, verify) requests: each `okta.<x>.manage` as `okta.<x>.read`, once. */
export function readOnlyScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes.map((scope) => scope.replace(/\.manage$/, '.read')))];
}

/** The environment variables both engines' Okta providers read (terraform-provider-okta and the bridged `@pulumi/okta`). */
export const OKTA_PROVIDER_ENV = {
  apiToken: 'OKTA_API_TOKEN',
  privateKey: 'OKTA_API_PRIVATE_KEY',
  clientId: 'OKTA_API_CLIENT_ID',
  privateKeyId: 'OKTA_API_PRIVATE_KEY_ID',
  scopes: 'OKTA_API_SCOPES',
} as const;

/** The Okta provider block's arguments, the same in both engines (`org_name`/`orgName`, …). */
export interface OktaProviderSettings {
  readonly orgName: string;
  readonly baseUrl: string;
  readonly clientId?: string;
  readonly privateKeyId?: string;
  readonly scopes?: string[];
}

/**
 * The Okta provider block of a tenant's stacks (both engines): the org and its domain, and a literal
 * service app's client id, key id and scopes. Never a credential, nor, for a service app chosen by the
 * environment, its client id, key id or scopes: the provider reads those from its environment
 * ({@link oktaProviderEnvironment}).
 */
export function oktaProviderSettings(okta: ResolvedOktaOrg): OktaProviderSettings {
  const org = { orgName: okta.orgName, baseUrl: okta.baseDomain };
  const credentials = okta.credentials;
  if (credentials.type !== 'privateKey' || typeof credentials.clientId !== 'string') return org;
  return { ...org, clientId: credentials.clientId, scopes: [...credentials.scopes], ...(typeof credentials.privateKeyId === 'string' ? { privateKeyId: credentials.privateKeyId } : {}) };
}

/** A variable the Okta provider reads, the variable the tenants file names for its value, and what it is. */
export interface OktaProviderVariable {
  /** What the provider reads (`OKTA_API_TOKEN`, …). */
  readonly name: string;
  /** The variable holding the value, as the tenants file names it; undefined when it names only a Pulumi secret. */
  readonly from: string | undefined;
  readonly what: string;
}

/**
 * What the Okta provider reads from its environment in one run, besides its block
 * ({@link oktaProviderSettings}): the credential, copied from the variable the tenants file names; for a
 * service app chosen by the environment also its client id and key id, and its scopes as a value — the
 * `.read` forms ({@link readOnlyScopes}) for read-only runs (plans, drift checks).
 */
export function oktaProviderEnvironment(credentials: ResolvedOktaCredentials, access: Access): { readonly copied: readonly OktaProviderVariable[]; readonly values: Readonly<Record<string, string>> } {
  if (credentials.type === 'apiToken') return { copied: [{ name: OKTA_PROVIDER_ENV.apiToken, from: credentials.token.env, what: 'the Okta API token' }], values: {} };
  const key: OktaProviderVariable = { name: OKTA_PROVIDER_ENV.privateKey, from: credentials.privateKey.env, what: 'the Okta private key' };
  if (!identityFromEnvironment(credentials)) return { copied: [key], values: {} };
  return {
    copied: [
      key,
      { name: OKTA_PROVIDER_ENV.clientId, from: credentials.clientId.env, what: 'the Okta service app client id' },
      ...(typeof credentials.privateKeyId === 'object' ? [{ name: OKTA_PROVIDER_ENV.privateKeyId, from: credentials.privateKeyId.env, what: 'the Okta key id' }] : []),
    ],
    values: { [OKTA_PROVIDER_ENV.scopes]: (access === 'read' ? readOnlyScopes(credentials.scopes) : credentials.scopes).join(',') },
  };
}

/** Whether the service app is chosen by the CI environment (`clientId: { env }`) rather than named in the file. */
function identityFromEnvironment(credentials: ResolvedOktaCredentials): credentials is ResolvedOktaCredentials & { readonly type: 'privateKey'; readonly clientId: { readonly env: string } } {
  return credentials.type === 'privateKey' && typeof credentials.clientId === 'object';
}

export type ResolvedOktaCredentials =
  | Extract<OktaCredentials, { type: 'apiToken' }>
  | (Extract<OktaCredentials, { type: 'privateKey' }> & { readonly scopes: readonly string[] });

export interface ResolvedOktaOrg {
  readonly orgName: string;
  readonly baseDomain: string;
  readonly credentials: ResolvedOktaCredentials;
}

export interface ResolvedTenant {
  readonly name: string;
  readonly okta: ResolvedOktaOrg;
  readonly integration: ResolvedIntegration;
  readonly backend: ResolvedBackend;
  /** Legal but risky choices with their reasons; paths include the tenant's position in its file. */
  readonly warnings: readonly SpecIssue[];
}

export const TENANT_NAME = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;
export const ORG_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** A tenant's own fields; the integration and the Okta org are checked below, with their own messages. */
const TENANT_FIELDS = tenantSchema.extend({ okta: z.unknown(), integration: z.unknown() });

/** Validates one tenant; `pathPrefix` locates it in a file (e.g. `tenants[1]`). Reports every problem at once. */
export function resolveTenant(input: unknown, pathPrefix = ''): ResolvedTenant {
  const name = tenantNameOf(input);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SpecError([{ path: '', message: 'a tenant must be a map with name, okta and integration', fix: 'see tenants.yaml in the repository for an example' }], name).within(name, pathPrefix);
  }
  const issues: SpecIssue[] = [];
  const fields = parseFields(TENANT_FIELDS, input, issues, '')!.fields;
  if (fields.name !== undefined && !TENANT_NAME.test(fields.name)) {
    issues.push({ path: 'name', message: `${quoteValue(fields.name)} is not a valid tenant name`, fix: '2-40 lowercase letters, digits and dashes, starting with a letter (it names the stacks)' });
  }
  const okta = resolveOktaOrg((input as { okta?: unknown }).okta, issues);
  const backend = resolveBackend(fields.backend, fields.name ?? 'tenant', issues);
  const integrationIssues: SpecIssue[] = [];
  const integration = collectIntegration((input as { integration?: unknown }).integration, integrationIssues);
  issues.push(...integrationIssues.map((issue) => ({ ...issue, path: joinPath('integration', issue.path) })));
  if (issues.length > 0 || !integration || !okta || fields.name === undefined) throw new SpecError(issues, name).within(name, pathPrefix);
  return {
    name: fields.name,
    okta,
    integration,
    backend,
    warnings: [
      ...oktaWarnings(okta).map((warning) => ({ ...warning, path: joinPath(pathPrefix, warning.path) })),
      ...integration.warnings.map((warning) => ({ ...warning, path: joinPath(pathPrefix, joinPath('integration', warning.path)) })),
    ],
  };
}

export function resolveOktaOrg(input: unknown, issues: SpecIssue[]): ResolvedOktaOrg | undefined {
  const parsed = parseFields(oktaOrgSchema, input, issues, 'okta');
  if (!parsed) return undefined;
  const org = parsed.fields;
  if (org.orgName === undefined) return undefined;
  if (!ORG_NAME.test(org.orgName)) {
    issues.push({ path: 'okta.orgName', message: `${quoteValue(org.orgName)} is not an Okta org name`, fix: 'use the subdomain only: "acme" for https://acme.okta.com' });
  }
  const baseDomain = org.baseDomain ?? 'okta.com';
  if (!DOMAIN.test(baseDomain)) {
    issues.push({ path: 'okta.baseDomain', message: `${quoteValue(baseDomain)} is not a domain`, fix: 'use the domain only, e.g. okta.com, oktapreview.com or okta-emea.com' });
  }
  if (parsed.failed.has('credentials')) return undefined;
  const credentials = org.credentials ?? { type: 'apiToken', token: { env: OKTA_PROVIDER_ENV.apiToken } };
  if (credentials.type === 'apiToken') {
    checkSecretSource(credentials.token, 'okta.credentials.token', issues);
    return { orgName: org.orgName, baseDomain, credentials };
  }
  checkSecretSource(credentials.privateKey, 'okta.credentials.privateKey', issues);
  if (credentials.privateKeyId !== undefined && typeof credentials.privateKeyId !== typeof credentials.clientId) {
    issues.push({
      path: 'okta.credentials.privateKeyId',
      message: 'must be given the same way as clientId: the key id belongs to the service app',
      fix: typeof credentials.clientId === 'object' ? 'privateKeyId: { env: ACME_OKTA_KEY_ID } next to clientId: { env: … }' : 'a literal key id next to the literal clientId',
    });
  }
  return { orgName: org.orgName, baseDomain, credentials: { ...credentials, scopes: credentials.scopes ?? [...REQUIRED_OKTA_SCOPES] } };
}

/** Legal but risky Okta settings, with their reasons. */
function oktaWarnings(okta: ResolvedOktaOrg): SpecIssue[] {
  if (okta.credentials.type !== 'privateKey' || identityFromEnvironment(okta.credentials)) return [];
  return [
    {
      path: 'okta.credentials.clientId',
      message: 'names one service app for plans, drift checks and apply: pull-request plans then run with its write scopes',
      fix: 'give clientId (and privateKeyId) as { env: NAME } and set a read-only service app under that name in the plan environment, the write app in okta-write (docs/day-2.md)',
    },
  ];
}

function tenantNameOf(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const name = (input as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}
