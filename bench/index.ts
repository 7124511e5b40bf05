/**
 * `npm run bench`: what the main job and each renderer cost as the number of tenants grows.
 *
 * 1. Ours vs hand-written baselines, per engine and N: every measurement a fresh child process
 *    (`bench/run-one.ts`); ours and baseline alternate and swap order every repetition, so each pair
 *    ran side by side under the same machine load, and the ratio is taken per pair.
 * 2. The main job end to end: `npm run synth` on a generated tenants file (both engines, the report,
 *    the Pulumi stack files), measured as a whole process tree.
 * 3. CLI cold start: `--help`, and which engine modules it loads.
 *
 * Options: --sizes 1,10,100,1000,2000  --engines cdktf,pulumi  --reps 5  --reps-large 3 (N ≥ 2000)
 *          --main-sizes 100,1000,2000 (or none)  --main-reps 3  --cli-runs 10  --json <file>
 *          --settle <percent>  (before each sample, wait up to 2 minutes for other processes to use less
 *                               than this share of the CPU; for shared machines)
 *          --write  (replace the generated tables in docs/benchmark.md and README.md)
 *          --from <json>  (no measuring: render the results a previous --json run saved)
 *          --project <N>  (no measuring: print the path of a new folder with N generated tenants + Pulumi.yaml)
 * Informational: prints PASS/FAIL per target, exits 0 unless a measurement fails.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { generateTenants, toSpec } from './generate';
import { machineBusy, measureTree } from './process-tree';
import { type BenchResults, type CliResult, type MainSample, type PairCell, renderDocsBlock, renderReadmeBlock, replaceBetweenMarkers } from './report';
import type { Engine, Measurement, Variant } from './run-one';

const ROOT = resolve(__dirname, '..');

interface Options {
  sizes: number[];
  engines: Engine[];
  reps: number;
  repsLarge: number;
  mainSizes: number[];
  mainReps: number;
  cliRuns: number;
  settle?: number;
  json?: string;
  from?: string;
  project?: number;
  write: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { sizes: [1, 10, 100, 1000, 2000], engines: ['cdktf', 'pulumi'], reps: 5, repsLarge: 3, mainSizes: [100, 1000, 2000], mainReps: 3, cliRuns: 10, write: false };
  const list = (value: string | undefined) => (value === 'none' ? [] : value!.split(',').map(Number));
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--sizes': options.sizes = list(value); i++; break;
      case '--engines': options.engines = value!.split(',') as Engine[]; i++; break;
      case '--reps': options.reps = Number(value); i++; break;
      case '--reps-large': options.repsLarge = Number(value); i++; break;
      case '--main-sizes': options.mainSizes = list(value); i++; break;
      case '--main-reps': options.mainReps = Number(value); i++; break;
      case '--cli-runs': options.cliRuns = Number(value); i++; break;
      case '--settle': options.settle = Number(value) / 100; i++; break;
      case '--json': options.json = value; i++; break;
      case '--from': options.from = value; i++; break;
      case '--project': options.project = Number(value); i++; break;
      case '--write': options.write = true; break;
      default: throw new Error(`unknown option ${argv[i]}`);
    }
  }
  return options;
}

const progress = (text: string) => process.stderr.write(`${text}\n`);

/** Waits (up to 2 minutes) until other processes leave the machine mostly idle, if asked to. */
async function settle(options: Options): Promise<void> {
  if (options.settle === undefined) return;
  const deadline = performance.now() + 120_000;
  while ((await machineBusy(1000)) > options.settle && performance.now() < deadline) progress('  (waiting for a quieter machine)');
}

async function runOne(engine: Engine, variant: Variant, n: number, options: Options): Promise<PairCell['ours'][number]> {
  await settle(options);
  const result = await measureTree(process.execPath, ['--require', 'tsx/cjs', join('bench', 'run-one.ts'), engine, variant, String(n)], { cwd: ROOT });
  if (result.code !== 0) throw new Error(`${engine} ${variant} ${n} exited ${result.code}:\n${result.stderr}`);
  const measurement = JSON.parse(result.stdout.trim().split('\n').pop()!) as Measurement;
  return { ...measurement, processMs: result.wallMs, cpuMs: result.cpuMs, peakRssMb: result.peakRssMb, background: result.background };
}

async function measurePairs(options: Options, started: number): Promise<PairCell[]> {
  const cells: PairCell[] = [];
  for (const n of options.sizes) {
    for (const engine of options.engines) {
      const reps = n >= 2000 ? options.repsLarge : options.reps;
      const cell: PairCell = { engine, n, ours: [], baseline: [] };
      for (let rep = 0; rep < reps; rep++) {
        // Alternate, and swap who goes first each repetition, so drift and load hit both alike.
        const order: Variant[] = rep % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours'];
        for (const variant of order) cell[variant].push(await runOne(engine, variant, n, options));
      }
      cells.push(cell);
      progress(`  ${engine.padEnd(6)} N=${String(n).padStart(4)}  ours ${cell.ours.map((s) => s.ms.toFixed(0)).join('/')} ms  baseline ${cell.baseline.map((s) => s.ms.toFixed(0)).join('/')} ms  (${((performance.now() - started) / 1000).toFixed(0)} s elapsed)`);
    }
  }
  return cells;
}

/** A project folder as users have it: the tenants file beside Pulumi.yaml (synth refreshes the stack files). */
function projectWithTenants(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), `bench-main-${n}-`));
  // No YAML aliases: the tenants file parser rejects many of them (resource-exhaustion guard).
  writeFileSync(join(dir, 'tenants.yaml'), stringify({ tenants: generateTenants(n).map(toSpec) }, { aliasDuplicateObjects: false }));
  copyFileSync(join(ROOT, 'Pulumi.yaml'), join(dir, 'Pulumi.yaml'));
  return dir;
}

async function measureMainJob(options: Options, started: number): Promise<MainSample[]> {
  const samples: MainSample[] = [];
  for (const n of options.mainSizes) {
    const dir = projectWithTenants(n);
    try {
      for (let rep = 0; rep < options.mainReps; rep++) {
        // A clean output each time, as on a fresh CI clone.
        rmSync(join(dir, 'cdktf.out'), { recursive: true, force: true });
        await settle(options);
        const result = await measureTree('npm', ['run', '--silent', 'synth', '--', '--tenants', join(dir, 'tenants.yaml'), '--synth-dir', join(dir, 'cdktf.out')], { cwd: ROOT });
        if (result.code !== 0 || !result.stdout.includes(`done: ${n} CDKTF stacks`)) throw new Error(`main job at N=${n} failed (exit ${result.code}):\n${result.stderr}`);
        samples.push({ n, wallMs: result.wallMs, cpuMs: result.cpuMs, peakRssMb: result.peakRssMb, background: result.background });
        progress(`  main job N=${String(n).padStart(4)}  ${(result.wallMs / 1000).toFixed(1)} s, ${result.peakRssMb.toFixed(0)} MB, background ${(result.background * 100).toFixed(0)} %  (${((performance.now() - started) / 1000).toFixed(0)} s elapsed)`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return samples;
}

/** `node bin/okta-dynatrace-scim.js --help`, cold, `runs` times; and which engine modules it loads. */
function measureCli(runs: number): CliResult {
  const bin = join(ROOT, 'bin', 'okta-dynatrace-scim.js');
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = spawnSync(process.execPath, [bin, '--help'], { cwd: ROOT, stdio: 'ignore' });
    times.push(performance.now() - start);
    if (result.status !== 0) return { runs: times, engineModules: [], note: `--help exited ${result.status}` };
  }
  // Which engine modules does --help load? One extra traced run (not timed).
  const dir = mkdtempSync(join(tmpdir(), 'bench-cli-'));
  const trace = join(dir, 'loads.txt');
  try {
    spawnSync(process.execPath, ['--require', join(ROOT, 'bench', 'trace-loads.cjs'), bin, '--help'], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, BENCH_TRACE_LOADS: trace } });
    const loaded = existsSync(trace) ? readFileSync(trace, 'utf8').split('\n').filter(Boolean) : [];
    const engineModules = [...new Set(loaded.filter((p) => /node_modules\/(cdktf|@cdktf|@pulumi|constructs)\//.test(p)).map((p) => p.replace(/.*node_modules\/((?:@[^/]+\/)?[^/]+).*/, '$1')))];
    return { runs: times, engineModules };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(options: Options): Promise<BenchResults> {
  const started = performance.now();
  progress(`bench: node ${process.version}, ${cpus().length} cpus, sizes ${options.sizes.join(',')}, engines ${options.engines.join(',')}, main job at ${options.mainSizes.join(',') || 'none'}`);
  const pairs = await measurePairs(options, started);
  const mainJob = await measureMainJob(options, started);
  const cli = options.cliRuns > 0 ? measureCli(options.cliRuns) : undefined;
  return { node: process.version, cpus: cpus().length, date: new Date().toISOString().slice(0, 10), totalSeconds: (performance.now() - started) / 1000, pairs, mainJob, ...(cli ? { cli } : {}) };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.project !== undefined) {
    process.stdout.write(`${projectWithTenants(options.project)}\n`);
    return;
  }
  const results = options.from ? (JSON.parse(readFileSync(options.from, 'utf8')) as BenchResults) : await measure(options);
  const block = renderDocsBlock(results);
  process.stdout.write(`${block}\n`);
  if (options.json) writeFileSync(options.json, JSON.stringify(results, null, 2));
  if (options.write) {
    for (const [file, text] of [['docs/benchmark.md', block], ['README.md', renderReadmeBlock(results)]] as const) {
      const path = join(ROOT, file);
      writeFileSync(path, replaceBetweenMarkers(readFileSync(path, 'utf8'), text, file));
      progress(`updated ${file}`);
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
