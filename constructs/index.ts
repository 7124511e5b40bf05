/**
 * `okta-dynatrace-scim`: the engine-neutral model. Describe a tenant's Okta → Dynatrace SCIM
 * integration, validate it (every problem at once, each with its path and fix), read a tenants file,
 * and render the console step. Loads no engine: the CDKTF constructs are in `okta-dynatrace-scim/cdktf`,
 * the Pulumi component in `okta-dynatrace-scim/pulumi`.
 *
 * Everything exported here (and from those two entry points) is the public surface, kept stable across
 * minor versions; the package's other modules are internal.
 */
export type {
  AppStatus,
  AuthMode,
  DynatraceAccountSpec,
  GroupSpec,
  PolicyBindingSpec,
  ProvisioningSetup,
  ProvisioningSpec,
  RemovalPolicy,
  ScimIntegrationSpec,
  SecretSource,
  SignOnMode,
  SsoAppRef,
  UsernameFormat,
} from './model/spec';
export type { BackendSpec, PulumiBackendSpec, TerraformBackendSpec } from './model/backend';
export type { OktaCredentials, OktaOrgSpec, ResolvedOktaOrg, ResolvedTenant, TenantSpec } from './model/tenant';
export type { ResolvedApp, ResolvedGroup, ResolvedIntegration, ResolvedProvisioning, Stage } from './model/resolve';
export type { ConsoleStep } from './model/console-step';
export { REQUIRED_OKTA_SCOPES, resolveTenant } from './model/tenant';
export { resolveIntegration } from './model/resolve';
export { formatIssue, SpecError, type SpecIssue } from './model/errors';
export { consoleStep, consoleStepMarkdown } from './model/console-step';
export { loadTenants, parseTenants } from './tenants/file';
