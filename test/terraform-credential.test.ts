/**
 * The credential rule exists twice by necessity: in TypeScript (Pulumi, checks) and as a Terraform
 * expression (the token is only known at plan time). When a terraform CLI is on PATH, this test runs the
 * synthesized variable validation and token expression through `terraform plan` (no provider needed)
 * and checks they agree with the TypeScript rule on every case. Without terraform it is skipped.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialValue } from '../constructs/model/credential';
import type { AuthMode } from '../constructs/model/spec';
import { headerSpec, oauthSpec } from './support/specs';
import { synthStack } from './support/render';
import { terraformAvailable } from './support/terraform';

const CASES = ['abc123', '  abc123  ', 'Bearer abc123', 'bearer\tabc123', 'Bearer Bearer abc123', '', '   ', 'Bearer'];

(terraformAvailable() ? describe : describe.skip).each([
  ['header', headerSpec()],
  ['oauthBearer', oauthSpec()],
] as const)('terraform evaluates the credential rule like TypeScript (%s)', (mode, spec) => {
  const { json } = synthStack(spec);
  const connection = Object.values(json.resource!.okta_app_connection)[0] as { profile: { token: string } };
  const dir = mkdtempSync(join(tmpdir(), 'tf-credential-'));
  writeFileSync(
    join(dir, 'main.tf.json'),
    JSON.stringify({
      // Same variable (made non-sensitive so plan prints the output) and the exact token expression.
      variable: { dynatrace_scim_token: { ...json.variable!.dynatrace_scim_token, sensitive: false } },
      output: { token: { value: connection.profile.token } },
    }),
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(CASES)('%j', (raw) => {
    let expected: string | 'rejected';
    try {
      expected = credentialValue(mode as AuthMode, raw);
    } catch {
      expected = 'rejected';
    }
    const result = spawnSync('terraform', ['plan', '-no-color', '-input=false', '-refresh=false'], {
      cwd: dir,
      env: { ...process.env, TF_VAR_dynatrace_scim_token: raw, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
      encoding: 'utf8',
      timeout: 60000,
    });
    const output = `${result.stdout}${result.stderr}`;
    if (expected === 'rejected') {
      expect(output).toContain('Invalid value for variable');
    } else {
      expect(output).toContain(`+ token = ${JSON.stringify(expected)}`);
    }
  });
});
