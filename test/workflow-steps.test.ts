/**
 * Steps of the shipped workflows, run for real: the `run:` script exactly as the YAML has it, under bash
 * with the environment the workflow and the step set, in a real git repository, with stand-ins only for
 * what reaches GitHub (`gh`) or the CLI (`npx`), which record how they were called.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

type Step = { name?: string; run?: string; env?: Record<string, string> };
type Workflow = { env?: Record<string, string>; jobs: Record<string, { steps: Step[] }> };

export function workflow(name: string): Workflow {
  return parse(readFileSync(`.github/workflows/${name}`, 'utf8')) as Workflow;
}

export function step(wf: Workflow, job: string, name: string): Step {
  const found = wf.jobs[job]?.steps.find((s) => s.name === name);
  if (!found?.run) throw new Error(`no run step "${name}" in job ${job}`);
  return found;
}

/** A folder with `gh` and `npx` stand-ins: `gh` prints `ghOutput`, both append their arguments to a log. */
function standIns(dir: string, ghOutput: string): { bin: string; calls: () => { tool: string; args: string[] }[] } {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const log = join(dir, 'calls.jsonl');
  writeFileSync(log, '');
  const script = (tool: string, stdout: string) =>
    `#!/usr/bin/env node\nrequire('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify({ tool: ${JSON.stringify(tool)}, args: process.argv.slice(2) }) + '\\n');\nprocess.stdout.write(${JSON.stringify(stdout)});\n`;
  writeFileSync(join(bin, 'gh'), script('gh', ghOutput));
  writeFileSync(join(bin, 'npx'), script('npx', '{"include":[]}\n'));
  chmodSync(join(bin, 'gh'), 0o755);
  chmodSync(join(bin, 'npx'), 0o755);
  return { bin, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)) };
}

describe('apply.yml: the baseline is the newest successful apply of a push to main that is in main\'s history', () => {
  const select = step(workflow('apply.yml'), 'synth', 'Tenants changed since the last successful apply');
  let repo: string;
  const commits: Record<string, string> = {};

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'apply-baseline-'));
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: repo, encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    for (const name of ['a', 'b']) {
      git('commit', '-q', '--allow-empty', '-m', name);
      commits[name] = git('rev-parse', 'HEAD');
    }
    // A commit main no longer has (force-pushed away), and one on a side branch.
    git('checkout', '-q', '-b', 'rewritten');
    git('commit', '-q', '--allow-empty', '-m', 'dropped');
    commits.dropped = git('rev-parse', 'HEAD');
    git('checkout', '-q', 'main');
    git('commit', '-q', '--allow-empty', '-m', 'c');
    commits.c = git('rev-parse', 'HEAD');
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  const runStep = (ghShas: string[], allTenants = 'false') => {
    const dir = mkdtempSync(join(tmpdir(), 'apply-step-'));
    const { bin, calls } = standIns(dir, ghShas.map((sha) => `${sha}\n`).join(''));
    const output = join(dir, 'github-output');
    writeFileSync(output, '');
    const result = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', select.run!], {
      cwd: repo,
      encoding: 'utf8',
      env: { PATH: `${bin}:${process.env.PATH}`, GITHUB_OUTPUT: output, GH_TOKEN: 'ghs_x', GH_REPO: 'acme/iac', ALL_TENANTS: allTenants },
    });
    const recorded = calls();
    rmSync(dir, { recursive: true, force: true });
    return { status: result.status, stdout: result.stdout, calls: recorded };
  };

  it('asks GitHub only for successful push runs on main', () => {
    const { calls } = runStep([commits.b]);
    expect(calls[0]).toEqual({ tool: 'gh', args: ['run', 'list', '--workflow', 'apply.yml', '--branch', 'main', '--event', 'push', '--status', 'success', '--limit', '100', '--json', 'headSha', '--jq', '.[].headSha'] });
    expect(select.env).toEqual({ GH_TOKEN: '${{ github.token }}', GH_REPO: '${{ github.repository }}', ALL_TENANTS: '${{ inputs.all-tenants }}' });
  });

  it('skips a successful apply whose commit main no longer has, and compares with the next one back', () => {
    const { status, calls, stdout } = runStep([commits.dropped, commits.b, commits.a]);
    expect(status).toBe(0);
    expect(stdout).toContain(`::warning::The successful apply at ${commits.dropped} is not in main's history`);
    expect(calls[1]).toEqual({ tool: 'npx', args: ['okta-dynatrace-scim', 'matrix', '--changed-since', commits.b, '--report', 'selection.json'] });
  });

  it('an unknown commit (not fetched, garbage) is skipped as well', () => {
    const { calls } = runStep(['0000000000000000000000000000000000000000', commits.a]);
    expect(calls[1].args).toEqual(['okta-dynatrace-scim', 'matrix', '--changed-since', commits.a, '--report', 'selection.json']);
  });

  it('no baseline (first apply, or none in main\'s history) or every tenant requested: every tenant, without asking GitHub for the latter', () => {
    expect(runStep([commits.dropped]).calls[1].args).toEqual(['okta-dynatrace-scim', 'matrix', '--report', 'selection.json']);
    const all = runStep([commits.b], 'true');
    expect(all.calls).toEqual([{ tool: 'npx', args: ['okta-dynatrace-scim', 'matrix', '--report', 'selection.json'] }]);
  });
});

/** An `npx` that runs this repository's CLI, as `npx okta-dynatrace-scim` does in a clone. */
function cliStandIn(dir: string): string {
  const bin = join(dir, 'cli-bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'npx'), `#!/bin/sh\n[ "$1" = okta-dynatrace-scim ] && shift\nexec "${process.execPath}" "${join(process.cwd(), 'bin', 'okta-dynatrace-scim.js')}" "$@"\n`);
  chmodSync(join(bin, 'npx'), 0o755);
  return bin;
}

/** The workflow-level env as GitHub resolves it for a repository variable OKTA_SCIM_ENGINE = `engine`. */
function workflowEnv(wf: Workflow, engine: string): Record<string, string> {
  return Object.fromEntries(Object.entries(wf.env ?? {}).map(([name, value]) => [name, value === "${{ vars.OKTA_SCIM_ENGINE || 'terraform' }}" ? engine : value]));
}

describe('the engine variable, end to end: the repository variable reaches every command the workflows run', () => {
  let repo: string;
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'engine-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: repo, stdio: 'ignore' });
    for (const file of ['tenants.yaml', 'Pulumi.yaml', 'Pulumi.acme.yaml', 'Pulumi.globex.yaml', 'Pulumi.initech.yaml']) writeFileSync(join(repo, file), readFileSync(file, 'utf8'));
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'tenants');
    git('update-ref', 'refs/remotes/origin/main', 'HEAD');
    writeFileSync(join(repo, 'tenants.yaml'), readFileSync('tenants.yaml', 'utf8').replace('label: Dynatrace SCIM', 'label: Dynatrace SCIM (prod)'));
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it.each([
    ['pulumi', 'okta:app/autoLogin:AutoLogin acme-app', '`pulumi preview`'],
    ['terraform', 'okta_app_auto_login.dynatrace_app', '`terraform plan`'],
  ])('plan.yml review with OKTA_SCIM_ENGINE=%s names objects as that engine does', (engine, address, naming) => {
    const wf = workflow('plan.yml');
    const review = step(wf, 'synth', 'Review against the base branch');
    const result = spawnSync('bash', ['-e', '-c', review.run!], { cwd: repo, encoding: 'utf8', env: { PATH: `${cliStandIn(mkdtempSync(join(tmpdir(), 'npx-')))}:${process.env.PATH}`, HOME: repo, ...workflowEnv(wf, engine), BASE_REF: 'main' } });
    expect(result.status).toBe(0);
    const markdown = readFileSync(join(repo, 'review.md'), 'utf8');
    expect(markdown).toContain(address);
    expect(markdown).toContain(`named as ${naming} names them`);
  });
});
