/**
 * `trust --base <sha> --head <sha>`: whether a pull request's plan needs a maintainer's approval before
 * its jobs get the read credentials (operations/ci/trust.ts). The plan workflow runs it from a checkout of
 * the base commit, with the pull request's commits fetched into `--repo`: the pull request's files are
 * read from git objects and compared, never checked out into this process's code or run.
 *
 * Prints the decision and every reason; `--github-output` appends `approval=required|not-required`
 * (GITHUB_OUTPUT), `GITHUB_STEP_SUMMARY` gets the reasons for the reviewer. Exit 0 either way.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { posix } from 'node:path';
import { SpecError } from '../../constructs/model/errors';
import type { ResolvedTenant } from '../../constructs/model/tenant';
import { parseTenants } from '../../constructs/tenants/file';
import { projectLayout, stackFileTenant } from '../../operations/ci/inputs';
import { type ChangedFile, decideTrust } from '../../operations/ci/trust';
import { fencedBlock } from '../../operations/markdown';
import type { Io } from './output';

export interface TrustOptions {
  readonly base: string;
  readonly head: string;
  /** The git repository holding both commits. @default '.' */
  readonly repo?: string;
  /** The tenants file, relative to the repository root. @default 'tenants.yaml' */
  readonly tenants: string;
  /** Whether the pull request's branch is in this repository (`github.event.pull_request.head.repo.full_name == github.repository`). */
  readonly sameRepository: boolean;
  /** Append `approval=…` to this file (GITHUB_OUTPUT). */
  readonly githubOutput?: string;
}

const COMMIT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

export function runTrust(options: TrustOptions, io: Io): number {
  for (const [option, value] of [['--base', options.base], ['--head', options.head]] as const) {
    if (!COMMIT.test(value)) throw new SpecError([{ path: option, message: `"${value}" is not a full commit sha`, fix: 'pass the exact commits, e.g. --base ${{ github.event.pull_request.base.sha }} --head ${{ github.sha }}' }]);
  }
  const git = (args: string[]): string => execFileSync('git', ['-C', options.repo ?? '.', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  const show = (commit: string, path: string): string | undefined => {
    try {
      return git(['show', `${commit}:${path}`]);
    } catch {
      return undefined;
    }
  };
  const changes = changedFiles(git(['diff', '--raw', '--no-renames', '-z', options.base, options.head]));
  const layout = projectLayout(posix.normalize(options.tenants));
  const load = (commit: string): ResolvedTenant[] | undefined => {
    const text = show(commit, layout.tenantsFile);
    if (text === undefined) return undefined;
    try {
      return parseTenants(text, layout.tenantsFile);
    } catch (error) {
      if (error instanceof SpecError) return undefined;
      throw error;
    }
  };
  const base = load(options.base);
  const head = load(options.head);
  const stackFiles = new Map<string, { base?: string; head?: string }>();
  for (const change of changes) {
    const name = stackFileTenant(change.path, layout);
    if (!name) continue;
    const before = show(options.base, change.path);
    const after = show(options.head, change.path);
    stackFiles.set(name, { ...(before !== undefined ? { base: before } : {}), ...(after !== undefined ? { head: after } : {}) });
  }
  const decision = decideTrust({ sameRepository: options.sameRepository, layout, changes, ...(base ? { base } : {}), ...(head ? { head } : {}), stackFiles });

  const lines =
    decision.approval === 'required'
      ? [`approval required before this pull request plans with credentials (GitHub environment plan-approval):`, ...decision.reasons.map((reason) => `  - ${reason}`)]
      : [`no approval needed: the pull request changes tenant data only, and no tenant's credentials go anywhere new${head ? '' : ' (the tenants file does not validate: nothing will plan)'}`];
  io.stderr.write(`${lines.join('\n')}\n`);
  if (options.githubOutput) appendFileSync(options.githubOutput, `approval=${decision.approval}\n`);
  if (io.env.GITHUB_STEP_SUMMARY) appendFileSync(io.env.GITHUB_STEP_SUMMARY, `### Plan credentials\n\n${fencedBlock(lines.join('\n'))}\n`);
  return 0;
}

/** `git diff --raw -z`: `:<old mode> <new mode> <old sha> <new sha> <status>\0<path>\0` per file. */
function changedFiles(raw: string): ChangedFile[] {
  const fields = raw.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const meta = /^:(\d{6}) (\d{6}) [0-9a-f]+ [0-9a-f]+ ([A-Z])/.exec(fields[i]);
    if (!meta) break;
    files.push({ mode: meta[2], status: meta[3], path: fields[i + 1] });
  }
  return files;
}
