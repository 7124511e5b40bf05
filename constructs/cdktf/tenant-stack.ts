/**
 * One CDKTF stack per tenant: the Okta provider for the tenant's org and its SCIM integration.
 * Stack name = tenant name, so `cdktf.out/stacks/<tenant>` is where `terraform plan` runs.
 */
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { ResolvedTenant } from '../model/tenant';
import { OktaProvider } from './okta-provider';
import { DynatraceScimIntegration } from './scim-integration';

export class TenantStack extends TerraformStack {
  readonly integration: DynatraceScimIntegration;

  constructor(scope: Construct, tenant: ResolvedTenant) {
    super(scope, tenant.name);
    const credentials = tenant.okta.credentials;
    new OktaProvider(this, 'okta', {
      orgName: tenant.okta.orgName,
      baseUrl: tenant.okta.baseDomain,
      ...(credentials.type === 'privateKey'
        ? { clientId: credentials.clientId, scopes: credentials.scopes, ...(credentials.privateKeyId ? { privateKeyId: credentials.privateKeyId } : {}) }
        : {}),
    });
    this.integration = new DynatraceScimIntegration(this, 'dynatrace', { ...tenant.integration, tenant: tenant.name });
  }
}
