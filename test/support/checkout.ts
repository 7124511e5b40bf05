/**
 * A throwaway checkout to run the CLI in, as someone's real one looks: package.json, .git, sources,
 * uncommitted work, someone's build output, a symbolic link to itself and a neighbouring folder.
 */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { run } from '../../cli/main';

/** Two tenants: acme (console step, so a console-step.md beside its stack) and globex (API path). */
export const TENANTS = readFileSync(join(__dirname, '..', 'fixtures', 'two-tenants.yaml'), 'utf8');
export const WITHOUT_GLOBEX = TENANTS.slice(0, TENANTS.indexOf('  - name: globex'));

export interface Checkout {
  /** Holds the checkout and a neighbouring folder: everything a snapshot should cover. */
  readonly base: string;
  readonly root: string;
  /** Relative to `root`. */
  readonly tenantsFile: string;
}

const checkouts: string[] = [];

/** For `afterAll`. */
export function removeCheckouts(): void {
  for (const base of checkouts.splice(0)) rmSync(base, { recursive: true, force: true });
}

export function write(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/**
 * No Pulumi.yaml: synth would refresh Pulumi.<tenant>.yaml beside it, which is not the output folder's
 * business (test/tenants-stacks.test.ts covers it).
 */
export function checkout(tenantsFolder = ''): Checkout {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'checkout-')));
  checkouts.push(base);
  const root = join(base, 'project');
  const tenantsFile = tenantsFolder ? `${tenantsFolder}/tenants.yaml` : 'tenants.yaml';
  write(join(root, tenantsFile), TENANTS);
  write(join(root, 'package.json'), '{ "name": "someones-checkout" }\n');
  write(join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  write(join(root, '.git', 'objects', 'ab', 'cdef0123'), 'history');
  write(join(root, 'constructs', 'model.ts'), 'export const model = 1;\n');
  write(join(root, 'constructs', 'cdk.tf.json'), '{"not":"synth output"}');
  write(join(root, 'stacks', 'cdktf.ts'), 'export {};\n');
  write(join(root, 'cli', 'main.ts'), 'export {};\n');
  write(join(root, 'test', 'a.test.ts'), 'it.todo("a");\n');
  write(join(root, 'notes.txt'), 'uncommitted work');
  write(join(root, 'build', 'report.html'), "someone's build output");
  mkdirSync(join(root, 'empty'));
  symlinkSync(root, join(root, 'link-to-root'));
  write(join(base, 'neighbour', 'keep.txt'), 'a neighbour');
  return { base, root, tenantsFile };
}

export interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process from `cwd`, without a TTY and with an empty environment. */
export async function cli(cwd: string, args: readonly string[]): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) => Object.assign(new Writable({ write(chunk, _encoding, done) { append(String(chunk)); done(); } }), { isTTY: false });
  const was = process.cwd();
  process.chdir(cwd);
  try {
    const code = await run(args, { stdout: sink((text) => (stdout += text)), stderr: sink((text) => (stderr += text)), env: {} });
    return { code, stdout, stderr };
  } finally {
    process.chdir(was);
  }
}

/** `synth --no-pulumi` (the output folder is the same either way, and it is faster) from the checkout's root. */
export const synth = (project: Checkout, out: string, ...extra: string[]) => cli(project.root, ['synth', '--no-pulumi', '--tenants', project.tenantsFile, '--synth-dir', out, ...extra]);
