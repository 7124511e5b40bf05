/**
 * Which files feed which tenants' desired state. `matrix --changed-since <ref>` classifies every changed
 * path with {@link classifyPath}, and this file is the one place that says what counts as a shared input
 * (every tenant is planned) and what cannot change any tenant's output. docs/day-2.md prints the same
 * lists; a test keeps them in sync.
 *
 * Paths are relative to the project folder (where the CLI runs: `package.json`, `cdktf.json`,
 * `Pulumi.yaml`), with `/` separators. A rule ending in `/` matches a folder and everything below it,
 * `*.ext` matches that extension at any depth, anything else matches exactly one path.
 */
import { posix } from 'node:path';

export interface InputRule {
  readonly pattern: string;
  /** Why the rule is there, as docs/day-2.md and the selection report show it. */
  readonly why: string;
}

/** Changing one of these plans every tenant. Checked before {@link OUTPUT_NEUTRAL}: first match wins. */
export const SHARED_INPUTS: readonly InputRule[] = [
  { pattern: 'constructs/', why: 'the model, the neutral plan, both renderers and the provider pin (constructs/cdktf/okta-provider.ts)' },
  { pattern: 'stacks/', why: 'the engine entry points (cdktf.json app, Pulumi.yaml main)' },
  { pattern: 'operations/', why: 'synth, which writes the stacks, and the CI batch that plans and applies them' },
  { pattern: 'cli/', why: 'the commands the workflows run' },
  { pattern: 'bin/', why: 'the CLI shim the workflows run' },
  { pattern: 'package.json', why: 'dependencies and scripts' },
  { pattern: 'package-lock.json', why: 'exact dependency versions, among them @pulumi/okta (the Pulumi provider pin), cdktf and @cdktf/provider-okta' },
  { pattern: 'cdktf.json', why: 'the CDKTF app definition' },
  { pattern: 'Pulumi.yaml', why: 'the Pulumi project: program and runtime' },
  { pattern: 'tsconfig.json', why: 'how the TypeScript sources compile' },
  { pattern: '.github/', why: 'how CI plans and applies (workflows, CODEOWNERS), including the terraform and pulumi CLI versions' },
  { pattern: '.terraform.lock.hcl', why: 'the provider lock file: exact Terraform provider versions and package hashes' },
];

/** Changing only these plans nothing. Anything matching neither list counts as shared (fail-safe). */
export const OUTPUT_NEUTRAL: readonly InputRule[] = [
  { pattern: '*.md', why: 'documentation' },
  { pattern: 'docs/', why: 'documentation' },
  { pattern: 'test/', why: 'tests' },
  { pattern: 'bench/', why: 'the benchmark' },
  { pattern: 'schema/', why: 'the JSON Schema editors read; synth validates with the model itself' },
  { pattern: 'scripts/gen-schema.ts', why: 'writes schema/ only' },
  { pattern: 'scripts/gen-provider-schema.ts', why: 'writes a test fixture only' },
  { pattern: '.ci/', why: "this repository's own CI entry point" },
  { pattern: 'jest.config.js', why: 'test runner configuration' },
  { pattern: '.gitignore', why: 'git configuration' },
  { pattern: 'LICENSE', why: 'licence text' },
];

export type PathEffect =
  | { readonly kind: 'tenants-file' }
  | { readonly kind: 'stack-file'; readonly tenant: string }
  | { readonly kind: 'shared'; readonly why: string }
  | { readonly kind: 'neutral'; readonly why: string };

export interface ProjectLayout {
  /** The tenants file, relative to the project folder. */
  readonly tenantsFile: string;
  /** Folder of the `Pulumi.<tenant>.yaml` files, relative to the project folder ('' = the project folder). */
  readonly stackFileDir: string;
}

/** The layout of a project whose tenants file is `tenantsFile` (relative, `/` separators): the stack files sit beside it. */
export function projectLayout(tenantsFile: string): ProjectLayout {
  const dir = posix.dirname(tenantsFile);
  return { tenantsFile, stackFileDir: dir === '.' ? '' : dir };
}

const STACK_FILE = /^Pulumi\.([^./]+)\.yaml$/;

/** The tenant whose `Pulumi.<tenant>.yaml` `path` is, when it is one (in the stack files' folder). */
export function stackFileTenant(path: string, layout: ProjectLayout): string | undefined {
  const prefix = layout.stackFileDir ? `${layout.stackFileDir}/` : '';
  return path.startsWith(prefix) ? STACK_FILE.exec(path.slice(prefix.length))?.[1] : undefined;
}

export function classifyPath(path: string, layout: ProjectLayout): PathEffect {
  if (path === layout.tenantsFile) return { kind: 'tenants-file' };
  const tenant = stackFileTenant(path, layout);
  if (tenant) return { kind: 'stack-file', tenant };
  const shared = SHARED_INPUTS.find((rule) => matches(rule.pattern, path));
  if (shared) return { kind: 'shared', why: shared.why };
  const neutral = OUTPUT_NEUTRAL.find((rule) => matches(rule.pattern, path));
  if (neutral) return { kind: 'neutral', why: neutral.why };
  return { kind: 'shared', why: 'not known to leave the synthesized stacks alone, so it counts as shared' };
}

function matches(pattern: string, path: string): boolean {
  if (pattern.endsWith('/')) return path.startsWith(pattern);
  if (pattern.startsWith('*.')) return path.endsWith(pattern.slice(1));
  return path === pattern;
}
