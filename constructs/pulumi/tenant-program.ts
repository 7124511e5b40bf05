/**
 * One Pulumi stack per tenant: an explicit Okta provider for the tenant's org (credentials from the
 * provider's own environment variables) and the SCIM integration component.
 */
import * as pulumi from '@pulumi/pulumi';
import { Provider } from '@pulumi/okta/provider';
import { oktaAppAdminUrl } from '../model/console-step';
import type { ResolvedTenant } from '../model/tenant';
import { DynatraceScimIntegration } from './scim-integration';

export interface TenantProgramOptions {
  /** @default read from the tenant's token source (secret config key or environment variable) */
  readonly scimTokenValue?: pulumi.Input<string>;
}

export function tenantProgram(tenant: ResolvedTenant, options: TenantProgramOptions = {}): DynatraceScimIntegration {
  const credentials = tenant.okta.credentials;
  const provider = new Provider(tenant.name, {
    orgName: tenant.okta.orgName,
    baseUrl: tenant.okta.baseDomain,
    ...(credentials.type === 'privateKey'
      ? { clientId: credentials.clientId, scopes: [...credentials.scopes], ...(credentials.privateKeyId ? { privateKeyId: credentials.privateKeyId } : {}) }
      : {}),
  });
  return new DynatraceScimIntegration(
    tenant.name,
    { ...tenant.integration, tenant: tenant.name, ...(options.scimTokenValue !== undefined ? { scimTokenValue: options.scimTokenValue } : {}) },
    { providers: { okta: provider } },
  );
}

/** The stack outputs the program exports; the apply job links the console step to the app with them. */
export function tenantOutputs(tenant: ResolvedTenant, integration: DynatraceScimIntegration): { oktaAppId: pulumi.Output<string>; oktaAppAdminUrl: pulumi.Output<string> } {
  return {
    oktaAppId: integration.appId,
    oktaAppAdminUrl: pulumi.all([integration.appName, integration.appId]).apply(([name, id]) => oktaAppAdminUrl(tenant.okta, name, id)),
  };
}
