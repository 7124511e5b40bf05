/**
 * What a CI job needs to plan, apply or check one tenant, and nothing secret: where to run terraform,
 * the Pulumi stack and backend, and the *names* of the secrets that feed the providers. Every field is a
 * validated name (tenant names, stack folders, backend types, secret names), never free text.
 */
import { pulumiStackFor, terraformBackendFor } from '../../constructs/model/backend';
import { needsScimToken } from '../../constructs/model/resolve';
import { type Access, oktaProviderEnvironment, type ResolvedTenant } from '../../constructs/model/tenant';
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
  /** The stack reads the Dynatrace SCIM token at plan/apply time, so the job must have it (`needsScimToken`). */
  readonly needsScimToken: boolean;
  readonly dynatraceClientIdEnv: string;
  readonly dynatraceClientIdPulumiConfig: string;
  readonly dynatraceClientSecretEnv: string;
  readonly dynatraceClientSecretPulumiConfig: string;
  /** The stack binds Dynatrace policies, so the job needs the Dynatrace OAuth client. */
  readonly needsDynatraceClient: boolean;
}

export function tenantJob(tenant: ResolvedTenant, outdir: string): TenantJob {
  const backend = terraformBackendFor(tenant);
  const pulumi = pulumiStackFor(tenant);
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
    needsScimToken: needsScimToken(tenant.integration),
    dynatraceClientIdEnv: tenant.integration.dynatrace?.oauthClient.clientId.env ?? '',
    dynatraceClientIdPulumiConfig: tenant.integration.dynatrace?.oauthClient.clientId.pulumiConfig ?? '',
    dynatraceClientSecretEnv: tenant.integration.dynatrace?.oauthClient.clientSecret.env ?? '',
    dynatraceClientSecretPulumiConfig: tenant.integration.dynatrace?.oauthClient.clientSecret.pulumiConfig ?? '',
    needsDynatraceClient: usesDynatrace(tenant.integration),
  };
}

/**
 * The names of every secret one tenant's CI job needs, and nothing more: exactly what a workflow job maps
 * for its tenants (operations/ci/workflows.ts) and what `batch` reads. The Okta credential (for a
 * service app chosen by the environment also its client id and key id), the Dynatrace OAuth client when
 * the tenant binds policies, the SCIM token only for apply of API-path tenants, and the credentials of
 * the state backends the tenant names.
 */
export function tenantSecretNames(tenant: ResolvedTenant, access: Access): string[] {
  const names: (string | undefined)[] = oktaProviderEnvironment(tenant.okta.credentials, access).copied.map((variable) => variable.from);
  const dynatrace = tenant.integration.dynatrace;
  if (dynatrace && usesDynatrace(tenant.integration)) names.push(dynatrace.oauthClient.clientId.env, dynatrace.oauthClient.clientSecret.env);
  if (access === 'write' && needsScimToken(tenant.integration)) names.push(tenant.integration.scimToken.env);
  names.push(...backendSecretNames(tenant));
  return [...new Set(names.filter((name): name is string => Boolean(name)))].sort();
}

/**
 * Credentials of the state backends a tenant names, by the variables terraform and pulumi read: S3
 * (and KMS) → the AWS keys; GCS / Google KMS → `GOOGLE_CREDENTIALS`; HCP Terraform → `TF_TOKEN_<host>`;
 * Pulumi Cloud → `PULUMI_ACCESS_TOKEN`; Azure Blob → the storage account key; Azure Key Vault → the
 * service principal; HashiCorp Vault → `VAULT_TOKEN`; the passphrase provider (self-managed backends'
 * default) → `PULUMI_CONFIG_PASSPHRASE`. A Pulumi backend the tenant does not name gets none: CI needs
 * `backend.pulumi` named (docs/day-2.md).
 */
export function backendSecretNames(tenant: ResolvedTenant): string[] {
  const names: string[] = [];
  const terraform = tenant.backend.terraform;
  if (terraform.type === 's3') names.push(...AWS);
  if (terraform.type === 'gcs') names.push('GOOGLE_CREDENTIALS');
  if (terraform.type === 'cloud') names.push(terraformCredentialsVariable(terraform.hostname));
  const { url, organization, secretsProvider } = tenant.backend.pulumi;
  const scheme = url ? url.slice(0, url.indexOf(':')) : organization ? 'https' : undefined;
  if (scheme === 'https') names.push('PULUMI_ACCESS_TOKEN');
  if (scheme === 's3') names.push(...AWS);
  if (scheme === 'gs') names.push('GOOGLE_CREDENTIALS');
  if (scheme === 'azblob') names.push('AZURE_STORAGE_ACCOUNT', 'AZURE_STORAGE_KEY');
  const provider = secretsProvider ?? (scheme && scheme !== 'https' ? 'passphrase' : undefined);
  if (provider === 'passphrase') names.push('PULUMI_CONFIG_PASSPHRASE');
  if (provider?.startsWith('awskms:')) names.push(...AWS);
  if (provider?.startsWith('gcpkms:')) names.push('GOOGLE_CREDENTIALS');
  if (provider?.startsWith('azurekeyvault:')) names.push('AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_TENANT_ID');
  if (provider?.startsWith('hashivault:')) names.push('VAULT_TOKEN');
  return [...new Set(names)];
}

const AWS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

/**
 * Terraform's credentials variable for a host: `TF_TOKEN_` + the host with `.` as `_` and `-` as `__`
 * (not the stack's SCIM token variable, constructs/resources/names.ts `terraformTokenVariable`).
 */
function terraformCredentialsVariable(hostname: string): string {
  return `TF_TOKEN_${hostname.replace(/-/g, '__').replace(/\./g, '_')}`;
}
