/**
 * `matrix`: the CI job matrix as JSON on stdout — one entry per bucket of tenants (at most 256 jobs for
 * any tenant count; operations/ci/buckets.ts) holding only validated tenant names. With `--changed-since
 * <ref>` only the tenants whose desired state changed are listed (operations/ci/changes.ts); stderr says
 * for every tenant why it is planned or left out, and `--report` writes the same as JSON for the PR comment.
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { batchMatrix, bucketId, bucketOf } from '../../operations/ci/buckets';
import { type ChangeSelection, selectChangedTenants } from '../../operations/ci/changes';
import type { SelectionReport } from '../../operations/ci/handoff';
import type { ResolvedTenant } from '../../constructs/model/tenant';
import type { Io } from './output';
import { pickTenants, selectTenants } from './tenants';

export interface MatrixOptions {
  readonly tenants: string;
  readonly tenant?: readonly string[];
  /** Only tenants whose desired state changed since this git ref. */
  readonly changedSince?: string;
  /** Write the selection (every tenant, planned or not, and why) as JSON to this file. */
  readonly report?: string;
  /**
   * Write the entries of removed tenants, as they were at the ref, as a tenants file (only when there are
   * any), and add their buckets to the matrix marked `removed: true`, for a destroy plan.
   */
  readonly removedOut?: string;
}

export function runMatrix(options: MatrixOptions, io: Io): number {
  const all = selectTenants(options.tenants);
  const tenants = pickTenants(all, options.tenant ?? [], options.tenants);
  const selection = restrict(options.changedSince ? selectChangedTenants({ tenantsFile: options.tenants, ref: options.changedSince, head: all }) : everyTenant(tenants), options.tenant);
  const planned = selection.tenants.filter((t) => t.selected).map((t) => t.tenant);
  const removed = options.removedOut ? batchMatrix(selection.removed.map((r) => r.tenant)).include.map((entry) => ({ ...entry, removed: true })) : [];
  // At most BUCKETS entries each: within GitHub's 256 jobs together.
  const matrix = { include: [...batchMatrix(planned).include, ...removed] };
  const report: SelectionReport = {
    ref: options.changedSince ?? null,
    tenants: selection.tenants.map((t) => ({ ...t, bucket: bucketId(bucketOf(t.tenant)) })),
    removed: selection.removed.map((r) => ({ tenant: r.tenant, bucket: bucketId(bucketOf(r.tenant)) })),
    shared: selection.shared,
    jobs: matrix.include.length,
  };
  if (options.report) writeFileSync(options.report, `${JSON.stringify(report, null, 2)}\n`);
  if (options.removedOut && selection.removed.length > 0) {
    writeFileSync(options.removedOut, `# Tenants removed since ${options.changedSince}, as they were there: planned for destroy, for review only.\n${stringify({ tenants: selection.removed.map((r) => r.entry) })}`);
  }
  io.stderr.write(selectionText(report, tenants.length));
  io.stdout.write(`${JSON.stringify(matrix)}\n`);
  return 0;
}

/** `--tenant`: only those tenants (removals are judged against the whole file, and not listed). */
function restrict(selection: ChangeSelection, names: readonly string[] | undefined): ChangeSelection {
  if (!names || names.length === 0) return selection;
  return { ...selection, tenants: selection.tenants.filter((t) => names.includes(t.tenant)), removed: [] };
}

function everyTenant(tenants: readonly ResolvedTenant[]): ChangeSelection {
  return { ref: '', tenants: tenants.map((t) => ({ tenant: t.name, selected: true, reasons: ['every tenant (no --changed-since)'] })), removed: [], shared: [], neutral: [] };
}

function selectionText(report: SelectionReport, total: number): string {
  const planned = report.tenants.filter((t) => t.selected);
  const since = report.ref ? ` (changed since ${report.ref})` : '';
  const lines = [`${planned.length} of ${total} tenant${total === 1 ? '' : 's'} planned${since} in ${report.jobs} job${report.jobs === 1 ? '' : 's'}; ${total - planned.length} left out; ${report.removed.length} removed.`];
  for (const t of report.tenants) lines.push(`  ${t.selected ? 'planned ' : 'left out'} ${t.tenant} [bucket ${t.bucket}]: ${t.reasons.join('; ')}`);
  for (const r of report.removed) lines.push(`  removed  ${r.tenant} [bucket ${r.bucket}]: no longer in the tenants file; its destroy is planned for review, apply never destroys it (docs/day-2.md, "Remove a tenant")`);
  return `${lines.join('\n')}\n`;
}
