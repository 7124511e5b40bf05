/**
 * Where the benchmark runs: the package as users run it. `npm pack` builds and packs it, a project of
 * its own installs the tarball (scripts/package-consumer.ts: engines are this repository's copies), and
 * the benchmark's own programs are compiled to JavaScript into that project. Ours then loads the
 * installed package by name (`okta-dynatrace-scim`, `…/cdktf`, `…/pulumi`), compiled, as an app does; the
 * hand-written baselines load a compiled copy of the provider classes they share with it; the main job
 * is the installed `okta-dynatrace-scim` command. Nothing runs through a TypeScript loader.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { createConsumer } from '../scripts/package-consumer';

const ROOT = resolve(__dirname, '..');

export interface Workspace {
  /** The consumer project (cwd of every measurement). */
  readonly dir: string;
  /** `bench/run-one.ts`, compiled. */
  readonly runOne: string;
  /** The installed command's script (what `npx okta-dynatrace-scim` runs). */
  readonly bin: string;
  /** `bench/trace-loads.cjs`, copied. */
  readonly traceLoads: string;
  readonly version: string;
  dispose(): void;
}

/** Packs and installs the package, and compiles the benchmark's programs beside it. */
export function prepareWorkspace(): Workspace {
  const consumer = createConsumer('repository');
  const out = join(consumer.dir, 'bench-build');
  for (const file of harnessFiles(join(ROOT, 'bench', 'run-one.ts'))) {
    const target = join(out, relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, transpile(file));
  }
  const traceLoads = join(out, 'bench', 'trace-loads.cjs');
  writeFileSync(traceLoads, readFileSync(join(ROOT, 'bench', 'trace-loads.cjs')));
  return {
    dir: consumer.dir,
    runOne: join(out, 'bench', 'run-one.js'),
    bin: join(consumer.dir, 'node_modules', 'okta-dynatrace-scim', 'bin', 'okta-dynatrace-scim.js'),
    traceLoads,
    version: consumer.packed.version,
    dispose: () => rmSync(consumer.scratch, { recursive: true, force: true }),
  };
}

/**
 * `entry` and every file it imports by relative path, transitively. Imports by package name (the
 * engines, `okta-dynatrace-scim`) stay imports: they resolve in the consumer project.
 */
function harnessFiles(entry: string): string[] {
  const found = new Set<string>();
  const visit = (file: string) => {
    if (found.has(file)) return;
    found.add(file);
    for (const imported of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (imported.fileName.startsWith('.')) visit(`${resolve(dirname(file), imported.fileName)}.ts`);
    }
  };
  visit(entry);
  return [...found];
}

/** The repository's compiler settings, emitting CommonJS (type checking is `npm test`'s job). */
function transpile(file: string): string {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  return ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: { ...options, noEmit: false, sourceMap: false }, fileName: file }).outputText;
}
