/**
 * Changed-tenant selection (`matrix --changed-since`) on real temporary git repositories: each kind of
 * change selects exactly the tenants it should, every tenant left out says why, and a simulated
 * 1000-tenant repository stays within GitHub's matrix limit.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { batchMatrix, GITHUB_MATRIX_LIMIT } from '../operations/ci/buckets';
import { selectChangedTenants, type ChangeSelection } from '../operations/ci/changes';
import { classifyPath, OUTPUT_NEUTRAL, SHARED_INPUTS } from '../operations/ci/inputs';
import { SpecError } from '../constructs/model/errors';
import { loadTenants, parseTenants } from '../constructs/tenants/file';
import { generatedTenants, projectRepo, tenantEntry, tenantsYaml, type TempRepo } from './support/git-repo';

const BIN = join(__dirname, '..', 'bin', 'okta-dynatrace-scim.js');

function select(repo: TempRepo, ref = 'main'): ChangeSelection {
  const tenantsFile = join(repo.dir, 'tenants.yaml');
  return selectChangedTenants({ tenantsFile, ref, head: loadTenants(tenantsFile), projectDir: repo.dir });
}

const selected = (s: ChangeSelection): string[] => s.tenants.filter((t) => t.selected).map((t) => t.tenant);
const reasonsOf = (s: ChangeSelection, tenant: string): readonly string[] => s.tenants.find((t) => t.tenant === tenant)!.reasons;

describe('changed-tenant selection against a git ref', () => {
  const three = [tenantEntry('acme'), tenantEntry('globex'), tenantEntry('initech')];
  let repo: TempRepo;
  beforeEach(() => {
    repo = projectRepo(three);
    repo.git('checkout', '-q', '-b', 'feature');
  });
  afterEach(() => repo.cleanup());

  it('nothing changed: nothing planned, and every tenant says why it was left out', () => {
    const s = select(repo);
    expect(selected(s)).toEqual([]);
    expect(reasonsOf(s, 'acme')).toEqual(['unchanged since main: same resolved entry, Pulumi.acme.yaml and backend; no shared input changed']);
  });

  it('tenant edited: only that tenant, naming what changed', () => {
    repo.write('tenants.yaml', tenantsYaml([tenantEntry('acme', { integration: { ...(three[0].integration as object), label: 'Dynatrace' } }), three[1], three[2]]));
    repo.commit();
    const s = select(repo);
    expect(selected(s)).toEqual(['acme']);
    expect(reasonsOf(s, 'acme')).toEqual(['tenant entry changed (integration)']);
    expect(reasonsOf(s, 'globex')[0]).toMatch(/^unchanged since main/);
  });

  it('compares resolved tenants, not text: reordering, comments and spelled-out defaults select nothing', () => {
    const withDefault = tenantEntry('globex', { okta: { ...(three[1].okta as object), baseDomain: 'okta.com' } });
    repo.write('tenants.yaml', `# reordered and commented\n${tenantsYaml([three[2], withDefault, three[0]])}`);
    repo.commit();
    expect(selected(select(repo))).toEqual([]);
  });

  it('uncommitted edits of the working tree count (like review)', () => {
    repo.write('tenants.yaml', tenantsYaml([three[0], tenantEntry('globex', { okta: { orgName: 'globex-eu' } }), three[2]]));
    const s = select(repo);
    expect(selected(s)).toEqual(['globex']);
    expect(reasonsOf(s, 'globex')).toEqual(['tenant entry changed (okta)']);
  });

  it('tenant added: planned as new', () => {
    repo.write('tenants.yaml', tenantsYaml([...three, tenantEntry('umbrella')]));
    repo.commit();
    const s = select(repo);
    expect(selected(s)).toEqual(['umbrella']);
    expect(reasonsOf(s, 'umbrella')).toEqual(['new tenant (not in tenants.yaml at main)']);
  });

  it('tenant removed: not planned as a tenant, reported as removed with its entry as it was', () => {
    repo.write('tenants.yaml', tenantsYaml([three[0], three[2]]));
    repo.commit();
    const s = select(repo);
    expect(selected(s)).toEqual([]);
    expect(s.removed.map((r) => r.tenant)).toEqual(['globex']);
    expect(s.removed[0].entry).toEqual(three[1]);
    // The entry still validates, so its stack can be synthesized to plan the destroy.
    expect(parseTenants(tenantsYaml([s.removed[0].entry as never])).map((t) => t.name)).toEqual(['globex']);
  });

  it('backend changed: planned, named as a backend change', () => {
    repo.write('tenants.yaml', tenantsYaml([three[0], tenantEntry('globex', { backend: { terraform: { type: 's3', bucket: 'globex-state', region: 'eu-west-1' } } }), three[2]]));
    repo.commit();
    const s = select(repo);
    expect(selected(s)).toEqual(['globex']);
    expect(reasonsOf(s, 'globex')).toEqual(['backend changed (where the state lives)']);
  });

  it('Pulumi stack file changed: only that tenant', () => {
    repo.write('Pulumi.initech.yaml', 'config:\n  okta-dynatrace-scim:tenant: initech\n  okta-dynatrace-scim:dynatraceScimToken:\n    secure: v1:abc\n');
    repo.commit();
    const s = select(repo);
    expect(selected(s)).toEqual(['initech']);
    expect(reasonsOf(s, 'initech')).toEqual(['Pulumi.initech.yaml changed']);
  });

  it('shared code changed: every tenant, naming the path', () => {
    repo.write('constructs/cdktf/okta-provider.ts', "export const VERSION = '~> 7.1';\n");
    repo.commit();
    const s = select(repo);
    expect(selected(s)).toEqual(['acme', 'globex', 'initech']);
    expect(reasonsOf(s, 'acme')).toEqual(['shared input changed: constructs/cdktf/okta-provider.ts']);
    expect(s.shared).toEqual([{ path: 'constructs/cdktf/okta-provider.ts', why: expect.stringContaining('provider pin') }]);
  });

  it('provider pin in the lock file changed: every tenant', () => {
    repo.write('package-lock.json', '{ "lockfileVersion": 3, "packages": { "node_modules/@pulumi/okta": { "version": "7.0.1" } } }\n');
    repo.commit();
    expect(selected(select(repo))).toEqual(['acme', 'globex', 'initech']);
  });

  it('documentation only: nothing planned; an unknown file counts as shared (fail-safe)', () => {
    repo.write('docs/day-2.md', '# Day 2, edited\n');
    repo.write('README.md', '# readme\n');
    repo.commit();
    const docs = select(repo);
    expect(selected(docs)).toEqual([]);
    expect(docs.neutral.map((c) => c.path).sort()).toEqual(['README.md', 'docs/day-2.md']);
    repo.write('lib/helper.ts', 'export {};\n');
    repo.commit();
    const unknown = select(repo);
    expect(selected(unknown)).toEqual(['acme', 'globex', 'initech']);
    expect(unknown.shared).toEqual([{ path: 'lib/helper.ts', why: 'not known to leave the synthesized stacks alone, so it counts as shared' }]);
  });

  it('a base tenants file that no longer validates plans every tenant, saying so', () => {
    repo.git('checkout', '-q', 'main');
    repo.write('tenants.yaml', 'tenants:\n  - name: acme\n    okta: { orgName: acme }\n    integration: { label: x, authMode: header }\n');
    repo.commit('broken base');
    repo.git('checkout', '-q', '-b', 'fix');
    repo.write('tenants.yaml', tenantsYaml(three));
    repo.commit();
    const s = select(repo);
    expect(selected(s)).toEqual(['acme', 'globex', 'initech']);
    expect(reasonsOf(s, 'acme')[0]).toMatch(/tenants\.yaml at main does not validate with the current model, so every tenant is planned/);
  });

  it('a ref that is not a commit is invalid input naming --changed-since', () => {
    expect(() => select(repo, 'no-such-branch')).toThrow(SpecError);
    expect(() => select(repo, 'no-such-branch')).toThrow(/--changed-since: "no-such-branch" is not a commit in this repository/);
  });

  it('the CLI prints the batched matrix on stdout, the reasons on stderr, the report and the removed entries as files', () => {
    repo.write('tenants.yaml', tenantsYaml([tenantEntry('acme', { integration: { ...(three[0].integration as object), label: 'Edited' } }), three[2]]));
    repo.commit();
    const result = spawnSync(process.execPath, [BIN, 'matrix', '--changed-since', 'main', '--report', 'selection.json', '--removed-out', 'removed.yaml'], { cwd: repo.dir, encoding: 'utf8' });
    expect(result.status).toBe(0);
    // The removed tenant's bucket comes last, marked for a destroy plan.
    expect(JSON.parse(result.stdout)).toEqual({ include: [{ bucket: '45', tenants: 'acme', label: 'acme' }, { bucket: '13', tenants: 'globex', label: 'globex', removed: true }] });
    expect(result.stderr).toContain('1 of 2 tenants planned (changed since main) in 2 jobs; 1 left out; 1 removed.');
    expect(result.stderr).toMatch(/left out initech \[bucket \d\d\]: unchanged since main/);
    expect(result.stderr).toMatch(/removed {2}globex .*apply never destroys it/);
    const report = JSON.parse(readFileSync(join(repo.dir, 'selection.json'), 'utf8'));
    expect(report.tenants.map((t: { tenant: string; selected: boolean }) => [t.tenant, t.selected])).toEqual([['acme', true], ['initech', false]]);
    expect(report.removed).toEqual([{ tenant: 'globex', bucket: expect.any(String) }]);
    expect((parse(readFileSync(join(repo.dir, 'removed.yaml'), 'utf8')) as { tenants: unknown[] }).tenants).toEqual([three[1]]);
  });
});

describe('matrix --changed-since --tenant', () => {
  it('restricts the selection to the named tenants; the others are not mistaken for removed ones', () => {
    const repo = projectRepo([tenantEntry('acme'), tenantEntry('globex')]);
    try {
      repo.write('tenants.yaml', tenantsYaml([tenantEntry('acme', { okta: { orgName: 'acme-eu' } }), tenantEntry('globex')]));
      repo.commit();
      const only = (name: string) => spawnSync(process.execPath, [BIN, 'matrix', '--changed-since', 'HEAD~1', '--tenant', name, '--removed-out', 'removed.yaml'], { cwd: repo.dir, encoding: 'utf8' });
      const globex = only('globex');
      expect(globex.status).toBe(0);
      expect(JSON.parse(globex.stdout)).toEqual({ include: [] });
      expect(globex.stderr).toContain('0 of 1 tenant planned (changed since HEAD~1) in 0 jobs; 1 left out; 0 removed.');
      expect(JSON.parse(only('acme').stdout)).toEqual({ include: [{ bucket: '45', tenants: 'acme', label: 'acme' }] });
    } finally {
      repo.cleanup();
    }
  });
});

describe('a simulated repository with 1000 tenants', () => {
  let repo: TempRepo;
  const tenants = generatedTenants(1000);
  beforeAll(() => {
    repo = projectRepo(tenants);
    repo.git('checkout', '-q', '-b', 'feature');
  });
  afterAll(() => repo.cleanup());
  afterEach(() => {
    repo.git('reset', '-q', '--hard', 'main');
  });

  it('a one-tenant change yields a one-tenant, one-job matrix', () => {
    const edited = tenants.map((t) => (t.name === 'tenant-0500' ? tenantEntry(t.name, { okta: { orgName: 'renamed-org' } }) : t));
    repo.write('tenants.yaml', tenantsYaml(edited));
    repo.commit();
    const started = process.hrtime.bigint();
    const s = select(repo);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(selected(s)).toEqual(['tenant-0500']);
    expect(batchMatrix(selected(s)).include).toEqual([{ bucket: expect.any(String), tenants: 'tenant-0500', label: 'tenant-0500' }]);
    expect(s.tenants.filter((t) => !t.selected)).toHaveLength(999);
    process.stdout.write(`selection of 1000 tenants (tenants file changed): ${ms.toFixed(0)} ms\n`);
  });

  it('a provider-pin change yields every tenant, in at most 256 jobs', () => {
    repo.write('constructs/cdktf/okta-provider.ts', "export const VERSION = '~> 7.1';\n");
    repo.commit();
    const s = select(repo);
    expect(selected(s)).toHaveLength(1000);
    const matrix = batchMatrix(selected(s));
    expect(matrix.include.length).toBeLessThanOrEqual(GITHUB_MATRIX_LIMIT);
    expect(matrix.include.flatMap((e) => e.tenants.split(' ')).sort()).toEqual(tenants.map((t) => t.name));
  });
});

describe('the input rules', () => {
  const layout = { tenantsFile: 'tenants.yaml', stackFileDir: '' };

  it('classify each kind of path, shared before neutral, unknown as shared', () => {
    expect(classifyPath('tenants.yaml', layout)).toEqual({ kind: 'tenants-file' });
    expect(classifyPath('Pulumi.acme.yaml', layout)).toEqual({ kind: 'stack-file', tenant: 'acme' });
    expect(classifyPath('Pulumi.yaml', layout).kind).toBe('shared');
    expect(classifyPath('operations/review/README.md', layout).kind).toBe('shared');
    expect(classifyPath('docs/verify.md', layout).kind).toBe('neutral');
    expect(classifyPath('scripts/new-generator.ts', layout).kind).toBe('shared');
    expect(classifyPath('config/Pulumi.acme.yaml', { tenantsFile: 'config/tenants.yaml', stackFileDir: 'config' })).toEqual({ kind: 'stack-file', tenant: 'acme' });
  });

  it('are the lists docs/day-2.md prints', () => {
    const doc = readFileSync('docs/day-2.md', 'utf8');
    for (const rule of [...SHARED_INPUTS, ...OUTPUT_NEUTRAL]) expect(doc).toContain(`\`${rule.pattern}\``);
  });
});
