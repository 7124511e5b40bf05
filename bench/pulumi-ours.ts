/**
 * Ours (c): the model and the Pulumi renderer through the package's public entry points, exactly as the
 * main job's workers use them (`resolveTenant` per tenant, then `tenantProgram` per tenant, each its own
 * program under the package's `runOffline`).
 */
import { type ResolvedTenant, resolveTenant, type TenantSpec } from 'okta-dynatrace-scim';
import { runOffline, tenantProgram } from 'okta-dynatrace-scim/pulumi';
import { renderEach, type Timed } from './render-each';

export function resolveAll(specs: readonly TenantSpec[]): ResolvedTenant[] {
  return specs.map((spec, index) => resolveTenant(spec, `tenants[${index}]`));
}

export function render(tenants: readonly ResolvedTenant[], tokenValue: string): Promise<Timed> {
  return renderEach(tenants, (tenant) => [tenantProgram(tenant, { scimTokenValue: tokenValue })], runOffline);
}
