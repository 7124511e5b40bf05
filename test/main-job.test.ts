import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTenants } from '../constructs/tenants/file';
import { CONSOLE_STEP_FILE, consoleStepMarkdown } from '../constructs/model/console-step';
import { claimOutputFolder } from '../operations/synth/output-folder';
import { formatReports, synthesizeTenants, writeStacks, type TenantReport } from '../operations/synth/synth';
import { TEST_TOKEN } from './support/specs';
import { changedPaths, snapshot } from './support/tree';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('main job on the example tenants', () => {
  const outdir = join(mkdtempSync(join(tmpdir(), 'main-job-')), 'cdktf.out');
  let reports: TenantReport[];
  const secretEnv = ['ACME_DT_SCIM_TOKEN', 'GLOBEX_DT_SCIM_TOKEN', 'INITECH_DT_SCIM_TOKEN', 'TF_VAR_dynatrace_scim_token', 'OKTA_API_TOKEN'];

  beforeAll(async () => {
    // Secrets present in the environment must still never reach any written file or the report.
    for (const name of secretEnv) process.env[name] = TEST_TOKEN;
    reports = await synthesizeTenants(loadTenants('tenants.yaml'), { outdir });
  });
  afterAll(() => {
    for (const name of secretEnv) delete process.env[name];
    rmSync(outdir, { recursive: true, force: true });
  });

  it('writes one Terraform stack per tenant, with its console step beside it', () => {
    expect(reports.map((r) => r.tenant)).toEqual(['acme', 'globex', 'initech']);
    for (const report of reports) expect(existsSync(join(report.stackDir, 'cdk.tf.json'))).toBe(true);
    expect(existsSync(join(reports[0]!.stackDir, CONSOLE_STEP_FILE))).toBe(true);
    expect(existsSync(join(reports[1]!.stackDir, CONSOLE_STEP_FILE))).toBe(false); // API path: no console step
    expect(readFileSync(join(reports[2]!.stackDir, CONSOLE_STEP_FILE), 'utf8')).toBe(consoleStepMarkdown('initech', reports[2]!.consoleStep!));
  });

  it('reports the same objects for both engines, named as each engine names them', () => {
    const [acme, globex, initech] = reports;
    expect(acme!.terraform).toHaveLength(11);
    expect(acme!.pulumi).toHaveLength(11);
    expect(acme!.terraform).toContain('dynatrace_iam_policy_bindings_v2.dynatrace_iam_bindings_dynatrace_viewers_env_abc12345');
    expect(acme!.pulumi).toContain('dynatrace:index/iamPolicyBindingsV2:IamPolicyBindingsV2 acme-iam-bindings-dynatrace-viewers-env-abc12345');
    expect(globex!.terraform).toEqual([
      'data.okta_group.dynatrace_group_observability_team',
      'okta_app_connection.dynatrace_connection',
      'okta_app_features.dynatrace_features',
      'okta_app_group_assignment.dynatrace_assignment_observability_team',
      'okta_app_saml.dynatrace_app',
      'okta_push_group.dynatrace_push_observability_team',
    ]);
    expect(initech!.terraform).toEqual(['data.okta_app.dynatrace_app', 'data.okta_group.dynatrace_group_dynatrace_users', 'okta_app_group_assignment.dynatrace_assignment_dynatrace_users']);
    expect(initech!.pulumi).toEqual([
      'okta:app/getApp:getApp (label "Dynatrace SSO")',
      'okta:group/getGroup:getGroup (name "Dynatrace Users", type "OKTA_GROUP")',
      'okta:app/groupAssignment:GroupAssignment initech-assignment-dynatrace-users',
    ]);
  });

  it('shows each tenant\'s stage and the console step, naming the token source, never the token', () => {
    const text = formatReports(reports);
    expect(reports.map((r) => r.stage)).toEqual([2, 2, 1]);
    expect(text).toContain('Tenant acme\n  Stage 2 of 2: app, groups, assignments and group push mappings');
    expect(text).toContain('Tenant initech\n  Stage 1 of 2: app, groups and assignments; the console step is next');
    expect(text).toContain('Console step (once, in the Okta admin console; also in ');
    expect(text).toContain('SCIM connector base URL: https://api.sso.dynatrace.com/idm/public/scim/3c5e9a71-0d24-4b8f-a6e2-58f1c7d90b34/v2');
    expect(text).toContain('Authentication Mode: HTTP Header');
    expect(text).toContain('Authorization: the raw Dynatrace SCIM token, without "Bearer "');
    expect(text).toContain('$INITECH_DT_SCIM_TOKEN');
    expect(text).toContain('warning: tenants[1].integration.provisioning.setup: the API path');
    expect(reports[1]!.consoleStep).toBeUndefined();
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
    const { run } = await import('../cli/main');
    const root = mkdtempSync(join(tmpdir(), 'bad-synth-'));
    const outdir = join(root, 'cdktf.out');
    mkdirSync(join(outdir, 'stacks', 'acme'), { recursive: true });
    writeFileSync(join(outdir, 'stacks', 'acme', 'cdk.tf.json'), '{"previous":true}');
    const tenants = join(root, 'tenants.yaml');
    writeFileSync(tenants, readFileSync('tenants.yaml', 'utf8').replace('authMode: header', 'authMode: basic'));
    let stderr = '';
    const sink = (write: (text: string) => void) => Object.assign(new (require('node:stream').Writable)({ write(chunk: Buffer, _e: string, done: () => void) { write(String(chunk)); done(); } }), { isTTY: false });
    const code = await run(['synth', '--tenants', tenants, '--synth-dir', outdir], { stdout: sink(() => undefined), stderr: sink((text) => (stderr += text)), env: {} });
    expect(code).toBe(64);
    expect(stderr).toContain('tenants[0].integration.authMode: must be one of "header", "oauthBearer"');
    expect(readFileSync(join(outdir, 'stacks', 'acme', 'cdk.tf.json'), 'utf8')).toBe('{"previous":true}');
    expect(readdirSync(root).sort()).toEqual(['cdktf.out', 'tenants.yaml']);
    rmSync(root, { recursive: true, force: true });
  });

  /** A stand-in for the CDKTF synth: the manifest and one `cdk.tf.json` per stack, with `content`. */
  const fakeCdktf = (stacks: readonly string[], content: string) => (staging: string) => {
    writeFileSync(join(staging, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: Object.fromEntries(stacks.map((name) => [name, { name }])) }));
    for (const name of stacks) {
      mkdirSync(join(staging, 'stacks', name), { recursive: true });
      writeFileSync(join(staging, 'stacks', name, 'cdk.tf.json'), content);
    }
  };
  const outputIn = (root: string) => claimOutputFolder(join(root, 'cdktf.out'), { tenantsFile: join(root, 'tenants.yaml') });

  it('a failed build leaves the previous output untouched, and leaves nothing beside it', () => {
    const root = mkdtempSync(join(tmpdir(), 'atomic-'));
    writeStacks(outputIn(root), { stacks: ['acme'], selection: false }, fakeCdktf(['acme'], 'previous'));
    const before = snapshot(root);
    expect(() =>
      writeStacks(outputIn(root), { stacks: ['acme'], selection: false }, (staging) => {
        fakeCdktf(['acme'], 'half')(staging);
        throw new Error('synth failed');
      }),
    ).toThrow('synth failed');
    expect(changedPaths(before, snapshot(root))).toEqual([]);
    rmSync(root, { recursive: true, force: true });
  });

  it('a successful build replaces the files synth recorded and nothing else', () => {
    const root = mkdtempSync(join(tmpdir(), 'atomic-'));
    writeStacks(outputIn(root), { stacks: ['acme'], selection: false }, fakeCdktf(['acme'], 'previous'));
    writeFileSync(join(root, 'cdktf.out', 'stacks', 'acme', 'tfplan'), 'not written by synth');
    writeStacks(outputIn(root), { stacks: ['acme'], selection: false }, fakeCdktf(['acme'], 'fresh'));
    expect(readFileSync(join(root, 'cdktf.out', 'stacks', 'acme', 'cdk.tf.json'), 'utf8')).toBe('fresh');
    expect(readFileSync(join(root, 'cdktf.out', 'stacks', 'acme', 'tfplan'), 'utf8')).toBe('not written by synth');
    expect(readdirSync(root)).toEqual(['cdktf.out']);
    rmSync(root, { recursive: true, force: true });
  });

  it("writes a stack's extra files with its cdk.tf.json, and removes them with it", () => {
    const root = mkdtempSync(join(tmpdir(), 'atomic-'));
    const stackFiles = () => readdirSync(join(root, 'cdktf.out', 'stacks', 'acme')).sort();
    const consoleStep = { extraFiles: (stack: string) => ({ 'console-step.md': `# Console step for ${stack}\n` }) };
    writeStacks(outputIn(root), { stacks: ['acme'], selection: false, ...consoleStep }, fakeCdktf(['acme'], 'first'));
    expect(stackFiles()).toEqual(['cdk.tf.json', 'console-step.md']);
    expect(readFileSync(join(root, 'cdktf.out', 'stacks', 'acme', 'console-step.md'), 'utf8')).toBe('# Console step for acme\n');
    const before = snapshot(root);
    expect(() =>
      writeStacks(outputIn(root), { stacks: ['acme'], selection: false, ...consoleStep }, () => {
        throw new Error('synth failed');
      }),
    ).toThrow('synth failed');
    expect(changedPaths(before, snapshot(root))).toEqual([]);
    writeStacks(outputIn(root), { stacks: ['acme'], selection: true }, fakeCdktf(['acme'], 'second'));
    expect(stackFiles()).toEqual(['cdk.tf.json']);
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses a full synth of no stack, which would remove every stack', () => {
    const root = mkdtempSync(join(tmpdir(), 'atomic-'));
    writeStacks(outputIn(root), { stacks: ['acme'], selection: false }, fakeCdktf(['acme'], 'previous'));
    const before = snapshot(root);
    expect(() => writeStacks(outputIn(root), { stacks: [], selection: false }, fakeCdktf([], ''))).toThrow('no tenant to synthesize: synth would remove every stack it wrote');
    expect(changedPaths(before, snapshot(root))).toEqual([]);
    rmSync(root, { recursive: true, force: true });
  });
});
