/**
 * Ours (a): the model and the CDKTF renderer, exactly as the main job uses them
 * (`resolveTenant` per tenant, one `TenantStack` per tenant, one `app.synth()`).
 */
import { App } from 'cdktf';
import { TenantStack } from '../constructs/cdktf/tenant-stack';
import { type ResolvedTenant, resolveTenant, type TenantSpec } from '../constructs/model/tenant';

export function resolveAll(specs: readonly TenantSpec[]): ResolvedTenant[] {
  return specs.map((spec, index) => resolveTenant(spec, `tenants[${index}]`));
}

export function buildApp(tenants: readonly ResolvedTenant[], outdir: string): App {
  const app = new App({ outdir });
  for (const tenant of tenants) new TenantStack(app, tenant);
  return app;
}
