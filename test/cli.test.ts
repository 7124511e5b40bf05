import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../operations/exit-codes';
import { buildProgram, EXIT_CODES_HELP, run } from '../cli/main';
import { capture } from './support/cli-io';
import { emptyState, oktaAppInSync, type OktaStub, startOktaStub } from './support/okta-stub';
import { type ScimServer, startScimServer } from './support/scim-server';
import { SCIM_URL, TEST_TOKEN } from './support/specs';

const BIN = join(__dirname, '..', 'bin', 'okta-dynatrace-scim.js');

const COMMANDS = ['validate', 'synth', 'review', 'stacks', 'matrix', 'verify'] as const;
type CommandName = (typeof COMMANDS)[number];

/** Arguments for a run of `command` that succeeds, given a valid tenants file (review compares the repository's own with HEAD). */
function succeeding(command: CommandName, tenants: string, out: string): string[] {
  switch (command) {
    case 'synth':
      return ['synth', '--tenants', tenants, '--synth-dir', out, '--no-pulumi'];
    case 'review':
      return ['review', '--base', 'HEAD'];
    case 'stacks':
      return ['stacks', '--check'];
    default:
      return [command, '--tenants', tenants];
  }
}

describe('okta-dynatrace-scim CLI', () => {
  it('--help lists every command, examples and exit codes (exit 0)', async () => {
    const c = capture();
    expect(await run(['--help'], c.io)).toBe(0);
    for (const command of ['validate', 'synth', 'review', 'stacks', 'matrix', 'verify', 'discover']) expect(c.out()).toContain(`  ${command} `);
    expect(c.out()).toContain('Examples:');
    expect(c.out()).toContain('3   review found a dangerous change');
  });

  it('every command that takes --tenant takes it repeated, with the same meaning and help', () => {
    const program = buildProgram(capture().io, () => undefined);
    const withTenant = program.commands.flatMap((command) => command.options.filter((o) => o.long === '--tenant').map((o) => [command.name(), o] as const));
    expect(withTenant.map(([name]) => name).sort()).toEqual(['matrix', 'synth', 'verify']);
    for (const [name, option] of withTenant) {
      expect({ name, description: option.description }).toEqual({ name, description: 'only this tenant (repeatable)' });
      // commander hands each repeat to parseArg with what came before: the names accumulate.
      expect({ name, parsed: option.parseArg!('b', option.parseArg!('a', undefined as never) as never) }).toEqual({ name, parsed: ['a', 'b'] });
    }
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

  it('invalid input prints the problems (path + fix), no stack trace, exit 64', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    const file = join(dir, 'tenants.yaml');
    writeFileSync(file, 'tenants:\n  - name: Bad_Name\n    okta: { orgName: acme }\n    integration: {}\n');
    const c = capture();
    expect(await run(['validate', '--tenants', file], c.io)).toBe(64);
    expect(c.err()).toContain('tenants[0].name: "Bad_Name" is not a valid tenant name');
    expect(c.err()).not.toMatch(/\n\s+at /);
    expect(c.out()).toBe('');
  });

  it('unknown commands and missing options are usage errors (exit 64)', async () => {
    const c = capture();
    expect(await run(['frobnicate'], c.io)).toBe(64);
    expect(c.err()).toContain("unknown command 'frobnicate'");
    const r = capture();
    expect(await run(['review'], r.io)).toBe(64);
    expect(r.err()).toContain("required option '-b, --base <ref>' not specified");
  });

  it('unknown --tenant names are invalid input', async () => {
    const c = capture();
    expect(await run(['matrix', '--tenant', 'nope'], c.io)).toBe(64);
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

  it('unexpected errors print a short message; the stack only with --debug (exit 70)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    writeFileSync(join(dir, 'Pulumi.yaml'), 'name: x\n');
    // A directory where the stack file should be: writing it fails with EISDIR, an environment problem.
    execFileSync('mkdir', [join(dir, 'Pulumi.acme.yaml')]);
    writeFileSync(join(dir, 'tenants.yaml'), execFileSync('cat', ['tenants.yaml'], { encoding: 'utf8' }));
    const c = capture();
    expect(await run(['stacks', '--tenants', join(dir, 'tenants.yaml')], c.io)).toBe(70);
    expect(c.err()).toContain('unexpected error: EISDIR');
    expect(c.err()).toContain('--debug');
    expect(c.err()).not.toMatch(/\n\s+at /);
    const d = capture();
    expect(await run(['stacks', '--tenants', join(dir, 'tenants.yaml'), '--debug'], d.io)).toBe(70);
    expect(d.err()).toMatch(/\n\s+at /);
  });


  describe('exit codes: every command × every situation (README, Exit codes)', () => {
    /** Options a command cannot run without, besides the tenants file. */
    const required: Record<CommandName, string[]> = { validate: [], synth: [], review: ['--base', 'HEAD'], stacks: [], matrix: [], verify: [] };
    const tenantOption: Record<CommandName, boolean> = { validate: false, synth: true, review: false, stacks: false, matrix: true, verify: true };
    const OKTA_TOKEN = '00okta-cli-test-token-must-never-leak';
    const APP = '0oacli00000000000001';
    const undici = require('undici') as typeof import('undici');
    const tenantsModule = require('../constructs/tenants/file') as typeof import('../constructs/tenants/file');

    let tmp: string;
    let invalid: string;
    let single: string;
    let okta: OktaStub;
    let scim: ScimServer;

    beforeAll(async () => {
      tmp = mkdtempSync(join(tmpdir(), 'cli-exit-'));
      invalid = join(tmp, 'invalid.yaml');
      writeFileSync(invalid, 'tenants:\n  - name: Bad_Name\n    okta: { orgName: acme }\n    integration: {}\n');
      single = join(tmp, 'tenants.yaml');
      writeFileSync(single, `tenants:\n  - name: acme\n    okta: { orgName: acme }\n    integration:\n      label: Dynatrace SCIM\n      authMode: header\n      scimBaseUrl: ${SCIM_URL}\n      scimToken: { env: ACME_DT_SCIM_TOKEN }\n`);
      okta = await startOktaStub({ apiToken: OKTA_TOKEN });
      scim = await startScimServer(TEST_TOKEN);
      // The CLI has no base-URL option: send its Okta and Dynatrace calls to the stand-ins on 127.0.0.1.
      const realFetch = undici.fetch;
      const scimOrigin = new URL(scim.baseUrl).origin;
      jest.spyOn(undici, 'fetch').mockImplementation((input, init) => realFetch(String(input).replace('https://acme.okta.com', okta.url).replace(new URL(SCIM_URL).origin, scimOrigin), init));
    });

    afterAll(async () => {
      jest.restoreAllMocks();
      await okta.close();
      await scim.close();
      rmSync(tmp, { recursive: true, force: true });
    });

    beforeEach(() => {
      okta.state = { ...emptyState(), ...oktaAppInSync(APP, 'Dynatrace SCIM', SCIM_URL) };
    });

    const verifyEnv = { OKTA_API_TOKEN: OKTA_TOKEN, ACME_DT_SCIM_TOKEN: `Bearer ${TEST_TOKEN}` };
    async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
      const c = capture(env);
      const code = await run(args, c.io);
      for (const output of [c.out(), c.err()]) for (const secret of [OKTA_TOKEN, TEST_TOKEN]) expect(output).not.toContain(secret);
      return { code, out: c.out(), err: c.err() };
    }

    describe.each(COMMANDS)('%s', (command) => {
      it('missing tenants file → 64', async () => {
        const result = await cli([command, ...required[command], '--tenants', join(tmp, 'missing.yaml')]);
        expect(result.err).toContain('missing.yaml: cannot read the tenants file (ENOENT)');
        expect(result.code).toBe(64);
      });

      it('invalid tenants file → 64', async () => {
        const result = await cli([command, ...required[command], '--tenants', invalid]);
        expect(result.err).toContain('"Bad_Name" is not a valid tenant name');
        expect(result.code).toBe(64);
      });

      it('unknown --tenant → 64', async () => {
        const result = await cli([command, ...required[command], '--tenant', 'nope']);
        expect(result.err).toContain(tenantOption[command] ? 'no tenant named "nope"' : "unknown option '--tenant'");
        expect(result.code).toBe(64);
      });

      it('unknown option → 64', async () => {
        const result = await cli([command, ...required[command], '--frobnicate']);
        expect(result.err).toContain("error: unknown option '--frobnicate'");
        expect(result.code).toBe(64);
      });

      it('unexpected error (a bug) → 70, the stack trace only with --debug', async () => {
        const bug = jest.spyOn(tenantsModule, 'loadTenants').mockImplementation(() => {
          throw new TypeError("Cannot read properties of undefined (reading 'tenants')");
        });
        try {
          const plain = await cli([command, ...required[command], '--tenants', single]);
          expect(plain.err).toContain("okta-dynatrace-scim: unexpected error: Cannot read properties of undefined (reading 'tenants')");
          expect(plain.err).not.toMatch(/\n\s+at /);
          expect(plain.code).toBe(70);
          const debug = await cli([command, ...required[command], '--tenants', single, '--debug']);
          expect(debug.err).toMatch(/\n\s+at /);
          expect(debug.code).toBe(70);
        } finally {
          bug.mockRestore();
        }
      });
    });

    describe('bad option values → 64', () => {
      it.each([['abc'], ['0'], ['-5'], ['1.5'], ['10abc'], ['']])('verify --timeout %p', async (value) => {
        const result = await cli(['verify', '--tenants', single, '--timeout', value], verifyEnv);
        expect(result.err).toContain('verify: --timeout must be a whole number of milliseconds from 1 to 2147483647, e.g. --timeout 30000');
        expect(result.code).toBe(64);
        expect(okta.requests).toEqual([]);
      });

      it('review --base <a ref that does not exist>', async () => {
        const result = await cli(['review', '--base', 'no-such-ref-anywhere']);
        expect(result.err).toContain('--base: "no-such-ref-anywhere" is not a commit in this repository');
        expect(result.code).toBe(64);
      });

      it('stacks --pulumi-dir <a folder without Pulumi.yaml>', async () => {
        const result = await cli(['stacks', '--pulumi-dir', tmp]);
        expect(result.err).toContain(`--pulumi-dir: no Pulumi.yaml in ${tmp}`);
        expect(result.code).toBe(64);
      });
    });

    describe('success → 0, and each command\'s own outcomes', () => {
      it.each(COMMANDS)('%s → 0', async (command) => {
        const result = await cli(succeeding(command, single, join(tmp, 'cdktf.out')), verifyEnv);
        // matrix explains its selection on stderr (for the CI log); nothing else writes there on success.
        if (command === 'matrix') expect(result.err).toMatch(/^1 of 1 tenant planned in 1 job; 0 left out; 0 removed\.\n {2}planned {2}acme \[bucket \d+\]: every tenant/);
        else expect(result.err).toBe('');
        expect(result.code).toBe(0);
      }, 30_000);

      it('verify: drift → 1; could not check → 2', async () => {
        okta.state.apps[0] = { ...okta.state.apps[0]!, status: 'INACTIVE' };
        const drift = await cli(['verify', '--tenants', single], verifyEnv);
        expect(drift.out).toContain('verify: 1 tenant checked, 1 with drift → drift found (exit 1)');
        expect(drift.code).toBe(1);
        const unchecked = await cli(['verify', '--tenants', single], { ...verifyEnv, ACME_DT_SCIM_TOKEN: 'Bearer dt0s99.not-the-token' });
        expect(unchecked.out).toContain('401: credential rejected');
        expect(unchecked.code).toBe(1);
        okta.state.apps[0] = { ...okta.state.apps[0]!, status: 'ACTIVE' };
        const rejected = await cli(['verify', '--tenants', single], { ...verifyEnv, ACME_DT_SCIM_TOKEN: 'Bearer dt0s99.not-the-token' });
        expect(rejected.out).toContain('→ could not check (exit 2)');
        expect(rejected.code).toBe(2);
      });

      it('stacks --check with a stack file missing → 1', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'cli-stacks-'));
        writeFileSync(join(dir, 'Pulumi.yaml'), 'name: x\n');
        writeFileSync(join(dir, 'tenants.yaml'), execFileSync('cat', [single], { encoding: 'utf8' }));
        const result = await cli(['stacks', '--check', '--tenants', join(dir, 'tenants.yaml')]);
        expect(result.err).toContain('Run `okta-dynatrace-scim stacks` and commit the result.');
        expect(result.code).toBe(1);
        rmSync(dir, { recursive: true, force: true });
      });

      it('review with a dangerous change → 3', async () => {
        const repo = mkdtempSync(join(tmpdir(), 'cli-review-'));
        const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });
        git('init', '-q', '-b', 'main');
        const text = execFileSync('cat', [single], { encoding: 'utf8' });
        writeFileSync(join(repo, 'tenants.yaml'), text);
        git('add', '-A');
        git('commit', '-q', '-m', 'base');
        writeFileSync(join(repo, 'tenants.yaml'), text.replace('authMode: header', 'authMode: oauthBearer'));
        const result = await cli(['review', '--base', 'main', '--tenants', join(repo, 'tenants.yaml')]);
        expect(result.code).toBe(3);
        rmSync(repo, { recursive: true, force: true });
      });
    });

    it('the README table and --help list exactly these codes, with the same words', async () => {
      const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
      const section = readme.slice(readme.indexOf('## Exit codes'), readme.indexOf('## SECURITY'));
      const readmeRows = [...section.matchAll(/^\| (\d+) \| (.+) \|$/gm)].map((m) => [Number(m[1]), m[2]!.replaceAll('\\|', '|')]);
      const helpRows = [...EXIT_CODES_HELP.matchAll(/^ {2}(\d+) +(.+)$/gm)].map((m) => [Number(m[1]), m[2]]);
      expect(readmeRows.map(([code]) => code)).toEqual(Object.values(EXIT));
      expect(helpRows).toEqual(readmeRows);
      const help = capture();
      await run(['--help'], help.io);
      expect(help.out()).toContain(EXIT_CODES_HELP.trim());
    });
  });

  describe('the bin shim (as npx runs it)', () => {
    it('--help loads neither cdktf nor @pulumi', () => {
      const probe = `require('tsx/cjs'); const cli = require(${JSON.stringify(join(__dirname, '..', 'cli', 'main.ts'))});
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
      expect(ok.stdout).toContain('3 tenants valid in tenants.yaml');
      const bad = spawnSync(process.execPath, [BIN, 'validate', '--tenants', 'missing.yaml'], { encoding: 'utf8' });
      expect(bad.status).toBe(64);
      expect(bad.stderr).toContain('missing.yaml: cannot read the tenants file (ENOENT)');
    });

    describe('output into a pipe whose reader is gone (`… | head -1`)', () => {
      let tmp: string;
      let tenants: string;
      beforeAll(() => {
        tmp = mkdtempSync(join(tmpdir(), 'cli-epipe-'));
        tenants = join(tmp, 'tenants.yaml');
        writeFileSync(tenants, readFileSync('test/fixtures/three-tenants.yaml', 'utf8'));
      });
      afterAll(() => rmSync(tmp, { recursive: true, force: true }));

      /** Runs the bin with its stdout read end closed before the first write. */
      async function intoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
        // No credentials in the environment: verify reports without a single request.
        const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^OKTA_|_TOKEN$/.test(name)));
        const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, NO_COLOR: '1' } });
        child.stdout!.destroy();
        let stderr = '';
        child.stderr!.on('data', (chunk: Buffer) => void (stderr += String(chunk)));
        const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
        return { code, stderr };
      }

      async function expectQuietStop(args: string[]): Promise<void> {
        const result = await intoClosedPipe(args);
        // What a command writes to stderr by design (matrix's selection, validate's warnings) may appear;
        // nothing about the closed pipe does: no error, no stack trace.
        expect(result.stderr).not.toMatch(/EPIPE|Error|unexpected|\n\s+at /);
        expect(result.code).toBe(141);
      }

      it.each([[['--help']], [['verify', '--help']]])('%j stops quietly with 141', (args) => expectQuietStop(args));

      it.each(COMMANDS)('%s stops quietly with 141', (command) => expectQuietStop(succeeding(command, tenants, join(tmp, 'cdktf.out'))), 30_000);
    });
  });
});
