/**
 * A tenant: one Okta org provisioning one Dynatrace account. Tenants become one CDKTF stack and one
 * Pulumi stack each.
 */
import { z } from 'zod';
import type { ScimIntegrationSpec, SecretSource } from './spec';
import { backendSchema, type BackendSpec, type ResolvedBackend, resolveBackend } from './backend';
import { SpecError, type SpecIssue } from './errors';
import { checkSecretSource, type ResolvedIntegration, resolveIntegration, zodIssues } from './resolve';
import { integrationSchema, secretSourceSchema } from './schema';

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
}

export const TENANT_NAME = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;
const ORG_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const oktaOrgSchema = z.strictObject({
  orgName: z.string(),
  baseDomain: z.string().optional(),
  credentials: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('apiToken'), token: secretSourceSchema }),
      z.strictObject({
        type: z.literal('privateKey'),
        clientId: z.string().min(1),
        privateKey: secretSourceSchema,
        privateKeyId: z.string().min(1).optional(),
        scopes: z.array(z.string().min(1)).min(1).optional(),
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

/** Same shape, with the integration left to {@link resolveIntegration} for its richer messages. */
const tenantEnvelope = tenantSchema.extend({ integration: z.unknown() });

/** Validates one tenant; `pathPrefix` locates it in a file (e.g. `tenants[1]`). */
export function resolveTenant(input: unknown, pathPrefix = ''): ResolvedTenant {
  const name = tenantNameOf(input);
  const parsed = tenantEnvelope.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    throw new SpecError(zodIssues(parsed.error), name).within(name, pathPrefix);
  }
  const issues: SpecIssue[] = [];
  if (!TENANT_NAME.test(parsed.data.name)) {
    issues.push({ path: 'name', message: `"${parsed.data.name}" is not a valid tenant name`, fix: '2-40 lowercase letters, digits and dashes, starting with a letter (it names the stacks)' });
  }
  const okta = resolveOktaOrg(parsed.data.okta, issues);
  const backend = resolveBackend(parsed.data.backend, parsed.data.name, issues);
  let integration: ResolvedIntegration | undefined;
  try {
    integration = resolveIntegration(parsed.data.integration, name, 'integration');
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    issues.push(...error.issues);
  }
  if (issues.length > 0 || !integration) throw new SpecError(issues, name).within(name, pathPrefix);
  return { name: parsed.data.name, okta, integration, backend };
}

function resolveOktaOrg(org: OktaOrgSpec, issues: SpecIssue[]): ResolvedOktaOrg {
  if (!ORG_NAME.test(org.orgName)) {
    issues.push({ path: 'okta.orgName', message: `"${org.orgName}" is not an Okta org name`, fix: 'use the subdomain only: "acme" for https://acme.okta.com' });
  }
  const baseDomain = org.baseDomain ?? 'okta.com';
  if (!DOMAIN.test(baseDomain)) {
    issues.push({ path: 'okta.baseDomain', message: `"${baseDomain}" is not a domain`, fix: 'use the domain only, e.g. okta.com, oktapreview.com or okta-emea.com' });
  }
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
