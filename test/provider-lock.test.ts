/**
 * The Terraform dependency lock file: a maintainer writes it with `providers-lock` (terraform providers
 * lock on the pinned providers, every platform), synth copies it into every stack, and CI's terraform
 * init reads it with -lockfile=readonly (test/ci-batch.test.ts). terraform cannot reach the registry
 * here, so `terraform providers lock` is a stand-in that records its call and writes a lock file.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { EXIT, run } from '../cli/main';
import { DYNATRACE_PROVIDER } from '../constructs/cdktf/dynatrace-provider';
import { OKTA_PROVIDER } from '../constructs/cdktf/okta-provider';
import { lockedProviders } from '../operations/synth/provider-lock';

const LOCK = `# This file is maintained automatically by "terraform init".
provider "registry.terraform.io/dynatrace-oss/dynatrace" {
  version     = "${DYNATRACE_PROVIDER.versionConstraint}"
  constraints = "${DYNATRACE_PROVIDER.versionConstraint}"
  hashes = [
    "h1:AAAA=",
    "zh:0000",
  ]
}

provider "registry.terraform.io/okta/okta" {
  version     = "7.0.0"
  constraints = "~> 7.0"
  hashes = [
    "h1:BBBB=",
    "zh:1111",
    "zh:2222",
  ]
}
`;

describe('providers-lock and the lock file in every stack', () => {
  let project: string;
  let out: string;
  const io = (path: string) => {
    const sink = new Writable({ write(chunk, _e, done) { out += String(chunk); done(); } });
    return { stdout: sink, stderr: sink, env: { ...process.env, PATH: path } };
  };

  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'lock-'));
    copyFileSync('test/fixtures/two-tenants.yaml', join(project, 'tenants.yaml'));
    out = '';
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  it('runs terraform providers lock for every platform on the pinned providers and writes the file next to the tenants file', async () => {
    const bin = join(project, 'bin');
    mkdirSync(bin);
    const record = join(project, 'call.json');
    writeFileSync(
      join(bin, 'terraform'),
      `#!/usr/bin/env node\nconst fs = require('fs');\nfs.writeFileSync(${JSON.stringify(record)}, JSON.stringify({ args: process.argv.slice(2), config: JSON.parse(fs.readFileSync('providers.tf.json', 'utf8')) }));\nfs.writeFileSync('.terraform.lock.hcl', ${JSON.stringify(LOCK)});\n`,
    );
    chmodSync(join(bin, 'terraform'), 0o755);
    expect(await run(['providers-lock', '--tenants', join(project, 'tenants.yaml')], io(`${bin}:${process.env.PATH}`))).toBe(0);
    expect(JSON.parse(readFileSync(record, 'utf8'))).toEqual({
      args: ['providers', 'lock', '-platform=linux_amd64', '-platform=linux_arm64', '-platform=darwin_amd64', '-platform=darwin_arm64', '-platform=windows_amd64'],
      config: { terraform: { required_providers: { okta: { source: 'okta/okta', version: OKTA_PROVIDER.versionConstraint }, dynatrace: { source: 'dynatrace-oss/dynatrace', version: DYNATRACE_PROVIDER.versionConstraint } } } },
    });
    expect(readFileSync(join(project, '.terraform.lock.hcl'), 'utf8')).toBe(LOCK);
    expect(out).toContain(`dynatrace-oss/dynatrace ${DYNATRACE_PROVIDER.versionConstraint} (2 hashes), okta/okta 7.0.0 (3 hashes)`);
  });

  it('says what it needs when terraform cannot lock (no registry, no terraform)', async () => {
    expect(await run(['providers-lock', '--tenants', join(project, 'tenants.yaml')], io('/nonexistent'))).toBe(EXIT.usage);
    expect(out).toContain('terraform providers lock: terraform could not run (ENOENT). Fix: run it where terraform (1.11) is on PATH and registry.terraform.io is reachable');
  });

  it('synth copies the committed lock file into every stack', async () => {
    writeFileSync(join(project, '.terraform.lock.hcl'), LOCK);
    const cwd = process.cwd();
    process.chdir(project);
    try {
      expect(await run(['synth', '--out', 'cdktf.out', '--no-pulumi'], io(process.env.PATH!))).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    for (const tenant of ['acme', 'globex']) expect(readFileSync(join(project, 'cdktf.out', 'stacks', tenant, '.terraform.lock.hcl'), 'utf8')).toBe(LOCK);
    expect(lockedProviders(LOCK)).toEqual([
      { source: 'dynatrace-oss/dynatrace', version: DYNATRACE_PROVIDER.versionConstraint, hashes: 2 },
      { source: 'okta/okta', version: '7.0.0', hashes: 3 },
    ]);
  });
});
