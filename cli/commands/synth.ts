/**
 * `synth`: one CDKTF stack per tenant into `--synth-dir`, the Pulumi programs rendered offline for the report,
 * and the `Pulumi.<tenant>.yaml` files refreshed next to Pulumi.yaml. The engines load here, never in
 * `--help`. `--tenant` updates only those stacks; without it, the files synth wrote for tenants no
 * longer in the tenants file are removed (operations/synth/output-folder.ts says what synth may touch).
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { requireEngine } from '../../constructs/engines';
import { writeStackFiles } from '../../constructs/tenants/pulumi-stacks';
import { formatIssue, SpecError, type SpecIssue } from '../../constructs/model/errors';
import type { OutputCleanup } from '../../operations/synth/output-folder';
import type { Io } from './output';
import { styleFor } from './output';
import { selectTenants } from './tenants';

export interface SynthCommandOptions {
  readonly tenants: string;
  /** The output folder, and whether the user named it (`--synth-dir`) or it is the default. */
  readonly synthDir: { readonly value: string; readonly given: boolean };
  /** `--out <dir>`, the spelling before `--synth-dir` (in every other command `--out` names a file): still read, with a warning. */
  readonly deprecatedOut?: string;
  readonly tenant?: readonly string[];
  /** Skip the offline Pulumi rendering (faster; CDKTF only). */
  readonly pulumi?: boolean;
  /** Keep source maps on while rendering (`--debug`). */
  readonly sourceMaps?: boolean;
}

export async function runSynth(options: SynthCommandOptions, io: Io): Promise<number> {
  // The engines are optional peer dependencies: say which is missing before anything loads it.
  requireEngine('terraform', 'synth');
  if (options.pulumi !== false) requireEngine('pulumi', 'synth', 'pass --no-pulumi to skip the Pulumi rendering');
  const style = styleFor(io);
  const out = outputFolder(options, (warning) => io.stderr.write(`${style.warn('warning')} ${formatIssue(warning)}\n`));
  // Starts loading Pulumi in a worker thread while this thread parses the tenants file.
  const pulumiWorker = options.pulumi === false ? undefined : (require('../../operations/synth/pulumi-report') as typeof import('../../operations/synth/pulumi-report')).preparePulumiWorker();
  let tenants: ReturnType<typeof selectTenants>;
  try {
    tenants = selectTenants(options.tenants, options.tenant ?? []);
  } catch (error) {
    pulumiWorker?.release();
    throw error;
  }
  style.progress(`Synthesizing ${tenants.length} tenant${tenants.length === 1 ? '' : 's'} into ${out} …`);
  const synth = require('../../operations/synth/synth') as typeof import('../../operations/synth/synth');
  const selection = (options.tenant ?? []).length > 0;
  let cleanup: OutputCleanup = { removed: [], kept: [] };
  const reports = await synth.synthesizeTenants(tenants, {
    outdir: out,
    tenantsFile: options.tenants,
    selection,
    onCleanup: (done) => (cleanup = done),
    ...(options.pulumi === false ? { pulumi: false } : {}),
    sourceMaps: Boolean(options.sourceMaps),
    ...(pulumiWorker ? { pulumiWorker } : {}),
  });
  io.stdout.write(`${synth.formatReports(reports)}\n`);
  const listed = new Set(tenants.map((tenant) => tenant.name));
  for (const path of cleanup.removed) {
    const tenant = /^stacks\/([^/]+)/.exec(path)?.[1];
    const why = tenant && !listed.has(tenant) ? `no tenant "${tenant}" in ${options.tenants} any more` : 'synth no longer writes it';
    io.stdout.write(`${style.dim('removed')} ${join(out, path)} (written by an earlier synth; ${why})\n`);
  }
  for (const { folder, foreign } of cleanup.kept) {
    io.stderr.write(`${style.warn('note')} kept ${join(out, folder)}: it holds ${foreign.join(', ')}, which synth did not write. Delete it yourself once nothing in it is needed.\n`);
  }
  const pulumiDir = dirname(options.tenants);
  if (existsSync(join(pulumiDir, 'Pulumi.yaml'))) {
    for (const file of writeStackFiles(tenants, pulumiDir, options.tenants)) io.stdout.write(`${style.dim('updated')} ${relative('.', file) || file}\n`);
  }
  const stacks = (n: number, engine: string) => `${n} ${engine} stack${n === 1 ? '' : 's'}`;
  const pulumi = options.pulumi === false ? 'Pulumi skipped (--no-pulumi)' : `${stacks(tenants.length, 'Pulumi')} rendered`;
  io.stdout.write(`${style.ok('done')}: ${stacks(tenants.length, 'CDKTF')} in ${out}/stacks, ${pulumi}\n`);
  return 0;
}

/** `--synth-dir`, or the deprecated `--out` (with a warning); both at once only when they agree. */
function outputFolder(options: SynthCommandOptions, warn: (warning: SpecIssue) => void): string {
  const { synthDir, deprecatedOut } = options;
  if (deprecatedOut === undefined) return synthDir.value;
  if (synthDir.given && synthDir.value !== deprecatedOut) {
    throw new SpecError([{ path: '--out', message: `is the old spelling of --synth-dir, which names another folder (${synthDir.value})`, fix: 'give --synth-dir only' }]);
  }
  warn({
    path: '--out',
    message: 'is deprecated for synth (in every other command --out names a file)',
    fix: `use --synth-dir ${deprecatedOut}, the option batch and pr-comment read the same folder with; --out will be removed in a later release`,
  });
  return deprecatedOut;
}
