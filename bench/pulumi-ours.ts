/**
 * Ours (c): the model and the Pulumi renderer, exactly as the main job uses them
 * (`resolveTenant` per tenant, `tenantProgram` per tenant, all under `runOffline`'s mocks).
 */
import { type ResolvedTenant, resolveTenant, type TenantSpec } from '../constructs/model/tenant';
import { tenantProgram } from '../constructs/pulumi/tenant-program';
import { runOffline } from '../stacks/pulumi-offline';
import type { Timed } from './pulumi-baseline';

export function resolveAll(specs: readonly TenantSpec[]): ResolvedTenant[] {
  return specs.map((spec, index) => resolveTenant(spec, `tenants[${index}]`));
}

export async function render(tenants: readonly ResolvedTenant[], tokenValue: string): Promise<Timed> {
  let programMs = 0;
  const run = await runOffline(() => {
    const start = performance.now();
    const roots = tenants.map((tenant) => tenantProgram(tenant, { scimTokenValue: tokenValue }));
    programMs = performance.now() - start;
    return roots;
  });
  return { run, programMs };
}
