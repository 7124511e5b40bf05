/**
 * The main job's Pulumi report, rendered by worker threads (operations/synth/pulumi-report.ts): the same lines as
 * rendering in this thread and as one program holding every tenant (how the report was built before),
 * errors surfacing as they would in this thread, and no secret reaching the workers or their output.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { SpecError } from '../constructs/model/errors';
import type { ResolvedTenant } from '../constructs/model/tenant';
import { tenantProgram } from '../constructs/pulumi/tenant-program';
import { parseTenants } from '../constructs/tenants/file';
import { runOffline } from '../constructs/pulumi/offline';
import { preparePulumiWorker, renderPulumiReport, reportLines, type PulumiReport } from '../operations/synth/pulumi-report';
import { synthesizeTenants } from '../operations/synth/synth';
import { TEST_TOKEN } from './support/specs';

const ROOT = resolve(__dirname, '..');
const ADOPTED_APP = '0oa1existing00000000';

/**
 * The example tenants (header + autoLogin with groups of every kind; oauthBearer + SAML + manual) plus
 * variants derived from them: an adopted app, SAML with header auth, oauthBearer with autoLogin.
 */
function mixedTenantsText(): string {
  const file = parse(readFileSync(join(ROOT, 'tenants.yaml'), 'utf8')) as { tenants: { name: string; integration: Record<string, unknown> }[] };
  const [acme, globex] = file.tenants as [(typeof file.tenants)[0], (typeof file.tenants)[0]];
  const byId = (acme.integration.groups as { id?: string }[]).filter((group) => group.id);
  file.tenants.push(
    { ...acme, name: 'acme-adopted', integration: { ...acme.integration, existingAppId: ADOPTED_APP, groups: byId } },
    { ...globex, name: 'globex-header', integration: { ...globex.integration, authMode: 'header' } },
    { ...acme, name: 'acme-oauth', integration: { ...acme.integration, authMode: 'oauthBearer' } },
  );
  return stringify(file);
}

/** How the report was built before the workers: one program registering every tenant at once. */
async function renderAsOneProgram(tenants: readonly ResolvedTenant[]): Promise<PulumiReport> {
  let components: ReturnType<typeof tenantProgram>[] = [];
  const run = await runOffline(() => (components = tenants.map((tenant) => tenantProgram(tenant, { scimTokenValue: 'offline-placeholder' }))));
  return new Map(tenants.map((tenant, index) => [tenant.name, reportLines(tenant.name, components[index]!.plan, run.resources)]));
}

/** A tenant the Pulumi renderer rejects with a SpecError: its integration re-validates and fails. */
function invalidTenant(tenant: ResolvedTenant, name: string, label: string): ResolvedTenant {
  return { ...tenant, name, integration: { ...tenant.integration, resolved: false, label } as unknown as ResolvedTenant['integration'] };
}

describe('Pulumi report rendered by worker threads', () => {
  const tenants = parseTenants(mixedTenantsText(), 'mixed.yaml');
  let inWorkers: PulumiReport;
  let inThisThread: PulumiReport;

  beforeAll(async () => {
    // Two workers: one started ahead (as `synth` does while parsing the tenants file), one spawned.
    [inWorkers, inThisThread] = await Promise.all([renderPulumiReport(tenants, { workers: 2, prepared: preparePulumiWorker() }), renderPulumiReport(tenants, { workers: 0 })]);
  });

  it('yields exactly the lines of rendering in this thread and of one program holding every tenant', async () => {
    expect([...inWorkers.keys()]).toEqual(tenants.map((tenant) => tenant.name));
    expect(inWorkers).toEqual(inThisThread);
    expect(inWorkers).toEqual(await renderAsOneProgram(tenants));
  });

  it('lists real registrations: resource types, names, import ids and lookups', () => {
    const all = [...inWorkers.values()].flat();
    expect(all).toEqual(expect.arrayContaining(['okta:app/autoLogin:AutoLogin acme-app', 'okta:app/saml:Saml globex-app', 'okta:group/getGroup:getGroup (name "Observability Team", type "OKTA_GROUP")', 'okta:app/getApp:getApp (label "Dynatrace SSO")', 'dynatrace:index/iamPolicyBindingsV2:IamPolicyBindingsV2 acme-iam-bindings-dynatrace-viewers-env-abc12345']));
    expect(inWorkers.get('acme-adopted')).toContain(`okta:app/autoLogin:AutoLogin acme-adopted-app (import ${ADOPTED_APP})`);
    for (const lines of inWorkers.values()) expect(lines.length).toBeGreaterThan(0);
  });

  it('surfaces a validation error as the same SpecError, the first failing tenant in file order', async () => {
    const broken = [tenants[0]!, invalidTenant(tenants[1]!, 'broken-first', ''), tenants[2]!, invalidTenant(tenants[3]!, 'broken-second', 'x'.repeat(500)), tenants[4]!];
    const expected = await renderPulumiReport(broken, { workers: 0 }).catch((error: unknown) => error);
    expect(expected).toBeInstanceOf(SpecError);
    expect((expected as SpecError).message).toContain('tenant "broken-first"');
    const fromWorkers = await renderPulumiReport(broken, { workers: 2 }).catch((error: unknown) => error);
    expect(fromWorkers).toBeInstanceOf(SpecError);
    expect(fromWorkers).toMatchObject({ name: 'SpecError', message: (expected as SpecError).message, issues: (expected as SpecError).issues, tenant: 'broken-first' });
  });

  it('surfaces an unexpected error with its message and rejects instead of hanging', async () => {
    const crashing = { ...tenants[0]!, okta: undefined } as unknown as ResolvedTenant;
    const error = await renderPulumiReport([tenants[1]!, crashing], { workers: 2 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(SpecError);
    expect(error).toMatchObject({ name: 'TypeError', message: expect.stringContaining("reading 'orgName'") });
  });

  it('stops the workers when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = renderPulumiReport(tenants, { workers: 2, signal: controller.signal });
    controller.abort(new Error('CDKTF failed'));
    await expect(pending).rejects.toThrow('CDKTF failed');
  });

  it('main job: a CDKTF failure stops the Pulumi workers and surfaces the SpecError', async () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'pulumi-report-')), 'cdktf.out');
    try {
      await expect(synthesizeTenants([tenants[0]!, invalidTenant(tenants[1]!, 'broken', '')], { outdir })).rejects.toMatchObject({ name: 'SpecError', message: expect.stringContaining('tenant "broken"') });
    } finally {
      rmSync(join(outdir, '..'), { recursive: true, force: true });
    }
  });
});

describe('no secret reaches the workers or anything the main job writes', () => {
  function filesUnder(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
  }

  it('synth as users run it, every secret variable set to the sentinel: no output stream and no file holds it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulumi-report-secrets-'));
    try {
      // A looked-up group under an adopted app makes the worker print a Pulumi warning: its output is captured too.
      const text = mixedTenantsText();
      const file = parse(text) as { tenants: { name: string; integration: { groups: unknown[] } }[] };
      file.tenants.find((tenant) => tenant.name === 'acme-adopted')!.integration.groups.push({ name: 'Looked Up' });
      writeFileSync(join(dir, 'tenants.yaml'), stringify(file));
      copyFileSync(join(ROOT, 'Pulumi.yaml'), join(dir, 'Pulumi.yaml'));
      const secrets = Object.fromEntries(
        [...text.matchAll(/env: (\w+)/g)].map((match) => [match[1]!, `Bearer ${TEST_TOKEN}`]).concat([['OKTA_API_TOKEN', TEST_TOKEN], ['TF_VAR_dynatrace_scim_token', TEST_TOKEN]]),
      );
      const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'okta-dynatrace-scim.js'), 'synth', '--synth-dir', 'cdktf.out'], { cwd: dir, env: { ...process.env, ...secrets }, encoding: 'utf8' });
      expect({ status: result.status, stderr: result.stderr }).toMatchObject({ status: 0 });
      expect(result.stdout).toContain('okta:app/saml:Saml globex-header-app');
      expect(result.stderr).toContain('cannot import an assignment of a group found by name');
      expect(result.stdout + result.stderr).not.toContain(TEST_TOKEN);
      const files = filesUnder(dir);
      expect(files.some((path) => path.endsWith('cdk.tf.json'))).toBe(true);
      for (const path of files) expect({ path, leaked: readFileSync(path, 'utf8').includes(TEST_TOKEN) }).toEqual({ path, leaked: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
