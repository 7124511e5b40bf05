/**
 * Ours (a): the model and the CDKTF renderer through the package's public entry points, exactly as the
 * main job uses them (`resolveTenant` per tenant, one `TenantStack` per tenant, one `app.synth()`). The
 * benchmark runs it against the packed, installed package; tests resolve the same names to the sources.
 */
import { App } from 'cdktf';
import { type ResolvedTenant, resolveTenant, type TenantSpec } from 'okta-dynatrace-scim';
import { TenantStack } from 'okta-dynatrace-scim/cdktf';

export function resolveAll(specs: readonly TenantSpec[]): ResolvedTenant[] {
  return specs.map((spec, index) => resolveTenant(spec, `tenants[${index}]`));
}

export function buildApp(tenants: readonly ResolvedTenant[], outdir: string): App {
  const app = new App({ outdir });
  for (const tenant of tenants) new TenantStack(app, tenant);
  return app;
}
