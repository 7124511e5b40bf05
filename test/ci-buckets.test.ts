/**
 * Any tenant count fits GitHub's 256-job matrix: tenants are batched into stable buckets, every tenant
 * lands in exactly one job, and a tenant's bucket never depends on the other tenants (so the apply
 * concurrency group `apply-bucket-<n>` always serializes it).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { batchMatrix, BUCKETS, bucketId, bucketOf, GITHUB_MATRIX_LIMIT, type BatchMatrix } from '../operations/ci/buckets';
import { tenantJob } from '../operations/ci/tenant-job';
import { loadTenants } from '../constructs/tenants/file';
import { runMatrix } from '../cli/commands/matrix';
import { generatedTenants, tenantsYaml } from './support/git-repo';

function matrixOf(file: string): { matrix: BatchMatrix; ms: number } {
  let out = '';
  const sink = (write: (s: string) => void) => new Writable({ write(c, _e, d) { write(String(c)); d(); } });
  const started = process.hrtime.bigint();
  const code = runMatrix({ tenants: file }, { stdout: sink((s) => (out += s)), stderr: sink(() => undefined), env: {} });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  expect(code).toBe(0);
  return { matrix: JSON.parse(out) as BatchMatrix, ms };
}

const tenantsOf = (matrix: BatchMatrix): string[] => matrix.include.flatMap((entry) => entry.tenants.split(' '));

describe('a generated 2000-tenant file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'buckets-'));
  const tenants = generatedTenants(2000);
  const file = join(dir, 'tenants.yaml');
  writeFileSync(file, tenantsYaml(tenants));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fits in at most 256 jobs, with every tenant exactly once', () => {
    const { matrix, ms } = matrixOf(file);
    expect(matrix.include.length).toBeLessThanOrEqual(GITHUB_MATRIX_LIMIT);
    expect(matrix.include.length).toBe(BUCKETS);
    const listed = tenantsOf(matrix);
    expect(listed).toHaveLength(2000);
    expect(new Set(listed).size).toBe(2000);
    expect([...listed].sort()).toEqual(tenants.map((t) => t.name));
    // Entries hold validated names only: a two-digit bucket and tenant names.
    for (const entry of matrix.include) {
      expect(Object.keys(entry).sort()).toEqual(['bucket', 'label', 'tenants']);
      expect(entry.bucket).toMatch(/^\d\d$/);
      expect(entry.tenants).toMatch(/^[a-z][a-z0-9-]*[a-z0-9]( [a-z][a-z0-9-]*[a-z0-9])*$/);
      expect(entry.label).toBe(`${entry.tenants.split(' ')[0]} +${entry.tenants.split(' ').length - 1}`);
    }
    const sizes = matrix.include.map((e) => e.tenants.split(' ').length);
    process.stdout.write(`matrix for 2000 tenants: ${ms.toFixed(0)} ms (load + validate + batch), ${matrix.include.length} jobs, ${Math.min(...sizes)}-${Math.max(...sizes)} tenants per job\n`);
  });

  it('keeps every tenant in its bucket when the file is reordered, cut or grown', () => {
    const { matrix: full } = matrixOf(file);
    const bucketByTenant = new Map(full.include.flatMap((e) => e.tenants.split(' ').map((t) => [t, e.bucket] as const)));
    const other = join(dir, 'other.yaml');
    writeFileSync(other, tenantsYaml([...generatedTenants(2500)].reverse().filter((_, i) => i % 3 !== 0)));
    const { matrix: regrouped } = matrixOf(other);
    for (const entry of regrouped.include) {
      for (const tenant of entry.tenants.split(' ')) if (bucketByTenant.has(tenant)) expect([tenant, entry.bucket]).toEqual([tenant, bucketByTenant.get(tenant)]);
    }
  });
});

describe('bucket assignment', () => {
  it('is SHA-256 of the name, pinned: changing it would let two applies of one tenant overlap during the switch', () => {
    expect([bucketOf('acme'), bucketOf('globex'), bucketOf('initech'), bucketOf('tenant-0001')]).toEqual([45, 13, 2, 27]);
    expect(bucketId(2)).toBe('02');
  });

  it('never exceeds the matrix limit, whatever the tenant count', () => {
    expect(BUCKETS).toBeLessThanOrEqual(GITHUB_MATRIX_LIMIT);
    expect(batchMatrix([])).toEqual({ include: [] });
    expect(batchMatrix(['globex', 'acme', 'tenant-0001', 'initech']).include).toEqual([
      { bucket: '02', tenants: 'initech', label: 'initech' },
      { bucket: '13', tenants: 'globex', label: 'globex' },
      { bucket: '27', tenants: 'tenant-0001', label: 'tenant-0001' },
      { bucket: '45', tenants: 'acme', label: 'acme' },
    ]);
    const crowded = Array.from({ length: 200 }, (_, i) => `t${i}x`).filter((name) => bucketOf(name) === 45);
    expect(batchMatrix(['acme', ...crowded]).include).toEqual([{ bucket: '45', tenants: ['acme', ...crowded].join(' '), label: `acme +${crowded.length}` }]);
  });
});

describe('what a job knows about each tenant of its batch', () => {
  it('stack folder, backend, Pulumi stack and the names of its secrets, never values', () => {
    const [alpha, beta, gamma] = loadTenants('test/fixtures/three-tenants.yaml').map((t) => tenantJob(t, 'build'));
    expect(beta).toEqual({
      tenant: 'beta',
      stackDir: 'build/stacks/beta',
      terraformBackend: 's3',
      persistentState: true,
      pulumiStack: 'beta',
      pulumiBackendUrl: 's3://beta-iac-state/pulumi',
      pulumiSecretsProvider: 'awskms://alias/pulumi',
      scimTokenEnv: 'BETA_DT_SCIM_TOKEN',
      scimTokenPulumiConfig: '',
      needsScimToken: true,
      dynatraceClientIdEnv: '',
      dynatraceClientIdPulumiConfig: '',
      dynatraceClientSecretEnv: '',
      dynatraceClientSecretPulumiConfig: '',
      needsDynatraceClient: false,
    });
    expect(alpha).toMatchObject({ persistentState: false });
    expect(gamma).toMatchObject({ terraformBackend: 'cloud', pulumiStack: 'gamma-corp/okta-dynatrace-scim/gamma' });
  });

  it('needs the SCIM token only on the API path, and the Dynatrace OAuth client only when the stack binds policies', () => {
    const [acme, globex, initech] = loadTenants('tenants.yaml').map((t) => tenantJob(t, 'cdktf.out'));
    expect([acme!.needsScimToken, globex!.needsScimToken, initech!.needsScimToken]).toEqual([false, true, false]);
    expect([acme!.needsDynatraceClient, globex!.needsDynatraceClient, initech!.needsDynatraceClient]).toEqual([true, false, false]);
    expect(acme).toMatchObject({ dynatraceClientIdEnv: 'ACME_DT_CLIENT_ID', dynatraceClientSecretEnv: 'ACME_DT_CLIENT_SECRET', dynatraceClientIdPulumiConfig: 'dynatraceClientId' });
  });
});
