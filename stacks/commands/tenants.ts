/** Shared by the commands: load the tenants file and pick tenants by name. */
import { SpecError } from '../../constructs/model/errors';
import type { ResolvedTenant } from '../../constructs/model/tenant';
import { loadTenants } from '../../constructs/tenants/file';

/**
 * The tenants of `file` (all, or those named). A file that lists no tenant is an error for every command
 * that acts on tenants: for `synth` it used to mean "remove every stack", for `matrix` an empty CI run
 * that looks green. `review` reads the file itself, so removing the last tenant still shows up there.
 */
export function selectTenants(file: string, names: readonly string[] = []): ResolvedTenant[] {
  const tenants = loadTenants(file);
  if (tenants.length === 0) {
    throw new SpecError([
      {
        path: `${file}: tenants`,
        message: 'the tenants file lists no tenant, so there is nothing to validate, synthesize or run',
        fix: 'add a tenant under `tenants:` (see tenants.yaml in the repository); to retire a tenant, follow docs/day-2.md before removing its entry',
      },
    ]);
  }
  if (names.length === 0) return tenants;
  const known = new Set(tenants.map((tenant) => tenant.name));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new SpecError([{ path: '--tenant', message: `no tenant named ${unknown.map((n) => `"${n}"`).join(', ')} in ${file}`, fix: `use one of ${[...known].join(', ')}` }]);
  }
  return tenants.filter((tenant) => names.includes(tenant.name));
}
