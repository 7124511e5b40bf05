/**
 * The tenants file: YAML, one entry per tenant. Parsing is strict (duplicate keys are errors) and every
 * problem is reported with its path in the file.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { SpecError, type SpecIssue } from '../model/errors';
import { resolveTenant, type ResolvedTenant } from '../model/tenant';

export const DEFAULT_TENANTS_FILE = 'tenants.yaml';

/** Parses and validates tenants file text; `source` names the file in errors. */
export function parseTenants(text: string, source = DEFAULT_TENANTS_FILE): ResolvedTenant[] {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new SpecError(doc.errors.map((e) => ({ path: source, message: `YAML: ${e.message.split('\n')[0]}` })));
  }
  const root: unknown = doc.toJS({ maxAliasCount: 100 });
  if (typeof root !== 'object' || root === null || !Array.isArray((root as { tenants?: unknown }).tenants)) {
    throw new SpecError([{ path: 'tenants', message: 'the file must have a top-level `tenants:` list', fix: 'see tenants.yaml in the repository for an example' }]);
  }
  const unknownKeys = Object.keys(root).filter((key) => key !== 'tenants' && key !== '$schema');
  const issues: SpecIssue[] = unknownKeys.map((key) => ({ path: key, message: 'is not a known field', fix: 'remove it; tenants go under `tenants:`' }));
  const tenants: ResolvedTenant[] = [];
  const seen = new Map<string, number>();
  (root as { tenants: unknown[] }).tenants.forEach((entry, index) => {
    try {
      const tenant = resolveTenant(entry, `tenants[${index}]`);
      const first = seen.get(tenant.name);
      if (first !== undefined) {
        issues.push({ path: `tenants[${index}].name`, message: `duplicate tenant name "${tenant.name}" (also tenants[${first}])`, fix: 'tenant names name the stacks and must be unique' });
      } else {
        seen.set(tenant.name, index);
        tenants.push(tenant);
      }
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      issues.push(...error.issues.map((issue) => (error.tenant ? { ...issue, message: `${issue.message} (tenant "${error.tenant}")` } : issue)));
    }
  });
  if (issues.length > 0) throw new SpecError(issues.map((issue) => ({ ...issue, path: `${source}: ${issue.path}` })));
  return tenants;
}

export function loadTenants(path = DEFAULT_TENANTS_FILE): ResolvedTenant[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SpecError([{ path, message: `cannot read the tenants file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, fix: 'pass --tenants <file> or run from the repository root' }]);
  }
  return parseTenants(text, path);
}
