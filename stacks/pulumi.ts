/**
 * Pulumi entry point (`Pulumi.yaml` → main): the stack name is the tenant name, so
 * `pulumi up --stack acme` deploys tenant "acme" of the tenants file (`TENANTS_FILE` picks another file).
 * It uses the package's public entry points only (`okta-dynatrace-scim`, `…/pulumi`).
 */
import * as pulumi from '@pulumi/pulumi';
import { loadTenants, SpecError } from '../constructs';
import { tenantOutputs, tenantProgram } from '../constructs/pulumi';

const stack = pulumi.getStack();
const tenant = loadTenants(process.env.TENANTS_FILE).find((candidate) => candidate.name === stack);
if (!tenant) {
  throw new SpecError([{ path: 'stack', message: `no tenant named "${stack}" in the tenants file`, fix: 'name the Pulumi stack after a tenant (pulumi stack select <tenant>)' }]);
}
const outputs = tenantOutputs(tenant, tenantProgram(tenant));

export const oktaAppId = outputs.oktaAppId;
export const oktaAppAdminUrl = outputs.oktaAppAdminUrl;
