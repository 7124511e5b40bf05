/**
 * `synth --synth-dir`: synth writes only into a folder of its own and only ever replaces or removes what it
 * recorded there. Every test runs the CLI in a throwaway checkout (package.json, .git, sources,
 * uncommitted files, someone's build output, a neighbouring folder) and compares snapshots of the whole
 * tree around it before and after.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import fs = require('node:fs');
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import fc from 'fast-check';
import { EXIT } from '../cli/main';
import { checkout, removeCheckouts, synth, TENANTS, WITHOUT_GLOBEX, write, type Checkout, type Result } from './support/checkout';
import { changedPaths, snapshot, type Tree } from './support/tree';

/** The marker's documented name (README, "The output folder"). */
const MARKER = '.okta-dynatrace-scim-output';

afterAll(removeCheckouts);


interface Marker {
  about: string;
  writtenBy: string;
  format: number;
  files: string[];
  folders: string[];
}

function markerIn(outdir: string): Marker {
  return JSON.parse(readFileSync(join(outdir, MARKER), 'utf8')) as Marker;
}

/** Fails unless every path that changed under `base` is one synth recorded (before or after) or created to hold its folder. */
function expectOnlyRecordedChanges(base: string, before: Tree, after: Tree, outdir: string, previous?: Marker): void {
  const now = markerIn(outdir);
  const owned = new Set([MARKER, ...now.files, ...now.folders, ...(previous?.files ?? []), ...(previous?.folders ?? [])]);
  const unexpected = changedPaths(before, after).filter((path) => {
    const absolute = join(base, path);
    const inside = relative(outdir, absolute);
    if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside) && owned.has(inside.split(sep).join('/')))) return false;
    // The output folder and the folders above it may be created (never removed or changed).
    return !(relative(absolute, outdir).split(sep).every((part) => part !== '..') && !before.has(path) && after.get(path)?.type === 'dir');
  });
  expect(unexpected).toEqual([]);
  expect([...after.keys()].filter((path) => path.endsWith('.okta-dynatrace-scim-tmp'))).toEqual([]);
}

/** Runs `act` while the n-th temporary file synth writes fails, as on a full disk. */
async function withFailingWrite<T>(n: number, act: () => Promise<T>): Promise<T> {
  const original = fs.writeFileSync;
  let count = 0;
  const spy = jest.spyOn(fs, 'writeFileSync').mockImplementation((file, ...rest) => {
    if (String(file).endsWith('.okta-dynatrace-scim-tmp') && ++count === n) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    return original(file, ...rest);
  });
  try {
    return await act();
  } finally {
    spy.mockRestore();
  }
}

/** Runs synth and expects a refusal (exit 1) whose message says `expected`, with the whole tree unchanged; returns stderr. */
async function expectRefusal(project: Checkout, out: string, expected: string | RegExp, ...extra: string[]): Promise<string> {
  const before = snapshot(project.base);
  const result = await synth(project, out, ...extra);
  expect(result.code).toBe(EXIT.usage);
  if (typeof expected === 'string') expect(result.stderr).toContain(expected);
  else expect(result.stderr).toMatch(expected);
  expect(changedPaths(before, snapshot(project.base))).toEqual([]);
  return result.stderr;
}

/** Replaces a stack folder in the output by a symbolic link to the checkout's sources. */
function linkStack(outdir: string, stack: string): void {
  rmSync(join(outdir, 'stacks', stack), { recursive: true });
  symlinkSync('../../constructs', join(outdir, 'stacks', stack));
}

/**
 * Puts files of others into the output folder (paths relative to it), runs synth, and checks that they
 * came through untouched. Returns the result and the snapshots before and after.
 */
async function synthBeside(project: Checkout, othersFiles: readonly string[]): Promise<{ result: Result; before: Tree; after: Tree }> {
  for (const file of othersFiles) write(join(project.root, 'cdktf.out', file), `not written by synth: ${file}`);
  const before = snapshot(project.base);
  const result = await synth(project, 'cdktf.out');
  expect(result.code).toBe(0);
  const after = snapshot(project.base);
  for (const file of othersFiles) expect(after.get(`project/cdktf.out/${file}`)).toEqual(before.get(`project/cdktf.out/${file}`));
  return { result, before, after };
}

describe('synth --synth-dir refuses folders it did not write', () => {
  const refused: [string, (project: Checkout) => string, RegExp][] = [
    ['. (the checkout, with .git and uncommitted files)', () => '.', /is the project root .*\(it holds package\.json, \.git\)/],
    ['.. (above the checkout)', () => '..', /is a folder above the project root/],
    ['stacks (the sources)', () => 'stacks', /is inside .*\/project\/stacks, part of the project's sources/],
    ['constructs, as an absolute path', (project) => join(project.root, 'constructs'), /part of the project's sources/],
    ['test/new (a new folder inside the sources)', () => 'test/new', /part of the project's sources/],
    ['.git', () => '.git', /part of the project's sources/],
    ['build/../stacks', () => 'build/../stacks', /part of the project's sources/],
    ['cdktf.out/../..', () => 'cdktf.out/../..', /is a folder above the project root/],
    ['a symbolic link to the checkout', () => 'link-to-root', /is the project root/],
    ['a file', () => 'notes.txt', /notes\.txt is a file, not a folder/],
    ['a path through a file', () => 'notes.txt/out', /notes\.txt is not a folder/],
    ["a folder holding someone's file", () => 'build', /holds files that synth did not write \(there is no \.okta-dynatrace-scim-output in it\)/],
    ['a neighbouring folder holding a file', () => '../neighbour', /holds files that synth did not write/],
  ];

  it.each(refused)('refuses %s: exit 1, the path and the fix, nothing changed', async (_name, out, message) => {
    const project = checkout();
    const stderr = await expectRefusal(project, out(project), message);
    expect(stderr).toContain(`--synth-dir ${out(project)}: `);
    expect(stderr).toMatch(/Fix: choose/);
  });

  it("refuses the tenants file's folder, when the tenants file is not at the project root", async () => {
    await expectRefusal(checkout('config'), 'config', '--synth-dir config: is the folder of the tenants file config/tenants.yaml');
  });

  it('refuses the output of an earlier version (no marker) and says to delete it once', async () => {
    const project = checkout();
    write(join(project.root, 'cdktf.out', 'manifest.json'), '{}');
    write(join(project.root, 'cdktf.out', 'stacks', 'acme', 'cdk.tf.json'), '{}');
    await expectRefusal(project, 'cdktf.out', 'it looks like the output of an earlier version of synth, which wrote no marker. Fix: delete cdktf.out yourself once');
  });

  it.each([
    ['a path outside the folder', (marker: Marker) => ({ ...marker, files: [...marker.files, '../package.json'] })],
    ['an absolute path', (marker: Marker) => ({ ...marker, files: ['/etc/hostname'] })],
    ['not JSON', () => 'synth wrote this, promise'],
  ])('refuses a damaged or forged marker (%s) and changes nothing', async (_name, forge) => {
    const project = checkout();
    expect((await synth(project, 'cdktf.out')).code).toBe(0);
    const outdir = join(project.root, 'cdktf.out');
    const forged = forge(markerIn(outdir));
    writeFileSync(join(outdir, MARKER), typeof forged === 'string' ? forged : JSON.stringify(forged));
    await expectRefusal(project, 'cdktf.out', `${join(outdir, MARKER)} is damaged`);
  });

  it('refuses an output folder inside another one', async () => {
    const project = checkout();
    expect((await synth(project, 'cdktf.out')).code).toBe(0);
    await expectRefusal(project, 'cdktf.out/stacks/new', `is inside ${join(project.root, 'cdktf.out')}, which synth writes itself`);
  });
});

describe('synth --synth-dir writes into a folder of its own', () => {
  it.each(['cdktf.out', 'empty', 'build/cdktf.out'])('writes into the missing or empty folder %s and records every file and folder it wrote', async (out) => {
    const project = checkout();
    const before = snapshot(project.base);
    const result = await synth(project, out);
    expect(result.code).toBe(0);
    const outdir = join(project.root, out);
    const marker = markerIn(outdir);
    expect(marker).toEqual({
      about: expect.stringContaining('This folder is written by `okta-dynatrace-scim synth`'),
      writtenBy: 'okta-dynatrace-scim synth',
      format: 1,
      files: ['manifest.json', 'stacks/acme/cdk.tf.json', 'stacks/acme/console-step.md', 'stacks/globex/cdk.tf.json'],
      folders: ['stacks', 'stacks/acme', 'stacks/globex'],
    });
    expect(marker.about).toContain('refuses to write into a non-empty folder without this file');
    expectOnlyRecordedChanges(project.base, before, snapshot(project.base), outdir);
  });

  it('replaces only what it recorded: files of others inside its folder, beside it and in .git survive', async () => {
    const project = checkout();
    expect((await synth(project, 'cdktf.out')).code).toBe(0);
    const outdir = join(project.root, 'cdktf.out');
    writeFileSync(join(project.root, 'tenants.yaml'), TENANTS.replace('label: Dynatrace SCIM', 'label: Dynatrace SCIM (renamed)'));
    const { before, after } = await synthBeside(project, ['stacks/acme/.terraform/providers/okta', 'stacks/acme/.terraform.lock.hcl', 'stacks/acme/tfplan', 'mine.txt']);
    expect(changedPaths(before, after)).toEqual([
      'project/cdktf.out/.okta-dynatrace-scim-output',
      'project/cdktf.out/manifest.json',
      'project/cdktf.out/stacks/acme/cdk.tf.json',
      'project/cdktf.out/stacks/acme/console-step.md',
      'project/cdktf.out/stacks/globex/cdk.tf.json',
    ]);
    expect(readFileSync(join(outdir, 'stacks', 'acme', 'cdk.tf.json'), 'utf8')).toContain('Dynatrace SCIM (renamed)');
  });

  it('refuses to replace a file it did not write, even inside its own folder', async () => {
    const project = checkout();
    expect((await synth(project, 'cdktf.out')).code).toBe(0);
    writeFileSync(join(project.root, 'tenants.yaml'), `${TENANTS}${TENANTS.slice(TENANTS.indexOf('  - name: globex')).replace(/globex/g, 'initech')}`);
    write(join(project.root, 'cdktf.out', 'stacks', 'initech', 'cdk.tf.json'), 'written by hand');
    const file = join(project.root, 'cdktf.out', 'stacks', 'initech', 'cdk.tf.json');
    await expectRefusal(project, 'cdktf.out', `${file} exists, but synth did not write it. Fix: move it out of the output folder`);
  });

  it('never writes through a symbolic link in its folder', async () => {
    const project = checkout();
    const outdir = join(project.root, 'cdktf.out');
    expect((await synth(project, 'cdktf.out')).code).toBe(0);
    linkStack(outdir, 'globex');
    await expectRefusal(project, 'cdktf.out', `${join(outdir, 'stacks', 'globex')} is a symbolic link or a file where synth needs a folder of its own`);
  });

  it('never deletes through a symbolic link when cleaning up a removed tenant', async () => {
    const project = checkout();
    const outdir = join(project.root, 'cdktf.out');
    expect((await synth(project, 'cdktf.out')).code).toBe(0);
    linkStack(outdir, 'globex');
    writeFileSync(join(project.root, 'tenants.yaml'), WITHOUT_GLOBEX);
    const previous = markerIn(outdir);
    const before = snapshot(project.base);
    const result = await synth(project, 'cdktf.out');
    expect(result.code).toBe(0);
    const after = snapshot(project.base);
    expect(after.get('project/constructs/cdk.tf.json')).toEqual(before.get('project/constructs/cdk.tf.json'));
    expect(after.get('project/cdktf.out/stacks/globex')).toEqual({ type: 'link', target: '../../constructs' });
    expectOnlyRecordedChanges(project.base, before, after, outdir, previous);
    expect(markerIn(outdir)).toMatchObject({ files: ['manifest.json', 'stacks/acme/cdk.tf.json', 'stacks/acme/console-step.md'], folders: ['stacks', 'stacks/acme'] });
  });

  it.each([[[]], [['--tenant', 'acme']]])('a failed synth %j leaves the previous output, its marker and everything around it untouched', async (extra) => {
    const project = checkout();
    expect((await synth(project, 'cdktf.out')).code).toBe(0);
    writeFileSync(join(project.root, 'tenants.yaml'), TENANTS.replace('label: Dynatrace SCIM', 'label: Dynatrace SCIM (renamed)'));
    const before = snapshot(project.base);
    const result = await withFailingWrite(2, () => synth(project, 'cdktf.out', ...extra));
    expect(result.code).toBe(EXIT.unexpected);
    expect(result.stderr).toContain('ENOSPC');
    expect(changedPaths(before, snapshot(project.base))).toEqual([]);
  });

  it('a failed first synth leaves no folder behind', async () => {
    const project = checkout();
    const before = snapshot(project.base);
    expect((await withFailingWrite(3, () => synth(project, 'build/new/cdktf.out'))).code).toBe(EXIT.unexpected);
    expect(changedPaths(before, snapshot(project.base))).toEqual([]);
  });
});

describe('synth --tenant', () => {
  it("updates only that tenant's stack and its manifest entry", async () => {
    const project = checkout();
    expect((await synth(project, 'cdktf.out')).code).toBe(0);
    const outdir = join(project.root, 'cdktf.out');
    const fullManifest = readFileSync(join(outdir, 'manifest.json'), 'utf8');
    writeFileSync(join(project.root, 'tenants.yaml'), TENANTS.replace(/label: Dynatrace\n/, 'label: Dynatrace (renamed)\n').replace('label: Dynatrace SCIM', 'label: Dynatrace SCIM (renamed)'));
    const before = snapshot(project.base);
    const result = await synth(project, 'cdktf.out', '--tenant', 'acme');
    expect(result.code).toBe(0);
    const after = snapshot(project.base);
    // globex keeps its stack as synthesized before (its label change is not applied) and its manifest entry.
    expect(after.get('project/cdktf.out/stacks/globex/cdk.tf.json')).toEqual(before.get('project/cdktf.out/stacks/globex/cdk.tf.json'));
    expect(readFileSync(join(outdir, 'manifest.json'), 'utf8')).toBe(fullManifest);
    expect(changedPaths(before, after)).toEqual([
      'project/cdktf.out/.okta-dynatrace-scim-output',
      'project/cdktf.out/manifest.json',
      'project/cdktf.out/stacks/acme/cdk.tf.json',
      'project/cdktf.out/stacks/acme/console-step.md',
    ]);
    expect(readFileSync(join(outdir, 'stacks', 'acme', 'cdk.tf.json'), 'utf8')).toContain('Dynatrace SCIM (renamed)');
    expect(after.get('project/cdktf.out/.okta-dynatrace-scim-output')).toMatchObject({ sha256: (before.get('project/cdktf.out/.okta-dynatrace-scim-output') as { sha256: string }).sha256 });
  });

  it('adds a new stack beside the others and merges its entry into the CDKTF manifest', async () => {
    const project = checkout();
    expect((await synth(project, 'cdktf.out', '--tenant', 'globex')).code).toBe(0);
    const outdir = join(project.root, 'cdktf.out');
    expect((await synth(project, 'cdktf.out', '--tenant', 'acme')).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { version: string; stacks: Record<string, { synthesizedStackPath: string }> };
    expect(manifest.version).toBe('0.21.0');
    expect(Object.keys(manifest.stacks)).toEqual(['acme', 'globex']);
    expect(manifest.stacks.globex.synthesizedStackPath).toBe('stacks/globex/cdk.tf.json');
    const full = checkout();
    expect((await synth(full, 'cdktf.out')).code).toBe(0);
    expect(readFileSync(join(outdir, 'manifest.json'), 'utf8')).toBe(readFileSync(join(full.root, 'cdktf.out', 'manifest.json'), 'utf8'));
    expect(markerIn(outdir).files).toEqual(['manifest.json', 'stacks/acme/cdk.tf.json', 'stacks/acme/console-step.md', 'stacks/globex/cdk.tf.json']);
  });

  it("leaves the stacks of tenants no longer listed alone (only a full synth cleans up)", async () => {
    const project = checkout();
    expect((await synth(project, 'cdktf.out')).code).toBe(0);
    writeFileSync(join(project.root, 'tenants.yaml'), WITHOUT_GLOBEX);
    const before = snapshot(project.base);
    expect((await synth(project, 'cdktf.out', '--tenant', 'acme')).code).toBe(0);
    const changed = changedPaths(before, snapshot(project.base));
    expect(changed.filter((path) => path.includes('globex'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(project.root, 'cdktf.out', 'manifest.json'), 'utf8')).stacks).toHaveProperty('globex');
  });

});

describe('a full synth and tenants no longer listed', () => {
  it('removes the files it wrote for them, and their folders once empty', async () => {
    const project = checkout();
    expect((await synth(project, 'cdktf.out')).code).toBe(0);
    writeFileSync(join(project.root, 'tenants.yaml'), WITHOUT_GLOBEX);
    const result = await synth(project, 'cdktf.out');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('removed cdktf.out/stacks/globex/cdk.tf.json (written by an earlier synth; no tenant "globex" in tenants.yaml any more)\n');
    expect(result.stdout).toContain('removed cdktf.out/stacks/globex (written by an earlier synth; no tenant "globex" in tenants.yaml any more)\n');
    expect(existsSync(join(project.root, 'cdktf.out', 'stacks', 'globex'))).toBe(false);
    expect(Object.keys(JSON.parse(readFileSync(join(project.root, 'cdktf.out', 'manifest.json'), 'utf8')).stacks)).toEqual(['acme']);
  });

  it('keeps such a folder, and says so, when it holds files synth did not write', async () => {
    const project = checkout();
    const outdir = join(project.root, 'cdktf.out');
    expect((await synth(project, 'cdktf.out')).code).toBe(0);
    writeFileSync(join(project.root, 'tenants.yaml'), WITHOUT_GLOBEX);
    const { result, before, after } = await synthBeside(project, ['stacks/globex/.terraform/terraform.tfstate', 'stacks/globex/tfplan']);
    expect(changedPaths(before, after)).toEqual([
      'project/cdktf.out/.okta-dynatrace-scim-output',
      'project/cdktf.out/manifest.json',
      'project/cdktf.out/stacks/acme/cdk.tf.json',
      'project/cdktf.out/stacks/acme/console-step.md',
      'project/cdktf.out/stacks/globex/cdk.tf.json',
    ]);
    expect(after.has('project/cdktf.out/stacks/globex/cdk.tf.json')).toBe(false);
    expect(result.stderr).toContain('note kept cdktf.out/stacks/globex: it holds .terraform, tfplan, which synth did not write. Delete it yourself once nothing in it is needed.');
    // Still recorded: removed by a later synth once it is empty.
    expect(markerIn(outdir).folders).toContain('stacks/globex');
  });
});

describe('the source folders synth refuses', () => {
  it('include every top-level folder this repository tracks', () => {
    // Required here, not imported: every other test drives synth through the CLI only, so it runs against any version.
    const { SOURCE_FOLDERS } = require('../operations/synth/output-folder') as typeof import('../operations/synth/output-folder');
    const tracked = execFileSync('git', ['ls-files'], { encoding: 'utf8' }).split('\n').filter((path) => path.includes('/')).map((path) => path.split('/')[0]);
    expect([...new Set(tracked)].filter((folder) => !SOURCE_FOLDERS.includes(folder))).toEqual([]);
  });
});

describe('property: whatever the layout and --synth-dir, synth refuses or touches only what it recorded', () => {
  /** An earlier synth's output for the example tenants, copied into layouts that have one. */
  let earlier: string;
  beforeAll(async () => {
    const project = checkout();
    expect((await synth(project, 'cdktf.out')).code).toBe(0);
    earlier = join(project.root, 'cdktf.out');
  });

  const layouts = fc.record({
    tenantsFolder: fc.constantFrom('', 'config'),
    earlierOutput: fc.boolean(),
    othersFilesInOutput: fc.boolean(),
    symlinkedStack: fc.constantFrom(undefined, 'acme', 'globex'),
    withoutGlobex: fc.boolean(),
    selection: fc.boolean(),
    failingWrite: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  });
  const outs = fc.constantFrom(
    '.', '..', 'stacks', 'constructs', 'config', '.git/out', 'notes.txt', 'notes.txt/out', 'link-to-root', 'link-to-root/cdktf.out',
    'build/../stacks', 'cdktf.out/../..', 'ABSOLUTE/constructs', 'ABSOLUTE/cdktf.out', 'cdktf.out', 'cdktf.out/stacks', 'build', 'build/cdktf.out', 'empty', '../neighbour', '../fresh',
  );
  const alwaysRefused = new Set(['.', '..', 'stacks', 'constructs', '.git/out', 'notes.txt', 'notes.txt/out', 'link-to-root', 'build/../stacks', 'cdktf.out/../..', 'ABSOLUTE/constructs', 'build', '../neighbour']);

  it('holds for random layouts and --synth-dir choices', async () => {
    await fc.assert(
      fc.asyncProperty(layouts, outs, async (layout, outChoice) => {
        const project = checkout(layout.tenantsFolder);
        const outdir = join(project.root, 'cdktf.out');
        if (layout.earlierOutput) {
          cpSync(earlier, outdir, { recursive: true, verbatimSymlinks: true });
          if (layout.othersFilesInOutput) {
            write(join(outdir, 'stacks', 'acme', '.terraform', 'providers', 'okta'), 'provider binary');
            write(join(outdir, 'mine.txt'), 'not synth output');
          }
          if (layout.symlinkedStack) linkStack(outdir, layout.symlinkedStack);
        }
        if (layout.withoutGlobex) writeFileSync(join(project.root, project.tenantsFile), WITHOUT_GLOBEX);
        const out = outChoice.replace('ABSOLUTE', project.root);
        const realOut = resolve(realpathSync(project.root), outChoice.startsWith('ABSOLUTE') ? outChoice.replace('ABSOLUTE/', '') : outChoice.replace(/^link-to-root\//, ''));
        const previous = existsSync(join(realOut, MARKER)) ? markerIn(realOut) : undefined;
        const before = snapshot(project.base);
        const act = () => synth(project, out, ...(layout.selection ? ['--tenant', 'acme'] : []));
        const result = layout.failingWrite ? await withFailingWrite(layout.failingWrite, act) : await act();
        const after = snapshot(project.base);
        const refused = alwaysRefused.has(outChoice) || (outChoice === 'config' && layout.tenantsFolder === 'config');
        if (refused) expect(result.code).toBe(EXIT.usage);
        if (result.code === EXIT.usage) {
          expect(changedPaths(before, after)).toEqual([]);
          return;
        }
        if (result.code !== 0) {
          // A write failed: before the swap nothing changed; after it (the final record), every change is recorded.
          expect([result.code, layout.failingWrite]).toEqual([EXIT.unexpected, expect.any(Number)]);
          if (changedPaths(before, after).length > 0) expectOnlyRecordedChanges(project.base, before, after, realOut, previous);
          return;
        }
        expectOnlyRecordedChanges(project.base, before, after, realOut, previous);
        const marker = markerIn(realOut);
        // What the record lists is there (a selection vouches only for what it wrote: --tenant leaves the rest alone).
        const changed = changedPaths(before, after);
        for (const file of marker.files.map((path) => relative(project.base, join(realOut, path)).split(sep).join('/'))) {
          if (!layout.selection || changed.includes(file)) expect(after.get(file)?.type).toBe('file');
        }
        if (layout.selection) {
          const changedInside = changed.map((path) => relative(realOut, join(project.base, path)).split(sep).join('/'));
          expect(changedInside.filter((path) => ![MARKER, 'manifest.json', 'stacks', 'stacks/acme', 'stacks/acme/cdk.tf.json', 'stacks/acme/console-step.md', ''].includes(path) && !path.startsWith('..'))).toEqual([]);
        }
        rmSync(project.base, { recursive: true, force: true });
      }),
      { numRuns: 150 },
    );
  });
});
