/**
 * `trust`: which pull requests plan with the read credentials at once and which wait for a maintainer,
 * decided in a real git repository from the base commit and the pull request's commit, reading the pull
 * request's files from git objects only.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { EXIT, run } from '../cli/main';
import { projectRepo, tenantEntry, tenantsYaml, type TempRepo } from './support/git-repo';

describe('trust: does a pull request wait for a maintainer before it plans with credentials?', () => {
  let repo: TempRepo;
  let base: string;
  let out: string;
  let outputFile: string;

  beforeEach(() => {
    repo = projectRepo([tenantEntry('acme'), tenantEntry('globex')]);
    base = repo.git('rev-parse', 'HEAD').trim();
    outputFile = join(mkdtempSync(join(tmpdir(), 'trust-out-')), 'github-output');
    writeFileSync(outputFile, '');
    out = '';
  });
  afterEach(() => repo.cleanup());

  const decide = async (head: string, sameRepository = true): Promise<{ approval: string; text: string }> => {
    const sink = new Writable({ write(chunk, _e, done) { out += String(chunk); done(); } });
    const code = await run(['trust', '--repo', repo.dir, '--base', base, '--head', head, '--same-repository', String(sameRepository), '--github-output', outputFile], { stdout: sink, stderr: sink, env: {} });
    expect(code).toBe(0);
    const approval = /^approval=(.*)$/m.exec(readFileSync(outputFile, 'utf8'))![1];
    writeFileSync(outputFile, '');
    return { approval, text: out };
  };
  const tenantsWith = (edit: (entries: ReturnType<typeof tenantEntry>[]) => void): string => {
    const entries = [tenantEntry('acme'), tenantEntry('globex')];
    edit(entries);
    return tenantsYaml(entries);
  };

  it('tenant data only (a label, a group) and documentation: plans at once', async () => {
    repo.write('tenants.yaml', tenantsWith((e) => ((e[0].integration as { label: string }).label = 'Dynatrace (prod)')));
    repo.write('docs/day-2.md', '# Day 2, edited\n');
    expect(await decide(repo.commit())).toEqual({ approval: 'not-required', text: expect.stringContaining('no approval needed: the pull request changes tenant data only') });
  });

  it.each([
    ['code the plan jobs run', (r: TempRepo) => r.write('operations/ci/batch.ts', 'export {};\n'), 'operations/ci/batch.ts changes code the plan jobs run: synth, which writes the stacks, and the CI batch that plans and applies them'],
    ['the dependencies', (r: TempRepo) => r.write('package-lock.json', '{}\n'), 'package-lock.json changes code the plan jobs run'],
    ['a workflow', (r: TempRepo) => r.write('.github/workflows/plan.yml', 'name: plan\n'), '.github/workflows/plan.yml changes code the plan jobs run'],
    ['an unknown file (npm reads .npmrc)', (r: TempRepo) => r.write('.npmrc', 'ignore-scripts=false\n'), '.npmrc changes code the plan jobs run: not known to leave the synthesized stacks alone'],
  ])('changes %s: waits', async (_what, change, reason) => {
    change(repo);
    const { approval, text } = await decide(repo.commit());
    expect(approval).toBe('required');
    expect(text).toContain(reason);
  });

  it.each([
    ['a new tenant', (e: ReturnType<typeof tenantEntry>[]) => e.push(tenantEntry('initech')), 'tenant initech is new: where its credentials go has not been reviewed'],
    ['another Okta org for a tenant', (e: ReturnType<typeof tenantEntry>[]) => ((e[0].okta as { baseDomain?: string }).baseDomain = 'evil.example'), 'tenant acme: its credentials or where they go change'],
    ['another tenant\'s secret', (e: ReturnType<typeof tenantEntry>[]) => ((e[1].okta as { credentials: unknown }).credentials = { type: 'apiToken', token: { env: 'ACME_OKTA_API_TOKEN' } }), 'tenant globex: its credentials or where they go change'],
    ['another state backend', (e: ReturnType<typeof tenantEntry>[]) => (e[0].backend = { terraform: { type: 's3', bucket: 'someone-elses', region: 'eu-west-1' } }), 'tenant acme: its credentials or where they go change'],
  ])('sends credentials somewhere new — %s: waits', async (_what, edit, reason) => {
    repo.write('tenants.yaml', tenantsWith(edit));
    const { approval, text } = await decide(repo.commit());
    expect(approval).toBe('required');
    expect(text).toContain(reason);
  });

  it('a stack file: the keys stacks writes are data; a secrets provider or other config is not', async () => {
    repo.write('Pulumi.acme.yaml', 'config:\n  okta-dynatrace-scim:tenant: acme\n  okta:orgName: acme\n');
    expect((await decide(repo.commit())).approval).toBe('not-required');
    base = repo.git('rev-parse', 'HEAD').trim();
    repo.write('Pulumi.acme.yaml', 'secretsprovider: awskms://alias/theirs\nconfig:\n  okta-dynatrace-scim:tenant: acme\n  okta:orgName: acme\n');
    const { approval, text } = await decide(repo.commit());
    expect(approval).toBe('required');
    expect(text).toContain('Pulumi.acme.yaml changes more than the keys `stacks` writes');
  });

  it('tenant data that is not a plain file (a link to something else on the runner): waits', async () => {
    rmSync(join(repo.dir, 'tenants.yaml'));
    symlinkSync('/proc/self/environ', join(repo.dir, 'tenants.yaml'));
    const { approval, text } = await decide(repo.commit());
    expect(approval).toBe('required');
    expect(text).toContain('tenants.yaml is not a regular file (mode 120000): tenant data must be plain files');
  });

  it('a fork: waits, whatever it changes', async () => {
    repo.write('docs/day-2.md', '# typo\n');
    const { approval, text } = await decide(repo.commit(), false);
    expect(approval).toBe('required');
    expect(text).toContain('the pull request comes from a fork');
  });

  it('a tenants file that does not validate needs nothing: no plan runs', async () => {
    repo.write('tenants.yaml', 'tenants: [ { name: "Bad Name" } ]\n');
    expect(await decide(repo.commit())).toEqual({ approval: 'not-required', text: expect.stringContaining('the tenants file does not validate: nothing will plan') });
  });

  it('refuses anything but full commit shas (the workflow passes exact commits)', async () => {
    const sink = new Writable({ write(chunk, _e, done) { out += String(chunk); done(); } });
    expect(await run(['trust', '--repo', repo.dir, '--base', 'main', '--head', base], { stdout: sink, stderr: sink, env: {} })).toBe(EXIT.usage);
    expect(out).toContain('"main" is not a full commit sha');
  });
});
