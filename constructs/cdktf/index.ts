/**
 * `okta-dynatrace-scim/cdktf`: the CDK for Terraform constructs. Needs the peer dependencies `cdktf`,
 * `constructs` and `@cdktf/provider-okta` (your app's copies: one construct tree), and no Pulumi package.
 *
 * - {@link DynatraceScimIntegration}: one tenant's integration in a stack of yours (the L2 construct);
 * - {@link OktaProvider}, {@link DynatraceProvider}: the provider blocks it renders against;
 * - {@link TenantStack}: a whole stack for one tenant of a tenants file (provider, backend, outputs), as
 *   the CLI's `synth` builds it.
 */
import './engine';

export { DynatraceScimIntegration, type DynatraceScimIntegrationOptions, type DynatraceScimIntegrationProps } from './scim-integration';
export { OKTA_PROVIDER, OktaProvider, type OktaProviderConfig } from './okta-provider';
export { DYNATRACE_PROVIDER, DynatraceProvider, type DynatraceProviderConfig } from './dynatrace-provider';
export { TenantStack } from './tenant-stack';
