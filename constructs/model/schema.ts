/**
 * Shape validation of user input (TypeScript props or a parsed tenants file) with zod.
 * Semantic checks that need more than one field live in `resolve.ts`.
 */
import { z } from 'zod';
import type { GroupSpec, ProvisioningFeatures, ScimIntegrationSpec, SecretSource } from './spec';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CONFIG_KEY = /^[A-Za-z][A-Za-z0-9_.:-]*$/;

export const secretSourceSchema = z
  .strictObject({
    env: z.string().regex(ENV_NAME, 'must be an environment variable name (letters, digits, _)').optional(),
    pulumiConfig: z.string().regex(CONFIG_KEY, 'must be a Pulumi config key').optional(),
  })
  .describe('Where a secret comes from: an environment variable and/or a Pulumi secret config key. Never the secret itself.') satisfies z.ZodType<SecretSource>;

const provisioningSchema = z.strictObject({
  createUsers: z.boolean().optional(),
  updateUserAttributes: z.boolean().optional(),
  deactivateUsers: z.boolean().optional(),
  syncPassword: z.boolean().optional(),
}) satisfies z.ZodType<ProvisioningFeatures>;

const groupSchema = z.strictObject({
  key: z.string().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  create: z.boolean().optional(),
  description: z.string().optional(),
  priority: z.number().int('must be a whole number').min(0).max(100).optional(),
  push: z.boolean().optional(),
  pushAs: z.string().optional(),
}) satisfies z.ZodType<GroupSpec>;

export const integrationSchema = z.strictObject({
  label: z.string(),
  authMode: z.enum(['header', 'oauthBearer']),
  scimBaseUrl: z.string(),
  scimToken: secretSourceSchema,
  signOn: z.enum(['autoLogin', 'saml']).optional(),
  connection: z.enum(['managed', 'manual']).optional(),
  provisioning: provisioningSchema.optional(),
  groups: z.array(groupSchema).optional(),
  status: z.enum(['ACTIVE', 'INACTIVE']).optional(),
  removalPolicy: z.enum(['retain', 'destroy']).optional(),
  oinAppName: z.string().regex(/^[a-z0-9_]{1,100}$/, 'must be an OIN app name (lowercase letters, digits, _), e.g. scim2headerauth').optional(),
  existingAppId: z.string().regex(/^[A-Za-z0-9]+$/, 'must be an Okta app id (letters and digits, e.g. 0oa1a2b3c4d5e6f7g8h9)').optional(),
}) satisfies z.ZodType<ScimIntegrationSpec>;

/** Keys users reach for when they try to paste a secret; each gets a pointed fix instead of "unknown key". */
export const SECRET_LOOKING_KEYS = ['token', 'value', 'secret', 'apiToken', 'password', 'privateKey'];
