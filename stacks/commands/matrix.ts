/**
 * `matrix`: the CI matrix as JSON, one entry per tenant, with everything a job needs and no secret:
 * where to run terraform, the Pulumi stack and backend, and the *names* of the secrets that feed the
 * providers (the workflow reads them with `secrets[matrix.<name>]`).
 */
import { pulumiStackFor, terraformBackendFor } from '../../constructs/model/backend';
import type { ResolvedTenant } from '../../constructs/model/tenant';
import type { Io } from './output';
import { selectTenants } from './tenants';

export interface MatrixEntry {
  readonly tenant: string;
  readonly stackDir: string;
  readonly terraformBackend: string;
  /** Local state is lost with the runner: the apply workflow refuses such tenants. */
  readonly persistentState: boolean;
  readonly pulumiStack: string;
  readonly pulumiBackendUrl: string;
  readonly pulumiSecretsProvider: string;
  readonly scimTokenEnv: string;
  readonly scimTokenPulumiConfig: string;
  readonly oktaCredentialType: 'apiToken' | 'privateKey';
  readonly oktaTokenEnv: string;
  readonly oktaPrivateKeyEnv: string;
  /** `connection: manual`: no token reaches Terraform (no `dynatrace_scim_token` variable). */
  readonly manualConnection: boolean;
}

export function matrixEntry(tenant: ResolvedTenant, outdir: string): MatrixEntry {
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
    manualConnection: tenant.integration.provisioning.setup === 'console',
  };
}

export interface MatrixOptions {
  readonly tenants: string;
  readonly out: string;
  readonly tenant?: readonly string[];
}

export function runMatrix(options: MatrixOptions, io: Io): number {
  const tenants = selectTenants(options.tenants, options.tenant ?? []);
  io.stdout.write(`${JSON.stringify({ include: tenants.map((tenant) => matrixEntry(tenant, options.out)) })}\n`);
  return 0;
}
