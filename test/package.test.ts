/**
 * The package as someone else's project gets it: `npm pack`, installed with npm into a project of its own
 * whose compiler settings are strict (`strict`, `exactOptionalPropertyTypes`, `noUncheckedIndexedAccess`,
 * no `skipLibCheck`, no `esModuleInterop`, as in the cdktf and Pulumi project templates), and the README's
 * library section, exactly as written, type-checked and run: the CDKTF app synthesizes into its own
 * folder, the Pulumi program and the offline example register what the README says. Also what the
 * tarball holds, what the entry points export and keep internal, one construct tree and one Pulumi
 * runtime, each entry point loading only its own engine, and the installed command.
 *
 * The consumer's engines are this repository's copies (offline). `PACKAGE_TEST_ENGINES=lower` (or
 * `current`) installs them from the registry at the bounds of the peer ranges instead, with npm's own peer
 * resolution (scripts/package-consumer.ts).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { createConsumer, type ConsumerProject, type EngineSource } from '../scripts/package-consumer';
import { codeBlocks, libraryPrograms, readmeSection } from './support/readme';

const ROOT = resolve(__dirname, '..');
const TRACE_LOADS = join(ROOT, 'bench', 'trace-loads.cjs');
const LIBRARY = readmeSection('Use it as a library').text;

const STRICT: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  module: ts.ModuleKind.CommonJS,
  types: ['node'],
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noUnusedLocals: true,
  noImplicitReturns: true,
};

interface Compiled {
  readonly errors: string[];
  /** Every file the compiler read (the consumer's sources and every declaration file they pulled in). */
  readonly files: string[];
}

/** Parsed declaration files, shared by the programs below (parsing them is half the work). */
const parsed = new Map<string, ts.SourceFile>();

/** Type-checks (and, with `outDir`, emits) `sources` as the consumer's compiler would. */
function compile(dir: string, sources: readonly string[], options: ts.CompilerOptions): Compiled {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, target, ...rest) => {
    const key = `${fileName}\0${JSON.stringify(target)}`;
    let file = parsed.get(key);
    if (!file) {
      file = getSourceFile(fileName, target, ...rest);
      if (file) parsed.set(key, file);
    }
    return file;
  };
  const program = ts.createProgram(sources.map((source) => join(dir, 'src', source)), { ...options, rootDir: join(dir, 'src') }, host);
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...(options.noEmit ? [] : program.emit().diagnostics)];
  const errors = diagnostics.map((d) => `${d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  return { errors, files: program.getSourceFiles().map((file) => file.fileName) };
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Packages the process loaded through `require` (engines and our own). */
  readonly packages: string[];
}

/** Runs `args` with node in the consumer project, recording which packages it loads. */
function node(dir: string, args: readonly string[]): Run {
  const trace = join(dir, `loads-${Math.random().toString(36).slice(2)}.txt`);
  const result = spawnSync(process.execPath, ['--require', TRACE_LOADS, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, BENCH_TRACE_LOADS: trace } });
  const loaded = existsSync(trace) ? readFileSync(trace, 'utf8').split('\n').filter(Boolean) : [];
  rmSync(trace, { force: true });
  const packages = [...new Set(loaded.flatMap((path) => [...path.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].map((match) => match[1]!)))];
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, packages };
}

const ENGINE_MODULES = { cdktf: /^(cdktf|constructs|@cdktf\/.*)$/, pulumi: /^@pulumi\// };
const engineFiles = (files: readonly string[], engine: keyof typeof ENGINE_MODULES) =>
  files.filter((file) => [...file.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].some((match) => ENGINE_MODULES[engine].test(match[1]!)));

/** A program of the test's own: the README's CDKTF app with the two invalid props the README names. */
const INVALID_PROPS = `import { App, TerraformStack } from 'cdktf';
import { DynatraceScimIntegration, OktaProvider } from 'okta-dynatrace-scim/cdktf';

const app = new App({ outdir: 'invalid.out' });
const stack = new TerraformStack(app, 'okta-scim');
new OktaProvider(stack, 'okta', { orgName: 'acme', baseUrl: 'okta.com' });
try {
  new DynatraceScimIntegration(stack, 'dynatrace', {
    label: 'Dynatrace SCIM',
    authMode: 'header',
    scimBaseUrl: 'http://dynatrace.example.com',
    scimToken: { env: 'ACME_DT_SCIM_TOKEN' },
    groups: [{ priority: 0 }],
  });
} catch (error) {
  console.log((error as Error).message);
}
`;

/** The model alone: a tenants file read and validated, its console step rendered. */
const MODEL_ONLY = `import { consoleStep, parseTenants, SpecError } from 'okta-dynatrace-scim';

const [tenant] = parseTenants(
  'tenants:\\n  - name: acme\\n    okta: { orgName: acme }\\n    integration:\\n      label: Dynatrace SCIM\\n      authMode: header\\n      scimBaseUrl: https://api.sso.dynatrace.com/idm/public/scim/6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10/v2\\n      scimToken: { env: ACME_DT_SCIM_TOKEN }\\n',
);
console.log(tenant?.integration.stage, consoleStep('acme', tenant!.integration, tenant!.okta)?.status);
try {
  parseTenants('tenants: []');
} catch (error) {
  if (error instanceof SpecError) console.log(error.issues[0]?.path);
}
`;

/** Runs the README's Pulumi program under mocks (through the package's own `runOffline`) and prints what it registered. */
const RUN_PULUMI_PROGRAM = `const { runOffline } = require('okta-dynatrace-scim/pulumi');
let program;
runOffline(() => { program = require('./build/pulumi-program.js'); return []; }, 'acme', 'consumer').then((run) => {
  program.oktaAppId.apply((appId) => console.log(JSON.stringify({ appId, resources: run.resources.map((r) => r.type + ' ' + r.name), invokes: run.invokes.map((i) => i.token) })));
});
`;

const engines = (process.env.PACKAGE_TEST_ENGINES ?? 'repository') as EngineSource;

describe(`the package, installed into a project of its own (engines: ${engines})`, () => {
  let consumer: ConsumerProject;
  let dir: string;
  let compiled: Record<'cdktf' | 'pulumi' | 'model' | 'node16', Compiled>;

  beforeAll(() => {
    consumer = createConsumer(engines);
    dir = consumer.dir;
    const programs = libraryPrograms();
    mkdirSync(join(dir, 'src'));
    const sources = { 'cdktf-app.ts': programs.cdktfApp, 'pulumi-program.ts': programs.pulumiProgram, 'try-pulumi.ts': programs.offline, 'invalid-props.ts': INVALID_PROPS, 'model.ts': MODEL_ONLY };
    for (const [file, code] of Object.entries(sources)) writeFileSync(join(dir, 'src', file), code);
    writeFileSync(join(dir, 'run-pulumi-program.js'), RUN_PULUMI_PROGRAM);
    const emit = { ...STRICT, outDir: join(dir, 'build') };
    compiled = {
      cdktf: compile(dir, ['cdktf-app.ts', 'invalid-props.ts'], emit),
      pulumi: compile(dir, ['pulumi-program.ts', 'try-pulumi.ts'], emit),
      model: compile(dir, ['model.ts'], emit),
      // The same sources with node16 resolution: the `exports` map instead of `typesVersions`.
      node16: compile(dir, Object.keys(sources), { ...STRICT, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, noEmit: true }),
    };
  }, 300_000);

  afterAll(() => {
    if (consumer) rmSync(consumer.scratch, { recursive: true, force: true });
  });

  it('holds compiled JavaScript, declarations and their maps, the command and the schema; no tests, fixtures, docs, scripts or entry points of the repository', () => {
    const files = consumer.packed.files;
    for (const file of ['package.json', 'README.md', 'bin/okta-dynatrace-scim.js', 'schema/tenants.schema.json', 'dist/cli/main.js', 'dist/operations/synth/pulumi-report-worker.js']) expect(files).toContain(file);
    for (const entry of ['dist/constructs/index', 'dist/constructs/cdktf/index', 'dist/constructs/pulumi/index']) {
      for (const extension of ['.js', '.d.ts', '.d.ts.map']) expect(files).toContain(`${entry}${extension}`);
    }
    expect(files.filter((file) => /^(test|docs|bench|scripts|stacks|operations|cli|\.github|\.ci|schema\/(?!tenants\.schema\.json))\b/.test(file))).toEqual([]);
    expect(files.filter((file) => /(^|\/)(tsconfig.*|jest\.config\.js|tenants\.yaml|Pulumi\..*yaml|cdktf\.json|package-lock\.json)$|fixtures\//.test(file))).toEqual([]);
    // TypeScript sources only where the declaration maps point: the library's own.
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.startsWith('constructs/'))).toEqual([]);
    const maps = files.filter((file) => file.endsWith('.d.ts.map') && file.startsWith('dist/constructs/'));
    const missing = maps.flatMap((map) => {
      const { sources } = JSON.parse(readFileSync(join(dir, 'node_modules', 'okta-dynatrace-scim', map), 'utf8')) as { sources: string[] };
      return sources.map((source) => resolve(join(dir, 'node_modules', 'okta-dynatrace-scim', map, '..'), source)).filter((source) => !existsSync(source));
    });
    expect(missing).toEqual([]);
  });

  it('is installed with its own dependencies only: no copy of an engine inside it', () => {
    const installed = join(dir, 'node_modules', 'okta-dynatrace-scim');
    const { dependencies, peerDependencies, peerDependenciesMeta } = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(Object.keys(dependencies!).sort()).toEqual(['commander', 'jose', 'undici', 'yaml']);
    // zod is bundled into the one module that exports it (scripts/bundle-zod.ts), its licence in front: nothing requires the package.
    const zod = readFileSync(join(installed, 'dist', 'constructs', 'zod.js'), 'utf8');
    expect(zod).toMatch(/^\/\*! zod \d+\.\d+\.\d+ [^\n]*\n\nMIT License\n\nCopyright \(c\) \d{4} Colin McDonnell/);
    expect(zod).not.toMatch(/require\(/);
    expect(Object.keys(peerDependencies!).sort()).toEqual(['@cdktf/provider-okta', '@pulumi/okta', '@pulumi/pulumi', 'cdktf', 'constructs']);
    expect(Object.values(peerDependenciesMeta!)).toEqual(Array(5).fill({ optional: true }));
    expect(existsSync(join(installed, 'node_modules'))).toBe(false);
  });

  it('type-checks the README\'s programs under strict settings with no error, in our declarations or anyone\'s', () => {
    expect(compiled.cdktf.errors).toEqual([]);
    expect(compiled.pulumi.errors).toEqual([]);
    expect(compiled.model.errors).toEqual([]);
    expect(compiled.node16.errors).toEqual([]);
    // Not vacuous: the checked program read the package's declarations and the engines'.
    expect(compiled.cdktf.files.some((file) => file.endsWith('okta-dynatrace-scim/dist/constructs/cdktf/scim-integration.d.ts'))).toBe(true);
    expect(engineFiles(compiled.cdktf.files, 'cdktf').length).toBeGreaterThan(0);
    expect(engineFiles(compiled.pulumi.files, 'pulumi').length).toBeGreaterThan(0);
  });

  it('each entry point\'s types need only its own engine, and the model\'s none', () => {
    expect(engineFiles(compiled.cdktf.files, 'pulumi')).toEqual([]);
    expect(engineFiles(compiled.pulumi.files, 'cdktf')).toEqual([]);
    expect([...engineFiles(compiled.model.files, 'cdktf'), ...engineFiles(compiled.model.files, 'pulumi')]).toEqual([]);
  });

  it('the CDKTF app synthesizes into its own output folder and stack, with the resources the README shows', () => {
    const run = node(dir, ['build/cdktf-app.js']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
    const json = JSON.parse(readFileSync(join(dir, 'okta-scim.out', 'stacks', 'okta-scim', 'cdk.tf.json'), 'utf8')) as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
    const addresses = [...Object.entries(json.resource!).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)), ...Object.entries(json.data!).flatMap(([type, byName]) => Object.keys(byName).map((name) => `data.${type}.${name}`))];
    expect(addresses.sort()).toEqual([
      'data.okta_group.dynatrace_group_dynatrace_admins',
      'okta_app_auto_login.dynatrace_app',
      'okta_app_group_assignment.dynatrace_assignment_dynatrace_admins',
      'okta_push_group.dynatrace_push_dynatrace_admins',
    ]);
    expect(json.resource!.okta_app_auto_login!.dynatrace_app).toMatchObject({ label: 'Dynatrace SCIM', preconfigured_app: 'scim2headerauth', status: 'ACTIVE', user_name_template: '$${source.email}', user_name_template_type: 'BUILT_IN', lifecycle: { prevent_destroy: true } });
    expect(json.resource!.okta_push_group!.dynatrace_push_dynatrace_admins).toMatchObject({
      app_id: '${okta_app_auto_login.dynatrace_app.id}',
      source_group_id: '${data.okta_group.dynatrace_group_dynatrace_admins.id}',
      target_group_name: 'Dynatrace Admins',
      status: 'ACTIVE',
      delete_target_group_on_destroy: false,
    });
    expect(json.terraform).toMatchObject({ required_providers: { okta: { source: 'okta/okta', version: '~> 7.0' } } });
    expect(run.packages.filter((name) => ENGINE_MODULES.pulumi.test(name))).toEqual([]);
  });

  it('invalid props fail at construction with the message the README shows: the construct path, each field, its fix', () => {
    const run = node(dir, ['build/invalid-props.js']);
    const shown = codeBlocks(LIBRARY).find((block) => block.language === '' && block.code.startsWith('Invalid props of DynatraceScimIntegration'));
    expect(shown).toBeDefined();
    expect(run.stdout).toBe(shown!.code);
  });

  it('the Pulumi program registers the provider, the component and its children, and exports the app id', () => {
    const run = node(dir, ['run-pulumi-program.js']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      appId: 'acme-app-id',
      resources: [
        'pulumi:providers:okta acme',
        'okta-dynatrace-scim:index:DynatraceScimIntegration acme',
        'okta:app/autoLogin:AutoLogin acme-app',
        'okta:app/groupAssignment:GroupAssignment acme-assignment-dynatrace-admins',
        'okta:index/pushGroup:PushGroup acme-push-dynatrace-admins',
      ],
      invokes: ['okta:group/getGroup:getGroup'],
    });
    expect(run.packages.filter((name) => ENGINE_MODULES.cdktf.test(name))).toEqual([]);
  });

  it('the offline example prints what the README says', () => {
    const run = node(dir, ['build/try-pulumi.js']);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim().split('\n').sort()).toEqual([
      'okta-dynatrace-scim:index:DynatraceScimIntegration acme',
      'okta:app/autoLogin:AutoLogin acme-app',
      'okta:app/groupAssignment:GroupAssignment acme-assignment-dynatrace-admins',
      'okta:index/pushGroup:PushGroup acme-push-dynatrace-admins',
    ]);
  });

  it('the model entry point works without any engine', () => {
    const run = node(dir, ['build/model.js']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('1 stage 1 of 2: after the first apply, the console step below is next\ntenants.yaml: tenants\n');
    expect(run.packages.filter((name) => ENGINE_MODULES.cdktf.test(name) || ENGINE_MODULES.pulumi.test(name))).toEqual([]);
  });

  it('one construct tree and one Pulumi runtime: the package resolves the consumer\'s own engine copies, at the versions under test', () => {
    const installed = join(dir, 'node_modules', 'okta-dynatrace-scim', 'dist', 'constructs');
    for (const [engine, version] of Object.entries(consumer.engines)) {
      const resolved = realpathSync(require.resolve(engine, { paths: [dir] }));
      expect(realpathSync(require.resolve(engine, { paths: [installed] }))).toBe(resolved);
      const packageDir = resolved.slice(0, resolved.lastIndexOf(`node_modules/${engine}/`) + `node_modules/${engine}`.length);
      expect(`${engine}@${(JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version}`).toBe(`${engine}@${version}`);
    }
    expect(Object.keys(consumer.engines).sort()).toEqual(['@cdktf/provider-okta', '@pulumi/okta', '@pulumi/pulumi', 'cdktf', 'constructs']);
  });

  it('exports the entry points the README lists, and nothing of its internals', () => {
    const listed = (entry: string) => {
      const row = LIBRARY.split('\n').find((line) => line.startsWith(`| \`${entry}\` |`))!;
      return [...row.split('|')[2]!.matchAll(/`([A-Za-z_]+)`/g)].map((match) => match[1]!).filter((name) => !/Spec$/.test(name) || name === 'ScimIntegrationSpec');
    };
    const probe = `const entries = { '.': require('okta-dynatrace-scim'), cdktf: require('okta-dynatrace-scim/cdktf'), pulumi: require('okta-dynatrace-scim/pulumi') };
      const names = Object.fromEntries(Object.entries(entries).map(([k, m]) => [k, Object.keys(m).sort()]));
      let internal; try { require('okta-dynatrace-scim/dist/constructs/model/resolve'); } catch (e) { internal = e.code; }
      console.log(JSON.stringify({ names, internal, schema: require('okta-dynatrace-scim/tenants.schema.json').title }));`;
    const run = node(dir, ['-e', probe]);
    const { names, internal, schema } = JSON.parse(run.stdout) as { names: Record<string, string[]>; internal: string; schema: string };
    expect(names.cdktf).toEqual(listed('okta-dynatrace-scim/cdktf').sort());
    expect(names.pulumi).toEqual(listed('okta-dynatrace-scim/pulumi').sort());
    // The model's row also names its types (ScimIntegrationSpec); the module exports the values.
    expect(names['.']).toEqual(listed('okta-dynatrace-scim').filter((name) => name !== 'ScimIntegrationSpec').sort());
    expect(internal).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    expect(schema).toBe('okta-dynatrace-scim tenants file');
  });

  it('without the engines (and without zod, which it bundles), the model and `validate` work, and each engine entry point and `synth` say what to install', () => {
    // A project with the package and its own dependencies only, away from every node_modules holding an engine.
    const bare = realpathSync(mkdtempSync(join(tmpdir(), 'okta-dynatrace-scim-bare-')));
    try {
      cpSync(join(dir, 'node_modules', 'okta-dynatrace-scim'), join(bare, 'node_modules', 'okta-dynatrace-scim'), { recursive: true });
      // No zod: the package carries its bundled copy.
      for (const name of ['commander', 'undici', 'yaml']) cpSync(join(dir, 'node_modules', name), join(bare, 'node_modules', name), { recursive: true, dereference: true });
      writeFileSync(join(bare, 'tenants.yaml'), readFileSync(join(ROOT, 'tenants.yaml')));
      const require = (entry: string) => spawnSync(process.execPath, ['-e', `require('${entry}')`], { cwd: bare, encoding: 'utf8' });
      expect(require('okta-dynatrace-scim').status).toBe(0);
      expect(require('okta-dynatrace-scim/cdktf').stderr).toContain(
        "MissingEngineError: okta-dynatrace-scim/cdktf needs cdktf, constructs, @cdktf/provider-okta (peer dependencies of okta-dynatrace-scim, installed by your project). Fix: npm install 'cdktf@^0.21.0' 'constructs@^10.4.2' '@cdktf/provider-okta@^14.1.1'.",
      );
      expect(require('okta-dynatrace-scim/pulumi').stderr).toContain("MissingEngineError: okta-dynatrace-scim/pulumi needs @pulumi/pulumi, @pulumi/okta (peer dependencies of okta-dynatrace-scim, installed by your project). Fix: npm install '@pulumi/pulumi@^3.142.0' '@pulumi/okta@^7.0.0'.");
      const bin = join(bare, 'node_modules', 'okta-dynatrace-scim', 'bin', 'okta-dynatrace-scim.js');
      expect(spawnSync(process.execPath, [bin, 'validate'], { cwd: bare, encoding: 'utf8' }).status).toBe(0);
      const synth = spawnSync(process.execPath, [bin, 'synth'], { cwd: bare, encoding: 'utf8' });
      expect(synth.status).toBe(64);
      expect(synth.stderr).toBe("synth needs cdktf, constructs, @cdktf/provider-okta (peer dependencies of okta-dynatrace-scim, installed by your project). Fix: npm install 'cdktf@^0.21.0' 'constructs@^10.4.2' '@cdktf/provider-okta@^14.1.1'.\n");
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('the installed command runs the compiled CLI: its version, and synth with both engines (the Pulumi worker included)', () => {
    const bin = join(dir, 'node_modules', '.bin', 'okta-dynatrace-scim');
    const version = spawnSync(bin, ['--version'], { cwd: dir, encoding: 'utf8' });
    expect(version.stdout).toBe(`${consumer.packed.version}\n`);
    writeFileSync(join(dir, 'tenants.yaml'), readFileSync(join(ROOT, 'tenants.yaml')));
    const synth = spawnSync(bin, ['synth', '--out', 'synth.out'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(synth.status).toBe(0);
    expect(synth.stdout).toContain('done: 3 CDKTF stacks in synth.out/stacks, 3 Pulumi stacks');
    expect(synth.stdout).toContain('okta:app/autoLogin:AutoLogin acme-app');
    expect(existsSync(join(dir, 'synth.out', 'stacks', 'acme', 'cdk.tf.json'))).toBe(true);
  });
});
