/** Reads the tenants file as it was at a git ref, without touching the working tree. */
import { execFileSync } from 'node:child_process';
import { basename, dirname, resolve } from 'node:path';
import { SpecError } from '../../constructs/model/errors';
import { quoteValue } from '../../constructs/model/quote';

/**
 * The text of `file` at `ref`, or `undefined` when the file did not exist there (every tenant is then
 * new). Throws a {@link SpecError} for a ref that does not exist or a directory outside a repository;
 * `option` names the command-line option that gave the ref.
 */
export function readFileAtRef(file: string, ref: string, option = '--base'): string | undefined {
  const absolute = resolve(file);
  const cwd = dirname(absolute);
  const git = (args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  if (ref.startsWith('-')) throw new SpecError([{ path: option, message: `${quoteValue(ref)} is not a git ref`, fix: `e.g. ${option} origin/main` }]);
  try {
    git(['rev-parse', '--is-inside-work-tree']);
  } catch {
    throw new SpecError([{ path: file, message: 'is not inside a git repository', fix: 'run review from a clone of the repository' }]);
  }
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new SpecError([{ path: option, message: `${quoteValue(ref)} is not a commit in this repository`, fix: 'fetch it first (in CI: actions/checkout with fetch-depth: 0) or name a branch, tag or sha' }]);
  }
  // `<ref>:./<name>` resolves relative to cwd, so the file may live anywhere in the repository.
  const spec = `${ref}:./${basename(absolute)}`;
  try {
    git(['cat-file', '-e', spec]);
  } catch {
    return undefined;
  }
  return git(['show', spec]);
}
