/**
 * Shape validation of user input (TypeScript props or a parsed tenants file) with zod. The same shapes
 * publish the tenants file's JSON Schema. Semantic checks that need more than one field live in
 * `resolve.ts`; `parse.ts` applies these shapes field by field so one bad field never hides the rest.
 */
import * as z from '../zod';
import type { BackendSpec, PulumiBackendSpec, TerraformBackendSpec } from './backend';
import type { DynatraceAccountSpec, GroupSpec, PolicyBindingSpec, ProvisioningSpec, ScimIntegrationSpec, SecretSource, SsoAppRef, UsernameFormat } from './spec';
import type { OktaOrgSpec } from './tenant';
import { UUID } from './scim-endpoint';
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

/** A non-secret setting given literally or as `{ env: NAME }` (see `EnvSetting` in tenant.ts). */
function envSettingSchema(literal: z.ZodString, description: string) {
  return z
    .union([literal, z.strictObject({ env: secretName(ENV_NAME, 'must be an environment variable name: letters, digits and _, not starting with a digit, at most 128 characters') })])
    .describe(description);
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
  .union([z.enum(['email', 'oktaUsername']), z.strictObject({ template: z.string(), type: z.enum(['BUILT_IN', 'CUSTOM']).optional() })])
  .describe('Application username format (the SCIM userName in Dynatrace, which must be a persistent e-mail): email (default), oktaUsername, or { template: <Okta expression>, type: CUSTOM (default) | BUILT_IN }') satisfies z.ZodType<UsernameFormat>;

export const ssoAppSchema = z
  .strictObject({ id: z.string().optional(), label: z.string().optional(), importAssignments: z.boolean().optional() })
  .describe('The existing Dynatrace SSO app (App Integration Wizard SAML app) to add SCIM to: its id or its exact label. Only read, never changed. importAssignments: true imports the groups\' existing assignments (with id).') satisfies z.ZodType<SsoAppRef>;

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
  pushTargetId: z.string().optional().describe('The existing group in the app (Okta APP_GROUP id, the push mapping\'s targetGroupId) the push links to, instead of creating one named pushAs'),
  existingPushId: z.string().optional().describe('Id of the existing push mapping of this group, imported instead of created (needs pushTargetId)'),
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

export const terraformBackendSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('local'), path: z.string().min(1).optional() }).describe('Local state file (the default). Fine on a laptop; CI runners lose it.'),
    z
      .strictObject({
        type: z.literal('s3'),
        bucket: z.string(),
        key: z.string().min(1).optional(),
        region: z.string(),
        dynamodbTable: z.string().min(1).optional(),
        useLockfile: z.boolean().optional(),
        encrypt: z.boolean().optional(),
      })
      .describe('Amazon S3. key defaults to okta-dynatrace-scim/<tenant>/terraform.tfstate; S3-native locking (use_lockfile) unless dynamodbTable is given; encrypt defaults to true.'),
    z.strictObject({ type: z.literal('gcs'), bucket: z.string(), prefix: z.string().min(1).optional() }).describe('Google Cloud Storage. prefix defaults to okta-dynatrace-scim/<tenant>.'),
    z
      .strictObject({ type: z.literal('cloud'), organization: z.string(), workspace: z.string().optional(), hostname: z.string().optional() })
      .describe('HCP Terraform / Terraform Enterprise. workspace defaults to okta-dynatrace-<tenant>, hostname to app.terraform.io.'),
  ])
  .describe('Terraform state of this tenant\'s CDKTF stack. Default: { type: local }.') satisfies z.ZodType<TerraformBackendSpec>;

export const pulumiBackendSchema = z
  .strictObject({
    url: z.string().optional().describe('pulumi login URL: https://api.pulumi.com, s3://…, gs://…, azblob://…, file://…'),
    organization: z.string().optional().describe('Pulumi Cloud organization owning the stack'),
    secretsProvider: z.string().optional().describe('passphrase, awskms://…, gcpkms://…, azurekeyvault://…, hashivault://…'),
  })
  .describe('Pulumi backend of this tenant\'s stack (stack name = tenant name). Default: the logged-in backend.') satisfies z.ZodType<PulumiBackendSpec>;

export const backendSchema = z
  .strictObject({ terraform: terraformBackendSchema.optional(), pulumi: pulumiBackendSchema.optional() })
  .describe('Where state lives, per engine. Omit for local state (zero config).') satisfies z.ZodType<BackendSpec>;

export const oktaOrgSchema = z.strictObject({
  orgName: z.string(),
  baseDomain: z.string().optional(),
  credentials: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('apiToken'), token: secretSourceSchema }),
      z.strictObject({
        type: z.literal('privateKey'),
        clientId: envSettingSchema(z.string().regex(/^[A-Za-z0-9]{10,64}$/, 'must be an Okta client id (letters and digits, e.g. 0oa9z8y7x6w5v4u3t2s1)'), 'The service app\'s client id, or { env: NAME }: the variable each CI environment sets to its own app (read-only for plans and drift, write for apply)'),
        privateKey: secretSourceSchema,
        privateKeyId: envSettingSchema(z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be a key id (kid): letters, digits, _ and -'), 'Key id (kid) of the private key, given the same way as clientId').optional(),
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
