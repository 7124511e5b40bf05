/**
 * The package as someone else's project gets it: `npm pack` (which builds dist/), then a project of its
 * own that installs the tarball with npm. Used by test/package.test.ts (type-check and run the README's
 * library section against it) and by the benchmark (which measures the compiled package, as users run it).
 *
 * Where the consumer's engines come from:
 * - `repository` (the default; offline): the consumer's folder sits in a scratch folder whose
 *   `node_modules` links to this repository's, so `cdktf`, `constructs`, `@pulumi/*` and `@types/node`
 *   resolve to the repository's copies — from the consumer's code and from the installed package alike:
 *   one construct tree, one Pulumi runtime. The package's own dependencies are linked the same way
 *   (`file:`), and npm runs with `--offline` and an empty cache of its own, so nothing is downloaded.
 *   `--legacy-peer-deps`: npm would otherwise look up the registry metadata of the optional peer
 *   dependencies it does not install here; `registry` mode checks the peer ranges instead.
 * - `lower` / `current`: npm installs the tarball and the engines from the registry at the lower or the
 *   upper bound of the peer ranges in package.json (lower: the range's minimum; current: the versions
 *   this repository pins), with npm's own peer resolution. Needs the registry.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

export type EngineSource = 'repository' | 'lower' | 'current';

export interface PackedPackage {
  readonly tarball: string;
  /** Paths inside the package, as `npm pack` lists them. */
  readonly files: readonly string[];
  readonly version: string;
}

export interface ConsumerProject {
  /** The consumer's project folder (its package.json, node_modules, sources). */
  readonly dir: string;
  /** The scratch folder holding it; remove it when done. */
  readonly scratch: string;
  readonly packed: PackedPackage;
  /** Engine package → version the consumer resolves. */
  readonly engines: Readonly<Record<string, string>>;
}

interface Manifest {
  readonly version: string;
  readonly dependencies: Record<string, string>;
  readonly devDependencies: Record<string, string>;
  readonly peerDependencies: Record<string, string>;
}

function manifest(): Manifest {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
}

/** `npm pack` into `destination` (its `prepack` builds dist/ first). */
function packPackage(destination: string): PackedPackage {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [info] = JSON.parse(out) as { filename: string; version: string; files: { path: string }[] }[];
  return { tarball: join(destination, info!.filename), files: info!.files.map((file) => file.path), version: info!.version };
}

/** The engine versions a consumer installs in `source` mode. */
function engineVersions(source: EngineSource): Record<string, string> {
  const { peerDependencies, devDependencies } = manifest();
  return Object.fromEntries(
    Object.entries(peerDependencies).map(([name, range]) => {
      if (source === 'lower') return [name, range.replace(/^[\^~]/, '')];
      return [name, devDependencies[name]!];
    }),
  );
}

/** Packs the package and installs it into a new consumer project (see the file comment for `engines`). */
export function createConsumer(engines: EngineSource = 'repository'): ConsumerProject {
  const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'okta-dynatrace-scim-consumer-')));
  const dir = join(scratch, 'project');
  mkdirSync(dir);
  const packed = packPackage(scratch);
  const npm = (args: string[]) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const versions = engineVersions(engines === 'repository' ? 'current' : engines);
  if (engines === 'repository') {
    symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    const dependencies = Object.fromEntries(Object.keys(manifest().dependencies).map((name) => [name, `file:${join(ROOT, 'node_modules', name)}`]));
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies }, null, 2)}\n`);
    npm(['install', packed.tarball, '--offline', '--legacy-peer-deps', '--cache', join(scratch, 'npm-cache')]);
  } else {
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2)}\n`);
    const types = `@types/node@${manifest().devDependencies['@types/node']}`;
    npm(['install', packed.tarball, ...Object.entries(versions).map(([name, version]) => `${name}@${version}`), types, '--prefer-offline']);
  }
  return { dir, scratch, packed, engines: versions };
}
