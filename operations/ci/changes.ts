/**
 * Changed-tenant selection: which tenants' desired state differs between a git ref and the working tree.
 *
 * A tenant is selected when its resolved entry in the tenants file differs (defaults applied, so
 * reformatting, reordering or comments change nothing), when its `Pulumi.<tenant>.yaml` changed, or when
 * a shared input changed ({@link SHARED_INPUTS}; then every tenant is). Tenants in the file at the ref but
 * not in the working tree are reported as removed, with their entry as it was, so CI can plan their
 * destroy for review. Every tenant that is left out carries the reason.
 */
import { execFileSync } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { SpecError } from '../../constructs/model/errors';
import type { ResolvedTenant } from '../../constructs/model/tenant';
import { readFileAtRef } from '../review/git';
import { parseTenants } from '../../constructs/tenants/file';
import { classifyPath, projectLayout, type ProjectLayout } from './inputs';

export interface TenantSelection {
  readonly tenant: string;
  readonly selected: boolean;
  /** Why it is planned, or why it is left out. */
  readonly reasons: readonly string[];
}

export interface RemovedTenant {
  readonly tenant: string;
  /** The tenant's entry as written in the tenants file at the ref (validated). */
  readonly entry: unknown;
}

export interface ChangedPath {
  readonly path: string;
  readonly why: string;
}

export interface ChangeSelection {
  readonly ref: string;
  /** Every tenant of the working tree, in file order. */
  readonly tenants: readonly TenantSelection[];
  readonly removed: readonly RemovedTenant[];
  /** Shared inputs that changed (any one selects every tenant). */
  readonly shared: readonly ChangedPath[];
  /** Changed paths that cannot change any tenant's output. */
  readonly neutral: readonly ChangedPath[];
}

export interface SelectionOptions {
  /** The tenants file, as given on the command line. */
  readonly tenantsFile: string;
  readonly ref: string;
  /** The tenants of the working tree, already loaded and validated. */
  readonly head: readonly ResolvedTenant[];
  /** Project folder: shared inputs are matched relative to it. @default process.cwd() */
  readonly projectDir?: string;
  /** The command-line option that gave the ref, for error messages. @default '--changed-since' */
  readonly option?: string;
}

export function selectChangedTenants(options: SelectionOptions): ChangeSelection {
  const option = options.option ?? '--changed-since';
  const projectDir = resolve(options.projectDir ?? process.cwd());
  // Validates the ref (and that we are in a repository) before anything else.
  const baseText = readFileAtRef(options.tenantsFile, options.ref, option);
  const tenantsFile = toPosix(relative(projectDir, resolve(options.tenantsFile)));
  if (tenantsFile.startsWith('../')) {
    throw new SpecError([{ path: '--tenants', message: `${options.tenantsFile} is outside the project folder ${projectDir}`, fix: 'run the command from the folder that holds package.json and the tenants file' }]);
  }
  const layout = projectLayout(tenantsFile);

  const shared: ChangedPath[] = [];
  const neutral: ChangedPath[] = [];
  const stackFiles = new Map<string, string>();
  let tenantsFileChanged = false;
  for (const path of changedPaths(options.ref, projectDir)) {
    const effect = classifyPath(path, layout);
    if (effect.kind === 'tenants-file') tenantsFileChanged = true;
    else if (effect.kind === 'stack-file') stackFiles.set(effect.tenant, path);
    else (effect.kind === 'shared' ? shared : neutral).push({ path, why: effect.why });
  }

  // An unchanged tracked file has the same tenants at the ref: skip parsing it a second time.
  const base = tenantsFileChanged || baseText === undefined ? parseBase(baseText, options) : { tenants: options.head, problem: undefined };
  const baseByName = new Map(base.tenants.map((tenant) => [tenant.name, tenant]));
  const headNames = new Set(options.head.map((tenant) => tenant.name));

  const tenants = options.head.map((tenant): TenantSelection => {
    const reasons: string[] = [];
    if (base.problem) reasons.push(base.problem);
    const before = baseByName.get(tenant.name);
    if (!base.problem) {
      if (!before) reasons.push(baseText === undefined ? `no ${tenantsFile} at ${options.ref}: new tenant` : `new tenant (not in ${tenantsFile} at ${options.ref})`);
      else reasons.push(...entryChanges(before, tenant));
    }
    const stackFile = stackFiles.get(tenant.name);
    if (stackFile) reasons.push(`${stackFile} changed`);
    if (shared.length > 0) reasons.push(`shared input changed: ${shared.slice(0, 3).map((c) => c.path).join(', ')}${shared.length > 3 ? ` and ${shared.length - 3} more` : ''}`);
    if (reasons.length > 0) return { tenant: tenant.name, selected: true, reasons };
    return { tenant: tenant.name, selected: false, reasons: [`unchanged since ${options.ref}: same resolved entry, ${stackFileName(layout, tenant.name)} and backend; no shared input changed`] };
  });

  const removedNames = base.tenants.filter((tenant) => !headNames.has(tenant.name)).map((tenant) => tenant.name);
  return { ref: options.ref, tenants, removed: removedEntries(baseText, removedNames), shared, neutral };
}

/** What differs in a tenant's resolved entry; backend changes are named separately (they move state). */
function entryChanges(before: ResolvedTenant, after: ResolvedTenant): string[] {
  const reasons: string[] = [];
  if (canonical(before.backend) !== canonical(after.backend)) reasons.push('backend changed (where the state lives)');
  const parts = (['okta', 'integration'] as const).filter((part) => canonical(before[part]) !== canonical(after[part]));
  if (parts.length > 0) reasons.push(`tenant entry changed (${parts.join(', ')})`);
  return reasons;
}

function parseBase(baseText: string | undefined, options: SelectionOptions): { tenants: readonly ResolvedTenant[]; problem?: string } {
  if (baseText === undefined) return { tenants: [] };
  try {
    return { tenants: parseTenants(baseText, `${options.ref}:${options.tenantsFile}`) };
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    // Without a valid base nothing can be compared: plan everything rather than guess.
    return { tenants: [], problem: `${options.tenantsFile} at ${options.ref} does not validate with the current model, so every tenant is planned` };
  }
}

function removedEntries(baseText: string | undefined, names: readonly string[]): RemovedTenant[] {
  if (names.length === 0 || baseText === undefined) return [];
  const wanted = new Set(names);
  const entries = (parse(baseText, { maxAliasCount: 100 }) as { tenants: { name: string }[] }).tenants;
  return entries.filter((entry) => wanted.has(entry.name)).map((entry) => ({ tenant: entry.name, entry }));
}

/** Tracked paths that differ between `ref` and the working tree, relative to `projectDir`; changes outside it are not listed. */
export function changedPaths(ref: string, projectDir: string): string[] {
  const output = execFileSync('git', ['-c', 'core.quotePath=off', 'diff', '--name-only', '-z', '--no-renames', '--no-ext-diff', '--relative', ref, '--'], {
    cwd: projectDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  return output.split('\0').filter(Boolean);
}

function stackFileName(layout: ProjectLayout, tenant: string): string {
  return `${layout.stackFileDir ? `${layout.stackFileDir}/` : ''}Pulumi.${tenant}.yaml`;
}

/** JSON with sorted keys, so two resolved tenants compare by value. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

function toPosix(path: string): string {
  return path.split('\\').join('/');
}
