/**
 * One measurement, in a fresh process: `node bench-build/bench/run-one.js <cdktf|pulumi> <ours|baseline> <N>`,
 * compiled into the benchmark's workspace (bench/workspace.ts), where ours loads the installed package.
 *
 * Generates N tenants (outside the timed region: both variants get the same input), then times from
 * before the engine and our modules are loaded to after synthesis, with a phase breakdown, and prints
 * one JSON line. The runner measures the process's peak memory and CPU from outside (process-tree.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { framelessStack } from '../operations/synth/stack-traces';
import { generateTenants, toSpec } from './generate';

export type Engine = 'cdktf' | 'pulumi';
export type Variant = 'ours' | 'baseline';

export interface Measurement {
  readonly engine: Engine;
  readonly variant: Variant;
  readonly n: number;
  /** From before the engine imports to after synth. */
  readonly ms: number;
  readonly phases: { readonly import: number; readonly resolve: number; readonly build: number; readonly synth: number };
  /** Resources produced (sanity check that both variants did the same amount of work). */
  readonly resources: number;
}

const TOKEN = 'offline-placeholder';

async function main(): Promise<void> {
  const [engine, variant, nText] = process.argv.slice(2) as [Engine, Variant, string];
  const n = Number(nText);
  if (!['cdktf', 'pulumi'].includes(engine) || !['ours', 'baseline'].includes(variant) || !Number.isInteger(n) || n < 1) {
    throw new Error('usage: run-one.ts <cdktf|pulumi> <ours|baseline> <N>');
  }
  // Both variants run as the main job runs the engines (operations/synth/synth.ts, operations/synth/pulumi-report-worker.ts):
  // source maps off and stack traces formatted without frames (cdktf captures one per token, Pulumi per
  // promise and resource), and for Pulumi none captured at all. BENCH_STACK_TRACES=on measures both
  // with everything on, as `--debug` renders.
  if (process.env.BENCH_STACK_TRACES !== 'on') {
    process.setSourceMapsEnabled(false);
    Error.prepareStackTrace = framelessStack;
    if (engine === 'pulumi') Error.stackTraceLimit = 0;
  }
  const tenants = generateTenants(n);
  const specs = tenants.map(toSpec);
  const outdir = mkdtempSync(join(tmpdir(), `bench-${engine}-${variant}-`));
  try {
    const t0 = performance.now();
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    let resources = 0;
    if (engine === 'cdktf') {
      if (variant === 'ours') {
        const ours = require('./cdktf-ours') as typeof import('./cdktf-ours');
        t1 = performance.now();
        const resolved = ours.resolveAll(specs);
        t2 = performance.now();
        const app = ours.buildApp(resolved, outdir);
        t3 = performance.now();
        app.synth();
      } else {
        const base = require('./cdktf-baseline') as typeof import('./cdktf-baseline');
        t1 = t2 = performance.now();
        const app = base.buildApp(tenants, outdir);
        t3 = performance.now();
        app.synth();
      }
    } else {
      if (variant === 'ours') {
        const ours = require('./pulumi-ours') as typeof import('./pulumi-ours');
        t1 = performance.now();
        const resolved = ours.resolveAll(specs);
        t2 = performance.now();
        const { run, programMs } = await ours.render(resolved, TOKEN);
        t3 = t2 + programMs;
        // The component itself is ours alone; count only Okta resources and providers.
        resources = run.resources.filter((r) => !r.type.startsWith('okta-dynatrace-scim:')).length + run.invokes.length;
      } else {
        const base = require('./pulumi-baseline') as typeof import('./pulumi-baseline');
        t1 = t2 = performance.now();
        const { run, programMs } = await base.render(tenants, TOKEN);
        t3 = t2 + programMs;
        resources = run.resources.length + run.invokes.length;
      }
    }
    const t4 = performance.now();
    if (engine === 'cdktf') resources = countTerraform(outdir, tenants.map((t) => t.name));
    const result: Measurement = {
      engine,
      variant,
      n,
      ms: t4 - t0,
      phases: { import: t1 - t0, resolve: t2 - t1, build: t3 - t2, synth: t4 - t3 },
      resources,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Terraform resources + data sources + variables across the synthesized stacks (after timing). */
function countTerraform(outdir: string, stacks: readonly string[]): number {
  const { readFileSync } = require('node:fs') as typeof import('node:fs');
  let count = 0;
  for (const stack of stacks) {
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as Record<string, Record<string, Record<string, unknown>> | undefined>;
    for (const block of ['resource', 'data']) for (const byName of Object.values(json[block] ?? {})) count += Object.keys(byName).length;
    count += Object.keys(json.variable ?? {}).length + Object.keys(json.provider ?? {}).length;
  }
  return count;
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
