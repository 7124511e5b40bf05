/**
 * The folders tell the architecture, and imports flow one way: the library (`constructs/`) imports no
 * operation, CLI or entry point; operations never import the CLI or the entry points; the entry points
 * (`stacks/`) use the library's public entry points and the exit-code table only. A climbing import fails
 * here with its file.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

/** Folders each layer may import from (besides packages). */
const ALLOWED: Record<string, readonly string[]> = {
  constructs: ['constructs'],
  operations: ['constructs', 'operations'],
  cli: ['constructs', 'operations', 'cli'],
  stacks: ['constructs', 'stacks', 'operations/exit-codes.ts'],
};

function sourcesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder)).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourcesUnder(path);
    return /\.(ts|cjs)$/.test(name) ? [path] : [];
  });
}

function relativeImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)'(\.{1,2}\/[^']+)'/g)].map((match) => relative(ROOT, resolve(ROOT, dirname(file), match[1]!)));
}

describe('layout', () => {
  for (const [layer, allowed] of Object.entries(ALLOWED)) {
    it(`${layer}/ imports only ${allowed.join(', ')}`, () => {
      const climbing = sourcesUnder(layer).flatMap((file) =>
        relativeImports(file)
          .filter((target) => !allowed.some((prefix) => target === prefix.replace(/\.ts$/, '') || target.startsWith(`${prefix}/`)))
          .map((target) => `${file} → ${target}`),
      );
      expect(climbing).toEqual([]);
    });
  }

  it('stacks/ uses the library through its public entry points only, as an app of someone else\'s would', () => {
    const entryPoints = ['constructs', 'constructs/cdktf', 'constructs/pulumi'];
    const deep = sourcesUnder('stacks').flatMap((file) =>
      relativeImports(file)
        .filter((target) => target.startsWith('constructs') && !entryPoints.includes(target))
        .map((target) => `${file} → ${target}`),
    );
    expect(deep).toEqual([]);
    expect(sourcesUnder('stacks').flatMap(relativeImports)).toEqual(expect.arrayContaining(entryPoints));
  });

  it('the checks see real imports (a control: cli/ imports operations/)', () => {
    expect(sourcesUnder('cli').flatMap(relativeImports).some((target) => target.startsWith('operations/'))).toBe(true);
  });
});
