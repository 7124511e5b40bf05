/**
 * One Pulumi stack per tenant: an explicit Okta provider for the tenant's org (credentials from the
 * provider's own environment variables) and the SCIM integration component.
 */
import * as pulumi from '@pulumi/pulumi';
import { Provider } from '@pulumi/okta/provider';
import { oktaAppAdminUrl } from '../model/console-step';
import type { ResolvedDynatraceAccount } from '../model/resolve';
import { oktaProviderSettings, type ResolvedTenant } from '../model/tenant';
import { usesDynatrace } from '../resources/plan';
import { DynatraceProvider } from './dynatrace-package';
import { DynatraceScimIntegration } from './scim-integration';
import { readSecret } from './secret-source';

export interface TenantProgramOptions {
  /** @default read from the tenant's token source (secret config key or environment variable) */
  readonly scimTokenValue?: pulumi.Input<string>;
}

export function tenantProgram(tenant: ResolvedTenant, options: TenantProgramOptions = {}): DynatraceScimIntegration {
  const provider = new Provider(tenant.name, oktaProviderSettings(tenant.okta));
  const dynatrace = usesDynatrace(tenant.integration) ? dynatraceProvider(tenant.name, tenant.integration.dynatrace) : undefined;
  return new DynatraceScimIntegration(
    tenant.name,
    { ...tenant.integration, tenant: tenant.name, ...(options.scimTokenValue !== undefined ? { scimTokenValue: options.scimTokenValue } : {}) },
    { providers: { okta: provider, ...(dynatrace ? { dynatrace } : {}) } },
  );
}

/**
 * The Dynatrace provider for the tenant's account. The OAuth client comes from the named Pulumi secret,
 * else the named environment variable (as a secret), else the provider's own `DT_CLIENT_ID` /
 * `DT_CLIENT_SECRET`.
 */
function dynatraceProvider(name: string, { accountUuid, oauthClient }: ResolvedDynatraceAccount): DynatraceProvider {
  const clientId = readSecret(oauthClient.clientId);
  const clientSecret = readSecret(oauthClient.clientSecret);
  return new DynatraceProvider(name, { iamAccountId: accountUuid, ...(clientId ? { iamClientId: clientId } : {}), ...(clientSecret ? { iamClientSecret: clientSecret } : {}) });
}

/** The stack outputs the program exports; the apply job links the console step to the app with them. */
export function tenantOutputs(tenant: ResolvedTenant, integration: DynatraceScimIntegration): { oktaAppId: pulumi.Output<string>; oktaAppAdminUrl: pulumi.Output<string> } {
  return {
    oktaAppId: integration.appId,
    oktaAppAdminUrl: pulumi.all([integration.appName, integration.appId]).apply(([name, id]) => oktaAppAdminUrl(tenant.okta, name, id)),
  };
}
