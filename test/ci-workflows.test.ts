/**
 * `workflows`: the generated bucket jobs follow the tenants file — a new tenant's secrets are mapped in
 * its bucket's job only, `--check` fails while one is not, a tenant's removal leaves a note (its destroy
 * plan still uses them) — and the committed workflows are exactly what the command writes.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { run } from '../cli/main';
import { loadTenants, parseTenants } from '../constructs/tenants/file';
import { bucketJobs, mappedSecrets, renderWorkflow, WORKFLOW_FILES } from '../operations/ci/workflows';
import { generatedTenants, tenantEntry, tenantsYaml } from './support/git-repo';

describe('the committed workflows', () => {
  it.each(Object.entries(WORKFLOW_FILES))('%s is exactly what `workflows` writes for tenants.yaml', (kind, file) => {
    const text = readFileSync(`.github/workflows/${file}`, 'utf8');
    expect(renderWorkflow(kind as keyof typeof WORKFLOW_FILES, text, loadTenants('tenants.yaml'))).toBe(text);
  });
});

describe('workflows (CLI)', () => {
  let dir: string;
  let out: string;
  const io = () => {
    const sink = new Writable({ write(chunk, _e, done) { out += String(chunk); done(); } });
    return { stdout: sink, stderr: sink, env: {} };
  };
  const workflows = (...args: string[]) => run(['workflows', '--tenants', join(dir, 'tenants.yaml'), '--workflows-dir', join(dir, 'workflows'), ...args], io());

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'workflows-'));
    cpSync('.github/workflows', join(dir, 'workflows'), { recursive: true });
    writeFileSync(join(dir, 'tenants.yaml'), readFileSync('tenants.yaml', 'utf8'));
    out = '';
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a new tenant: --check fails naming the missing job and secrets, the command maps them in its bucket\'s job only', async () => {
    const tenants = readFileSync('tenants.yaml', 'utf8');
    writeFileSync(join(dir, 'tenants.yaml'), `${tenants}\n${tenantsYaml([tenantEntry('hooli')]).replace(/^tenants:\n/, '')}`);
    expect(await workflows('--check')).toBe(1);
    expect(out).toContain(`${join(dir, 'workflows', 'plan.yml')}: no job plan-`);
    expect(out).toContain('Fix: run `npx okta-dynatrace-scim workflows` and commit the workflow files');
    expect(await workflows()).toBe(0);
    const apply = mappedSecrets(readFileSync(join(dir, 'workflows', 'apply.yml'), 'utf8'));
    const hooli = bucketJobs('apply', parseTenants(readFileSync(join(dir, 'tenants.yaml'), 'utf8'))).find((job) => job.tenants.includes('hooli'))!;
    expect(apply.get(hooli.id)).toEqual(expect.arrayContaining(['HOOLI_DT_SCIM_TOKEN', 'HOOLI_OKTA_API_TOKEN'].filter((name) => hooli.secrets.includes(name))));
    for (const [id, names] of apply) if (id !== hooli.id) expect(names.some((name) => name.startsWith('HOOLI_'))).toBe(false);
    out = '';
    expect(await workflows('--check')).toBe(0);
    expect(out).toContain("every tenant's secrets are mapped by its bucket's job");
  });

  it('a removed tenant: --check passes with a note (its destroy plan still needs them) until the command drops them', async () => {
    const text = readFileSync('tenants.yaml', 'utf8');
    const withoutInitech = text.slice(0, text.indexOf('  # SCIM added to the app that already does Dynatrace SSO'));
    writeFileSync(join(dir, 'tenants.yaml'), withoutInitech);
    expect(await workflows('--check')).toBe(0);
    expect(out).toContain('is for tenants no longer in');
    expect(await workflows()).toBe(0);
    expect(readFileSync(join(dir, 'workflows', 'plan.yml'), 'utf8')).not.toContain('INITECH_');
  });
});

describe('at scale', () => {
  it('2,000 tenants: at most 64 jobs per workflow, each mapping only its own tenants\' secrets', () => {
    const tenants = parseTenants(tenantsYaml(generatedTenants(2000)));
    const jobs = bucketJobs('apply', tenants);
    expect(jobs.length).toBe(64);
    for (const job of jobs) expect(job.secrets).toEqual(job.tenants.flatMap((t) => [`${t.toUpperCase().replace(/-/g, '_')}_OKTA_API_TOKEN`]).sort());
    const text = renderWorkflow('apply', readFileSync('.github/workflows/apply.yml', 'utf8'), tenants);
    // Every secret reference is literal and on its own line: ~40 characters a name.
    expect(mappedSecrets(text).size).toBe(64);
    expect(text.length).toBeLessThan(400_000);
  });
});
