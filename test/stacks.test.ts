import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pulumiStackFor } from '../constructs/model/backend';
import { loadTenants } from '../constructs/tenants/file';
import { synthesizeTenants, type TenantReport } from '../operations/synth/synth';

describe('a tenants file with 3 tenants', () => {
  const tenants = loadTenants('test/fixtures/three-tenants.yaml');
  const outdir = join(mkdtempSync(join(tmpdir(), 'three-')), 'cdktf.out');
  let reports: TenantReport[];
  const terraformBlock = (tenant: string) => (JSON.parse(readFileSync(join(outdir, 'stacks', tenant, 'cdk.tf.json'), 'utf8')) as { terraform: Record<string, unknown> }).terraform;

  beforeAll(async () => {
    reports = await synthesizeTenants(tenants, { outdir });
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('yields 3 CDKTF stacks named after the tenants', () => {
    expect(reports.map((r) => r.stackDir)).toEqual(['alpha', 'beta', 'gamma'].map((name) => join(outdir, 'stacks', name)));
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks).sort()).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('yields 3 Pulumi programs with their own resources', () => {
    // beta leaves the OAuth Bearer Token app's sign-on to its default: SAML.
    const apps = { alpha: 'okta:app/autoLogin:AutoLogin', beta: 'okta:app/saml:Saml', gamma: 'okta:app/autoLogin:AutoLogin' } as Record<string, string>;
    for (const report of reports) {
      expect(report.pulumi).toContain(`${apps[report.tenant]!} ${report.tenant}-app`);
      expect(report.pulumi!.every((line) => line.includes(`${report.tenant}-`) || line.includes('getGroup'))).toBe(true);
    }
  });

  it('gives each CDKTF stack its backend, local state outside the replaced output folder', () => {
    const local = terraformBlock('alpha').backend as { local: { path: string } };
    expect(local.local.path).not.toMatch(/^\//);
    expect(join(outdir, 'stacks', 'alpha', local.local.path)).toBe(join(process.cwd(), 'terraform.alpha.tfstate'));
    expect(terraformBlock('beta').backend).toEqual({
      s3: { bucket: 'beta-iac-state', key: 'okta-dynatrace-scim/beta/terraform.tfstate', region: 'eu-central-1', encrypt: true, use_lockfile: true },
    });
    expect(terraformBlock('gamma').cloud).toEqual({ organization: 'gamma-corp', hostname: 'app.terraform.io', workspaces: { name: 'okta-dynatrace-gamma' } });
  });

  it('names each Pulumi stack after its tenant, with its backend', () => {
    expect(tenants.map(pulumiStackFor)).toEqual([
      { stack: 'alpha', qualifiedName: 'alpha' },
      { stack: 'beta', qualifiedName: 'beta', backendUrl: 's3://beta-iac-state/pulumi', secretsProvider: 'awskms://alias/pulumi' },
      { stack: 'gamma', qualifiedName: 'gamma-corp/okta-dynatrace-scim/gamma' },
    ]);
  });
});
