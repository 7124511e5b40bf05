import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { run } from '../stacks/cli';
import type { Io } from '../stacks/commands/output';

function capture(env: NodeJS.ProcessEnv = {}, tty = false): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stdout = Object.assign(new Writable({ write(c, _e, d) { out += String(c); d(); } }), { isTTY: tty });
  const stderr = Object.assign(new Writable({ write(c, _e, d) { err += String(c); d(); } }), { isTTY: tty });
  return { io: { stdout, stderr, env }, out: () => out, err: () => err };
}

const BIN = join(__dirname, '..', 'bin', 'okta-dynatrace-scim.js');

describe('okta-dynatrace-scim CLI', () => {
  it('--help lists every command, examples and exit codes (exit 0)', async () => {
    const c = capture();
    expect(await run(['--help'], c.io)).toBe(0);
    for (const command of ['validate', 'synth', 'review', 'stacks', 'matrix', 'verify']) expect(c.out()).toContain(`  ${command} `);
    expect(c.out()).toContain('Examples:');
    expect(c.out()).toContain('3  review: a dangerous change is present');
  });

  it('validate prints OK per tenant, without colour when not a TTY', async () => {
    const c = capture();
    expect(await run(['validate', '--tenants', 'test/fixtures/three-tenants.yaml'], c.io)).toBe(0);
    expect(c.out()).toMatch(/^OK alpha .*terraform state: local/m);
    expect(c.out()).toContain('OK beta');
    expect(c.out()).toContain('terraform state: s3://beta-iac-state/okta-dynatrace-scim/beta/terraform.tfstate');
    expect(c.out()).toContain('pulumi stack: gamma-corp/okta-dynatrace-scim/gamma');
    expect(c.out()).not.toContain('\u001b[');
  });

  it('colours only on a TTY, and never with NO_COLOR', async () => {
    const tty = capture({}, true);
    await run(['validate'], tty.io);
    expect(tty.out()).toContain('\u001b[32mOK\u001b[0m');
    const noColor = capture({ NO_COLOR: '1' }, true);
    await run(['validate'], noColor.io);
    expect(noColor.out()).not.toContain('\u001b[');
  });

  it('invalid input prints the problems (path + fix), no stack trace, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    const file = join(dir, 'tenants.yaml');
    writeFileSync(file, 'tenants:\n  - name: Bad_Name\n    okta: { orgName: acme }\n    integration: {}\n');
    const c = capture();
    expect(await run(['validate', '--tenants', file], c.io)).toBe(1);
    expect(c.err()).toContain('tenants[0].name: "Bad_Name" is not a valid tenant name');
    expect(c.err()).not.toMatch(/\n\s+at /);
    expect(c.out()).toBe('');
  });

  it('unknown commands and missing options are usage errors (exit 1)', async () => {
    const c = capture();
    expect(await run(['frobnicate'], c.io)).toBe(1);
    expect(c.err()).toContain("unknown command 'frobnicate'");
    const r = capture();
    expect(await run(['review'], r.io)).toBe(1);
    expect(r.err()).toContain("required option '-b, --base <ref>' not specified");
  });

  it('unknown --tenant names are invalid input', async () => {
    const c = capture();
    expect(await run(['matrix', '--tenant', 'nope'], c.io)).toBe(1);
    expect(c.err()).toContain('--tenant: no tenant named "nope"');
  });

  it('matrix prints the CI jobs: buckets of tenant names only (details: test/ci-buckets.test.ts)', async () => {
    const c = capture();
    expect(await run(['matrix', '--tenants', 'test/fixtures/three-tenants.yaml'], c.io)).toBe(0);
    const matrix = JSON.parse(c.out());
    expect(matrix.include.flatMap((e: { tenants: string }) => e.tenants.split(' ')).sort()).toEqual(['alpha', 'beta', 'gamma']);
    expect(c.err()).toContain('3 of 3 tenants planned');
  });

  it('stacks --check passes on the repository', async () => {
    const c = capture();
    expect(await run(['stacks', '--check'], c.io)).toBe(0);
    expect(c.out()).toContain('ok Pulumi.acme.yaml');
  });

  it('unexpected errors print a short message; the stack only with --debug (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    writeFileSync(join(dir, 'Pulumi.yaml'), 'name: x\n');
    // A directory where the stack file should be: writing it fails with EISDIR, an environment problem.
    execFileSync('mkdir', [join(dir, 'Pulumi.acme.yaml')]);
    writeFileSync(join(dir, 'tenants.yaml'), execFileSync('cat', ['tenants.yaml'], { encoding: 'utf8' }));
    const c = capture();
    expect(await run(['stacks', '--tenants', join(dir, 'tenants.yaml')], c.io)).toBe(2);
    expect(c.err()).toContain('unexpected error: EISDIR');
    expect(c.err()).toContain('--debug');
    expect(c.err()).not.toMatch(/\n\s+at /);
    const d = capture();
    expect(await run(['stacks', '--tenants', join(dir, 'tenants.yaml'), '--debug'], d.io)).toBe(2);
    expect(d.err()).toMatch(/\n\s+at /);
  });

  describe('the bin shim (as npx runs it)', () => {
    it('--help loads neither cdktf nor @pulumi', () => {
      const probe = `require('tsx/cjs'); const cli = require(${JSON.stringify(join(__dirname, '..', 'stacks', 'cli.ts'))});
        cli.run(['--help'], { stdout: { write() {} }, stderr: process.stderr, env: {} }).then((code) => {
          const loaded = Object.keys(require.cache).filter((k) => /node_modules[\\\\/](cdktf|@pulumi|@cdktf|zod|yaml)[\\\\/]/.test(k));
          process.stdout.write(JSON.stringify({ code, loaded }));
        });`;
      const result = JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }));
      expect(result).toEqual({ code: 0, loaded: [] });
    });

    it('exits with the command exit code', () => {
      const ok = spawnSync(process.execPath, [BIN, 'validate'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(ok.status).toBe(0);
      expect(ok.stdout).toContain('2 tenants valid in tenants.yaml');
      const bad = spawnSync(process.execPath, [BIN, 'validate', '--tenants', 'missing.yaml'], { encoding: 'utf8' });
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain('missing.yaml: cannot read the tenants file (ENOENT)');
    });
  });
});
