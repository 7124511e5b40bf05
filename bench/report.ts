/**
 * Turns benchmark results into the Markdown tables of docs/benchmark.md and README.md, and replaces
 * the generated part of those files (between `<!-- bench:start -->` and `<!-- bench:end -->`) only.
 * The tables are always rendered from the raw results committed in bench/results.json, which name the
 * commit and the machine they came from (a test keeps the three files in step).
 */
import type { Engine, Measurement } from './run-one';

export interface Sample extends Measurement {
  /** Spawn to exit, as seen by the runner. */
  readonly processMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly background: number;
}

export interface PairCell {
  readonly engine: Engine;
  readonly n: number;
  /** `ours[i]` and `baseline[i]` ran back to back. */
  readonly ours: Sample[];
  readonly baseline: Sample[];
}

export interface MainSample {
  readonly n: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly background: number;
}

export interface CliResult {
  readonly runs: number[];
  readonly engineModules: string[];
  readonly note?: string;
}

/** Where the raw results of the published tables live, relative to the repository root. */
export const RESULTS_FILE = 'bench/results.json';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly os: string;
  readonly node: string;
}

export interface BenchResults {
  /** The commit measured, and whether the working tree differed from it (README and results aside). */
  readonly commit: string;
  readonly dirty: boolean;
  readonly machine: Machine;
  /** The command that measured (its options decide sizes and repetitions). */
  readonly command: string;
  /** Version of the packed package that was measured. */
  readonly packageVersion: string;
  readonly node: string;
  readonly cpus: number;
  readonly date: string;
  readonly totalSeconds: number;
  readonly pairs: PairCell[];
  readonly mainJob: MainSample[];
  readonly cli?: CliResult;
}

/**
 * Issue 16 (main job, ratios; Pulumi's allows for the component's one registration per tenant) and issue 6
 * (slope, CLI).
 */
export const TARGETS = { ratio: { cdktf: 1.1, pulumi: 1.15 } as Record<Engine, number>, ratioSizes: [100, 1000], mainN: 2000, mainSeconds: 15, mainMb: 1024, slope: 1.2, cliMs: 300 };

export const START = '<!-- bench:start -->';
export const END = '<!-- bench:end -->';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const fixed = (value: number, digits = 0): string => value.toFixed(digits);
const percent = (share: number): string => `${(share * 100).toFixed(0)} %`;
/** `median (min–max)`. */
const spread = (values: readonly number[], scale = 1, digits = 0): string =>
  values.length === 1 ? fixed(values[0]! / scale, digits) : `${fixed(median(values) / scale, digits)} (${fixed(Math.min(...values) / scale, digits)}–${fixed(Math.max(...values) / scale, digits)})`;

/** ours/baseline of each back-to-back pair; `afterImport`: without loading the modules (a fixed cost). */
export function pairedRatios(cell: PairCell, afterImport = false): number[] {
  const time = (sample: Sample) => sample.ms - (afterImport ? sample.phases.import : 0);
  return cell.ours.map((ours, index) => time(ours) / time(cell.baseline[index]!));
}

function mainAt(results: BenchResults, n: number): MainSample[] {
  return results.mainJob.filter((sample) => sample.n === n);
}

function verdicts(results: BenchResults): string[] {
  const lines: string[] = [];
  const main = mainAt(results, TARGETS.mainN);
  if (main.length > 0) {
    const wall = median(main.map((s) => s.wallMs)) / 1000;
    const mb = median(main.map((s) => s.peakRssMb));
    const load = median(main.map((s) => s.background));
    const gap = (value: number, target: number, unit: string) => (value <= target ? '' : `, ${fixed(value - target, 1)} ${unit} over`);
    lines.push(`${wall <= TARGETS.mainSeconds ? 'PASS' : 'FAIL'}  main job at N=${TARGETS.mainN}: wall ≤ ${TARGETS.mainSeconds} s (median ${fixed(wall, 1)} s${gap(wall, TARGETS.mainSeconds, 's')}; background load ${percent(load)})`);
    lines.push(`${mb <= TARGETS.mainMb ? 'PASS' : 'FAIL'}  main job at N=${TARGETS.mainN}: peak RSS of the process tree ≤ 1 GB (median ${fixed(mb)} MB${gap(mb, TARGETS.mainMb, 'MB')})`);
  }
  for (const cell of results.pairs) {
    if (!TARGETS.ratioSizes.includes(cell.n)) continue;
    const ratios = pairedRatios(cell);
    const ratio = median(ratios);
    const afterImport = median(pairedRatios(cell, true));
    const target = TARGETS.ratio[cell.engine];
    lines.push(`${ratio <= target ? 'PASS' : 'FAIL'}  ${cell.engine} N=${cell.n}: ours/baseline ≤ ${target.toFixed(2)} (median ${fixed(ratio, 2)}, pairs ${fixed(Math.min(...ratios), 2)}–${fixed(Math.max(...ratios), 2)}, ${ratios.length} reps; without module loading ${fixed(afterImport, 2)})`);
  }
  for (const engine of new Set(results.pairs.map((c) => c.engine))) {
    const at = (n: number) => results.pairs.find((c) => c.engine === engine && c.n === n);
    const [c100, c1000] = [at(100), at(1000)];
    if (!c100 || !c1000) continue;
    const slope = median(c1000.ours.map((s) => s.ms)) / 1000 / (median(c100.ours.map((s) => s.ms)) / 100);
    lines.push(`${slope <= TARGETS.slope ? 'PASS' : 'FAIL'}  ${engine}: per-tenant time at 1000 ≤ ${TARGETS.slope}× at 100 (${fixed(slope, 2)}×)`);
  }
  if (results.cli) {
    const m = median(results.cli.runs);
    const modules = results.cli.engineModules.length ? results.cli.engineModules.join(', ') : 'none';
    lines.push(`${m < TARGETS.cliMs && !results.cli.note ? 'PASS' : 'FAIL'}  CLI --help < ${TARGETS.cliMs} ms (median ${fixed(m)} ms; engine modules loaded: ${modules})`);
  }
  return lines;
}

/** The generated part of docs/benchmark.md. */
export function renderDocsBlock(results: BenchResults): string {
  const lines: string[] = [];
  const loads = backgroundLoads(results);
  lines.push(`Generated from [bench/results.json](../bench/results.json): \`${results.command}\` on ${results.date}, ${origin(results)}; ${fixed(results.totalSeconds)} s in all.`);
  if (loads.length > 0) {
    lines.push(`Other processes used a median ${percent(median(loads))} (max ${percent(Math.max(...loads))}) of the machine's CPU during the measurements ("background"); wall times grow with it, CPU times much less.`);
  }

  if (results.mainJob.length > 0) {
    lines.push('', '#### Main job end to end', '', 'The installed package\'s `okta-dynatrace-scim synth` in a project folder holding the generated `tenants.yaml` and `Pulumi.yaml`: CDKTF stacks, the Pulumi programs rendered for the report, `Pulumi.<tenant>.yaml` files, the printed report; a clean output folder each time. Whole process tree (node and its worker thread).', '');
    lines.push('| N | wall s, median (min–max) | CPU s, median | peak RSS MB, process tree, median (max) | background | reps |');
    lines.push('|---:|---|---:|---:|---:|---:|');
    for (const n of [...new Set(results.mainJob.map((s) => s.n))]) {
      const samples = mainAt(results, n);
      const rss = samples.map((s) => s.peakRssMb);
      lines.push(`| ${n} | ${spread(samples.map((s) => s.wallMs), 1000, 1)} | ${fixed(median(samples.map((s) => s.cpuMs)) / 1000, 1)} | ${fixed(median(rss))} (${fixed(Math.max(...rss))}) | ${percent(median(samples.map((s) => s.background)))} | ${samples.length} |`);
    }
  }

  if (results.pairs.length > 0) {
    lines.push('', '#### Ours vs hand-written baselines', '', 'Each variant in a fresh process; ms from before the engine loads to after synthesis / the last registration. The ratio is taken per back-to-back pair.', '');
    lines.push('| engine | N | ours ms, median (min–max) | baseline ms, median (min–max) | ours/baseline, median (min–max) of pairs | same, without module loading | peak RSS MB ours / baseline | reps |');
    lines.push('|---|---:|---|---|---|---|---:|---:|');
    for (const cell of results.pairs) {
      const ratios = pairedRatios(cell);
      lines.push(
        `| ${cell.engine} | ${cell.n} | ${spread(cell.ours.map((s) => s.ms))} | ${spread(cell.baseline.map((s) => s.ms))} | ${spread(ratios, 1, 2)} | ${spread(pairedRatios(cell, true), 1, 2)} | ${fixed(median(cell.ours.map((s) => s.peakRssMb)))} / ${fixed(median(cell.baseline.map((s) => s.peakRssMb)))} | ${ratios.length} |`,
      );
    }
    lines.push('', 'Phase medians, ms (import = engine + our modules; resolve = model validation; build = constructing resources; synth = `app.synth()` / waiting for registrations):', '');
    lines.push('| engine | N | variant | import | resolve | build | synth | resources |');
    lines.push('|---|---:|---|---:|---:|---:|---:|---:|');
    for (const cell of results.pairs) {
      for (const variant of ['ours', 'baseline'] as const) {
        const phase = (key: keyof Measurement['phases']) => fixed(median(cell[variant].map((s) => s.phases[key])));
        lines.push(`| ${cell.engine} | ${cell.n} | ${variant} | ${phase('import')} | ${phase('resolve')} | ${phase('build')} | ${phase('synth')} | ${median(cell[variant].map((s) => s.resources))} |`);
      }
    }
  }

  if (results.cli) {
    const runs = results.cli.runs;
    lines.push('', `CLI cold start (the installed \`okta-dynatrace-scim --help\`): median ${fixed(median(runs))} ms over ${runs.length} runs (${fixed(Math.min(...runs))}–${fixed(Math.max(...runs))}); engine modules loaded: ${results.cli.engineModules.length ? results.cli.engineModules.join(', ') : 'none'}${results.cli.note ? `; ${results.cli.note}` : ''}.`);
  }
  lines.push('', 'Targets:', '', ...verdicts(results).map((verdict) => `- ${verdict}`));
  return lines.join('\n');
}

/** The generated table in README.md: the main job and the ratios at a glance. */
export function renderReadmeBlock(results: BenchResults): string {
  const sizes = [...new Set([...results.mainJob.map((s) => s.n), ...results.pairs.map((c) => c.n).filter((n) => n >= 100)])].sort((a, b) => a - b);
  const cell = (value: string | undefined) => value ?? '–';
  const lines = [
    '`npm run bench` (~10 minutes on 2 cores) measures the packed package as users run it (compiled, installed into a',
    'project of its own): the main job end to end and each renderer against a hand-written baseline that creates the same',
    'resources with no model in between (a test proves the outputs identical), side by side in one run, over tenants that',
    'take every path of the model. `npm run bench -- --write` saves the raw results in [bench/results.json](bench/results.json)',
    'with the commit and the machine, and renders this table and those in docs/benchmark.md from them.',
    '',
    `| | ${sizes.map((n) => `N = ${n}`).join(' | ')} |`,
    `|---|${sizes.map(() => '---:').join('|')}|`,
  ];
  const main = (n: number) => mainAt(results, n);
  lines.push(`| main job (\`okta-dynatrace-scim synth\`, both engines + report): wall | ${sizes.map((n) => cell(main(n).length ? `${fixed(median(main(n).map((s) => s.wallMs)) / 1000, 1)} s` : undefined)).join(' | ')} |`);
  lines.push(`| main job: peak memory (process tree) | ${sizes.map((n) => cell(main(n).length ? `${fixed(median(main(n).map((s) => s.peakRssMb)))} MB` : undefined)).join(' | ')} |`);
  for (const engine of ['cdktf', 'pulumi'] as const) {
    const ratio = (n: number) => {
      const found = results.pairs.find((c) => c.engine === engine && c.n === n);
      return found ? fixed(median(pairedRatios(found)), 2) : undefined;
    };
    lines.push(`| ${engine === 'cdktf' ? 'CDKTF' : 'Pulumi (mocks)'}: time ours / hand-written | ${sizes.map((n) => cell(ratio(n))).join(' | ')} |`);
  }
  lines.push('', `Measured ${results.date}, ${origin(results)}; medians; other processes used a median ${percent(median(backgroundLoads(results)))} of the CPU meanwhile. Targets: ${verdicts(results).filter((v) => !v.includes('CLI') && !v.includes('per-tenant')).map((v) => v.replace(/^(PASS|FAIL) {2}/, '**$1** ')).join('; ')}.`);
  lines.push('', 'Method, spread, machine load and the profile behind these numbers: [docs/benchmark.md](docs/benchmark.md).');
  return lines.join('\n');
}

/** Other processes' share of the CPU during each sample. */
function backgroundLoads(results: BenchResults): number[] {
  return [...results.mainJob.map((s) => s.background), ...results.pairs.flatMap((c) => [...c.ours, ...c.baseline].map((s) => s.background))];
}

/** `commit abc1234 on <cpu> (2 cores, 24 GB, linux …, Node v20 …)`: where a number comes from. */
function origin(results: BenchResults): string {
  const m = results.machine;
  return `commit ${results.commit.slice(0, 7)}${results.dirty ? ' with uncommitted changes' : ''}, package ${results.packageVersion}, on ${m.cpu} (${m.cores} cores, ${m.memoryGb} GB, ${m.os}, Node ${m.node})`;
}

/**
 * `text` with what lies between the markers replaced by `block`; everything else stays byte for byte.
 * Throws unless both markers occur exactly once, in order.
 */
export function replaceBetweenMarkers(text: string, block: string, file = 'the file'): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start || text.indexOf(START, start + 1) >= 0 || text.indexOf(END, end + 1) >= 0) {
    throw new Error(`${file}: expected one "${START}" followed by one "${END}" around the generated benchmark tables`);
  }
  return `${text.slice(0, start + START.length)}\n${block}\n${text.slice(end)}`;
}
