/** `validate`: checks the tenants file and prints one line per tenant, or every problem with its path and fix. */
import { terraformBackendFor, pulumiStackFor } from '../../constructs/model/backend';
import { formatIssue, LISTED_PROBLEMS } from '../../constructs/model/errors';
import { quoteValue } from '../../constructs/model/quote';
import type { ResolvedTenant } from '../../constructs/model/tenant';
import { ALL_PROBLEMS_HINT, type Io, styleFor } from './output';
import { selectTenants } from './tenants';

export interface ValidateOptions {
  readonly tenants: string;
  readonly json?: boolean;
  /** Print every warning, not only the first {@link LISTED_PROBLEMS} (`--all-problems`). @default false */
  readonly allProblems?: boolean;
}

export function runValidate(options: ValidateOptions, io: Io): number {
  const tenants = selectTenants(options.tenants);
  const warnings = tenants.flatMap((tenant) => tenant.warnings.map((warning) => ({ tenant: tenant.name, ...warning })));
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ ok: true, tenants: tenants.map(summary), warnings }, null, 2)}\n`);
    return 0;
  }
  const style = styleFor(io);
  for (const tenant of tenants) {
    const s = summary(tenant);
    io.stdout.write(`${style.ok('OK')} ${tenant.name}  ${style.dim(`okta ${s.okta} · ${s.app} · provisioning: ${s.provisioningSetup}, stage ${s.stage} of 2 · terraform state: ${s.terraformState} · pulumi stack: ${s.pulumiStack}`)}\n`);
  }
  // Listed like problems: the first few and a count, every one on request.
  const listed = options.allProblems ? warnings : warnings.slice(0, LISTED_PROBLEMS);
  for (const warning of listed) {
    io.stderr.write(`${style.warn('warning')} ${options.tenants}: ${formatIssue({ ...warning, message: `${warning.message} (tenant ${quoteValue(warning.tenant)})` })}\n`);
  }
  if (listed.length < warnings.length) io.stderr.write(`${style.warn('warning')} … and ${warnings.length - listed.length} more (${ALL_PROBLEMS_HINT})\n`);
  io.stdout.write(`${tenants.length} tenant${tenants.length === 1 ? '' : 's'} valid in ${options.tenants}${warnings.length > 0 ? ` (${warnings.length} warning${warnings.length === 1 ? '' : 's'})` : ''}\n`);
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
    app: appSummary(tenant),
    provisioningSetup: tenant.integration.provisioning.setup,
    stage: tenant.integration.stage,
    terraformState: state,
    pulumiStack: `${pulumi.qualifiedName}${pulumi.backendUrl ? ` @ ${pulumi.backendUrl}` : ''}`,
  };
}

function appSummary(tenant: ResolvedTenant): string {
  const app = tenant.integration.app;
  return app.type === 'sso' ? `existing SSO app ${app.id ?? `"${app.label}"`}` : `${app.oinAppName} (${app.authMode}, ${app.signOn})`;
}
