/**
 * The CLI as people meet it: an option means one thing in every command, a bad `--engine` gets one
 * message wherever it is given, and every help text states defaults and exit codes in one format.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command, Option } from 'commander';
import { buildProgram, COMMAND_EXIT_CODES, EXIT_CODES_HELP, run } from '../cli/main';
import { EXIT } from '../operations/exit-codes';
import { capture } from './support/cli-io';

const THREE = 'test/fixtures/three-tenants.yaml';
const program = buildProgram(capture().io, () => undefined);
const visible = (command: Command): readonly Option[] => command.options.filter((option) => !option.hidden);
const helpOf = async (args: string[]): Promise<string> => {
  const c = capture();
  expect(await run([...args, '--help'], c.io)).toBe(0);
  return c.out();
};

describe('an option means one thing in every command', () => {
  it('--synth-dir names the synth output folder wherever it is written or read, with one default', () => {
    const withSynthDir = program.commands.flatMap((command) => visible(command).filter((o) => o.long === '--synth-dir').map((o) => [command.name(), o.flags, o.defaultValue]));
    expect(withSynthDir).toEqual([
      ['synth', '--synth-dir <dir>', 'cdktf.out'],
      ['batch', '--synth-dir <dir>', 'cdktf.out'],
      ['pr-comment', '--synth-dir <dir>', 'cdktf.out'],
    ]);
  });

  it('--out always names a file the command also writes; folders are named for what they hold', () => {
    const outs = program.commands.flatMap((command) => visible(command).filter((o) => o.long === '--out').map((o) => [command.name(), o.flags]));
    expect(outs).toEqual([
      ['review', '--out <file>'],
      ['pr-comment', '--out <file>'],
    ]);
    const folders = program.commands.flatMap((command) => visible(command).filter((o) => o.flags.endsWith('<dir>')).map((o) => `${command.name()} ${o.long}`));
    expect(folders).toEqual(['synth --synth-dir', 'stacks --pulumi-dir', 'batch --synth-dir', 'batch --results', 'trust --repo', 'workflows --workflows-dir', 'pr-comment --results', 'pr-comment --synth-dir', 'drift-issues --results']);
  });

  describe('synth --out <dir>, the earlier spelling of --synth-dir', () => {
    let tmp: string;
    beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'cli-options-'))));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    it('still writes there, and warns once with the new spelling', async () => {
      const c = capture();
      const out = join(tmp, 'old');
      expect(await run(['synth', '--tenants', THREE, '--tenant', 'alpha', '--no-pulumi', '--out', out], c.io)).toBe(0);
      expect(c.err()).toBe(
        `warning --out: is deprecated for synth (in every other command --out names a file). Fix: use --synth-dir ${out}, the option batch and pr-comment read the same folder with; --out will be removed in a later release.\n`,
      );
      expect(readFileSync(join(out, 'stacks', 'alpha', 'cdk.tf.json'), 'utf8')).toContain('okta_app_auto_login');
    });

    it('with --synth-dir naming another folder, is refused before anything is written (exit 64)', async () => {
      const c = capture();
      expect(await run(['synth', '--tenants', THREE, '--no-pulumi', '--out', join(tmp, 'a'), '--synth-dir', join(tmp, 'b')], c.io)).toBe(EXIT.usage);
      expect(c.err()).toBe(`Invalid configuration (1 problem):\n  - --out: is the old spelling of --synth-dir, which names another folder (${join(tmp, 'b')}). Fix: give --synth-dir only.\n`);
    });
  });

  describe('--tenant, repeated, selects each named tenant in every command that takes it', () => {
    let tmp: string;
    beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'cli-tenant-'))));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    const runs: Record<string, (c: ReturnType<typeof capture>) => Promise<string>> = {
      synth: async (c) => {
        expect(await run(['synth', '--tenants', THREE, '--synth-dir', join(tmp, 'out'), '--no-pulumi', '--tenant', 'alpha', '--tenant', 'gamma'], c.io)).toBe(0);
        return [...c.out().matchAll(/^Tenant (\w+)$/gm)].map((m) => m[1]).join(' ');
      },
      matrix: async (c) => {
        expect(await run(['matrix', '--tenants', THREE, '--tenant', 'alpha', '--tenant', 'gamma'], c.io)).toBe(0);
        return (JSON.parse(c.out()) as { include: { tenants: string }[] }).include.flatMap((entry) => entry.tenants.split(' ')).sort().join(' ');
      },
      verify: async (c) => {
        // No credentials: each selected tenant is reported as not checkable, without a request.
        expect(await run(['verify', '--tenants', THREE, '--json', '--tenant', 'alpha', '--tenant', 'gamma'], c.io)).toBe(EXIT.couldNotCheck);
        return (JSON.parse(c.out()) as { tenants: { tenant: string }[] }).tenants.map((t) => t.tenant).join(' ');
      },
    };

    it('is every command with --tenant', () => {
      expect(program.commands.filter((command) => command.options.some((o) => o.long === '--tenant')).map((command) => command.name())).toEqual(Object.keys(runs));
    });

    it.each(Object.keys(runs))('%s --tenant alpha --tenant gamma', async (command) => {
      expect(await runs[command]!(capture())).toBe('alpha gamma');
    }, 30_000);
  });
});

describe('an invalid --engine gets one message in every command', () => {
  const commands: [string, string[], string][] = [
    ['review', ['review', '--base', 'HEAD'], 'terraform or pulumi'],
    ['verify', ['verify', '--tenants', THREE], 'terraform or pulumi'],
    ['batch', ['batch', 'plan', '--batch', 'alpha', '--tenants', THREE, '--results', join(tmpdir(), 'never-written')], 'terraform, pulumi or both'],
    ['discover', ['discover', '--org', 'acme', '--list'], 'terraform or pulumi'],
  ];

  it('is every command with --engine', () => {
    expect(program.commands.filter((command) => command.options.some((o) => o.long === '--engine')).map((command) => command.name()).sort()).toEqual(commands.map(([name]) => name).sort());
  });

  it.each(commands)('%s --engine terrafrom', async (_name, args, choices) => {
    const c = capture();
    expect(await run([...args, '--engine', 'terrafrom'], c.io)).toBe(EXIT.usage);
    expect(c.err()).toBe(`Invalid configuration (1 problem):\n  - --engine: "terrafrom" is not an engine. Fix: use ${choices}.\n`);
  });

  it.each(commands)('%s with OKTA_SCIM_ENGINE=Pulumi (the variable is named, not --engine)', async (_name, args, choices) => {
    const c = capture({ OKTA_SCIM_ENGINE: 'Pulumi' });
    expect(await run(args, c.io)).toBe(EXIT.usage);
    expect(c.err()).toBe(`Invalid configuration (1 problem):\n  - OKTA_SCIM_ENGINE: "Pulumi" is not an engine. Fix: set it to terraform, pulumi or both, or pass --engine ${choices}.\n`);
  });

  it('verify --json also answers with the usage error as JSON', async () => {
    const c = capture();
    expect(await run(['verify', '--tenants', THREE, '--json', '--engine', 'cdktf'], c.io)).toBe(EXIT.usage);
    expect(JSON.parse(c.out())).toEqual({ result: 'usage-error', exitCode: EXIT.usage, error: 'Invalid configuration (1 problem):\n  - --engine: "cdktf" is not an engine. Fix: use terraform or pulumi.' });
  });

  it('OKTA_SCIM_ENGINE=both (CI planning with both engines) names objects as Terraform does in review and verify', async () => {
    const c = capture({ OKTA_SCIM_ENGINE: 'both' });
    expect(await run(['verify', '--tenants', THREE, '--tenant', 'alpha', '--json'], c.io)).toBe(EXIT.couldNotCheck);
    expect(JSON.parse(c.out())).toMatchObject({ engine: 'terraform' });
  });
});

describe('help texts: one format for defaults and for exit codes', () => {
  it('defaults are rendered by commander from the option, never written into a description', () => {
    const handWritten = [program, ...program.commands].flatMap((command) => command.options.filter((o) => /default/i.test(o.description)).map((o) => `${command.name()} ${o.long}`));
    expect(handWritten).toEqual([]);
  });

  it.each([
    [['verify'], '--timeout <ms>', '(default: 15000)'],
    [['discover'], '--timeout <ms>', '(default: 15000)'],
    [['discover'], '--okta-token-env <name>', '(default: <TENANT>_OKTA_API_TOKEN)'],
    [['verify'], '--engine <engine>', '(default: $OKTA_SCIM_ENGINE, else terraform)'],
    [['stacks'], '--pulumi-dir <dir>', "(default: the tenants file's folder)"],
    [['batch'], '--results <dir>', '(default: "results")'],
  ])('%j %s shows %s', async (args, flags, shown) => {
    const help = (await helpOf(args)).replace(/\n\s+/g, ' ');
    expect(help).toMatch(new RegExp(`${flags.replace(/[$()<>]/g, '\\$&')} .*?${shown.replace(/[$()."]/g, '\\$&')}`));
  });

  it.each(program.commands.map((command) => command.name()).filter((name) => name !== 'help'))('%s --help ends with its exit codes, each one of the table', async (name) => {
    const codes = COMMAND_EXIT_CODES[name as keyof typeof COMMAND_EXIT_CODES];
    const help = await helpOf([name]);
    expect(help.trimEnd().split('\n').at(-1)).toBe(`Exit codes: ${codes}; 70 and 141 as for every command (okta-dynatrace-scim --help)`);
    expect(help.match(/Exit codes/g)).toHaveLength(1);
    for (const [, code] of codes.matchAll(/(?:^|· )(\d+) /g)) expect(Object.values(EXIT)).toContain(Number(code));
  });

  it('okta-dynatrace-scim --help ends with the table of every exit code', async () => {
    expect((await helpOf([])).trimEnd().endsWith(EXIT_CODES_HELP.trim())).toBe(true);
  });

  it("docs/day-2.md lists the CI commands' exit codes as their help does", () => {
    const day2 = readFileSync(join(__dirname, '..', 'docs', 'day-2.md'), 'utf8');
    const rows = [...day2.matchAll(/^\| `([a-z-]+)[^|]*(?:\\\|[^|]*)*\|.*\| (0 [^|]+) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(['trust', 'workflows', 'matrix', 'batch', 'providers-lock', 'pr-comment', 'drift-issues'].map((name) => [name, COMMAND_EXIT_CODES[name as keyof typeof COMMAND_EXIT_CODES]]));
  });
});
