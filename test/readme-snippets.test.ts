/**
 * The README's code is part of the product: every TypeScript block type-checks under the repository's
 * tsconfig (as if saved at the repository root, which is where their `./constructs/…` imports point), the
 * "try it offline" Pulumi block runs and prints what it says, and every YAML block that is a whole
 * tenants file validates. Nothing is written into the repository: the blocks are compiled in memory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { consoleStep } from '../constructs/model/console-step';
import { planResources } from '../constructs/resources/plan';
import { parseTenants } from '../constructs/tenants/file';

const ROOT = resolve(__dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Fenced blocks of one language, with the line they start on. */
function blocks(language: string): { line: number; code: string }[] {
  const found: { line: number; code: string }[] = [];
  const fence = new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm');
  for (let match = fence.exec(README); match; match = fence.exec(README)) {
    found.push({ line: README.slice(0, match.index).split('\n').length, code: match[1]! });
  }
  return found;
}

/** Type errors of `sources` (virtual files at the repository root), with the repository's compiler options. */
function typeErrors(sources: Map<string, string>): string[] {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError) => (sources.has(name) ? ts.createSourceFile(name, sources.get(name)!, version) : getSourceFile(name, version, onError));
  host.fileExists = (name) => sources.has(name) || ts.sys.fileExists(name);
  host.readFile = (name) => sources.get(name) ?? ts.sys.readFile(name);
  const program = ts.createProgram([...sources.keys()], { ...options, noEmit: true }, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && sources.has(d.file.fileName))
    .map((d) => `${d.file!.fileName.slice(ROOT.length + 1)}:${d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('README snippets', () => {
  const typescript = blocks('ts');

  it('has the worked examples and the offline Pulumi example', () => {
    expect(typescript.length).toBeGreaterThanOrEqual(3);
    expect(typescript.some((b) => b.code.includes('runOffline'))).toBe(true);
  });

  it('every TypeScript block type-checks under the repository\'s tsconfig, as a file at the repository root', () => {
    // README line numbers name the files, so a failure points at the block. A broken control file in the
    // same program proves the check is not vacuous: its error, and only its error, is reported.
    const sources = new Map(typescript.map((b) => [join(ROOT, `README.md-line-${b.line}.ts`), b.code]));
    sources.set(join(ROOT, 'README.md-control.ts'), "import { DynatraceScimIntegration } from './constructs/pulumi/scim-integration';\nnew DynatraceScimIntegration('a', { label: 1 });\n");
    const errors = typeErrors(sources);
    expect(errors.filter((e) => !e.startsWith('README.md-control.ts:'))).toEqual([]);
    expect(errors.filter((e) => e.startsWith('README.md-control.ts:2: ')).length).toBeGreaterThan(0);
  }, 60_000);

  it('the offline Pulumi example runs and prints what Pulumi would register', () => {
    const example = typescript.find((b) => b.code.includes('runOffline'))!;
    // The README saves it at the repository root; here it stays outside, with its imports pointing there.
    const dir = mkdtempSync(join(tmpdir(), 'readme-try-'));
    try {
      const file = join(dir, 'try-pulumi.ts');
      writeFileSync(file, example.code.replace(/'\.\/(constructs|stacks)\//g, (_match, folder: string) => `'${join(ROOT, folder)}/`));
      const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(run.stderr).toBe('');
      expect(run.stdout.trim().split('\n').sort()).toEqual([
        'okta-dynatrace-scim:index:DynatraceScimIntegration acme',
        'okta:app/autoLogin:AutoLogin acme-app',
        'okta:app/groupAssignment:GroupAssignment acme-assignment-dynatrace-admins',
        'okta:index/pushGroup:PushGroup acme-push-dynatrace-admins',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('the minimal tenant of "The model in one page" synthesizes with no connection, features or push mapping, and gets a console step', () => {
    const minimal = blocks('yaml').find((b) => b.code.startsWith('tenants:') && b.code.includes('name: acme'))!;
    const [tenant] = parseTenants(minimal.code, 'README.md');
    const kinds = planResources(tenant!.integration).map((entry) => entry.kind);
    expect(kinds).not.toEqual(expect.arrayContaining(['okta_app_connection']));
    expect(kinds.filter((kind) => ['okta_app_connection', 'okta_app_features', 'okta_push_group'].includes(kind))).toEqual([]);
    expect(tenant!.integration.stage).toBe(1);
    expect(consoleStep(tenant!.name, tenant!.integration, tenant!.okta)?.steps.join('\n')).toContain('Base URL: https://api.sso.dynatrace.com/idm/public/scim/6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10/v2');
  });

  it('every YAML block that is a whole tenants file validates', () => {
    const files = blocks('yaml').filter((b) => b.code.startsWith('tenants:'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(() => parseTenants(file.code, `README.md:${file.line}`)).not.toThrow();
  });
});
