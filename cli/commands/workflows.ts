/**
 * `workflows [--check]`: rewrites the generated bucket jobs of plan.yml, apply.yml and drift.yml from the
 * tenants file, each job mapping exactly its tenants' secrets by name (operations/ci/workflows.ts). With
 * `--check` nothing is written: exit 1 when a tenant's secret is not mapped by its bucket's job (a new
 * tenant, a renamed secret); secrets mapped for tenants that are gone are only reported, since a pull
 * request that removes a tenant still plans its destroy with them.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpecError } from '../../constructs/model/errors';
import { bucketJobs, mappedSecrets, renderWorkflow, WORKFLOW_FILES, type WorkflowKind } from '../../operations/ci/workflows';
import type { Io } from './output';
import { selectTenants } from './tenants';

export interface WorkflowsOptions {
  readonly tenants: string;
  /** @default '.github/workflows' */
  readonly dir: string;
  readonly check: boolean;
}

export function runWorkflows(options: WorkflowsOptions, io: Io): number {
  const tenants = selectTenants(options.tenants);
  const problems: string[] = [];
  const notes: string[] = [];
  const written: string[] = [];
  for (const kind of Object.keys(WORKFLOW_FILES) as WorkflowKind[]) {
    const file = join(options.dir, WORKFLOW_FILES[kind]);
    if (!existsSync(file)) throw new SpecError([{ path: file, message: 'does not exist', fix: 'copy the three workflow files from this repository first (docs/day-2.md)' }]);
    const text = readFileSync(file, 'utf8');
    const next = renderWorkflow(kind, text, tenants);
    if (!options.check) {
      if (next !== text) {
        writeFileSync(file, next);
        written.push(file);
      }
      continue;
    }
    const mapped = mappedSecrets(text);
    const needed = bucketJobs(kind, tenants);
    for (const job of needed) {
      const have = mapped.get(job.id);
      if (!have) problems.push(`${file}: no job ${job.id} for ${job.tenants.join(', ')}`);
      else {
        const missing = job.secrets.filter((name) => !have.includes(name));
        if (missing.length > 0) problems.push(`${file}: job ${job.id} does not map ${missing.join(', ')} (needed by ${job.tenants.join(', ')})`);
        const extra = have.filter((name) => !job.secrets.includes(name));
        if (extra.length > 0) notes.push(`${file}: job ${job.id} still maps ${extra.join(', ')}, which no tenant of it needs`);
      }
    }
    for (const id of mapped.keys()) if (!needed.some((job) => job.id === id)) notes.push(`${file}: job ${id} is for tenants no longer in ${options.tenants}`);
  }
  if (!options.check) {
    io.stdout.write(written.length > 0 ? `rewrote the bucket jobs of ${written.join(', ')}\n` : 'the workflows already map every tenant\'s secrets\n');
    return 0;
  }
  for (const note of notes) io.stderr.write(`note: ${note} (run okta-dynatrace-scim workflows after this merges)\n`);
  if (problems.length === 0) {
    io.stdout.write('every tenant\'s secrets are mapped by its bucket\'s job\n');
    return 0;
  }
  io.stderr.write(`${problems.join('\n')}\nFix: run \`npx okta-dynatrace-scim workflows\` and commit the workflow files (only maintainers may push changes to .github/; docs/day-2.md)\n`);
  return 1;
}
