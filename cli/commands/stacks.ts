/**
 * `stacks`: (re)writes `Pulumi.<tenant>.yaml` for every tenant next to Pulumi.yaml, keeping any secret
 * config already in them. `--check` only compares and exits 1 when a file is missing or outdated (CI).
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { EXIT } from '../../operations/exit-codes';
import { SpecError } from '../../constructs/model/errors';
import { checkStackFiles, writeStackFiles } from '../../constructs/tenants/pulumi-stacks';
import type { Io } from './output';
import { styleFor } from './output';
import { selectTenants } from './tenants';

export interface StacksOptions {
  readonly tenants: string;
  /** Folder holding Pulumi.yaml. @default the tenants file's folder */
  readonly pulumiDir?: string;
  readonly check?: boolean;
}

export function runStacks(options: StacksOptions, io: Io): number {
  const tenants = selectTenants(options.tenants);
  const dir = options.pulumiDir ?? dirname(options.tenants);
  if (!existsSync(join(dir, 'Pulumi.yaml'))) {
    throw new SpecError([{ path: '--pulumi-dir', message: `no Pulumi.yaml in ${dir}`, fix: 'run from the project root or pass --pulumi-dir <folder with Pulumi.yaml>' }]);
  }
  const style = styleFor(io);
  const { statuses, orphans } = checkStackFiles(tenants, dir);
  for (const orphan of orphans) {
    io.stderr.write(`${style.warn('note')} ${orphan} has no tenant in ${options.tenants}; left as it is (it may hold secrets). Delete it once the stack is destroyed.\n`);
  }
  if (options.check) {
    const stale = statuses.filter((s) => s.state !== 'ok');
    for (const s of statuses) io.stdout.write(`${s.state === 'ok' ? style.ok('ok') : style.bad(s.state)} ${relative('.', s.file) || s.file}\n`);
    if (stale.length > 0) io.stderr.write('Run `okta-dynatrace-scim stacks` and commit the result.\n');
    return stale.length > 0 ? EXIT.differences : EXIT.ok;
  }
  const changed = writeStackFiles(tenants, dir, options.tenants);
  for (const file of changed) io.stdout.write(`wrote ${relative('.', file) || file}\n`);
  if (changed.length === 0) io.stdout.write(`${tenants.length} Pulumi stack file${tenants.length === 1 ? '' : 's'} up to date\n`);
  return 0;
}
