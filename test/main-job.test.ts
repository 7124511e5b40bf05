import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTenants } from '../constructs/tenants/file';
import { formatReports, synthesizeTenants, writeAtomically, type TenantReport } from '../stacks/synth';
import { TEST_TOKEN } from './support/specs';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('main job on the example tenants', () => {
  const outdir = join(mkdtempSync(join(tmpdir(), 'main-job-')), 'cdktf.out');
  let reports: TenantReport[];
  const secretEnv = ['ACME_DT_SCIM_TOKEN', 'GLOBEX_DT_SCIM_TOKEN', 'TF_VAR_dynatrace_scim_token', 'OKTA_API_TOKEN'];

  beforeAll(async () => {
    // Secrets present in the environment must still never reach any written file or the report.
    for (const name of secretEnv) process.env[name] = TEST_TOKEN;
    reports = await synthesizeTenants(loadTenants('tenants.yaml'), { outdir });
  });
  afterAll(() => {
    for (const name of secretEnv) delete process.env[name];
    rmSync(outdir, { recursive: true, force: true });
  });

  it('writes one Terraform stack per tenant', () => {
    expect(reports.map((r) => r.tenant)).toEqual(['acme', 'globex']);
    for (const report of reports) expect(existsSync(join(report.stackDir, 'cdk.tf.json'))).toBe(true);
  });

  it('reports the same objects for both engines', () => {
    const acme = reports[0];
    expect(acme.terraform).toHaveLength(10);
    expect(acme.pulumi).toHaveLength(10);
    const globex = reports[1];
    expect(globex.terraform).toEqual(['data.okta_group.dynatrace_group_observability_team', 'okta_app_group_assignment.dynatrace_assignment_observability_team', 'okta_app_saml.dynatrace_app']);
    expect(globex.pulumi).toEqual([
      'okta:group/getGroup:getGroup (lookup "Observability Team")',
      'okta:app/saml:Saml globex-app',
      'okta:app/groupAssignment:GroupAssignment globex-assignment-observability-team',
    ]);
  });

  it('prints the manual checklist for manual tenants, naming the token source, never the token', () => {
    const text = formatReports(reports);
    expect(reports[0].checklist).toEqual([]);
    expect(text).toContain('Manual provisioning setup (connection: manual)');
    expect(text).toContain('Base URL: https://api.sso.dynatrace.com/idm/public/scim/0b9d7e3c-5a21-4f6e-8c3d-71a4e2f09b66/v2');
    expect(text).toContain('the raw Dynatrace SCIM token, without "Bearer "');
    expect(text).toContain('$GLOBEX_DT_SCIM_TOKEN');
    expect(text).not.toContain(TEST_TOKEN);
  });

  it('puts the token in no written file', () => {
    const files = filesUnder(outdir);
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) expect(readFileSync(file, 'utf8')).not.toContain(TEST_TOKEN);
  });
});

describe('atomic output', () => {
  it('synth on an invalid tenants file exits 64, names the problem and leaves the previous output as it was', async () => {
    const { run } = await import('../stacks/cli');
    const root = mkdtempSync(join(tmpdir(), 'bad-synth-'));
    const outdir = join(root, 'cdktf.out');
    mkdirSync(join(outdir, 'stacks', 'acme'), { recursive: true });
    writeFileSync(join(outdir, 'stacks', 'acme', 'cdk.tf.json'), '{"previous":true}');
    const tenants = join(root, 'tenants.yaml');
    writeFileSync(tenants, readFileSync('tenants.yaml', 'utf8').replace('authMode: header', 'authMode: basic'));
    let stderr = '';
    const sink = (write: (text: string) => void) => Object.assign(new (require('node:stream').Writable)({ write(chunk: Buffer, _e: string, done: () => void) { write(String(chunk)); done(); } }), { isTTY: false });
    const code = await run(['synth', '--tenants', tenants, '--out', outdir], { stdout: sink(() => undefined), stderr: sink((text) => (stderr += text)), env: {} });
    expect(code).toBe(64);
    expect(stderr).toContain('tenants[0].integration.authMode: must be one of "header", "oauthBearer"');
    expect(readFileSync(join(outdir, 'stacks', 'acme', 'cdk.tf.json'), 'utf8')).toBe('{"previous":true}');
    expect(readdirSync(root).sort()).toEqual(['cdktf.out', 'tenants.yaml']);
    rmSync(root, { recursive: true, force: true });
  });

  it('a failed build leaves the previous output untouched', () => {
    const root = mkdtempSync(join(tmpdir(), 'atomic-'));
    const outdir = join(root, 'cdktf.out');
    mkdirSync(outdir);
    writeFileSync(join(outdir, 'previous.json'), 'previous');
    expect(() =>
      writeAtomically(outdir, (staging) => {
        mkdirSync(staging, { recursive: true });
        writeFileSync(join(staging, 'half.json'), 'half');
        throw new Error('synth failed');
      }),
    ).toThrow('synth failed');
    expect(readdirSync(outdir)).toEqual(['previous.json']);
    expect(readdirSync(root)).toEqual(['cdktf.out']);
    rmSync(root, { recursive: true, force: true });
  });

  it('a successful build replaces the output as a whole', () => {
    const root = mkdtempSync(join(tmpdir(), 'atomic-'));
    const outdir = join(root, 'cdktf.out');
    mkdirSync(outdir);
    writeFileSync(join(outdir, 'stale.json'), 'stale');
    writeAtomically(outdir, (staging) => {
      mkdirSync(staging, { recursive: true });
      writeFileSync(join(staging, 'fresh.json'), 'fresh');
    });
    expect(readdirSync(outdir)).toEqual(['fresh.json']);
    expect(readdirSync(root)).toEqual(['cdktf.out']);
    rmSync(root, { recursive: true, force: true });
  });
});
