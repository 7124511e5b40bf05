/** The engine entry points named by cdktf.json and Pulumi.yaml, run as the CLIs would run them. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { TEST_TOKEN } from './support/specs';

describe('cdktf.json app', () => {
  it('synthesizes one stack per tenant into CDKTF_OUTDIR', () => {
    const config = JSON.parse(readFileSync('cdktf.json', 'utf8')) as { app: string };
    expect(config.app).toBe('npx tsx stacks/cdktf.ts');
    const outdir = mkdtempSync(join(tmpdir(), 'cdktf-app-'));
    try {
      execFileSync(process.execPath, ['--require', 'tsx/cjs', 'stacks/cdktf.ts'], { env: { ...process.env, CDKTF_OUTDIR: outdir }, stdio: 'pipe' });
      expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(['acme', 'globex', 'initech']);
      const outputs = (tenant: string) => (JSON.parse(readFileSync(join(outdir, 'stacks', tenant, 'cdk.tf.json'), 'utf8')) as { output: Record<string, { value: string }> }).output;
      expect(outputs('acme')).toEqual({
        okta_app_id: { value: '${okta_app_auto_login.dynatrace_app.id}', description: 'Id of the Okta app that provisions Dynatrace' },
        okta_app_admin_url: {
          value: 'https://acme-admin.okta.com/admin/app/${okta_app_auto_login.dynatrace_app.name}/instance/${okta_app_auto_login.dynatrace_app.id}/#tab-user-management',
          description: 'The app in the Okta admin console, on its Provisioning tab (where the console step happens)',
        },
      });
      expect(outputs('initech').okta_app_admin_url!.value).toBe('https://initech-admin.okta.com/admin/app/${data.okta_app.dynatrace_app.name}/instance/${data.okta_app.dynatrace_app.id}/#tab-user-management');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('exits 64 with the validation message, no stack trace, for a bad tenants file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdktf-bad-'));
    const file = join(dir, 'tenants.yaml');
    require('node:fs').writeFileSync(file, 'tenants:\n  - name: acme\n    okta: { orgName: acme }\n    integration: { label: x, authMode: header, scimBaseUrl: "http://x", scimToken: { env: T } }\n');
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, ['--require', 'tsx/cjs', 'stacks/cdktf.ts'], { env: { ...process.env, TENANTS_FILE: file, CDKTF_OUTDIR: dir }, stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
      stderr = String((error as { stderr: Buffer }).stderr);
    }
    expect(status).toBe(64);
    expect(stderr).toContain('integration.scimBaseUrl: must use https');
    expect(stderr).not.toMatch(/\n\s+at /);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('Pulumi.yaml program', () => {
  it('runs stacks/pulumi.ts through tsx and selects the tenant by stack name', async () => {
    const project = parse(readFileSync('Pulumi.yaml', 'utf8')) as { name: string; main: string; runtime: { options: { nodeargs: string } } };
    expect(project.main).toBe('stacks/pulumi.ts');
    expect(project.runtime.options.nodeargs).toBe('--require tsx/cjs');

    const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
    process.env.ACME_DT_SCIM_TOKEN = TEST_TOKEN;
    await pulumi.runtime.setMocks(
      {
        // As Okta does, a catalog app reports its OIN name as its `name`.
        newResource: (args) => (registered.push(args), { id: `${args.name}-id`, state: { ...args.inputs, ...(args.inputs.preconfiguredApp ? { name: args.inputs.preconfiguredApp } : {}) } }),
        call: (args) => ({ id: 'g', uuid: 'p', name: args.inputs.name }),
      },
      project.name,
      'acme',
      false,
    );
    const program = (await import('../stacks/pulumi')) as { oktaAppId: pulumi.Output<string>; oktaAppAdminUrl: pulumi.Output<string> };
    const appId = await new Promise((resolve) => program.oktaAppId.apply(resolve));
    const adminUrl = await new Promise((resolve) => program.oktaAppAdminUrl.apply(resolve));
    // Children that depend on the app id register once it resolves.
    for (let i = 0; i < 100 && !registered.some((r) => r.name === 'acme-iam-bindings-dynatrace-viewers-env-abc12345'); i += 1) await new Promise((r) => setTimeout(r, 20));
    delete process.env.ACME_DT_SCIM_TOKEN;
    expect(appId).toBe('acme-app-id');
    expect(adminUrl).toBe('https://acme-admin.okta.com/admin/app/scim2headerauth/instance/acme-app-id/#tab-user-management');
    expect(registered.find((r) => r.type === 'pulumi:providers:okta')).toMatchObject({ name: 'acme', inputs: { orgName: 'acme', baseUrl: 'okta.com' } });
    expect(registered.filter((r) => r.type.startsWith('okta:')).map((r) => r.name).sort()).toEqual([
      'acme-app',
      'acme-assignment-dynatrace-admins',
      'acme-assignment-dynatrace-viewers',
      'acme-assignment-sre-oncall',
      'acme-group-dynatrace-viewers',
      'acme-push-dynatrace-admins',
      'acme-push-dynatrace-viewers',
    ]);
    expect(registered.filter((r) => r.type.startsWith('dynatrace:') || r.type === 'pulumi:providers:dynatrace').map((r) => `${r.type} ${r.name}`)).toEqual([
      'pulumi:providers:dynatrace acme',
      'dynatrace:index/iamPolicyBindingsV2:IamPolicyBindingsV2 acme-iam-bindings-dynatrace-viewers-env-abc12345',
    ]);
  });
});
