/**
 * What a CI job needs to plan, apply or check one tenant, and nothing secret: where to run terraform,
 * the Pulumi stack and backend, and the *names* of the secrets that feed the providers. Every field is a
 * validated name (tenant names, stack folders, backend types, secret names), never free text.
 */
import { pulumiStackFor, terraformBackendFor } from '../../constructs/model/backend';
import type { ResolvedTenant } from '../../constructs/model/tenant';
import { usesDynatrace } from '../../constructs/resources/plan';

export interface TenantJob {
  readonly tenant: string;
  readonly stackDir: string;
  readonly terraformBackend: string;
  /** Local state is lost with the runner: apply refuses such tenants. */
  readonly persistentState: boolean;
  readonly pulumiStack: string;
  readonly pulumiBackendUrl: string;
  readonly pulumiSecretsProvider: string;
  readonly scimTokenEnv: string;
  readonly scimTokenPulumiConfig: string;
  readonly oktaCredentialType: 'apiToken' | 'privateKey';
  readonly oktaTokenEnv: string;
  readonly oktaPrivateKeyEnv: string;
  /** The stack reads the Dynatrace SCIM token at plan/apply time, so the job must have it. */
  readonly needsScimToken: boolean;
  readonly dynatraceClientIdEnv: string;
  readonly dynatraceClientIdPulumiConfig: string;
  readonly dynatraceClientSecretEnv: string;
  readonly dynatraceClientSecretPulumiConfig: string;
  /** The stack binds Dynatrace policies, so the job needs the Dynatrace OAuth client. */
  readonly needsDynatraceClient: boolean;
}

/**
 * Whether the tenant's stacks read the SCIM token: only on the API path, where the stack manages the
 * provisioning connection (`okta_app_connection`); on the console path the admin pastes it once. The one
 * place that decides it for every workflow.
 */
export function needsScimToken(tenant: ResolvedTenant): boolean {
  return tenant.integration.provisioning.setup === 'api';
}

export function tenantJob(tenant: ResolvedTenant, outdir: string): TenantJob {
  const backend = terraformBackendFor(tenant);
  const pulumi = pulumiStackFor(tenant);
  const credentials = tenant.okta.credentials;
  return {
    tenant: tenant.name,
    stackDir: `${outdir}/stacks/${tenant.name}`,
    terraformBackend: backend.type,
    persistentState: backend.type !== 'local',
    pulumiStack: pulumi.qualifiedName,
    pulumiBackendUrl: pulumi.backendUrl ?? '',
    pulumiSecretsProvider: pulumi.secretsProvider ?? '',
    scimTokenEnv: tenant.integration.scimToken.env ?? '',
    scimTokenPulumiConfig: tenant.integration.scimToken.pulumiConfig ?? '',
    oktaCredentialType: credentials.type,
    oktaTokenEnv: credentials.type === 'apiToken' ? (credentials.token.env ?? '') : '',
    oktaPrivateKeyEnv: credentials.type === 'privateKey' ? (credentials.privateKey.env ?? '') : '',
    needsScimToken: needsScimToken(tenant),
    dynatraceClientIdEnv: tenant.integration.dynatrace?.oauthClient.clientId.env ?? '',
    dynatraceClientIdPulumiConfig: tenant.integration.dynatrace?.oauthClient.clientId.pulumiConfig ?? '',
    dynatraceClientSecretEnv: tenant.integration.dynatrace?.oauthClient.clientSecret.env ?? '',
    dynatraceClientSecretPulumiConfig: tenant.integration.dynatrace?.oauthClient.clientSecret.pulumiConfig ?? '',
    needsDynatraceClient: usesDynatrace(tenant.integration),
  };
}

/** State-backend and engine credentials: fixed secret names, documented in docs/day-2.md. */
export const BACKEND_SECRETS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'GOOGLE_CREDENTIALS', 'TF_TOKEN_app_terraform_io', 'PULUMI_ACCESS_TOKEN', 'PULUMI_CONFIG_PASSPHRASE'] as const;
