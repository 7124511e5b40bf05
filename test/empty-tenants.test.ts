/** A tenants file that lists no tenant is an error for every command that acts on tenants. */
import { join } from 'node:path';
import { EXIT } from '../cli/main';
import { checkout, cli, removeCheckouts, synth, write } from './support/checkout';
import { changedPaths, snapshot } from './support/tree';

afterAll(removeCheckouts);

describe('a tenants file that lists no tenant', () => {
  const message = 'tenants.yaml: tenants: the tenants file lists no tenant';

  it('is an error for synth, and the previous output stays as it was', async () => {
    const project = checkout();
    expect((await synth(project, 'cdktf.out')).code).toBe(0);
    write(join(project.root, 'tenants.yaml'), 'tenants: []\n');
    const before = snapshot(project.base);
    const result = await synth(project, 'cdktf.out');
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Fix: add a tenant under `tenants:`');
    expect(changedPaths(before, snapshot(project.base))).toEqual([]);
  });

  it.each([
    ['validate', [], EXIT.usage],
    ['validate', ['--json'], EXIT.usage],
    ['matrix', [], EXIT.usage],
    ['stacks', ['--check'], EXIT.usage],
    ['verify', [], 64],
  ])('is an error for %s %j (no output on stdout)', async (command, extra, code) => {
    const project = checkout();
    write(join(project.root, 'tenants.yaml'), 'tenants: []\n');
    write(join(project.root, 'Pulumi.yaml'), 'name: okta-dynatrace-scim\nruntime: nodejs\n');
    const result = await cli(project.root, [command, '--tenants', 'tenants.yaml', ...extra]);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });
});

