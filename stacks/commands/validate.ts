/** `validate`: checks the tenants file and prints one line per tenant, or every problem with its path and fix. */
import { terraformBackendFor, pulumiStackFor } from '../../constructs/model/backend';
import type { ResolvedTenant } from '../../constructs/model/tenant';
import type { Io } from './output';
import { styleFor } from './output';
import { selectTenants } from './tenants';

export interface ValidateOptions {
  readonly tenants: string;
  readonly json?: boolean;
}

export function runValidate(options: ValidateOptions, io: Io): number {
  const tenants = selectTenants(options.tenants);
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ ok: true, tenants: tenants.map(summary) }, null, 2)}\n`);
    return 0;
  }
  const style = styleFor(io);
  for (const tenant of tenants) {
    const s = summary(tenant);
    io.stdout.write(`${style.ok('OK')} ${tenant.name}  ${style.dim(`okta ${s.okta} · ${s.authMode}/${s.signOn}/${s.connection} · terraform state: ${s.terraformState} · pulumi stack: ${s.pulumiStack}`)}\n`);
  }
  io.stdout.write(`${tenants.length} tenant${tenants.length === 1 ? '' : 's'} valid in ${options.tenants}\n`);
  return 0;
}

function summary(tenant: ResolvedTenant) {
  const backend = terraformBackendFor(tenant);
  const state =
    backend.type === 'local' ? `local${backend.config.path ? ` (${backend.config.path})` : ''}`
    : backend.type === 's3' ? `s3://${backend.config.bucket}/${backend.config.key}`
    : backend.type === 'gcs' ? `gs://${backend.config.bucket}/${backend.config.prefix}`
    : `${backend.config.hostname}/${backend.config.organization}/${backend.config.workspace}`;
  const pulumi = pulumiStackFor(tenant);
  return {
    name: tenant.name,
    okta: `${tenant.okta.orgName}.${tenant.okta.baseDomain}`,
    authMode: tenant.integration.authMode,
    signOn: tenant.integration.signOn,
    connection: tenant.integration.connection,
    terraformState: state,
    pulumiStack: `${pulumi.qualifiedName}${pulumi.backendUrl ? ` @ ${pulumi.backendUrl}` : ''}`,
  };
}
