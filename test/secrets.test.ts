/**
 * Secrets never leave their source: with every secret environment variable set to a sentinel value, no
 * command's output and no file the tool writes contains it. And rotating the token touches only the
 * provisioning connection.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { run } from '../cli/main';
import { apiSpec, TEST_TOKEN } from './support/specs';
import { renderPulumi, synthStack } from './support/render';

const SECRET_ENV = [
  'ACME_DT_SCIM_TOKEN',
  'GLOBEX_DT_SCIM_TOKEN',
  'INITECH_DT_SCIM_TOKEN',
  'ACME_OKTA_API_TOKEN',
  'GLOBEX_OKTA_PRIVATE_KEY',
  'INITECH_OKTA_API_TOKEN',
  'OKTA_API_TOKEN',
  'TF_VAR_dynatrace_scim_token',
  // The Dynatrace OAuth client of acme's policy bindings, and the provider's own variables.
  'ACME_DT_CLIENT_ID',
  'ACME_DT_CLIENT_SECRET',
  'DT_CLIENT_SECRET',
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === '.git') return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('no secret in any output the tool writes', () => {
  const repo = mkdtempSync(join(tmpdir(), 'secrets-'));
  const root = process.cwd();
  let output = '';
  const io = () => {
    const sink = new Writable({ write(chunk, _encoding, done) { output += String(chunk); done(); } });
    const env = { ...process.env };
    return { stdout: Object.assign(sink, { isTTY: false }), stderr: Object.assign(sink, { isTTY: false }), env };
  };

  beforeAll(() => {
    for (const name of SECRET_ENV) process.env[name] = `Bearer ${TEST_TOKEN}`;
    for (const file of ['tenants.yaml', 'Pulumi.yaml', 'Pulumi.acme.yaml', 'Pulumi.globex.yaml', 'Pulumi.initech.yaml']) copyFileSync(join(root, file), join(repo, file));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
    git('init', '-q');
    git('-c', 'user.email=ci@example.com', '-c', 'user.name=ci', 'commit', '-q', '--allow-empty', '-m', 'empty');
    git('add', '.');
    git('-c', 'user.email=ci@example.com', '-c', 'user.name=ci', 'commit', '-q', '-m', 'tenants');
    // A dangerous change, so the review has plenty to say.
    writeFileSync(join(repo, 'tenants.yaml'), readFileSync(join(repo, 'tenants.yaml'), 'utf8').replace('authMode: header', 'authMode: oauthBearer'));
    process.chdir(repo);
  });
  afterAll(() => {
    process.chdir(root);
    for (const name of SECRET_ENV) delete process.env[name];
    rmSync(repo, { recursive: true, force: true });
  });

  it.each([
    ['validate', ['validate']],
    ['validate --json', ['validate', '--json']],
    ['synth', ['synth', '--synth-dir', 'cdktf.out']],
    ['stacks', ['stacks']],
    ['matrix', ['matrix']],
    ['review (Markdown, written to a file too)', ['review', '--base', 'HEAD', '--out', 'review.md']],
    ['review --json', ['review', '--base', 'HEAD', '--json']],
    ['review of a broken file', ['review', '--base', 'HEAD~1', '--tenants', 'missing.yaml']],
  ])('%s', async (_name, args) => {
    output = '';
    await run(args, io());
    expect(output.length).toBeGreaterThan(0);
    expect(output).not.toContain(TEST_TOKEN);
  });

  it('and no file in the project folder holds it afterwards', () => {
    const files = filesUnder(repo);
    expect(files.some((file) => file.endsWith('cdk.tf.json'))).toBe(true);
    expect(files.some((file) => file.endsWith('review.md'))).toBe(true);
    for (const file of files) expect({ file, leaked: readFileSync(file, 'utf8').includes(TEST_TOKEN) }).toEqual({ file, leaked: false });
  });
});

describe('token rotation', () => {
  it('Terraform: only the connection reads the token variable (API path)', () => {
    const { json } = synthStack(apiSpec());
    const readers = Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
      Object.entries(byName).filter(([, body]) => JSON.stringify(body).includes('dynatrace_scim_token')).map(([name]) => `${type}.${name}`),
    );
    expect(readers).toEqual(['okta_app_connection.dynatrace_connection']);
  });

  it('Pulumi: a new token changes the connection inputs and nothing else', async () => {
    const before = await renderPulumi(apiSpec(), 'acme', 'old-token-value');
    const after = await renderPulumi(apiSpec(), 'acme', 'new-token-value');
    const changed = before.resources.filter((resource, index) => JSON.stringify(resource) !== JSON.stringify(after.resources[index])).map((r) => r.name);
    expect(changed).toEqual(['acme-connection']);
  });
});
