/**
 * `batch`: one CI job's tenants in sequence, against stand-in terraform/pulumi CLIs on PATH. Each tenant
 * gets only its own secrets, outputs stay per tenant, a failure does not stop the others, the binary plan
 * never outlives its tenant's turn, and no secret reaches a result file or the log.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runBatch, tenantEnv, type TenantOutcome, WITHHELD_SCIM_TOKEN } from '../operations/ci/batch';
import type { VerifyResult } from '../operations/verify/report';
import type { VerifyOutput } from '../operations/verify/verify';
import { loadTenants, parseTenants } from '../constructs/tenants/file';
import { EXIT, run } from '../cli/main';
import { fakeEngines, type FakeEngines } from './support/fake-engines';
import { tenantEntry, tenantsYaml } from './support/git-repo';
import { startOktaFake } from './support/okta-fake';
import { planFixture } from './support/plans';
import { TEST_TOKEN } from './support/specs';

const TENANTS = ['alpha', 'beta', 'gamma'];
const token = (tenant: string, kind: string): string => `${TEST_TOKEN}-${kind}-${tenant}`;

/** Every secret a job's step maps for these tenants, by the names the tenants file gives. */
function repositorySecrets(): Record<string, string> {
  return {
    ALPHA_DT_SCIM_TOKEN: token('alpha', 'scim'),
    BETA_DT_SCIM_TOKEN: token('beta', 'scim'),
    GAMMA_DT_SCIM_TOKEN: token('gamma', 'scim'),
    OKTA_API_TOKEN: token('shared', 'okta'),
    BETA_OKTA_API_TOKEN: token('beta', 'okta'),
    AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE',
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('batch (CLI) against stand-in engines', () => {
  const root = process.cwd();
  let project: string;
  let fakes: FakeEngines;
  let log: string;

  const io = (secrets: Record<string, string> | undefined = repositorySecrets(), extra: Record<string, string> = {}) => {
    const sink = new Writable({ write(chunk, _e, done) { log += String(chunk); done(); } });
    const env: NodeJS.ProcessEnv = { PATH: `${fakes.binDir}:${process.env.PATH}`, HOME: project, ...extra, ...(secrets ?? {}) };
    return { stdout: sink, stderr: sink, env };
  };
  const batch = (action: string, names: string, options: { engine?: string; secrets?: Record<string, string>; extra?: Record<string, string>; args?: string[] } = {}) =>
    run(['batch', action, '--batch', names, '--engine', options.engine ?? 'terraform', ...(options.args ?? [])], io(options.secrets, options.extra));
  const outcome = (tenant: string, results = 'results'): TenantOutcome => JSON.parse(readFileSync(join(project, results, tenant, 'result.json'), 'utf8'));

  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'batch-'));
    copyFileSync(join(root, 'test/fixtures/three-tenants.yaml'), join(project, 'tenants.yaml'));
    writeFileSync(join(project, 'Pulumi.yaml'), 'name: okta-dynatrace-scim\nruntime: nodejs\n');
    for (const tenant of TENANTS) {
      mkdirSync(join(project, 'cdktf.out', 'stacks', tenant), { recursive: true });
      writeFileSync(join(project, 'cdktf.out', 'stacks', tenant, 'cdk.tf.json'), '{}');
      writeFileSync(join(project, 'cdktf.out', 'stacks', tenant, '.terraform.lock.hcl'), '# pinned providers\n');
    }
    writeFileSync(join(project, 'cdktf.out', 'stacks', 'beta', 'console-step.md'), '**Console step for beta**: Provisioning → Configure API Integration …');
    fakes = fakeEngines(project);
    fakes.script({ beta: { planJson: planFixture('terraform-plan.json'), planText: `Error: Invalid value for variable\n  var.dynatrace_scim_token is "Bearer ${token('beta', 'scim')}"`, adminUrl: 'https://beta-admin.oktapreview.com/admin/app/scim2headerauth/instance/0oa1/' } });
    log = '';
    process.chdir(project);
  });
  afterEach(() => {
    process.chdir(root);
    rmSync(project, { recursive: true, force: true });
  });

  it('plan: each tenant in turn, read-only — its own read credentials under the names the providers read, a stand-in for the SCIM token, no lock, pinned providers; nothing else of the job\'s environment', async () => {
    // What a runner may carry besides the step's secrets: debug switches, CLI overrides, code injection.
    const noise = { TF_LOG: 'TRACE', TF_LOG_PATH: '/tmp/tf.log', TF_CLI_ARGS_plan: '-var=x=1', TF_CLI_CONFIG_FILE: '/tmp/evil.tfrc', OKTA_LOG_LEVEL: 'debug', PULUMI_DEBUG_COMMANDS: 'true', NODE_OPTIONS: '--require /tmp/evil.js', GITHUB_TOKEN: `${TEST_TOKEN}-github`, LANG: 'C.UTF-8', HTTPS_PROXY: 'http://proxy.internal:3128' };
    expect(await batch('plan', 'alpha beta gamma', { extra: noise })).toBe(0);
    const calls = fakes.calls();
    expect(calls.map((c) => [c.tenant, c.args.slice(1, 2)[0]])).toEqual(TENANTS.flatMap((t) => [[t, 'init'], [t, 'plan'], [t, 'show']]));
    expect(calls.find((c) => c.tenant === 'beta' && c.args[1] === 'init')!.args).toEqual(['-chdir=cdktf.out/stacks/beta', 'init', '-input=false', '-no-color', '-lockfile=readonly']);
    expect(calls.find((c) => c.tenant === 'beta' && c.args[1] === 'plan')!.args).toEqual(['-chdir=cdktf.out/stacks/beta', 'plan', '-input=false', '-no-color', '-out=tfplan', '-lock=false']);
    for (const call of calls) {
      for (const name of ['TF_LOG', 'TF_LOG_PATH', 'TF_CLI_ARGS_plan', 'TF_CLI_CONFIG_FILE', 'OKTA_LOG_LEVEL', 'PULUMI_DEBUG_COMMANDS', 'NODE_OPTIONS', 'GITHUB_TOKEN']) expect({ name, value: call.env[name] }).toEqual({ name, value: undefined });
      expect([call.env.LANG, call.env.HTTPS_PROXY, call.env.HOME, call.env.TF_IN_AUTOMATION, call.env.CHECKPOINT_DISABLE]).toEqual(['C.UTF-8', 'http://proxy.internal:3128', project, '1', '1']);
      // The SCIM token is a write credential: plans get a stand-in, under both names the stacks read.
      expect(call.env.TF_VAR_dynatrace_scim_token).toBe(WITHHELD_SCIM_TOKEN);
      expect(call.env[`${call.tenant.toUpperCase()}_DT_SCIM_TOKEN`]).toBe(WITHHELD_SCIM_TOKEN);
      expect(JSON.stringify(call.env)).not.toContain(token(call.tenant, 'scim'));
      expect(call.env.OKTA_API_TOKEN).toBe(call.tenant === 'beta' ? token('beta', 'okta') : token('shared', 'okta'));
      // Backend credentials only where the tenant's backend needs them: beta's state is in S3.
      expect(call.env.AWS_ACCESS_KEY_ID).toBe(call.tenant === 'beta' ? 'AKIAEXAMPLEEXAMPLE' : undefined);
      // Another tenant's secret is never there.
      for (const other of TENANTS.filter((t) => t !== call.tenant)) expect(JSON.stringify(call.env)).not.toContain(token(other, 'scim'));
    }
  });

  it('plan: per-tenant results with the summary; the token a diagnostic printed is redacted; the binary plan is deleted, nothing else', async () => {
    writeFileSync(join(project, 'cdktf.out', 'stacks', 'beta', 'tfplan.notes'), 'not ours');
    expect(await batch('plan', 'alpha beta gamma')).toBe(0);
    const beta = outcome('beta');
    expect(beta.status).toBe('ok');
    expect(beta.engines).toEqual([{ engine: 'terraform', ok: true, step: 'plan', exitCode: 0, transcript: 'terraform.txt', summary: expect.objectContaining({ counts: { add: 1, change: 2, destroy: 2, replace: 2, import: 2, forget: 1 } }) }]);
    // What a read-only plan could not see is said with the result: alpha has no persistent state; all are API-path.
    expect(outcome('alpha').notes).toEqual([
      'terraform: no persistent state (no backend.terraform): planned against an empty state, so every object shows as to be created, whatever exists in Okta',
      "the SCIM token: read-only runs never receive it (a write credential), so the connection's token is not compared",
    ]);
    expect(beta.notes).toEqual(["the SCIM token: read-only runs never receive it (a write credential), so the connection's token is not compared"]);
    expect(readFileSync(join(project, 'results', 'beta', 'terraform.txt'), 'utf8')).toContain('var.dynatrace_scim_token is "Bearer [redacted]"');
    for (const tenant of TENANTS) expect(readdirSync(join(project, 'results', tenant)).sort()).toEqual(['result.json', 'terraform.txt']);
    // The fake wrote tfplan with the token in it: gone; the stack folder is otherwise as it was.
    for (const tenant of TENANTS) expect(readdirSync(join(project, 'cdktf.out', 'stacks', tenant)).sort()).toEqual(tenant === 'beta' ? ['.terraform.lock.hcl', 'cdk.tf.json', 'console-step.md', 'tfplan.notes'] : ['.terraform.lock.hcl', 'cdk.tf.json']);
    for (const file of filesUnder(join(project, 'results'))) expect({ file, leaked: readFileSync(file, 'utf8').includes(TEST_TOKEN) }).toEqual({ file, leaked: false });
    expect(log).not.toContain(TEST_TOKEN);
    expect(log).toContain('plan: 3 ok (results in results/<tenant>/)');
  });

  it('providers only as the committed lock file pins them: a stack without it stops before terraform runs', async () => {
    rmSync(join(project, 'cdktf.out', 'stacks', 'gamma', '.terraform.lock.hcl'));
    expect(await batch('plan', 'beta gamma')).toBe(2);
    expect(outcome('gamma')).toMatchObject({ status: 'failed', engines: [{ engine: 'terraform', ok: false, step: 'init', exitCode: 1 }] });
    expect(readFileSync(join(project, 'results', 'gamma', 'terraform.txt'), 'utf8')).toBe('cdktf.out/stacks/gamma/.terraform.lock.hcl is missing: commit the provider lock file (npx okta-dynatrace-scim providers-lock, docs/day-2.md "Supply chain"); synth copies it into every stack.\n');
    expect(fakes.calls().some((c) => c.tenant === 'gamma')).toBe(false);
  });

  it('--bucket: the selected tenants of that bucket in the selection report (removed ones for plan-destroy); an empty bucket does nothing', async () => {
    const bucketOfTenant = { alpha: '45', beta: '39', gamma: '61' } as const;
    const selection = {
      ref: 'origin/main',
      tenants: (['alpha', 'beta', 'gamma'] as const).map((tenant) => ({ tenant, selected: tenant !== 'gamma', bucket: bucketOfTenant[tenant], reasons: [] })),
      removed: [],
      shared: [],
      jobs: 2,
    };
    writeFileSync(join(project, 'selection.json'), JSON.stringify(selection));
    expect(await batch('plan', '', { args: ['--bucket', '39', '--selection', 'selection.json'] }).catch(() => -1)).toBe(EXIT.usage);
    log = '';
    expect(await run(['batch', 'plan', '--bucket', '39', '--selection', 'selection.json'], io())).toBe(0);
    expect([...new Set(fakes.calls().map((c) => c.tenant))]).toEqual(['beta']);
    expect(await run(['batch', 'plan', '--bucket', '61', '--selection', 'selection.json'], io())).toBe(0);
    expect(log).toContain('plan: no tenant of bucket 61 is selected: nothing to do');
    expect(await run(['batch', 'plan-destroy', '--bucket', '39', '--selection', 'selection.json', '--tenants', 'missing.yaml'], io())).toBe(0);
    expect(await run(['batch', 'plan', '--bucket', '7;rm', '--selection', 'selection.json'], io())).toBe(EXIT.usage);
    expect(log).toContain('"7;rm" is not a bucket id');
  });

  it('a failing tenant does not stop the others; the batch exits 2', async () => {
    fakes.script({ beta: { exit: { init: 1 } } });
    expect(await batch('plan', 'alpha beta gamma')).toBe(2);
    expect(outcome('beta')).toMatchObject({ status: 'failed', engines: [{ engine: 'terraform', ok: false, step: 'init', exitCode: 1 }] });
    expect(readFileSync(join(project, 'results', 'beta', 'terraform.txt'), 'utf8')).toContain('scripted failure of init for beta');
    expect(outcome('gamma').status).toBe('ok');
  });

  it('a missing or empty secret fails that tenant before any engine runs, naming the secret (never a value)', async () => {
    const { BETA_OKTA_API_TOKEN: _gone, ...secrets } = repositorySecrets();
    expect(await batch('plan', 'alpha beta gamma', { secrets: { ...secrets, OKTA_API_TOKEN: '' } })).toBe(2);
    const why = ': each job maps its tenants\' secrets by the names the tenants file gives (`okta-dynatrace-scim workflows`), from the GitHub environment it runs in (docs/day-2.md, "Secrets")';
    expect(outcome('beta')).toEqual({ tenant: 'beta', action: 'plan', status: 'failed', message: `secret BETA_OKTA_API_TOKEN (the Okta API token of tenant beta) is not in this job's environment${why}`, engines: [] });
    expect(outcome('alpha')).toEqual({ tenant: 'alpha', action: 'plan', status: 'failed', message: `secret OKTA_API_TOKEN (the Okta API token of tenant alpha) is empty${why}`, engines: [] });
    expect(fakes.calls().some((c) => c.tenant === 'alpha' || c.tenant === 'beta')).toBe(false);
    expect(outcome('gamma').status).toBe('failed');
  });

  it('apply (write): the SCIM token itself, a lock with a timeout; a missing SCIM token fails the tenant', async () => {
    expect(await batch('apply', 'beta')).toBe(0);
    const plan = fakes.calls().find((c) => c.args[1] === 'plan')!;
    expect(plan.args).toContain('-lock-timeout=10m');
    expect(plan.env.TF_VAR_dynatrace_scim_token).toBe(token('beta', 'scim'));
    const { BETA_DT_SCIM_TOKEN: _gone, ...secrets } = repositorySecrets();
    expect(await batch('apply', 'beta', { secrets })).toBe(2);
    expect(outcome('beta').message).toMatch(/^secret BETA_DT_SCIM_TOKEN \(the Dynatrace SCIM token of tenant beta\) is not in this job's environment/);
  });

  it('apply: refuses local state, applies exactly the saved plan, and writes the console step with the admin link to the job summary', async () => {
    const summary = join(project, 'step-summary.md');
    writeFileSync(summary, '');
    expect(await batch('apply', 'alpha beta gamma', { extra: { GITHUB_STEP_SUMMARY: summary } })).toBe(2);
    expect(outcome('alpha')).toMatchObject({ status: 'failed', message: expect.stringContaining('keeps Terraform state locally') });
    expect(fakes.calls().filter((c) => c.tenant === 'beta').map((c) => c.args.slice(1).join(' '))).toEqual([
      'init -input=false -no-color -lockfile=readonly',
      'plan -input=false -no-color -out=tfplan -lock-timeout=10m',
      'show -json tfplan',
      'apply -input=false -no-color -lock-timeout=10m tfplan',
      'output -raw okta_app_admin_url',
    ]);
    expect(outcome('beta').engines[0].adminUrl).toBe('https://beta-admin.oktapreview.com/admin/app/scim2headerauth/instance/0oa1/');
    const text = readFileSync(summary, 'utf8');
    expect(text).toContain('### beta: applied');
    expect(text).toContain('**Console step for beta**');
    expect(text).toContain('Open the app in the Okta admin console: https://beta-admin.oktapreview.com/admin/app/scim2headerauth/instance/0oa1/');
    expect(text).toContain('### gamma: applied');
    expect(text).toContain('### alpha: apply failed');
    expect(text).not.toContain(TEST_TOKEN);
  });

  it('pulumi: logs in to the tenant backend, selects its stack (a plan never creates one), previews as text and as JSON', async () => {
    fakes.script({ beta: { planJson: planFixture('pulumi-preview.json') } });
    expect(await batch('plan', 'alpha beta', { engine: 'pulumi' })).toBe(0);
    const beta = fakes.calls().filter((c) => c.engine === 'pulumi' && (c.tenant === 'beta' || c.args[0] === 'login'));
    expect(beta.map((c) => c.args.join(' '))).toEqual([
      'login --local',
      'login s3://beta-iac-state/pulumi',
      'stack select beta',
      'preview --stack beta --non-interactive --diff --color never',
      'preview --stack beta --non-interactive --json',
    ]);
    // The Pulumi program reads the token from the variable the tenants file names: a stand-in in plans.
    expect(beta[2].env.BETA_DT_SCIM_TOKEN).toBe(WITHHELD_SCIM_TOKEN);
    expect(beta[2].env.TENANTS_FILE).toBe('tenants.yaml');
    expect(outcome('beta').engines[0].summary?.counts).toEqual({ add: 1, change: 1, destroy: 1, replace: 1, import: 1, forget: 0 });
  });

  it('plan-destroy: plans the destroy without the tenant secrets it may no longer have', async () => {
    fakes.script({});
    expect(await batch('plan-destroy', 'beta', { engine: 'both', secrets: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE' } })).toBe(0);
    const args = fakes.calls().map((c) => c.args.join(' '));
    expect(args).toContain('-chdir=cdktf.out/stacks/beta plan -input=false -no-color -out=tfplan -destroy -lock=false');
    expect(args).toContain('stack select beta');
    expect(args).toContain('destroy --preview-only --stack beta --non-interactive --json');
  });

  it('invalid input: both engines for apply, an unknown action', async () => {
    expect(await batch('apply', 'beta', { engine: 'both' })).toBe(EXIT.usage);
    expect(log).toContain('apply with both engines would create two Okta apps per tenant');
    expect(await batch('deploy', 'beta')).toBe(EXIT.usage);
    expect(existsSync(join(project, 'results'))).toBe(false);
  });

  it('drift: verify runs in-process, with the tenant\'s read-only environment, and its report lands in result.json', async () => {
    const okta = await startOktaFake({ apiToken: token('beta', 'okta') });
    const undici = require('undici') as typeof import('undici');
    const realFetch = undici.fetch;
    const spy = jest.spyOn(undici, 'fetch').mockImplementation((input, init) => realFetch(String(input).replace('https://beta.oktapreview.com', okta.url), init));
    try {
      expect(await batch('drift', 'beta')).toBe(1);
      const { verify } = outcome('beta');
      // The org has no app labelled "Dynatrace SCIM": verify says so, as drift of the app, named as terraform plan does.
      expect(verify).toEqual({
        result: 'drift',
        exitCode: 1,
        findings: [expect.objectContaining({ area: 'app', field: 'label', address: 'okta_app_saml.dynatrace_app', attribute: 'label', expected: '"Dynatrace SCIM" (scim2testapp)', actual: 'no such app', status: 'drift' })],
      });
      expect(okta.requests.length).toBeGreaterThan(0);
      expect(JSON.stringify(verify)).not.toContain(token('beta', 'okta'));
    } finally {
      spy.mockRestore();
      await okta.close();
    }
  });
});

describe('a tenant\'s environment', () => {
  const [tenant] = parseTenants(tenantsYaml([tenantEntry('delta', { integration: { ...(tenantEntry('delta').integration as object), scimToken: { pulumiConfig: 'dynatraceScimToken' }, provisioning: { setup: 'api' } } })]));
  const secret = (name: string) => ({ DELTA_OKTA_API_TOKEN: token('delta', 'okta') })[name];

  it('Terraform needs the SCIM token in a secret: a tenant that keeps it only in Pulumi config is told so', () => {
    expect(tenantEnv(tenant, ['terraform'], secret, {}).missing).toEqual(['a secret name for the Dynatrace SCIM token of tenant delta in the tenants file']);
  });

  it('Pulumi alone reads it from the stack config: nothing missing, the Okta token mapped', () => {
    const { env, missing, values } = tenantEnv(tenant, ['pulumi'], secret, { PATH: '/bin' });
    expect(missing).toEqual([]);
    expect(env).toEqual({ PATH: '/bin', OKTA_API_TOKEN: token('delta', 'okta'), DELTA_OKTA_API_TOKEN: token('delta', 'okta') });
    expect(values).toEqual([token('delta', 'okta')]);
  });
});

describe('batch drift (library): verify plus a plan per tenant decide the status', () => {
  const root = process.cwd();
  let project: string;
  let fakes: FakeEngines;

  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'drift-'));
    copyFileSync(join(root, 'test/fixtures/three-tenants.yaml'), join(project, 'tenants.yaml'));
    for (const tenant of TENANTS) {
      mkdirSync(join(project, 'cdktf.out', 'stacks', tenant), { recursive: true });
      writeFileSync(join(project, 'cdktf.out', 'stacks', tenant, '.terraform.lock.hcl'), '# pinned providers\n');
    }
    fakes = fakeEngines(project);
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  /** verify's report of one tenant; `actual` quotes what Okta answered, here a value that happens to be the tenant's Okta token. */
  const verified = (tenant: string, result: VerifyResult, actual = 'Renamed'): VerifyOutput => {
    const exitCode = result === 'drift' ? 1 : result === 'in-sync' ? 0 : 2;
    const findings = [{ area: 'app' as const, field: 'label', expected: 'Dynatrace SCIM', actual, status: result === 'drift' ? ('drift' as const) : ('ok' as const) }];
    const stage = { declared: 2 as const, live: 'pushed' as const, next: 'nothing' };
    const counts = { ok: result === 'drift' ? 0 : 1, drift: result === 'drift' ? 1 : 0, unknown: 0, error: 0 };
    return { report: { result, exitCode, strict: false, engine: 'terraform', tenants: [{ tenant, okta: `${tenant}.okta.com`, stage, result, exitCode, counts, findings, notes: [], warnings: [] }] }, secrets: new Set() };
  };

  it('drift from either source → drifted; unreadable → could-not-check; no persistent state → could-not-check, never drift; exit 1 on drift', async () => {
    fakes.script({ alpha: { exit: { plan: 2 }, planJson: planFixture('terraform-plan.json') }, gamma: { exit: { plan: 1 } } });
    const verdicts: Record<string, VerifyResult> = { alpha: 'in-sync', beta: 'drift', gamma: 'in-sync' };
    const secrets = repositorySecrets();
    const report = await runBatch({
      action: 'drift',
      engines: ['terraform'],
      tenants: loadTenants(join(project, 'tenants.yaml')),
      tenantsFile: 'tenants.yaml',
      synthDir: 'cdktf.out',
      resultsDir: join(project, 'results'),
      projectDir: project,
      secret: (name) => secrets[name],
      baseEnv: { PATH: `${fakes.binDir}:${process.env.PATH}` },
      log: () => undefined,
      verify: async (tenant, env) => {
        expect(env.ALPHA_DT_SCIM_TOKEN === undefined || tenant.name === 'alpha').toBe(true);
        return verified(tenant.name, verdicts[tenant.name]!, tenant.name === 'beta' ? `Renamed to ${secrets.BETA_OKTA_API_TOKEN}` : 'Renamed');
      },
    });
    expect(report.outcomes.map((o) => [o.tenant, o.status])).toEqual([
      ['alpha', 'could-not-check'],
      ['beta', 'drifted'],
      ['gamma', 'could-not-check'],
    ]);
    // alpha keeps Terraform state locally: its plan would show everything as new, which is no drift.
    expect(report.outcomes[0].message).toBe('could not check: no persistent state — tenant alpha keeps Terraform state locally, so a plan here compares with an empty state. Configure backend.terraform in the tenants file (docs/day-2.md, "Remote state"); verify alone can be run locally');
    expect(fakes.calls().some((c) => c.tenant === 'alpha')).toBe(false);
    expect(report.exitCode).toBe(1);
    const betaPlan = fakes.calls().find((c) => c.tenant === 'beta' && c.args[1] === 'plan')!;
    expect(betaPlan.args).toEqual(['-chdir=cdktf.out/stacks/beta', 'plan', '-input=false', '-no-color', '-out=tfplan', '-lock=false', '-detailed-exitcode']);
    // Read-only: no SCIM token (a stand-in), even though the repository's secrets hold one.
    expect(betaPlan.env.TF_VAR_dynatrace_scim_token).toBe(WITHHELD_SCIM_TOKEN);
    // What verify quotes goes through the tenant's redaction too, as typed data (no JSON between the two).
    expect(report.outcomes[1].verify).toEqual({ result: 'drift', exitCode: 1, findings: [expect.objectContaining({ field: 'label', status: 'drift', actual: 'Renamed to [redacted]' })] });
  });

});
