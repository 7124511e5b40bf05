/**
 * Tests that prove Terraform semantics need the real `terraform`: on CI (CI=true) a missing binary is a
 * failing test, locally a skip with a notice — never a silent skip. Run in a child process whose PATH
 * has no terraform, with jest's describe/it/describe.skip recorded.
 */
import { spawnSync } from 'node:child_process';

function register(env: Record<string, string>): { calls: string[]; stderr: string } {
  const script = `
    const calls = [];
    global.describe = (name, fn) => { calls.push('describe ' + name); fn(); };
    global.describe.skip = (name) => calls.push('skip ' + name);
    global.it = (name, fn) => { try { fn(); calls.push('it ' + name + ': passes'); } catch (e) { calls.push('it ' + name + ': fails: ' + e.message); } };
    require('./test/support/terraform').describeWithTerraform('terraform semantics', () => it('evaluates', () => {}));
    process.stdout.write(JSON.stringify(calls));
  `;
  const child = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { env: { PATH: '/nonexistent', HOME: process.env.HOME ?? '/tmp', ...env }, encoding: 'utf8' });
  return { calls: JSON.parse(child.stdout) as string[], stderr: child.stderr };
}

describe('a missing terraform', () => {
  it('fails on CI, with what to install', () => {
    const { calls } = register({ CI: 'true' });
    expect(calls).toEqual([
      'describe terraform semantics',
      'it needs terraform on PATH: fails: terraform is not on PATH, and CI=true: these tests prove Terraform semantics with the real binary and must run on CI (install terraform 1.11: .github/workflows/test.yml uses hashicorp/setup-terraform)',
    ]);
  });

  it('locally skips the block with a visible notice', () => {
    const { calls, stderr } = register({});
    expect(calls).toEqual(['skip terraform semantics']);
    expect(stderr).toContain('⚠ skipped "terraform semantics": terraform is not on PATH (install terraform 1.11 to run it; on CI this fails)');
  });
});
