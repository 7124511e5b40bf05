/**
 * The GitHub Actions workflows users copy as they are: parsed and checked structurally (no workflow
 * schema package is installed; these are the properties that matter).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadTenants } from '../constructs/tenants/file';
import { tenantJob } from '../constructs/ci/tenant-job';

type Step = { uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, unknown>; if?: string };
type Job = { permissions?: Record<string, string>; concurrency?: { group: string; 'cancel-in-progress': boolean }; steps: Step[]; strategy?: { matrix: string }; needs?: string | string[] };
type Workflow = { on: Record<string, unknown>; permissions: Record<string, string>; concurrency?: { group: string; 'cancel-in-progress': boolean }; jobs: Record<string, Job> };

const load = (name: string): { text: string; wf: Workflow } => {
  const text = readFileSync(`.github/workflows/${name}`, 'utf8');
  return { text, wf: parse(text, { uniqueKeys: true }) as Workflow };
};
const plan = load('plan.yml');
const apply = load('apply.yml');
const all = [plan, apply];

/** Backend/engine credentials, fixed names documented in docs/day-2.md. */
const BACKEND_SECRETS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'GOOGLE_CREDENTIALS', 'TF_TOKEN_app_terraform_io', 'PULUMI_ACCESS_TOKEN', 'PULUMI_CONFIG_PASSPHRASE'];

function tenantSecretNames(file: string): string[] {
  return loadTenants(file).flatMap((t) => {
    const okta = t.okta.credentials.type === 'apiToken' ? t.okta.credentials.token : t.okta.credentials.privateKey;
    return [t.integration.scimToken.env, okta.env].filter((n): n is string => Boolean(n));
  });
}

describe('workflow files', () => {
  it('trigger on pull requests (plan) and on pushes to main (apply)', () => {
    expect(Object.keys(plan.wf.on)).toEqual(['pull_request']);
    expect(apply.wf.on.push).toEqual({ branches: ['main'] });
  });

  it('grant least privilege: contents read everywhere, pull-requests write only in the commenting job', () => {
    for (const { wf } of all) expect(wf.permissions).toEqual({ contents: 'read' });
    const elevated = all.flatMap(({ wf }) => Object.entries(wf.jobs).filter(([, job]) => job.permissions).map(([name, job]) => [name, job.permissions]));
    expect(elevated).toEqual([['comment', { contents: 'read', 'pull-requests': 'write' }]]);
    expect(plan.wf.jobs.comment.steps.some((s) => s.uses?.startsWith('actions/github-script@'))).toBe(true);
  });

  it('never run two applies of one tenant at once, and never cancel one midway', () => {
    expect(apply.wf.jobs.apply.concurrency).toEqual({ group: 'apply-${{ matrix.tenant }}', 'cancel-in-progress': false });
    expect(apply.wf.concurrency).toBeUndefined();
    expect(plan.wf.concurrency).toEqual({ group: 'plan-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
  });

  it('pin every action to a full commit SHA', () => {
    const uses = all.flatMap(({ wf }) => Object.values(wf.jobs).flatMap((job) => job.steps.map((s) => s.uses).filter((u): u is string => Boolean(u))));
    expect(uses.length).toBeGreaterThan(8);
    for (const ref of uses) expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
  });

  it('run a matrix per tenant generated from the tenants file', () => {
    for (const [wf, job] of [[plan.wf, 'plan'], [apply.wf, 'apply']] as const) {
      expect(wf.jobs[job].strategy?.matrix).toBe('${{ fromJSON(needs.synth.outputs.matrix) }}');
      expect(wf.jobs.synth.steps.some((s) => s.run?.includes('npx okta-dynatrace-scim matrix --out cdktf.out'))).toBe(true);
    }
  });

  it('plan: synth, terraform init + plan -out, pulumi preview, review, comment, plan artifact', () => {
    const runs = Object.values(plan.wf.jobs).flatMap((job) => job.steps.map((s) => s.run ?? '')).join('\n');
    expect(runs).toContain('npx okta-dynatrace-scim synth --out cdktf.out');
    expect(runs).toContain('terraform -chdir="$STACK_DIR" init');
    expect(runs).toMatch(/terraform -chdir="\$STACK_DIR" plan .*-out=tfplan/);
    expect(runs).toContain('pulumi preview --stack "$STACK"');
    expect(runs).toContain('npx okta-dynatrace-scim review --base "origin/$BASE_REF" --out review.md');
    expect(plan.text).toContain('name: plan-${{ matrix.tenant }}');
    expect(plan.wf.jobs.synth.steps[0].with).toEqual({ 'fetch-depth': 0 });
  });

  it('apply: applies exactly the saved plan, refuses local state and two engines', () => {
    const runs = apply.wf.jobs.apply.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toMatch(/plan .*-out=tfplan/);
    expect(runs).toMatch(/apply .* tfplan$/m);
    expect(runs).toContain('pulumi up --stack "$STACK" --yes');
    expect(apply.wf.jobs.apply.steps[0].if).toContain('!matrix.persistentState');
    expect(apply.text).toContain('OKTA_SCIM_ENGINE must be terraform or pulumi');
  });

  it('reference only secrets the tenants file names (or the documented backend credentials)', () => {
    const allowed = new Set([...tenantSecretNames('tenants.yaml'), ...BACKEND_SECRETS, 'GITHUB_TOKEN']);
    for (const { text } of all) {
      const staticNames = [...text.matchAll(/secrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
      for (const name of staticNames) expect(allowed.has(name) ? name : `unknown secret ${name}`).toBe(name);
      // Dynamic references read the names the matrix takes from the tenants file.
      const dynamic = [...text.matchAll(/secrets\[matrix\.(\w+)\]/g)].map((m) => m[1]);
      expect(new Set(dynamic)).toEqual(new Set(['scimTokenEnv', 'oktaTokenEnv', 'oktaPrivateKeyEnv']));
    }
    for (const file of ['tenants.yaml', 'test/fixtures/three-tenants.yaml']) {
      const names = loadTenants(file).flatMap((t) => {
        const e = tenantJob(t, 'cdktf.out');
        return [e.scimTokenEnv, e.oktaTokenEnv, e.oktaPrivateKeyEnv].filter(Boolean);
      });
      expect(new Set(names)).toEqual(new Set(tenantSecretNames(file)));
    }
  });

  it('map secrets to the provider variables through env, never interpolated into scripts', () => {
    for (const { wf } of all) {
      for (const job of Object.values(wf.jobs)) {
        for (const step of job.steps) expect(step.run ?? '').not.toMatch(/\$\{\{\s*secrets/);
      }
    }
    for (const { text } of all) {
      expect(text).toContain('put TF_VAR_dynatrace_scim_token "$SCIM_TOKEN"');
      expect(text).toContain('put OKTA_API_TOKEN "$OKTA_TOKEN"');
      expect(text).toContain('put OKTA_API_PRIVATE_KEY "$OKTA_PRIVATE_KEY"');
    }
  });

  it('document every backend secret in docs/day-2.md', () => {
    const doc = readFileSync('docs/day-2.md', 'utf8');
    for (const name of BACKEND_SECRETS) expect(doc).toContain(name);
  });
});

describe('plan files stay on the runner', () => {
  it('no workflow uploads a binary tfplan (it holds the SCIM token in plain text)', () => {
    for (const name of ['plan.yml', 'apply.yml']) {
      const text = readFileSync(join(__dirname, '..', '.github', 'workflows', name), 'utf8');
      const uploads = text.split('uses: actions/upload-artifact').slice(1).map((chunk) => chunk.split(/\n\s+- (?:name|uses|run):/)[0]);
      expect(uploads.length).toBeGreaterThan(0);
      for (const upload of uploads) expect({ name, upload: /tfplan/.test(upload) }).toEqual({ name, upload: false });
    }
  });
});
