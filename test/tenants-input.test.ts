/**
 * Input that is not a tenants file, and input too big or too strange to echo: one clear problem for a
 * binary or non-UTF-8 file, nothing that acts on a terminal, long values clipped (and still masked),
 * and every list of problems capped the same way — the first LISTED_PROBLEMS and a count, all of them with
 * `--all-problems`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { run } from '../cli/main';
import { LISTED_PROBLEMS, SpecError } from '../constructs/model/errors';
import { quoteName, quoteValue } from '../constructs/model/quote';
import { parseTenants } from '../constructs/tenants/file';
import { EXIT } from '../operations/exit-codes';
import { runMain } from '../stacks/run-main';
import { capture } from './support/cli-io';
import { SCIM_URL, TEST_TOKEN } from './support/specs';

/** What a terminal would act on: every C0 control but the newline, DEL, C1, and the bidi controls. */
const TERMINAL_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const tenant = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  okta: { orgName: 'acme' },
  integration: { label: 'Dynatrace SCIM', authMode: 'header', scimBaseUrl: SCIM_URL, scimToken: { env: 'ACME_DT_SCIM_TOKEN' }, ...extra },
});

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'tenants-input-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function validate(content: string | Buffer, ...args: string[]): Promise<{ code: number; out: string; err: string; file: string }> {
  const file = join(dir, `tenants-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, content);
  const c = capture();
  const code = await run(['validate', '--tenants', file, ...args], c.io);
  expect(c.err()).not.toMatch(TERMINAL_CONTROL);
  expect(c.err()).not.toContain(TEST_TOKEN);
  return { code, out: c.out(), err: c.err(), file };
}

describe('a file that is not a tenants file is one problem, never echoed', () => {
  it('a binary file (an image)', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from('IHDR\u001b[2J\u001b]0;pwned\u0007tenants:')]);
    const result = await validate(png);
    expect(result.code).toBe(EXIT.usage);
    expect(result.err).toBe(`Invalid configuration (1 problem):\n  - ${result.file}: is not a text file (it holds NUL characters, as binary files do), so not a tenants file. Fix: pass the YAML tenants file with --tenants <file>.\n`);
  });

  it('Latin-1 text: the first byte that is not UTF-8, with its line', async () => {
    const result = await validate(Buffer.concat([Buffer.from('tenants:\n  - name: acme\n    # Équipe '), Buffer.from([0xc9, 0x71]), Buffer.from('\n')]));
    expect(result.err).toBe(
      `Invalid configuration (1 problem):\n  - ${result.file}: is not UTF-8 text: byte 38 (line 3) is 0xc9. Fix: save it as UTF-8 (in an editor: "Save with Encoding" → UTF-8), or pass another file with --tenants <file>.\n`,
    );
  });

  it('a U+FFFD written in the file is text; the invalid byte after it is the problem', async () => {
    const result = await validate(Buffer.concat([Buffer.from('# \ufffd\n'), Buffer.from([0xff])]));
    expect(result.err).toContain('is not UTF-8 text: byte 6 (line 2) is 0xff.');
  });

  it('UTF-16 text', async () => {
    const result = await validate(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('tenants:\n', 'utf16le')]));
    expect(result.err).toBe(`Invalid configuration (1 problem):\n  - ${result.file}: is UTF-16 text; a tenants file is UTF-8. Fix: save it as UTF-8 (in an editor: "Save with Encoding" → UTF-8), or pass another file with --tenants <file>.\n`);
  });

  it('text with a NUL (e.g. at a git ref) is refused by the parser too', () => {
    expect(() => parseTenants('tenants:\n\u0000', 'HEAD:tenants.yaml')).toThrow('HEAD:tenants.yaml: is not a text file (it holds NUL characters, as binary files do), so not a tenants file.');
  });
});

describe('values are quoted so that they cannot act on the terminal or flood it', () => {
  it('control characters in values and keys are escaped, wherever they are quoted', async () => {
    const result = await validate(`tenants:\n  - name: "ops\\e[31m\\u202eevil"\n    "key\\b\\r": 1\n`);
    expect(result.err).toContain('tenants[0].name: "ops\\u001b[31m\\u202eevil" is not a valid tenant name (tenant "ops\\u001b[31m\\u202eevil")');
    expect(result.err).toContain('tenants[0].key\\u0008\\r: is not a known field');
  });

  it('a YAML line quoted under a syntax error is escaped, its caret still under the column', async () => {
    const result = await validate('a: "x\ty" b\n');
    expect(result.err).toContain(`:1:10: YAML syntax: Unexpected scalar at node end. Fix: fix the YAML at this position (a YAML-aware editor shows it as you type).\n      1 | a: "x\\ty" b\n        | ${' '.repeat(10)}^`);
  });

  it('long values are clipped to 64 characters, with their length', async () => {
    const result = await validate(stringify({ tenants: [tenant('x'.repeat(300))] }));
    expect(result.err).toContain(`tenants[0].name: "${'x'.repeat(64)}…" (300 characters) is not a valid tenant name (tenant "${'x'.repeat(64)}…" (300 characters))`);
  });

  it('a long token is masked before it is clipped: no part of it shows', async () => {
    const token = `${TEST_TOKEN}${'Q7x9Kp2M'.repeat(40)}`;
    const highEntropy = 'A7F3K9Q2ZC81M4N6B0V5X8L1P0O9I8U7Y6T5R4E3W2Q1'.repeat(5);
    const result = await validate(stringify({ tenants: [{ ...tenant('acme'), okta: { orgName: token, baseDomain: highEntropy } }] }));
    expect(result.err).toContain('okta.orgName: "***" is not an Okta org name');
    expect(result.err).toContain('okta.baseDomain: "***" is not a domain');
    for (const secret of [token, highEntropy]) for (let at = 0; at + 12 <= secret.length; at += 6) expect(result.err).not.toContain(secret.slice(at, at + 12));
  });

  it('a 10 kB key reaches the message clipped', async () => {
    const key = `k${'e'.repeat(10_000)}`;
    const result = await validate(stringify({ tenants: [{ ...tenant('acme'), [key]: 1 }] }));
    // Clipped where the problem is found, before the file's path and the tenant's position are put in front.
    expect(result.err).toContain(`tenants[0].k${'e'.repeat(63)}…(10001 characters): is not a known field`);
    expect(result.err.length).toBeLessThan(1000);
  });

  it.each([
    ['Ops', '"Ops"'],
    ['Ops "EU"', `'Ops "EU"'`],
    [`It's "EU"`, `“It's "EU"”`],
  ])('quoteName(%j) is %s', (name, quoted) => {
    expect(quoteName(name)).toBe(quoted);
    expect(quoteValue(name)).toBe(quoted);
  });
});

describe(`problems are capped at ${LISTED_PROBLEMS}, with a count, and all listed on request`, () => {
  const fifteen = stringify({ tenants: Array.from({ length: 15 }, (_, i) => tenant(`Bad_${i}`)) });
  const problem = (i: number) => `tenants[${i}].name: "Bad_${i}" is not a valid tenant name (tenant "Bad_${i}"). Fix: 2-40 lowercase letters, digits and dashes, starting with a letter (it names the stacks).`;

  it('value problems: the first ten and "… and 5 more"', async () => {
    const result = await validate(fifteen);
    const lines = result.err.trimEnd().split('\n');
    expect(lines[0]).toBe('Invalid configuration (15 problems):');
    expect(lines.slice(1, -1)).toEqual(Array.from({ length: 10 }, (_, i) => `  - ${result.file}: ${problem(i)}`));
    expect(lines.at(-1)).toBe('  … and 5 more (add --all-problems to list every one)');
  });

  it('--all-problems lists every one, in every command that reads the tenants file', async () => {
    const file = join(dir, 'fifteen.yaml');
    writeFileSync(file, fifteen);
    for (const args of [['validate'], ['matrix'], ['synth', '--synth-dir', join(dir, 'out')], ['stacks'], ['verify'], ['review', '--base', 'HEAD']]) {
      const c = capture();
      expect(await run([...args, '--tenants', file, '--all-problems'], c.io)).toBe(EXIT.usage);
      expect({ args, listed: c.err().match(/^ {2}- /gm)?.length, more: c.err().includes('more (') }).toEqual({ args, listed: 15, more: false });
    }
  });

  it('YAML syntax errors go through the same cap (one per line, as before)', async () => {
    const broken = Array.from({ length: 14 }, (_, i) => `k${i}: [\n`).join('');
    const result = await validate(`tenants:\n${broken}`);
    const count = Number(/^Invalid configuration \((\d+) problems\):/.exec(result.err)?.[1]);
    expect(count).toBeGreaterThan(LISTED_PROBLEMS);
    expect(result.err.match(/^ {2}- .*YAML syntax/gm)).toHaveLength(LISTED_PROBLEMS);
    expect(result.err.trimEnd().split('\n').at(-1)).toBe(`  … and ${count - LISTED_PROBLEMS} more (add --all-problems to list every one)`);
  });

  it('validate caps its warnings the same way', async () => {
    const file = stringify({ tenants: Array.from({ length: 12 }, (_, i) => tenant(`t${i}x`, { username: 'oktaUsername' })) });
    const capped = await validate(file);
    expect(capped.code).toBe(0);
    expect(capped.err.match(/^warning .*: tenants\[\d+\]\.integration\.username: /gm)).toHaveLength(LISTED_PROBLEMS);
    expect(capped.err.trimEnd().split('\n').at(-1)).toBe('warning … and 2 more (add --all-problems to list every one)');
    const all = await validate(file, '--all-problems');
    expect(all.err.match(/^warning /gm)).toHaveLength(12);
  });

  it('the library says where the rest are; the engine entry points point at validate --all-problems', () => {
    const error = (() => {
      try {
        parseTenants(fifteen);
      } catch (caught) {
        return caught as SpecError;
      }
      throw new Error('no error');
    })();
    expect(error.issues).toHaveLength(15);
    expect(error.message.split('\n').at(-1)).toBe("  … and 5 more (the error's `issues` hold every one)");
    const written: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((text) => (written.push(String(text)), true));
    try {
      runMain(() => parseTenants(fifteen));
    } finally {
      write.mockRestore();
      process.exitCode = undefined;
    }
    expect(written.join('').trimEnd().split('\n').at(-1)).toBe('  … and 5 more (`npx okta-dynatrace-scim validate --all-problems` lists every one)');
  });
});
