/** Shared by the commands: load the tenants file and pick tenants by name. */
import { SpecError } from '../../constructs/model/errors';
import type { ResolvedTenant } from '../../constructs/model/tenant';
import { quoteValue } from '../../constructs/model/quote';
import { loadTenants } from '../../constructs/tenants/file';

/**
 * The tenants of `file` (all, or those named). The file always lists at least one: the parser refuses an
 * empty list, which for `synth` used to mean "remove every stack" and for `matrix` an empty CI run.
 */
export function selectTenants(file: string, names: readonly string[] = []): ResolvedTenant[] {
  return pickTenants(loadTenants(file), names, file);
}

/** The named tenants among `tenants` (all when none is named), loaded from `file`. */
export function pickTenants(tenants: ResolvedTenant[], names: readonly string[], file: string): ResolvedTenant[] {
  if (names.length === 0) return tenants;
  const known = new Set(tenants.map((tenant) => tenant.name));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new SpecError([{ path: '--tenant', message: `no tenant named ${unknown.map((name) => quoteValue(name)).join(', ')} in ${file}`, fix: `use one of ${[...known].join(', ')}` }]);
  }
  return tenants.filter((tenant) => names.includes(tenant.name));
}
