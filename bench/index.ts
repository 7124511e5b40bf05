/**
 * `npm run bench`: synthesis cost as the number of tenants grows, ours vs a hand-written baseline, for
 * CDKTF and Pulumi (mocks). Every measurement is a fresh child process (`bench/run-one.ts`), ours and
 * baseline alternate (and swap order every repetition), and the median is reported with its spread.
 *
 * Options: --sizes 1,10,100,1000  --engines cdktf,pulumi  --reps 5  --reps-1000 3  --reps-1000-pulumi 1
 *          --cli-runs 10  --json <file>
 * Informational: prints PASS/FAIL per target from issue 6, always exits 0 unless a child fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Engine, Measurement, Variant } from './run-one';

const ROOT = resolve(__dirname, '..');
const TARGETS = { ratio: 1.15, slope: 1.2, cliMs: 300 };

interface Options {
  sizes: number[];
  engines: Engine[];
  reps: number;
  reps1000: number;
  reps1000Pulumi: number;
  cliRuns: number;
  json?: string;
}

interface Sample extends Measurement {
  /** Wall time of the whole child process, spawn to exit, as seen by this runner. */
  readonly processMs: number;
}

interface Cell {
  readonly engine: Engine;
  readonly n: number;
  readonly reps: number;
  readonly ours: Sample[];
  readonly baseline: Sample[];
}

function parseArgs(argv: string[]): Options {
  const options: Options = { sizes: [1, 10, 100, 1000], engines: ['cdktf', 'pulumi'], reps: 5, reps1000: 5, reps1000Pulumi: 2, cliRuns: 10 };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--sizes': options.sizes = value!.split(',').map(Number); i++; break;
      case '--engines': options.engines = value!.split(',') as Engine[]; i++; break;
      case '--reps': options.reps = Number(value); i++; break;
      case '--reps-1000': options.reps1000 = Number(value); i++; break;
      case '--reps-1000-pulumi': options.reps1000Pulumi = Number(value); i++; break;
      case '--cli-runs': options.cliRuns = Number(value); i++; break;
      case '--json': options.json = value; i++; break;
      default: throw new Error(`unknown option ${argv[i]}`);
    }
  }
  return options;
}

function runOne(engine: Engine, variant: Variant, n: number): Promise<Sample> {
  return new Promise((resolvePromise, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', join('bench', 'run-one.ts'), engine, variant, String(n)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const processMs = performance.now() - start;
      if (code !== 0) return reject(new Error(`${engine} ${variant} ${n} exited ${code}:\n${stderr}`));
      const line = stdout.trim().split('\n').pop()!;
      resolvePromise({ ...(JSON.parse(line) as Measurement), processMs });
    });
  });
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
/** Half the range, relative to the median: "±x%". */
const spread = (values: readonly number[]): number => (values.length < 2 ? 0 : (Math.max(...values) - Math.min(...values)) / 2 / median(values));
const fmt = (value: number, digits = 0): string => value.toFixed(digits);
const pct = (value: number): string => `±${(value * 100).toFixed(0)}%`;

async function measure(options: Options): Promise<Cell[]> {
  const cells: Cell[] = [];
  const started = performance.now();
  for (const n of options.sizes) {
    for (const engine of options.engines) {
      const reps = n >= 1000 ? (engine === 'pulumi' ? options.reps1000Pulumi : options.reps1000) : options.reps;
      const cell: Cell = { engine, n, reps, ours: [], baseline: [] };
      for (let rep = 0; rep < reps; rep++) {
        // Alternate, and swap who goes first each repetition, so drift hits both alike.
        const order: Variant[] = rep % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours'];
        for (const variant of order) cell[variant].push(await runOne(engine, variant, n));
      }
      cells.push(cell);
      const o = cell.ours.map((s) => s.ms);
      const b = cell.baseline.map((s) => s.ms);
      process.stderr.write(
        `  ${engine.padEnd(6)} N=${String(n).padStart(4)}  ours ${fmt(median(o)).padStart(6)} ms ${pct(spread(o))}  baseline ${fmt(median(b)).padStart(6)} ms ${pct(spread(b))}  (${reps} reps, ${fmt((performance.now() - started) / 1000)} s elapsed)\n`,
      );
    }
  }
  return cells;
}

interface CliResult {
  readonly present: boolean;
  readonly runs: number[];
  readonly engineModules: string[];
  readonly note?: string;
}

/** `node bin/okta-dynatrace-scim.js --help`, cold, `runs` times; and which engine modules it loads. */
function measureCli(runs: number): CliResult {
  const bin = join(ROOT, 'bin', 'okta-dynatrace-scim.js');
  if (!existsSync(bin)) return { present: false, runs: [], engineModules: [], note: 'bin/okta-dynatrace-scim.js is absent (being written by a colleague): skipped' };
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = spawnSync(process.execPath, [bin, '--help'], { cwd: ROOT, stdio: 'ignore' });
    times.push(performance.now() - start);
    if (result.status !== 0) return { present: true, runs: times, engineModules: [], note: `--help exited ${result.status}` };
  }
  // Which engine modules does --help load? One extra traced run (not timed).
  const dir = mkdtempSync(join(tmpdir(), 'bench-cli-'));
  const trace = join(dir, 'loads.txt');
  try {
    spawnSync(process.execPath, ['--require', join(ROOT, 'bench', 'trace-loads.cjs'), bin, '--help'], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, BENCH_TRACE_LOADS: trace } });
    const loaded = existsSync(trace) ? readFileSync(trace, 'utf8').split('\n').filter(Boolean) : [];
    const engineModules = [...new Set(loaded.filter((p) => /node_modules\/(cdktf|@cdktf|@pulumi|constructs)\//.test(p)).map((p) => p.replace(/.*node_modules\/((?:@[^/]+\/)?[^/]+).*/, '$1')))];
    return { present: true, runs: times, engineModules };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(cells: readonly Cell[], cli: CliResult): string {
  const lines: string[] = [];
  const get = (engine: Engine, n: number) => cells.find((c) => c.engine === engine && c.n === n);
  const ms = (samples: readonly Sample[]) => median(samples.map((s) => s.ms));
  lines.push('| engine | N | ours ms | baseline ms | ratio ours/baseline | ours peak MB | baseline peak MB | per-tenant ms (ours / baseline) | process ms (ours / baseline) | noise (ours / baseline) | reps |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const c of cells) {
    const o = ms(c.ours);
    const b = ms(c.baseline);
    const warn = median(c.ours.map((s) => s.resources)) !== median(c.baseline.map((s) => s.resources)) ? ' ⚠ resource counts differ' : '';
    lines.push(
      `| ${c.engine} | ${c.n} | ${fmt(o)} | ${fmt(b)} | ${fmt(o / b, 2)}${warn} | ${fmt(median(c.ours.map((s) => s.maxRssMb)))} | ${fmt(median(c.baseline.map((s) => s.maxRssMb)))} | ${fmt(o / c.n, 2)} / ${fmt(b / c.n, 2)} | ${fmt(median(c.ours.map((s) => s.processMs)))} / ${fmt(median(c.baseline.map((s) => s.processMs)))} | ${pct(spread(c.ours.map((s) => s.ms)))} / ${pct(spread(c.baseline.map((s) => s.ms)))} | ${c.reps} |`,
    );
  }
  lines.push('', 'Phase medians, ms (import = engine + our modules loaded; resolve = model validation; build = constructing resources; synth = app.synth() / waiting for mock registrations):', '');
  lines.push('| engine | N | variant | import | resolve | build | synth | resources |');
  lines.push('|---|---:|---|---:|---:|---:|---:|---:|');
  for (const c of cells) {
    for (const variant of ['ours', 'baseline'] as const) {
      const p = (k: keyof Measurement['phases']) => fmt(median(c[variant].map((s) => s.phases[k])));
      lines.push(`| ${c.engine} | ${c.n} | ${variant} | ${p('import')} | ${p('resolve')} | ${p('build')} | ${p('synth')} | ${median(c[variant].map((s) => s.resources))} |`);
    }
  }

  lines.push('', 'Per-tenant cost slope (time per tenant at 1000 ÷ time per tenant at 100; marginal = (T(N) − T(1)) ÷ (N − 1), fixed start-up cost removed):', '');
  const verdicts: string[] = [];
  for (const engine of new Set(cells.map((c) => c.engine))) {
    const c1 = get(engine, 1);
    const c100 = get(engine, 100);
    const c1000 = get(engine, 1000);
    if (!c100 || !c1000) continue;
    for (const variant of ['ours', 'baseline'] as const) {
      const t100 = ms(c100[variant]);
      const t1000 = ms(c1000[variant]);
      const slope = t1000 / 1000 / (t100 / 100);
      let marginal = '';
      if (c1) {
        const t1 = ms(c1[variant]);
        const m100 = (t100 - t1) / 99;
        const m1000 = (t1000 - t1) / 999;
        marginal = `; marginal ${fmt(m100, 2)} → ${fmt(m1000, 2)} ms/tenant = ${fmt(m1000 / m100, 2)}×`;
      }
      lines.push(`- ${engine} ${variant}: ${fmt(t100 / 100, 2)} ms/tenant at 100, ${fmt(t1000 / 1000, 2)} at 1000 → slope ${fmt(slope, 2)}×${marginal}`);
      if (variant === 'ours') verdicts.push(`${slope <= TARGETS.slope ? 'PASS' : 'FAIL'}  ${engine}: per-tenant time at 1000 ≤ ${TARGETS.slope}× at 100 (${fmt(slope, 2)}×)`);
    }
  }
  for (const c of cells) {
    if (c.n !== 100 && c.n !== 1000) continue;
    const ratio = ms(c.ours) / ms(c.baseline);
    verdicts.unshift(`${ratio <= TARGETS.ratio ? 'PASS' : 'FAIL'}  ${c.engine} N=${c.n}: ours/baseline ≤ ${TARGETS.ratio} (${fmt(ratio, 2)}, noise ${pct(spread(c.ours.map((s) => s.ms)))} / ${pct(spread(c.baseline.map((s) => s.ms)))}, ${c.reps} reps)`);
  }
  verdicts.sort();

  lines.push('', 'CLI cold start (`node bin/okta-dynatrace-scim.js --help`):', '');
  if (!cli.present || cli.runs.length === 0) {
    lines.push(`- skipped: ${cli.note}`);
    verdicts.push(`SKIP  CLI --help < ${TARGETS.cliMs} ms (${cli.note})`);
  } else {
    const m = median(cli.runs);
    lines.push(`- median ${fmt(m)} ms over ${cli.runs.length} runs (min ${fmt(Math.min(...cli.runs))}, max ${fmt(Math.max(...cli.runs))})${cli.note ? `; ${cli.note}` : ''}`);
    lines.push(`- engine modules loaded by --help: ${cli.engineModules.length ? cli.engineModules.join(', ') : 'none'}`);
    verdicts.push(`${m < TARGETS.cliMs && !cli.note ? 'PASS' : 'FAIL'}  CLI --help < ${TARGETS.cliMs} ms (${fmt(m)} ms; engines loaded: ${cli.engineModules.length ? cli.engineModules.join(', ') : 'none'})`);
  }
  lines.push('', 'Targets (informational, issue 6):', '', ...verdicts.map((v) => `- ${v}`));
  return lines.join('\n');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  process.stderr.write(`bench: node ${process.version}, ${cpus().length} cpus, sizes ${options.sizes.join(',')}, engines ${options.engines.join(',')}\n`);
  const cells = await measure(options);
  const cli = measureCli(options.cliRuns);
  const text = report(cells, cli);
  process.stdout.write(`${text}\n\nTotal bench time: ${fmt((performance.now() - started) / 1000)} s\n`);
  if (options.json) writeFileSync(options.json, JSON.stringify({ node: process.version, cpus: cpus().length, cells, cli }, null, 2));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
