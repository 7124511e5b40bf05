/**
 * The benchmark compares like with like: for generated tenants, ours and the hand-written baselines
 * produce the same Terraform objects (addresses and attributes) and the same Pulumi resources (type,
 * name, inputs). Not a timing test. And `--write` replaces only the generated tables.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTenants, toSpec } from '../bench/generate';
import * as cdktfBaseline from '../bench/cdktf-baseline';
import * as cdktfOurs from '../bench/cdktf-ours';
import * as pulumiBaseline from '../bench/pulumi-baseline';
import * as pulumiOurs from '../bench/pulumi-ours';
import { type BenchResults, END, renderDocsBlock, renderReadmeBlock, replaceBetweenMarkers, RESULTS_FILE, START } from '../bench/report';
import { resolveTenant } from '../constructs/model/tenant';
import { usesDynatrace } from '../constructs/resources/plan';
import type { RegisteredResource } from '../constructs/pulumi/offline';

const N = 30;

describe('bench generator', () => {
  it('is deterministic and every tenant is valid for the model', () => {
    const tenants = generateTenants(200);
    expect(generateTenants(200)).toEqual(tenants);
    expect(() => tenants.map((tenant) => resolveTenant(toSpec(tenant)))).not.toThrow();
  });

  it('takes every path of the model: both test apps and sign-on modes, the SSO app by id and label, every provisioning setup and stage, every group kind, pushes and Dynatrace policies', () => {
    const tenants = generateTenants(200);
    const catalog = tenants.flatMap((t) => ('authMode' in t.integration ? [t.integration] : []));
    const sso = tenants.flatMap((t) => ('ssoApp' in t.integration ? [t.integration.ssoApp] : []));
    const groups = tenants.flatMap((t) => t.integration.groups);
    const policies = groups.flatMap((g) => g.policies ?? []);
    expect(new Set(catalog.map((i) => i.authMode))).toEqual(new Set(['header', 'oauthBearer']));
    expect(new Set(catalog.map((i) => i.signOn))).toEqual(new Set(['autoLogin', 'saml']));
    expect(new Set(sso.map((app) => Object.keys(app).join()))).toEqual(new Set(['id', 'label']));
    expect(new Set(tenants.map((t) => `${t.integration.provisioning.setup}/${t.integration.provisioning.enabled ?? '-'}`))).toEqual(new Set(['api/-', 'console/true', 'console/false']));
    expect(new Set(tenants.map((t) => t.integration.groups.length))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    expect(new Set(groups.map((g) => g.kind))).toEqual(new Set(['id', 'lookup', 'create']));
    expect(groups.some((g) => g.push)).toBe(true);
    expect(groups.some((g) => g.priority !== undefined)).toBe(true);
    expect(new Set(policies.map((p) => `${p.uuid ? 'uuid' : (p.definedIn ?? 'global')}/${p.account ? 'account' : 'environment'}`))).toEqual(new Set(['global/environment', 'account/environment', 'environment/environment', 'uuid/account', 'global/account']));
    expect(policies.some((p) => p.parameters) && policies.some((p) => p.boundaries)).toBe(true);
    // Rendered, not only declared: some tenants bind policies at stage 2, on both app paths.
    const resolved = tenants.map((tenant) => resolveTenant(toSpec(tenant)));
    expect(new Set(resolved.filter((t) => usesDynatrace(t.integration)).map((t) => t.integration.app.type))).toEqual(new Set(['catalog', 'sso']));
  });
});

/** Terraform JSON of every stack, without CDKTF's `//` metadata (construct paths differ by design). */
function synthesized(outdir: string, stacks: readonly string[]): Record<string, unknown> {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== '//').map(([key, inner]) => [key, strip(inner)]));
  };
  return Object.fromEntries(stacks.map((stack) => [stack, strip(JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')))]));
}

describe('bench baselines render the same resources as ours', () => {
  // Enough tenants to take every path (the assertions below check that they did).
  const tenants = generateTenants(N);

  it('CDKTF: same Terraform JSON (addresses, attributes, variable, provider)', () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'bench-test-ours-')), mkdtempSync(join(tmpdir(), 'bench-test-base-'))];
    try {
      cdktfOurs.buildApp(cdktfOurs.resolveAll(tenants.map(toSpec)), dirs[0]!).synth();
      cdktfBaseline.buildApp(tenants, dirs[1]!).synth();
      const names = tenants.map((t) => t.name);
      const ours = synthesized(dirs[0]!, names);
      const baseline = synthesized(dirs[1]!, names);
      expect(baseline).toEqual(ours);
      // The comparison is not vacuous: the stacks hold every path (test app, SSO app, API path, Dynatrace bindings).
      const all = JSON.stringify(ours);
      for (const fragment of ['okta_app_connection', 'okta_app_group_assignment', 'dynatrace_scim_token', 'lifecycle', '"okta_app":', 'dynatrace_iam_policy_bindings_v2', 'dynatrace_iam_policy"']) expect(all).toContain(fragment);
    } finally {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Pulumi: same type, name and inputs for every resource and invoke', async () => {
    const key = (r: RegisteredResource) => `${r.type} ${r.name}`;
    const ours = await pulumiOurs.render(pulumiOurs.resolveAll(tenants.map(toSpec)), 'bench-token');
    const baseline = await pulumiBaseline.render(tenants, 'bench-token');
    // Ours adds one component per tenant (the model's grouping); everything inside it must match.
    const oursResources = ours.run.resources.filter((r) => !r.type.startsWith('okta-dynatrace-scim:'));
    expect(ours.run.resources.length - oursResources.length).toBe(tenants.length);
    const byKey = (list: RegisteredResource[]) => Object.fromEntries(list.map((r) => [key(r), r.inputs]));
    expect(byKey(baseline.run.resources)).toEqual(byKey(oursResources));
    expect(baseline.run.resources.length).toBe(oursResources.length);
    const invokes = (run: typeof ours.run) => run.invokes.map((i) => JSON.stringify(i)).sort();
    expect(invokes(baseline.run)).toEqual(invokes(ours.run));
    expect(oursResources.map((r) => r.type)).toEqual(expect.arrayContaining(['pulumi:providers:okta', 'okta:app/connection:Connection', 'okta:app/groupAssignment:GroupAssignment', 'pulumi:providers:dynatrace', 'dynatrace:index/iamPolicyBindingsV2:IamPolicyBindingsV2']));
    expect(ours.run.invokes.map((i) => i.token)).toEqual(expect.arrayContaining(['okta:app/getApp:getApp', 'dynatrace:index/getIamGroup:getIamGroup', 'dynatrace:index/getIamPolicy:getIamPolicy']));
  });
});

describe('npm run bench -- --write', () => {
  const block = '| generated | table |';

  it('replaces only what lies between the markers, keeping the rest byte for byte', () => {
    const text = `# Title\n\nProse before.\n\n${START}\nold table\nold line\n${END}\n\nProse after, with ${'<!-- other -->'}.\n`;
    const updated = replaceBetweenMarkers(text, block);
    expect(updated).toBe(`# Title\n\nProse before.\n\n${START}\n${block}\n${END}\n\nProse after, with <!-- other -->.\n`);
    expect(replaceBetweenMarkers(updated, block)).toBe(updated);
  });

  it('refuses a file without exactly one start marker followed by one end marker', () => {
    for (const text of ['no markers', `${END}\n${START}`, `${START}\n${START}\n${END}`, `${START}\n${END}\n${END}`, `${START} only`]) {
      expect(() => replaceBetweenMarkers(text, block, 'README.md')).toThrow('README.md: expected one "<!-- bench:start -->" followed by one "<!-- bench:end -->"');
    }
  });

  it('the README and docs/benchmark.md carry the markers', () => {
    for (const file of ['README.md', 'docs/benchmark.md']) expect(() => replaceBetweenMarkers(readFileSync(file, 'utf8'), block, file)).not.toThrow();
  });

  it('their tables are rendered from the committed raw results, which name the commit and the machine they came from', () => {
    const results = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as BenchResults;
    expect(results.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(results.machine).toEqual({ cpu: expect.any(String), cores: expect.any(Number), memoryGb: expect.any(Number), os: expect.any(String), node: expect.stringMatching(/^v\d+\./) });
    expect(results.command).toMatch(/^npm run bench/);
    for (const [file, rendered] of [['docs/benchmark.md', renderDocsBlock(results)], ['README.md', renderReadmeBlock(results)]] as const) {
      const text = readFileSync(file, 'utf8');
      expect(replaceBetweenMarkers(text, rendered, file)).toBe(text);
      expect(rendered).toContain(`commit ${results.commit.slice(0, 7)}`);
    }
  });
});
