/**
 * A tenant: one Okta org provisioning one Dynatrace account. Tenants become one CDKTF stack and one
 * Pulumi stack each.
 */
import { z } from 'zod';
import type { ScimIntegrationSpec, SecretSource } from './spec';
import { type BackendSpec, type ResolvedBackend, resolveBackend } from './backend';
import { joinPath, SpecError, type SpecIssue } from './errors';
import { parseFields } from './parse';
import { checkSecretSource, collectIntegration, type ResolvedIntegration } from './resolve';
import { oktaOrgSchema, tenantSchema } from './schema';

/**
 * Okta Management API credentials. Both engines' Okta providers read them from their own environment
 * variables (`OKTA_API_TOKEN`, or `OKTA_API_CLIENT_ID` + `OKTA_API_PRIVATE_KEY` [+ `OKTA_API_PRIVATE_KEY_ID`]
 * + `OKTA_API_SCOPES`); the sources named here tell CI which secret to put into them.
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
      /** OAuth service app client id (not a secret). */
      readonly clientId: string;
      /** Where the private key (PEM) comes from. */
      readonly privateKey: SecretSource;
      /** Key id (`kid`) of the private key, when the app has several. @default none */
      readonly privateKeyId?: string;
      /** @default {@link REQUIRED_OKTA_SCOPES} */
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
const ORG_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Validates one tenant; `pathPrefix` locates it in a file (e.g. `tenants[1]`). Reports every problem at once. */
export function resolveTenant(input: unknown, pathPrefix = ''): ResolvedTenant {
  const name = tenantNameOf(input);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SpecError([{ path: '', message: 'a tenant must be a map with name, okta and integration', fix: 'see tenants.yaml in the repository for an example' }], name).within(name, pathPrefix);
  }
  const issues: SpecIssue[] = [];
  // The integration and the Okta org are checked field by field below, with their own messages.
  const fields = parseFields({ ...tenantSchema.shape, okta: z.unknown(), integration: z.unknown() }, input, issues, '')!.fields;
  if (fields.name !== undefined && !TENANT_NAME.test(fields.name)) {
    issues.push({ path: 'name', message: `"${fields.name}" is not a valid tenant name`, fix: '2-40 lowercase letters, digits and dashes, starting with a letter (it names the stacks)' });
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
    warnings: integration.warnings.map((warning) => ({ ...warning, path: joinPath(pathPrefix, joinPath('integration', warning.path)) })),
  };
}

export function resolveOktaOrg(input: unknown, issues: SpecIssue[]): ResolvedOktaOrg | undefined {
  const parsed = parseFields(oktaOrgSchema.shape, input, issues, 'okta');
  if (!parsed) return undefined;
  const org = parsed.fields;
  if (org.orgName === undefined) return undefined;
  if (!ORG_NAME.test(org.orgName)) {
    issues.push({ path: 'okta.orgName', message: `"${org.orgName}" is not an Okta org name`, fix: 'use the subdomain only: "acme" for https://acme.okta.com' });
  }
  const baseDomain = org.baseDomain ?? 'okta.com';
  if (!DOMAIN.test(baseDomain)) {
    issues.push({ path: 'okta.baseDomain', message: `"${baseDomain}" is not a domain`, fix: 'use the domain only, e.g. okta.com, oktapreview.com or okta-emea.com' });
  }
  if (parsed.failed.has('credentials')) return undefined;
  const credentials = org.credentials ?? { type: 'apiToken', token: { env: 'OKTA_API_TOKEN' } };
  if (credentials.type === 'apiToken') {
    checkSecretSource(credentials.token, 'okta.credentials.token', issues);
    return { orgName: org.orgName, baseDomain, credentials };
  }
  checkSecretSource(credentials.privateKey, 'okta.credentials.privateKey', issues);
  return { orgName: org.orgName, baseDomain, credentials: { ...credentials, scopes: credentials.scopes ?? [...REQUIRED_OKTA_SCOPES] } };
}

function tenantNameOf(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const name = (input as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}
