/**
 * Shape validation of user input (TypeScript props or a parsed tenants file) with zod. The same shapes
 * publish the tenants file's JSON Schema. Semantic checks that need more than one field live in
 * `resolve.ts`; `parse.ts` applies these shapes field by field so one bad field never hides the rest.
 */
import { z } from 'zod';
import type { DynatraceAccountSpec, GroupSpec, PolicyBindingSpec, ProvisioningSpec, ScimIntegrationSpec, SecretSource, SsoAppRef, UsernameFormat } from './spec';
import { ENV_NAME, PULUMI_CONFIG_KEY, secretNameProblem } from './secret-names';

/** A name of a secret, never a secret: refused with one pointed message when it looks like a token (or has a scheme in front). */
function secretName(pattern: RegExp, shape: string): z.ZodString {
  return z
    .string()
    .check((ctx) => {
      const problem = secretNameProblem(ctx.value, pattern);
      if (problem) ctx.issues.push({ code: 'custom', message: problem.message, input: ctx.value, params: { fix: problem.fix }, continue: false });
    })
    .regex(pattern, shape);
}

export const secretSourceSchema = z
  .strictObject({
    env: secretName(ENV_NAME, 'must be an environment variable name: letters, digits and _, not starting with a digit, at most 128 characters').optional(),
    pulumiConfig: secretName(PULUMI_CONFIG_KEY, 'must be a Pulumi config key such as dynatraceScimToken or myproject:dynatraceScimToken (letters, digits, _ . -)').optional(),
  })
  .describe('Where a secret comes from: an environment variable and/or a Pulumi secret config key. Never the secret itself.') satisfies z.ZodType<SecretSource>;

export const provisioningSchema = z
  .strictObject({
    setup: z.enum(['console', 'api']).optional().describe('console (default): an admin enters base URL, token and switches once in the Okta admin console; api: okta_app_connection + okta_app_features, only where Okta accepts them'),
    enabled: z.boolean().optional().describe('The console step is done (provisioning is on in Okta): adds the group push mappings (stage 2). setup: console only.'),
    createUsers: z.boolean().optional(),
    updateUserAttributes: z.boolean().optional(),
    deactivateUsers: z.boolean().optional(),
    syncPassword: z.boolean().optional(),
  })
  .describe('Provisioning to Dynatrace: who sets it up, whether it is done, and the "Provisioning → To App" switches') satisfies z.ZodType<ProvisioningSpec>;

export const usernameSchema = z
  .union([z.enum(['email', 'oktaUsername']), z.strictObject({ template: z.string() })])
  .describe('Application username format (the SCIM userName in Dynatrace, which must be a persistent e-mail): email (default), oktaUsername, or { template: <Okta expression> }') satisfies z.ZodType<UsernameFormat>;

export const ssoAppSchema = z
  .strictObject({ id: z.string().optional(), label: z.string().optional() })
  .describe('The existing Dynatrace SSO app (App Integration Wizard SAML app) to add SCIM to: its id or its exact label. Only read, never changed.') satisfies z.ZodType<SsoAppRef>;

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const policyBindingSchema = z
  .strictObject({
    name: z.string().optional(),
    uuid: z.string().regex(UUID, 'must be a policy uuid').optional(),
    definedIn: z.enum(['global', 'account', 'environment']).optional(),
    account: z.literal(true).optional(),
    environment: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,63}$/, 'must be a Dynatrace environment id, e.g. abc12345').optional(),
    // A name, so a token pasted here is refused like one in a secret's name: keys reach the stacks and CI logs.
    parameters: z.record(secretName(/^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/, 'must be a parameter name'), z.string()).optional(),
    boundaries: z.array(z.string().regex(UUID, 'must be a boundary uuid')).optional(),
  })
  .describe('A policy bound to this pushed group in Dynatrace: name or uuid; account: true or environment: <id>; optional parameters and boundaries') satisfies z.ZodType<PolicyBindingSpec>;

export const dynatraceAccountSchema = z
  .strictObject({
    accountUuid: z.string().regex(UUID, 'must be a Dynatrace account uuid').optional().describe('The account uuid; default: the id in scimBaseUrl when it is a uuid'),
    oauthClient: z.strictObject({ clientId: secretSourceSchema, clientSecret: secretSourceSchema }),
  })
  .describe('The Dynatrace account and the OAuth client (sources, never values) that bind the pushed groups\' policies') satisfies z.ZodType<DynatraceAccountSpec>;

export const groupSchema = z.strictObject({
  key: z.string().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  create: z.boolean().optional(),
  description: z.string().optional(),
  priority: z.number().int('must be a whole number').min(0).max(100).optional(),
  push: z.boolean().optional(),
  pushAs: z.string().optional(),
  policies: z.array(policyBindingSchema).optional(),
}) satisfies z.ZodType<GroupSpec>;

export const integrationSchema = z.strictObject({
  label: z.string().optional(),
  authMode: z.enum(['header', 'oauthBearer']).optional(),
  ssoApp: ssoAppSchema.optional(),
  scimBaseUrl: z.string().describe('Dynatrace SCIM Base URL as Account Management shows it: https://api.sso.dynatrace.com/idm/public/scim/<account id>/v2 (an id that is no uuid warns: set dynatrace.accountUuid)'),
  customScimEndpoint: z.boolean().optional(),
  scimToken: secretSourceSchema,
  signOn: z.enum(['autoLogin', 'saml']).optional().describe('autoLogin → okta_app_auto_login, saml → okta_app_saml; default per app: autoLogin for header, saml for oauthBearer'),
  username: usernameSchema.optional(),
  provisioning: provisioningSchema.optional(),
  connection: z.enum(['managed', 'manual']).optional().describe('Deprecated: use provisioning.setup (managed → api, manual → console)'),
  groups: z.array(groupSchema).optional(),
  dynatrace: dynatraceAccountSchema.optional(),
  status: z.enum(['ACTIVE', 'INACTIVE']).optional(),
  removalPolicy: z.enum(['retain', 'destroy']).optional(),
  oinAppName: z.string().regex(/^[a-z0-9_]{1,100}$/, 'must be an OIN app name (lowercase letters, digits, _), e.g. scim2headerauth').optional(),
  existingAppId: z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'must be an Okta app id (letters and digits, e.g. 0oa1a2b3c4d5e6f7g8h9)').optional(),
}) satisfies z.ZodType<ScimIntegrationSpec>;

/** Keys users reach for when they try to paste a secret; each gets a pointed fix instead of "unknown key". */
export const SECRET_LOOKING_KEYS = ['token', 'value', 'secret', 'apiToken', 'password', 'privateKey', 'clientSecret'];
