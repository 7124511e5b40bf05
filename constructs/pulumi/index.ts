/**
 * `okta-dynatrace-scim/pulumi`: the Pulumi component and program helpers. Needs the peer dependencies
 * `@pulumi/pulumi` and `@pulumi/okta` (your program's copies: one Pulumi runtime), and no CDKTF package.
 *
 * - {@link DynatraceScimIntegration}: one tenant's integration as a ComponentResource;
 * - {@link DynatraceProvider}: the Dynatrace provider a component needs when a group binds `policies`;
 * - {@link tenantProgram}, {@link tenantOutputs}: a tenant of a tenants file as the CLI's stacks deploy it;
 * - {@link runOffline}: run a program under mocks (no Pulumi CLI, no credentials) and see what it registers.
 */
import './engine';

export { DynatraceScimIntegration, type DynatraceScimIntegrationArgs, type DynatraceScimIntegrationOptions } from './scim-integration';
export { DynatraceProvider, type DynatraceProviderArgs } from './dynatrace-package';
export { tenantOutputs, tenantProgram, type TenantProgramOptions } from './tenant-program';
export { runOffline, type OfflineRun, type RegisteredResource } from './offline';
