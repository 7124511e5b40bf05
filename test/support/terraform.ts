/**
 * Runs configurations through the real `terraform` binary, offline: only the built-in `terraform`
 * provider (`terraform_data`) is used, so `init` downloads nothing. Terraform semantics (templates,
 * escaping, conditions, what diagnostics print) are proven with the binary users run, not assumed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function terraformAvailable(): boolean {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore', timeout: 10000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * `describe` for tests that need the `terraform` binary. On CI (`CI=true`, as GitHub Actions and .ci/run
 * set it) a missing terraform is a failing test, never a silent skip; locally the block is skipped with
 * a notice on stderr saying so.
 */
export function describeWithTerraform(name: string, tests: () => void): void {
  if (terraformAvailable()) {
    describe(name, tests);
    return;
  }
  if (process.env.CI === 'true' || process.env.CI === '1') {
    describe(name, () => {
      it('needs terraform on PATH', () => {
        throw new Error('terraform is not on PATH, and CI=true: these tests prove Terraform semantics with the real binary and must run on CI (install terraform 1.11: .github/workflows/test.yml uses hashicorp/setup-terraform)');
      });
    });
    return;
  }
  process.stderr.write(`\n⚠ skipped "${name}": terraform is not on PATH (install terraform 1.11 to run it; on CI this fails)\n`);
  describe.skip(name, tests);
}

export interface TerraformRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** `terraform output -json` after a successful apply: output name → value. */
  readonly outputs: Record<string, unknown>;
}

const ENV = { TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' };

/**
 * `terraform init` + `apply -auto-approve` of `config` (Terraform JSON) in a fresh folder, with
 * `variables` written to a `*.auto.tfvars.json` file (so values never pass through a command line).
 */
export function terraformApply(config: object, variables: Record<string, unknown> = {}): TerraformRun {
  const dir = mkdtempSync(join(tmpdir(), 'tf-semantics-'));
  try {
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config));
    writeFileSync(join(dir, 'values.auto.tfvars.json'), JSON.stringify(variables));
    const run = (args: string[]) => spawnSync('terraform', args, { cwd: dir, env: { ...process.env, ...ENV }, encoding: 'utf8', timeout: 120000 });
    const init = run(['init', '-input=false', '-no-color']);
    if (init.status !== 0) return { status: init.status, stdout: init.stdout, stderr: init.stderr, outputs: {} };
    const apply = run(['apply', '-auto-approve', '-input=false', '-no-color']);
    if (apply.status !== 0) return { status: apply.status, stdout: apply.stdout, stderr: apply.stderr, outputs: {} };
    const output = run(['output', '-json', '-no-color']);
    const parsed = JSON.parse(output.stdout || '{}') as Record<string, { value: unknown }>;
    return { status: apply.status, stdout: apply.stdout + output.stdout, stderr: apply.stderr + output.stderr, outputs: Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.value])) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `terraform apply` of `applied`, then `terraform plan` of `planned` in the same folder (so against the
 * state the first left): what a change of configuration plans for objects already in state.
 */
export function terraformPlanAfter(applied: object, planned: object): TerraformRun {
  const dir = mkdtempSync(join(tmpdir(), 'tf-semantics-'));
  try {
    const run = (args: string[]) => spawnSync('terraform', args, { cwd: dir, env: { ...process.env, ...ENV }, encoding: 'utf8', timeout: 120000 });
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(applied));
    for (const step of [['init', '-input=false', '-no-color'], ['apply', '-auto-approve', '-input=false', '-no-color']]) {
      const result = run(step);
      if (result.status !== 0) return { status: result.status, stdout: result.stdout, stderr: result.stderr, outputs: {} };
    }
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(planned));
    const plan = run(['plan', '-input=false', '-no-color']);
    return { status: plan.status, stdout: plan.stdout, stderr: plan.stderr, outputs: {} };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
