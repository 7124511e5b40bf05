/**
 * `npm run bench`: what the main job and each renderer cost as the number of tenants grows, measured on
 * the package as users run it: packed, installed into a project of its own and compiled
 * (bench/workspace.ts), never the sources through a TypeScript loader.
 *
 * 1. Ours vs hand-written baselines, per engine and N: every measurement a fresh child process
 *    (`bench/run-one.ts`, compiled); ours and baseline alternate and swap order every repetition, so each
 *    pair ran side by side under the same machine load, and the ratio is taken per pair.
 * 2. The main job end to end: the installed `okta-dynatrace-scim synth` in a project folder holding a
 *    generated tenants file and `Pulumi.yaml` (both engines, the report, the Pulumi stack files),
 *    measured as a whole process tree.
 * 3. CLI cold start: the installed command's `--help`, and which engine modules it loads.
 *
 * Options: --sizes 1,10,100,1000,2000  --engines cdktf,pulumi  --reps 5  --reps-large 3 (N ≥ 2000)
 *          --main-sizes 100,1000,2000 (or none)  --main-reps 3  --cli-runs 10  --json <file>
 *          --settle <percent>  (before each sample, wait up to 2 minutes for other processes to use less
 *                               than this share of the CPU; for shared machines)
 *          --write  (save the raw results as bench/results.json, with the commit and the machine, and
 *                    render the tables in docs/benchmark.md and README.md from it)
 *          --from <json>  (no measuring: render results saved before, e.g. --from bench/results.json --write)
 *          --project <N>  (no measuring: print the path of a project with the package installed, N
 *                          generated tenants and Pulumi.yaml, for measuring by hand)
 * Informational: prints PASS/FAIL per target, exits 0 unless a measurement fails.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { generateTenants, toSpec } from './generate';
import { machineBusy, measureTree } from './process-tree';
import { type BenchResults, type CliResult, type MainSample, type PairCell, RESULTS_FILE, renderDocsBlock, renderReadmeBlock, replaceBetweenMarkers } from './report';
import type { Engine, Measurement, Variant } from './run-one';
import { prepareWorkspace, type Workspace } from './workspace';

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

async function runOne(workspace: Workspace, engine: Engine, variant: Variant, n: number, options: Options): Promise<PairCell['ours'][number]> {
  await settle(options);
  const result = await measureTree(process.execPath, [workspace.runOne, engine, variant, String(n)], { cwd: workspace.dir });
  if (result.code !== 0) throw new Error(`${engine} ${variant} ${n} exited ${result.code}:\n${result.stderr}`);
  const measurement = JSON.parse(result.stdout.trim().split('\n').pop()!) as Measurement;
  return { ...measurement, processMs: result.wallMs, cpuMs: result.cpuMs, peakRssMb: result.peakRssMb, background: result.background };
}

async function measurePairs(workspace: Workspace, options: Options, started: number): Promise<PairCell[]> {
  const cells: PairCell[] = [];
  for (const n of options.sizes) {
    for (const engine of options.engines) {
      const reps = n >= 2000 ? options.repsLarge : options.reps;
      const cell: PairCell = { engine, n, ours: [], baseline: [] };
      for (let rep = 0; rep < reps; rep++) {
        // Alternate, and swap who goes first each repetition, so drift and load hit both alike.
        const order: Variant[] = rep % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours'];
        for (const variant of order) cell[variant].push(await runOne(workspace, engine, variant, n, options));
      }
      cells.push(cell);
      progress(`  ${engine.padEnd(6)} N=${String(n).padStart(4)}  ours ${cell.ours.map((s) => s.ms.toFixed(0)).join('/')} ms  baseline ${cell.baseline.map((s) => s.ms.toFixed(0)).join('/')} ms  (${((performance.now() - started) / 1000).toFixed(0)} s elapsed)`);
    }
  }
  return cells;
}

/** A project folder as users have it: the tenants file beside Pulumi.yaml (synth refreshes the stack files). */
function writeProject(dir: string, n: number): void {
  // No YAML aliases: the tenants file parser rejects many of them (resource-exhaustion guard).
  writeFileSync(join(dir, 'tenants.yaml'), stringify({ tenants: generateTenants(n).map(toSpec) }, { aliasDuplicateObjects: false }));
  copyFileSync(join(ROOT, 'Pulumi.yaml'), join(dir, 'Pulumi.yaml'));
}

async function measureMainJob(workspace: Workspace, options: Options, started: number): Promise<MainSample[]> {
  const samples: MainSample[] = [];
  for (const n of options.mainSizes) {
    const dir = mkdtempSync(join(workspace.dir, `main-${n}-`));
    writeProject(dir, n);
    try {
      for (let rep = 0; rep < options.mainReps; rep++) {
        // A clean output each time, as on a fresh CI clone.
        rmSync(join(dir, 'cdktf.out'), { recursive: true, force: true });
        await settle(options);
        // `okta-dynatrace-scim synth` in the project folder, as a user runs it (the command's defaults: tenants.yaml, cdktf.out).
        const result = await measureTree(process.execPath, [workspace.bin, 'synth'], { cwd: dir });
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

/** The installed command's `--help`, cold, `runs` times; and which engine modules it loads. */
function measureCli(workspace: Workspace, runs: number): CliResult {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = spawnSync(process.execPath, [workspace.bin, '--help'], { cwd: workspace.dir, stdio: 'ignore' });
    times.push(performance.now() - start);
    if (result.status !== 0) return { runs: times, engineModules: [], note: `--help exited ${result.status}` };
  }
  // Which engine modules does --help load? One extra traced run (not timed).
  const trace = join(workspace.dir, 'cli-loads.txt');
  spawnSync(process.execPath, ['--require', workspace.traceLoads, workspace.bin, '--help'], { cwd: workspace.dir, stdio: 'ignore', env: { ...process.env, BENCH_TRACE_LOADS: trace } });
  const loaded = existsSync(trace) ? readFileSync(trace, 'utf8').split('\n').filter(Boolean) : [];
  const engineModules = [...new Set(loaded.filter((p) => /node_modules\/(cdktf|@cdktf|@pulumi|constructs)\//.test(p)).map((p) => p.replace(/.*node_modules\/((?:@[^/]+\/)?[^/]+).*/, '$1')))];
  return { runs: times, engineModules };
}

/** The commit measured (and whether the working tree differed from it) and the machine. */
function provenance(): Pick<BenchResults, 'commit' | 'dirty' | 'machine'> {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  const cpu = cpus();
  return {
    commit: git('rev-parse', 'HEAD'),
    // The results file itself does not count: it is what a measurement writes.
    dirty: git('status', '--porcelain', '--untracked-files=no', '--', '.', `:!${RESULTS_FILE}`, ':!README.md', ':!docs/benchmark.md') !== '',
    machine: { cpu: cpu[0]?.model.trim() ?? 'unknown', cores: cpu.length, memoryGb: Math.round(totalmem() / 2 ** 30), os: `${platform()} ${release()}`, node: process.version },
  };
}

async function measure(options: Options, argv: readonly string[]): Promise<BenchResults> {
  const started = performance.now();
  progress(`bench: node ${process.version}, ${cpus().length} cpus, sizes ${options.sizes.join(',')}, engines ${options.engines.join(',')}, main job at ${options.mainSizes.join(',') || 'none'}`);
  progress('  packing and installing the package …');
  const origin = provenance();
  const workspace = prepareWorkspace();
  try {
    const pairs = await measurePairs(workspace, options, started);
    const mainJob = await measureMainJob(workspace, options, started);
    const cli = options.cliRuns > 0 ? measureCli(workspace, options.cliRuns) : undefined;
    return {
      ...origin,
      command: ['npm', 'run', 'bench', '--', ...argv].join(' '),
      packageVersion: workspace.version,
      node: process.version,
      cpus: cpus().length,
      date: new Date().toISOString().slice(0, 10),
      totalSeconds: (performance.now() - started) / 1000,
      pairs,
      mainJob,
      ...(cli ? { cli } : {}),
    };
  } finally {
    workspace.dispose();
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseArgs(argv);
  if (options.project !== undefined) {
    const workspace = prepareWorkspace();
    writeProject(workspace.dir, options.project);
    process.stdout.write(`${workspace.dir}\n`);
    return;
  }
  const results = options.from ? (JSON.parse(readFileSync(options.from, 'utf8')) as BenchResults) : await measure(options, argv.filter((arg) => arg !== '--write'));
  const block = renderDocsBlock(results);
  process.stdout.write(`${block}\n`);
  if (options.json) writeFileSync(options.json, `${JSON.stringify(results, null, 2)}\n`);
  if (options.write) {
    const raw = join(ROOT, RESULTS_FILE);
    if (resolve(options.from ?? '') !== raw) {
      writeFileSync(raw, `${JSON.stringify(results, null, 2)}\n`);
      progress(`saved ${RESULTS_FILE}`);
    }
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
