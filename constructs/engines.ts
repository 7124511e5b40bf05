/**
 * The engines are peer dependencies of this package, all optional: the consumer owns the one copy of
 * each (one construct tree, one Pulumi runtime), an app that uses only CDKTF needs no Pulumi package,
 * and the other way round. Each entry point checks its engine's packages before it loads them, so a
 * missing one is named with the command that installs it instead of a bare "Cannot find module".
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Engine } from './resources/names';

/** The packages each engine's entry point loads; package.json lists each as an optional peer dependency. */
const ENGINE_PACKAGES: Readonly<Record<Engine, readonly string[]>> = {
  terraform: ['cdktf', 'constructs', '@cdktf/provider-okta'],
  pulumi: ['@pulumi/pulumi', '@pulumi/okta'],
};

/** A peer dependency an entry point needs is not installed. */
export class MissingEngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingEngineError';
  }
}

interface Manifest {
  readonly version: string;
  readonly peerDependencies: Readonly<Record<string, string>>;
}

/**
 * This package's package.json: the nearest one above this file (the repository's from the sources, the
 * installed package's from dist/).
 */
export function packageManifest(from = __dirname): Manifest {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/**
 * Throws a {@link MissingEngineError} naming every package of `engine` that does not resolve from here, and
 * the `npm install` that adds them; `user` says who needs them (an entry point, a command). Resolves only:
 * nothing is loaded.
 */
export function requireEngine(engine: Engine, user: string, alternative?: string): void {
  const missing = ENGINE_PACKAGES[engine].filter((name) => !resolves(name));
  if (missing.length === 0) return;
  const ranges = packageManifest().peerDependencies;
  const install = missing.map((name) => `'${name}@${ranges[name]}'`).join(' ');
  const instead = alternative ? `, or ${alternative}` : '';
  throw new MissingEngineError(`${user} needs ${missing.join(', ')} (peer dependencies of okta-dynatrace-scim, installed by your project). Fix: npm install ${install}${instead}.`);
}

function resolves(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return false;
    throw error;
  }
}
