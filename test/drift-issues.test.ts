/**
 * The drift workflow's issue sync against recorded GitHub REST responses (a loopback stub): the exact
 * sequence of calls for each case, pagination of the issue list, and no secret in any request body.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { TenantOutcome } from '../operations/ci/batch';
import { driftMarker, issueBody } from '../operations/ci/drift-issues';
import { GitHubClient } from '../operations/ci/github';
import { summarizeTerraformPlan } from '../operations/ci/plan-summary';
import { runDriftIssues } from '../cli/commands/drift-issues';
import { startGitHubStub, STUB_REPOSITORY, type GitHubStub, type StubIssue } from './support/github-stub';
import { tenantEntry, tenantsYaml } from './support/git-repo';
import { planFixture } from './support/plans';
import { TEST_TOKEN } from './support/specs';

const LIST = '/repos/acme/iac/issues?labels=drift&state=open&per_page=100';

function drifted(tenant: string): TenantOutcome {
  return {
    tenant,
    action: 'drift',
    status: 'drifted',
    verify: { result: 'drift', exitCode: 1, findings: [{ area: 'app', field: 'label', expected: 'Dynatrace SCIM', actual: 'Dynatrace (renamed by hand)', status: 'drift' }, { area: 'app', field: 'status', expected: 'ACTIVE', actual: 'ACTIVE', status: 'ok' }] },
    engines: [{ engine: 'terraform', ok: true, step: 'plan', exitCode: 2, transcript: 'terraform.txt', summary: summarizeTerraformPlan(planFixture('terraform-plan.json')) }],
  };
}

const clean = (tenant: string): TenantOutcome => ({ tenant, action: 'drift', status: 'clean', verify: { result: 'in-sync', exitCode: 0, findings: [] }, engines: [{ engine: 'terraform', ok: true, step: 'plan', exitCode: 0, transcript: 'terraform.txt', summary: { engine: 'terraform', counts: { add: 0, change: 0, destroy: 0, replace: 0, import: 0, forget: 0 }, changes: [] } }] });
const notChecked = (tenant: string): TenantOutcome => ({ tenant, action: 'drift', status: 'could-not-check', verify: { result: 'could-not-check', exitCode: 2, findings: [] }, engines: [{ engine: 'terraform', ok: false, step: 'init', exitCode: 1, transcript: 'terraform.txt' }] });

function openIssue(number: number, tenant: string, extra: Partial<StubIssue> = {}): StubIssue {
  return { number, title: `Drift: tenant ${tenant}`, body: `${driftMarker(tenant)}\nold body`, state: 'open', labels: ['drift'], user: { login: 'github-actions[bot]', type: 'Bot' }, comments: [], ...extra };
}

describe('drift-issues against recorded GitHub REST calls', () => {
  let stub: GitHubStub;
  let dir: string;
  let out: string;
  const tenants = ['acme', 'globex', 'initech', 'umbrella'];

  const io = () => {
    const sink = new Writable({ write(chunk, _e, done) { out += String(chunk); done(); } });
    return { stdout: sink, stderr: sink, env: { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: STUB_REPOSITORY, GITHUB_RUN_ID: '77', ACME_DT_SCIM_TOKEN: TEST_TOKEN } };
  };
  const client = (sleep?: (ms: number) => Promise<void>) => new GitHubClient({ token: stub.token, repository: STUB_REPOSITORY, apiUrl: stub.url, writeIntervalMs: 0, ...(sleep ? { sleep } : {}) });
  const results = (outcomes: TenantOutcome[]) => {
    for (const outcome of outcomes) {
      mkdirSync(join(dir, 'results', outcome.tenant), { recursive: true });
      writeFileSync(join(dir, 'results', outcome.tenant, 'result.json'), JSON.stringify(outcome));
      // The raw transcript is not an input of the issue: a secret in it must not travel.
      writeFileSync(join(dir, 'results', outcome.tenant, 'terraform.txt'), `var.dynatrace_scim_token is "Bearer ${TEST_TOKEN}"`);
    }
  };
  const sync = (github = client()) => runDriftIssues({ results: join(dir, 'results'), tenants: join(dir, 'tenants.yaml'), github, checkedAt: '2026-09-01T02:00:00Z' }, io());
  const calls = () => stub.requests.map((r) => `${r.method} ${r.path}`);

  beforeEach(async () => {
    stub = await startGitHubStub();
    stub.labels = ['drift'];
    dir = mkdtempSync(join(tmpdir(), 'drift-issues-'));
    writeFileSync(join(dir, 'tenants.yaml'), tenantsYaml(tenants.map((t) => tenantEntry(t))));
    out = '';
  });
  afterEach(async () => {
    await stub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('new drift → one issue created, with label and marker, built from verify and the plan summary', async () => {
    results([drifted('acme')]);
    expect(await sync()).toBe(0);
    expect(calls()).toEqual([`GET ${LIST}`, 'GET /repos/acme/iac/labels/drift', 'POST /repos/acme/iac/issues']);
    const created = stub.requests[2].body as { title: string; body: string; labels: string[] };
    expect(created.title).toBe('Drift: tenant acme');
    expect(created.labels).toEqual(['drift']);
    expect(created.body.startsWith(`${driftMarker('acme')}\n`)).toBe(true);
    expect(created.body).toContain('[the nightly drift check](https://github.com/acme/iac/actions/runs/77); last checked 2026-09-01T02:00:00Z');
    expect(created.body).toContain('| app | label | `Dynatrace SCIM` | `Dynatrace (renamed by hand)` | drift |');
    expect(created.body).not.toContain('| app | status |');
    expect(created.body).toContain('**terraform** — what an apply would change: 1 to add, 2 to change, 2 to destroy, 2 to replace, 2 to import, 1 to forget');
    expect(created.body).toContain('- `okta_push_group.dynatrace_push_dynatrace_viewers` — replace');
    expect(out).toContain('drift issues: 1 opened, 0 updated, 0 closed');
  });

  it('creates the label first when the repository has none', async () => {
    stub.labels = [];
    results([drifted('acme'), drifted('globex')]);
    expect(await sync()).toBe(0);
    expect(calls()).toEqual([`GET ${LIST}`, 'GET /repos/acme/iac/labels/drift', 'POST /repos/acme/iac/labels', 'POST /repos/acme/iac/issues', 'POST /repos/acme/iac/issues']);
    expect(stub.requests[2].body).toMatchObject({ name: 'drift' });
  });

  it('still drifted → the open issue is updated, never duplicated', async () => {
    stub.issues = [openIssue(7, 'acme')];
    results([drifted('acme')]);
    expect(await sync()).toBe(0);
    expect(calls()).toEqual([`GET ${LIST}`, 'PATCH /repos/acme/iac/issues/7']);
    expect(Object.keys(stub.requests[1].body!)).toEqual(['body']);
    expect(stub.issues).toHaveLength(1);
    expect(stub.issues[0].body).toContain('Dynatrace (renamed by hand)');
  });

  it('clean → a comment, then the issue is closed as completed', async () => {
    stub.issues = [openIssue(7, 'acme')];
    results([clean('acme')]);
    expect(await sync()).toBe(0);
    expect(calls()).toEqual([`GET ${LIST}`, 'POST /repos/acme/iac/issues/7/comments', 'PATCH /repos/acme/iac/issues/7']);
    expect(stub.requests[1].body!.body).toMatch(/^Clean as of \[the drift check\]\(https:\/\/github.com\/acme\/iac\/actions\/runs\/77\) on 2026-09-01T02:00:00Z/);
    expect(stub.requests[2].body).toEqual({ state: 'closed', state_reason: 'completed' });
    expect(stub.issues[0].state).toBe('closed');
  });

  it('not checked (could not check, or no result because the job failed or was cancelled) → the issue stays open, untouched', async () => {
    stub.issues = [openIssue(7, 'acme'), openIssue(8, 'globex')];
    results([notChecked('acme')]);
    expect(await sync()).toBe(0);
    expect(calls()).toEqual([`GET ${LIST}`]);
    expect(stub.issues.map((i) => i.state)).toEqual(['open', 'open']);
    expect(out).toContain('not checked acme: could-not-check');
    expect(out).toContain('not checked globex: no result (its job failed or was cancelled)');
  });

  it('a mixed night: the exact sequence for create, update, close and leave-alone, in tenants-file order', async () => {
    stub.issues = [openIssue(3, 'globex'), openIssue(4, 'initech'), openIssue(5, 'umbrella')];
    results([drifted('acme'), drifted('globex'), clean('initech'), notChecked('umbrella')]);
    expect(await sync()).toBe(0);
    expect(calls()).toEqual([
      `GET ${LIST}`,
      'GET /repos/acme/iac/labels/drift',
      'POST /repos/acme/iac/issues',
      'PATCH /repos/acme/iac/issues/3',
      'POST /repos/acme/iac/issues/4/comments',
      'PATCH /repos/acme/iac/issues/4',
    ]);
  });

  it('touches only issues the workflow identity opened: one a person opened with the label and marker is left alone', async () => {
    const planted = openIssue(5, 'acme', { user: { login: 'mallory', type: 'User' } });
    stub.issues = [planted, openIssue(9, 'globex', { user: { login: 'some-app[bot]', type: 'Bot' } })];
    results([drifted('acme'), clean('globex')]);
    expect(await sync()).toBe(0);
    // acme: a new issue of its own, not an update of #5; globex: no issue of ours to close.
    expect(calls()).toEqual([`GET ${LIST}`, 'GET /repos/acme/iac/labels/drift', 'POST /repos/acme/iac/issues']);
    expect(stub.issues.find((i) => i.number === 5)).toMatchObject({ state: 'open', body: `${driftMarker('acme')}\nold body` });
    expect(stub.issues.find((i) => i.number === 9)!.state).toBe('open');
  });

  it('another identity (a GitHub App token) is named with --author', async () => {
    stub.issues = [openIssue(7, 'acme', { user: { login: 'scim-bot[bot]', type: 'Bot' } })];
    results([clean('acme')]);
    expect(await runDriftIssues({ results: join(dir, 'results'), tenants: join(dir, 'tenants.yaml'), github: client(), checkedAt: '2026-09-01T02:00:00Z', author: 'scim-bot[bot]' }, io())).toBe(0);
    expect(calls()).toEqual([`GET ${LIST}`, 'POST /repos/acme/iac/issues/7/comments', 'PATCH /repos/acme/iac/issues/7']);
    await expect(runDriftIssues({ results: join(dir, 'results'), tenants: join(dir, 'tenants.yaml'), github: client(), author: 'not a login' }, io())).rejects.toThrow(/"not a login" is not a GitHub login/);
  });

  it('pages through the issue list (Link rel="next"), skips pull requests, and matches the marker exactly', async () => {
    stub.pageSize = 100;
    stub.issues = [
      ...Array.from({ length: 240 }, (_, i) => openIssue(1000 + i, `other-${i}`)),
      openIssue(12, 'acme'),
      openIssue(13, 'acme-eu'),
      openIssue(900, 'acme', { pull_request: { url: 'https://api.github.com/repos/acme/iac/pulls/900' } }),
    ];
    results([drifted('acme')]);
    expect(await sync()).toBe(0);
    expect(calls()).toEqual([`GET ${LIST}`, `GET ${LIST}&page=2`, `GET ${LIST}&page=3`, 'PATCH /repos/acme/iac/issues/12']);
  });

  it('no secret in any request body, whatever the inputs carry', async () => {
    const leaky = drifted('acme') as TenantOutcome & { extra?: unknown };
    // Fields a tampered or future result might carry: not whitelisted, not sent.
    const withValues = { ...leaky, extra: TEST_TOKEN, engines: leaky.engines.map((e) => ({ ...e, summary: { ...e.summary!, changes: e.summary!.changes.map((c) => ({ ...c, after: { token: TEST_TOKEN } })) } })) };
    results([withValues as TenantOutcome, clean('initech')]);
    stub.issues = [openIssue(4, 'initech')];
    expect(await sync()).toBe(0);
    expect(stub.bodies.length).toBeGreaterThan(2);
    for (const body of stub.bodies) expect(body).not.toContain(TEST_TOKEN);
    expect(out).not.toContain(TEST_TOKEN);
  });

  it('waits out a secondary rate limit (Retry-After) and retries; a hard failure exits 2 without the token', async () => {
    stub.issues = [openIssue(7, 'acme')];
    results([drifted('acme')]);
    stub.failures.set('PATCH /repos/acme/iac/issues/7', { status: 403, headers: { 'retry-after': '3' } });
    const slept: number[] = [];
    expect(await sync(client(async (ms) => void slept.push(ms)))).toBe(0);
    expect(slept).toEqual([3000]);
    expect(calls()).toEqual([`GET ${LIST}`, 'PATCH /repos/acme/iac/issues/7', 'PATCH /repos/acme/iac/issues/7']);

    stub.failures.set('GET /repos/acme/iac/issues', { status: 500 });
    out = '';
    expect(await sync()).toBe(2);
    expect(out).toContain('drift-issues: GitHub GET /repos/acme/iac/issues?labels=drift&state=open&per_page=100 failed: 500 scripted failure');
    expect(out).not.toContain(stub.token);
  });
});

describe('GitHub client', () => {
  it('never sends the token to another origin through a next-page link', async () => {
    const calls: string[] = [];
    const fetchStub = (async (url: string) => {
      calls.push(url);
      return new Response('[]', { status: 200, headers: { link: '<https://evil.example/repos/acme/iac/issues?page=2>; rel="next"' } });
    }) as unknown as typeof fetch;
    const github = new GitHubClient({ token: 't', repository: STUB_REPOSITORY, apiUrl: 'https://api.github.com', fetch: fetchStub, writeIntervalMs: 0 });
    await expect(github.paginate('/repos/acme/iac/issues')).rejects.toThrow(/refusing to follow a next-page link to another origin \(https:\/\/evil.example\)/);
    expect(calls).toEqual(['https://api.github.com/repos/acme/iac/issues']);
  });

  it('spaces write requests one second apart, as GitHub asks', async () => {
    let now = 0;
    const waits: number[] = [];
    const fetchStub = (async () => new Response('{}', { status: 200 })) as unknown as typeof fetch;
    const github = new GitHubClient({ token: 't', repository: STUB_REPOSITORY, fetch: fetchStub, now: () => now, sleep: async (ms) => void (waits.push(ms), (now += ms)) });
    await github.request('POST', '/repos/acme/iac/issues', {});
    now += 300;
    await github.request('PATCH', '/repos/acme/iac/issues/1', {});
    await github.request('GET', '/repos/acme/iac/issues');
    expect(waits).toEqual([700]);
  });
});

describe('the issue body', () => {
  it('names each drifted object as the engine does, where verify knows it, and the area otherwise', () => {
    const outcome = {
      tenant: 'acme',
      action: 'drift',
      status: 'drifted',
      engines: [],
      verify: {
        result: 'drift',
        exitCode: 1,
        findings: [
          { area: 'assignments', field: 'admins.priority', address: 'okta_app_group_assignment.dynatrace_assignment_admins', attribute: 'priority', expected: '0', actual: '3', status: 'drift' },
          { area: 'credential', field: 'scim token accepted', expected: '200', actual: '401', status: 'error' },
          { area: 'app', field: 'label', expected: 'x', actual: 'x', status: 'ok' },
        ],
      },
    } as unknown as TenantOutcome;
    const body = issueBody(outcome, { checkedAt: '2026-11-29T03:17:00Z' });
    expect(body).toContain('| object | attribute | expected | actual | status |');
    expect(body).toContain('| okta_app_group_assignment.dynatrace_assignment_admins | priority | `0` | `3` | drift |');
    expect(body).toContain('| credential | scim token accepted | `200` | `401` | error |');
    expect(body).not.toContain('| app | label |');
  });
});
