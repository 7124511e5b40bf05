/**
 * The pull-request comment: the per-tenant table comes first (counts from the plan summary, the review's
 * danger flags), then the tenants left out and why, the review, and each tenant's changes, console step
 * and plan text collapsed; it stays under GitHub's size limit at any tenant count, carries no plan value,
 * and is posted as one sticky comment.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { TenantOutcome } from '../operations/ci/batch';
import { GitHubClient } from '../operations/ci/github';
import { summarizePulumiPreview, summarizeTerraformPlan } from '../operations/ci/plan-summary';
import { buildComment, COMMENT_LIMIT, COMMENT_MARKER, type TenantPlanInput } from '../operations/ci/pr-comment';
import type { ReviewSummary, SelectionReport } from '../operations/ci/handoff';
import { reviewTenants } from '../operations/review/diff';
import { runPrComment } from '../cli/commands/pr-comment';
import { startGitHubStub, STUB_REPOSITORY, type GitHubStub } from './support/github-stub';
import { planFixture } from './support/plans';
import { TEST_TOKEN } from './support/specs';

const terraformSummary = summarizeTerraformPlan(planFixture('terraform-plan.json'));
const planned = (tenant: string, action: TenantOutcome['action'] = 'plan'): TenantOutcome => ({ tenant, action, status: 'ok', engines: [{ engine: 'terraform', ok: true, step: 'plan', exitCode: 0, transcript: 'terraform.txt', summary: terraformSummary }] });
const quiet = (tenant: string): TenantOutcome => ({ tenant, action: 'plan', status: 'ok', engines: [{ engine: 'terraform', ok: true, step: 'plan', exitCode: 0, transcript: 'terraform.txt', summary: { engine: 'terraform', counts: { add: 0, change: 0, destroy: 0, replace: 0, import: 0, forget: 0 }, changes: [] } }] });
const failed = (tenant: string): TenantOutcome => ({ tenant, action: 'plan', status: 'failed', engines: [{ engine: 'terraform', ok: false, step: 'init', exitCode: 1, transcript: 'terraform.txt' }] });

const selection: SelectionReport = {
  ref: 'origin/main',
  tenants: [
    { tenant: 'acme', selected: true, bucket: '01', reasons: ['tenant entry changed (integration)'] },
    { tenant: 'globex', selected: true, bucket: '02', reasons: ['backend changed (where the state lives)'] },
    { tenant: 'initech', selected: true, bucket: '03', reasons: ['new tenant'] },
    { tenant: 'hooli', selected: true, bucket: '04', reasons: ['Pulumi.hooli.yaml changed'] },
    { tenant: 'stark', selected: false, bucket: '05', reasons: ['unchanged since origin/main: …'] },
    { tenant: 'wayne', selected: false, bucket: '06', reasons: ['unchanged since origin/main: …'] },
  ],
  removed: [{ tenant: 'umbrella', bucket: '07' }],
  shared: [],
  jobs: 5,
};
const review: ReviewSummary = {
  tenants: [
    { tenant: 'acme', status: 'changed', findings: [{ severity: 'danger', title: 'The Okta app is replaced' }, { severity: 'notice', title: 'Assignment stays in Okta' }] },
    { tenant: 'umbrella', status: 'removed', findings: [{ severity: 'danger', title: 'Tenant removed | unmanaged' }] },
  ],
};
const reviewMarkdown = `${COMMENT_MARKER}\n## Okta → Dynatrace SCIM review: \`origin/main\` → working tree\n\n**⚠ 2 dangerous changes** — read them before merging.\n\n### Tenant \`acme\` — changed\n`;

function plans(): Map<string, TenantPlanInput> {
  return new Map<string, TenantPlanInput>([
    ['acme', { outcome: planned('acme'), transcripts: { terraform: 'Terraform will perform the following actions:\n```\nPlan: 3 to add, 2 to change, 4 to destroy.\n' }, consoleStep: '1. In Okta: Provisioning → Configure API Integration …' }],
    ['globex', { outcome: failed('globex'), transcripts: { terraform: 'Error: Failed to get existing workspaces' } }],
    ['hooli', { outcome: quiet('hooli'), transcripts: { terraform: 'No changes.' } }],
    ['umbrella', { outcome: planned('umbrella', 'plan-destroy'), transcripts: { terraform: 'Plan: 0 to add, 0 to change, 7 to destroy.' } }],
  ]);
}

describe('the PR comment', () => {
  const body = buildComment({ selection, review, reviewMarkdown, plans: plans(), runUrl: 'https://github.com/acme/iac/actions/runs/5' });

  it('starts with the marker and the table, before the review and the plans', () => {
    expect(body.split('\n')[0]).toBe(COMMENT_MARKER);
    expect(body.split(COMMENT_MARKER)).toHaveLength(2);
    const table = body.indexOf('| tenant | engine | add | change | destroy | replace | danger | result |');
    expect(table).toBeGreaterThan(0);
    expect(table).toBeLessThan(body.indexOf('### Review'));
    expect(body.indexOf('### Review')).toBeLessThan(body.indexOf('### Plans'));
    expect(body).toContain('**4 of 6 tenants planned** (changed since `origin/main`) · 2 left out, unchanged · 1 removed (destroy planned for review; apply never destroys)');
  });

  it('one row per tenant and engine: counts, danger flags, result; failures first, quiet tenants folded', () => {
    const rows = body.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| tenant'));
    expect(rows).toEqual([
      '| `globex` | terraform | – | – | – | – |  | ❌ stopped at `init` (exit 1) |',
      '| `initech` | | | | | |  | ⏳ no result: its job did not finish (see the run) |',
      '| `acme` | terraform | 1 | 2 | 2 | 2 | ⚠ The Okta app is replaced | ✅ planned (+ 2 import, 1 forget) |',
      '| `umbrella` (removed) | terraform | 1 | 2 | 2 | 2 | ⚠ Tenant removed \\| unmanaged | ✅ destroy plan (+ 2 import, 1 forget) |',
      '| 1 tenant | | 0 | 0 | 0 | 0 | | ✅ no changes: `hooli` |',
    ]);
    expect(body).toContain('**⚠ 2 dangerous changes** — read the review before merging.');
  });

  it('says which tenants were left out and why', () => {
    expect(body).toContain('<details><summary>2 tenants left out: unchanged since <code>origin/main</code></summary>');
    expect(body).toContain('`stark`, `wayne`');
  });

  it('then per tenant: engine addresses and actions, the console step, the plan text collapsed in a fence it cannot break', () => {
    expect(body).toContain('<details><summary><code>acme</code> — terraform: 1 to add, 2 to change, 2 to destroy, 2 to replace, 2 to import, 1 to forget</summary>');
    expect(body).toContain('- `okta_push_group.dynatrace_push_dynatrace_viewers` — replace');
    expect(body).toContain('- `okta_app_group_assignment.dynatrace_assignment_dynatrace_admins` — update (import)');
    expect(body).toContain('**Console step** (after the first apply):\n\n1. In Okta: Provisioning → Configure API Integration …');
    expect(body).toContain('<details><summary>terraform plan output</summary>\n\n````text\nTerraform will perform the following actions:\n```\nPlan: 3 to add');
    expect(body).toContain('<details><summary><code>umbrella</code> (removed: destroy plan)');
    expect(body).toContain('[Workflow run](https://github.com/acme/iac/actions/runs/5)');
  });

  it('names Pulumi resources by type token and name', () => {
    const pulumi: TenantOutcome = { tenant: 'acme', action: 'plan', status: 'ok', engines: [{ engine: 'pulumi', ok: true, step: 'preview', exitCode: 0, transcript: 'pulumi.txt', summary: summarizePulumiPreview(planFixture('pulumi-preview.json')) }] };
    const text = buildComment({ plans: new Map([['acme', { outcome: pulumi, transcripts: {} }]]) });
    expect(text).toContain('| `acme` | pulumi | 1 | 1 | 1 | 1 |  | ✅ planned (+ 1 import) |');
    expect(text).toContain('- `okta:index/pushGroup:PushGroup acme-push-dynatrace-viewers` — replace');
  });

  it('stays within GitHub\'s 65,536 characters with 1000 changed tenants and long plans, table first', () => {
    const many = new Map<string, TenantPlanInput>();
    const names = Array.from({ length: 1000 }, (_, i) => `tenant-${String(i).padStart(4, '0')}`);
    for (const tenant of names) many.set(tenant, { outcome: planned(tenant), transcripts: { terraform: `${'~ resource changes\n'.repeat(800)}Plan: 1 to add.` }, consoleStep: 'Console step text. '.repeat(20) });
    const text = buildComment({ selection: { ref: 'origin/main', tenants: names.map((tenant) => ({ tenant, selected: true, bucket: '01', reasons: ['shared input changed: package-lock.json'] })), removed: [], shared: [{ path: 'package-lock.json', why: 'pins' }], jobs: 64 }, reviewMarkdown: `${reviewMarkdown}${'review line\n'.repeat(5000)}`, plans: many, runUrl: 'https://github.com/acme/iac/actions/runs/5' });
    expect(text.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(text.indexOf('| tenant | engine |')).toBeLessThan(400);
    expect(text).toMatch(/\| … \d+ more \| \| \| \| \| \| \| not shown \(comment size limit\): see the run's artifacts \|/);
    expect(text).toContain('Every tenant is planned: shared input changed — `package-lock.json`.');
    expect(text).toMatch(/Plan texts of \d+ more tenants are in the run's artifacts/);
  });
});

describe('pr-comment (CLI)', () => {
  let dir: string;
  let stub: GitHubStub;
  let out: string;
  const io = () => {
    const sink = new Writable({ write(chunk, _e, done) { out += String(chunk); done(); } });
    return { stdout: sink, stderr: sink, env: { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: STUB_REPOSITORY, GITHUB_RUN_ID: '5', ACME_DT_SCIM_TOKEN: TEST_TOKEN } };
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pr-comment-'));
    stub = await startGitHubStub();
    out = '';
    for (const [tenant, plan] of plans()) {
      mkdirSync(join(dir, 'results', tenant), { recursive: true });
      // A value a tampered result might carry next to the summary: never read.
      writeFileSync(join(dir, 'results', tenant, 'result.json'), JSON.stringify({ ...plan.outcome, leaked: TEST_TOKEN }));
      writeFileSync(join(dir, 'results', tenant, 'terraform.txt'), plan.transcripts.terraform ?? '');
    }
    mkdirSync(join(dir, 'results', 'not a tenant'), { recursive: true });
    mkdirSync(join(dir, 'cdktf.out', 'stacks', 'acme'), { recursive: true });
    writeFileSync(join(dir, 'cdktf.out', 'stacks', 'acme', 'console-step.md'), '1. Console step from the synthesized stack');
    writeFileSync(join(dir, 'selection.json'), JSON.stringify(selection));
    writeFileSync(join(dir, 'review.json'), JSON.stringify(review));
    writeFileSync(join(dir, 'review.md'), reviewMarkdown);
  });
  afterEach(async () => {
    await stub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const comment = (pr?: string) =>
    runPrComment(
      { results: join(dir, 'results'), selection: join(dir, 'selection.json'), review: join(dir, 'review.json'), reviewMarkdown: join(dir, 'review.md'), synthDir: join(dir, 'cdktf.out'), out: join(dir, 'comment.md'), ...(pr ? { pr, github: new GitHubClient({ token: stub.token, repository: STUB_REPOSITORY, apiUrl: stub.url, writeIntervalMs: 0 }) } : {}) },
      io(),
    );

  it('creates the sticky comment once, then updates it; a comment of anyone else carrying the marker (a person, another app) is left alone', async () => {
    stub.issues = [
      {
        number: 42,
        title: 'PR',
        body: '',
        state: 'open',
        labels: [],
        user: { login: 'dev', type: 'User' },
        pull_request: { url: 'x' },
        comments: [
          { id: 1, body: `quoting ${COMMENT_MARKER}`, user: { login: 'dev', type: 'User' } },
          { id: 2, body: `${COMMENT_MARKER} planted`, user: { login: 'other-app[bot]', type: 'Bot' } },
        ],
      },
    ];
    expect(await comment('42')).toBe(0);
    expect(await comment('42')).toBe(0);
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/iac/issues/42/comments?per_page=100',
      'POST /repos/acme/iac/issues/42/comments',
      'GET /repos/acme/iac/issues/42/comments?per_page=100',
      'PATCH /repos/acme/iac/issues/comments/9000',
    ]);
    expect(stub.issues[0].comments.map((c) => c.id)).toEqual([1, 2, 9000]);
    expect(stub.issues[0].comments[1].body).toBe(`${COMMENT_MARKER} planted`);
    expect(stub.issues[0].comments[2].body).toContain('1. Console step from the synthesized stack');
    expect(out).toContain('updated the plan comment on pull request #42');
  });

  it('reads only the whitelisted fields: no value from the inputs reaches GitHub', async () => {
    stub.issues = [{ number: 42, title: 'PR', body: '', state: 'open', labels: [], user: { login: 'dev', type: 'User' }, comments: [] }];
    expect(await comment('42')).toBe(0);
    for (const sent of stub.bodies) expect(sent).not.toContain(TEST_TOKEN);
    expect(out).not.toContain(TEST_TOKEN);
  });

  it('a selection or review file that is not what matrix or review wrote is invalid input, named with the field, before anything is posted', async () => {
    writeFileSync(join(dir, 'selection.json'), JSON.stringify({ ...selection, tenants: [{ tenant: 'acme; rm -rf /', selected: true, bucket: '01', reasons: [] }] }));
    await expect(comment('42')).rejects.toThrow(new RegExp(`${join(dir, 'selection.json')}: is not a selection report \\(tenants\\.0\\.tenant: .*\\)\\. Fix: pass the file \`matrix --report\` wrote`));
    writeFileSync(join(dir, 'selection.json'), JSON.stringify(selection));
    writeFileSync(join(dir, 'review.json'), JSON.stringify({ tenants: [{ tenant: 'acme', status: 'changed', findings: [{ severity: 'fatal', title: 'x' }] }] }));
    await expect(comment('42')).rejects.toThrow(/review\.json: is not a review \(tenants\.0\.findings\.0\.severity: .*\)\. Fix: pass the file `review --json` wrote/);
    writeFileSync(join(dir, 'review.json'), '{ not json');
    await expect(comment('42')).rejects.toThrow(/review\.json: cannot read it as JSON/);
    expect(stub.requests).toEqual([]);
    // What `review --json` writes is what the comment reads.
    const written: ReviewSummary = reviewTenants([], []);
    expect(written.tenants).toEqual([]);
  });

  it('without --pr writes the comment only; a bad --pr is invalid input', async () => {
    expect(await comment()).toBe(0);
    expect(stub.requests).toEqual([]);
    await expect(runPrComment({ results: dir, synthDir: dir, pr: '42; rm -rf /' }, io())).rejects.toThrow(/"42; rm -rf \/" is not a pull-request number/);
  });
});

describe('what a read-only plan could not see', () => {
  it('is said under the tenant, with the objects it could not compare', () => {
    const summary = { ...terraformSummary, unseen: [{ address: 'okta_app_connection.dynatrace_connection', what: "the SCIM token: read-only runs never receive it (a write credential), so the connection's token is not compared" }] };
    const outcome: TenantOutcome = { tenant: 'acme', action: 'plan', status: 'ok', notes: ['terraform: no persistent state (no backend.terraform): planned against an empty state, so every object shows as to be created, whatever exists in Okta'], engines: [{ engine: 'terraform', ok: true, step: 'plan', exitCode: 0, transcript: 'terraform.txt', summary }] };
    const body = buildComment({ plans: new Map([['acme', { outcome, transcripts: {} }]]) });
    expect(body).toContain('<sub>Plans run read-only: read credentials, no SCIM token, no state lock, no new Pulumi stack. What that hides is noted under each tenant.</sub>');
    expect(body).toContain('**Not seen by this read-only plan**:\n\n- terraform: no persistent state (no backend.terraform): planned against an empty state, so every object shows as to be created, whatever exists in Okta');
    expect(body).toContain("- `okta_app_connection.dynatrace_connection` — not compared: the SCIM token: read-only runs never receive it (a write credential), so the connection's token is not compared");
  });
});
