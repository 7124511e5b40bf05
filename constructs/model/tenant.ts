/**
 * A tenant: one Okta org provisioning one Dynatrace account. Tenants become one CDKTF stack and one
 * Pulumi stack each.
 */
import { z } from 'zod';
import type { ScimIntegrationSpec, SecretSource } from './spec';
import { backendSchema, type BackendSpec, type ResolvedBackend, resolveBackend } from './backend';
import { joinPath, SpecError, type SpecIssue } from './errors';
import { parseFields } from './parse';
import { checkSecretSource, collectIntegration, type ResolvedIntegration } from './resolve';
import { integrationSchema, secretSourceSchema } from './schema';
import { quoteValue } from './quote';

/**
 * Okta Management API credentials. Both engines' Okta providers read them from their own environment
 * variables (`OKTA_API_TOKEN`, or `OKTA_API_CLIENT_ID` + `OKTA_API_PRIVATE_KEY` [+ `OKTA_API_PRIVATE_KEY_ID`]
 * + `OKTA_API_SCOPES`); the sources named here tell CI which secret to put into them.
 */
export type OktaCredentials =
  | { readonly type: 'apiToken'; readonly token: SecretSource }
  | {
      readonly type: 'privateKey';
      /** OAuth service app client id (not a secret). */
      readonly clientId: string;
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
  readonly okta: OktaOrgSpec;
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
export const ORG_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const oktaOrgSchema = z.strictObject({
  orgName: z.string(),
  baseDomain: z.string().optional(),
  credentials: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('apiToken'), token: secretSourceSchema }),
      z.strictObject({
        type: z.literal('privateKey'),
        clientId: z.string().regex(/^[A-Za-z0-9]{10,64}$/, 'must be an Okta client id (letters and digits, e.g. 0oa9z8y7x6w5v4u3t2s1)'),
        privateKey: secretSourceSchema,
        privateKeyId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be a key id (kid): letters, digits, _ and -').optional(),
        scopes: z.array(z.string().regex(/^okta\.[A-Za-z]+\.[A-Za-z]+$/, 'must be an Okta scope such as okta.apps.read')).min(1).optional(),
      }),
    ])
    .optional(),
}) satisfies z.ZodType<OktaOrgSpec>;

/** The tenant schema, as published (JSON Schema) for editors. */
export const tenantSchema = z.strictObject({
  name: z.string(),
  okta: oktaOrgSchema,
  integration: integrationSchema,
  backend: backendSchema.optional(),
});

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
    warnings: integration.warnings.map((warning) => ({ ...warning, path: joinPath(pathPrefix, joinPath('integration', warning.path)) })),
  };
}

function resolveOktaOrg(input: unknown, issues: SpecIssue[]): ResolvedOktaOrg | undefined {
  const parsed = parseFields(oktaOrgSchema.shape, input, issues, 'okta');
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
