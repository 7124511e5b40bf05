/**
 * CDKTF bindings of the Dynatrace provider (constructs/cdktf/dynatrace-provider.ts): exact Terraform JSON
 * for realistic values, conformance with the schema fixture, `cdktf synth --hcl`, and — with a terraform CLI
 * on PATH — that the emitted postcondition really stops a plan with its message.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import {
  DataDynatraceIamGroup,
  DataDynatraceIamPolicy,
  DYNATRACE_PROVIDER,
  DynatraceIamPolicyBindingsV2,
  DynatraceProvider,
  groupMustExist,
  policyMustExist,
} from '../constructs/cdktf/dynatrace-provider';
import { conformanceErrors } from './support/provider-schema';
import type { TerraformJson } from './support/render';
import { TEST_TOKEN } from './support/specs';
import { describeWithTerraform } from './support/terraform';
import { escapeTemplate } from '../constructs/cdktf/terraform-text';

const ACCOUNT = '6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10';
const BOUNDARY = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/** The example: "Dynatrace Viewers" gets "Standard User" in environment abc12345, with a parameter and a boundary. */
function viewersStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'acme');
  new DynatraceProvider(stack, 'dynatrace', { iamAccountId: ACCOUNT });
  const group = new DataDynatraceIamGroup(stack, 'group_dynatrace_viewers', { name: 'Dynatrace Viewers', lifecycle: { postcondition: [groupMustExist('Dynatrace Viewers')] } });
  const policy = new DataDynatraceIamPolicy(stack, 'policy_standard_user', { name: 'Standard User', lifecycle: { postcondition: [policyMustExist('Standard User', 'global')] } });
  new DynatraceIamPolicyBindingsV2(stack, 'bindings_dynatrace_viewers_abc12345', {
    group: group.id,
    environment: 'abc12345',
    policy: [{ id: policy.uuid, parameters: { 'storage:bucket-name': 'default_logs' }, boundaries: [BOUNDARY] }],
  });
  return stack;
}

const synth = (stack: TerraformStack): TerraformJson => JSON.parse(Testing.synth(stack)) as TerraformJson;

describe('CDKTF: Dynatrace provider bindings', () => {
  it('synthesizes exactly the provider, both lookups with postconditions, and the environment binding', () => {
    expect(synth(viewersStack())).toEqual({
      terraform: { required_providers: { dynatrace: { source: 'dynatrace-oss/dynatrace', version: '1.102.0' } } },
      provider: { dynatrace: [{ iam_account_id: ACCOUNT }] },
      data: {
        dynatrace_iam_group: {
          group_dynatrace_viewers: {
            name: 'Dynatrace Viewers',
            lifecycle: {
              postcondition: [{ condition: '${self.id != null && self.id != ""}', error_message: 'group "Dynatrace Viewers" is not in Dynatrace yet: finish the console step and the push, then apply again' }],
            },
          },
        },
        dynatrace_iam_policy: {
          policy_standard_user: {
            name: 'Standard User',
            lifecycle: {
              postcondition: [
                {
                  condition: '${self.uuid != null && self.uuid != ""}',
                  error_message: `policy "Standard User" is not defined at global level in Dynatrace: check its name and where it is defined (Dynatrace's own policies are global)`,
                },
              ],
            },
          },
        },
      },
      resource: {
        dynatrace_iam_policy_bindings_v2: {
          bindings_dynatrace_viewers_abc12345: {
            group: '${data.dynatrace_iam_group.group_dynatrace_viewers.id}',
            environment: 'abc12345',
            policy: [{ id: '${data.dynatrace_iam_policy.policy_standard_user.uuid}', parameters: { 'storage:bucket-name': 'default_logs' }, boundaries: [BOUNDARY] }],
          },
        },
      },
    });
  });

  it('pins the provider to the release of the schema fixture', () => {
    expect(DYNATRACE_PROVIDER).toEqual({ source: 'dynatrace-oss/dynatrace', versionConstraint: '1.102.0' });
  });

  it('binds at account level and with several policies', () => {
    const stack = new TerraformStack(Testing.app(), 'acme');
    new DynatraceIamPolicyBindingsV2(stack, 'admins_account', {
      group: '5b0a7c1e-2f3d-4e5f-9a8b-7c6d5e4f3a2b',
      account: ACCOUNT,
      policy: [{ id: '11111111-2222-4333-8444-555555555555' }, { id: '66666666-7777-4888-9999-000000000000', metadata: { owner: 'platform' } }],
    });
    expect(synth(stack).resource).toEqual({
      dynatrace_iam_policy_bindings_v2: {
        admins_account: {
          group: '5b0a7c1e-2f3d-4e5f-9a8b-7c6d5e4f3a2b',
          account: ACCOUNT,
          policy: [{ id: '11111111-2222-4333-8444-555555555555' }, { id: '66666666-7777-4888-9999-000000000000', metadata: { owner: 'platform' } }],
        },
      },
    });
  });

  it('an aliased provider serves a second account; objects name it', () => {
    const stack = new TerraformStack(Testing.app(), 'acme');
    const other = new DynatraceProvider(stack, 'dynatrace_emea', { alias: 'emea', iamAccountId: '0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f' });
    new DataDynatraceIamGroup(stack, 'g', { name: 'Dynatrace Viewers', provider: other });
    const json = synth(stack);
    expect(json.provider).toEqual({ dynatrace: [{ alias: 'emea', iam_account_id: '0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f' }] });
    expect(json.data!.dynatrace_iam_group!.g).toEqual({ name: 'Dynatrace Viewers', provider: 'dynatrace.emea' });
    expect(conformanceErrors(json)).toEqual([]);
  });

  it('conforms to the provider schema fixture (terraform-provider-dynatrace v1.102.0)', () => {
    expect(conformanceErrors(synth(viewersStack()))).toEqual([]);
  });

  it('the conformance check catches an unknown argument, a wrong kind and a missing group, under the Dynatrace label only', () => {
    const stack = viewersStack();
    const bindings = stack.node.findChild('bindings_dynatrace_viewers_abc12345') as DynatraceIamPolicyBindingsV2;
    bindings.addOverride('policies', ['x']);
    bindings.addOverride('policy.0.parameters', ['not', 'a', 'map']);
    bindings.addOverride('group', null);
    expect(conformanceErrors(synth(stack))).toEqual([
      '[dynatrace v1.102.0 (Go source)] dynatrace_iam_policy_bindings_v2.bindings_dynatrace_viewers_abc12345.group: empty value',
      '[dynatrace v1.102.0 (Go source)] dynatrace_iam_policy_bindings_v2.bindings_dynatrace_viewers_abc12345.policies: not in the provider schema',
      '[dynatrace v1.102.0 (Go source)] dynatrace_iam_policy_bindings_v2.bindings_dynatrace_viewers_abc12345.policy.parameters: must be a map',
    ]);
    expect(conformanceErrors({ resource: { dynatrace_iam_group: { local: { name: 'x' } } } })).toEqual([
      '[dynatrace v1.102.0 (Go source)] dynatrace_iam_group.local: resource type not in the provider schema fixture',
    ]);
    expect(conformanceErrors({ resource: { dynatrace_iam_policy_bindings_v2: { b: { environment: 'abc12345' } } } })).toEqual([
      '[dynatrace v1.102.0 (Go source)] dynatrace_iam_policy_bindings_v2.b.group: required attribute missing',
    ]);
    expect(conformanceErrors({ resource: { datadog_monitor: { m: {} } } })).toEqual(['datadog_monitor: no provider schema fixture for provider "datadog"']);
  });

  it('holds no secret: the provider block cannot take the OAuth client id or secret', () => {
    const stack = new TerraformStack(Testing.app(), 'acme');
    const config = { iamAccountId: ACCOUNT, iamClientSecret: TEST_TOKEN } as unknown as ConstructorParameters<typeof DynatraceProvider>[2];
    expect(() => new DynatraceProvider(stack, 'dynatrace', config)).toThrow(
      'DynatraceProvider dynatrace: iamClientSecret cannot be set here; the OAuth client id and secret come from DT_CLIENT_ID / DT_CLIENT_SECRET in the environment',
    );
    expect(Testing.synth(viewersStack())).not.toMatch(/client_secret|client_id|TESTTOKEN/);
  });

  it('renders `cdktf synth --hcl`: blocks for policy and postcondition, maps and sets as attributes', () => {
    const hcl = (Testing.synthHcl(viewersStack()) as string).replace(/\n\s*/g, '\n');
    expect(hcl).toContain('provider "dynatrace" {\niam_account_id = "6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10"\n}');
    expect(hcl).toContain(
      'data "dynatrace_iam_group" "group_dynatrace_viewers" {\nname = "Dynatrace Viewers"\nlifecycle {\npostcondition {\ncondition = "${self.id != null && self.id != ""}"\nerror_message = "group \\"Dynatrace Viewers\\" is not in Dynatrace yet: finish the console step and the push, then apply again"\n}\n}\n}',
    );
    expect(hcl).toContain(
      'resource "dynatrace_iam_policy_bindings_v2" "bindings_dynatrace_viewers_abc12345" {\ngroup = "${data.dynatrace_iam_group.group_dynatrace_viewers.id}"\nenvironment = "abc12345"\npolicy {\nid = "${data.dynatrace_iam_policy.policy_standard_user.uuid}"\nparameters = {\n"storage:bucket-name" = "default_logs"\n}\nboundaries = [\n"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"\n]\n}\n}',
    );
  });

  it('escapes Terraform template syntax in postcondition messages', () => {
    expect(escapeTemplate('a ${b} %{c}')).toBe('a $${b} %%{c}');
    expect(groupMustExist('ops ${var.x}').errorMessage).toBe('group "ops $${var.x}" is not in Dynatrace yet: finish the console step and the push, then apply again');
    const stack = new TerraformStack(Testing.app(), 'acme');
    new DataDynatraceIamGroup(stack, 'g', { name: 'ops', lifecycle: { postcondition: [groupMustExist('ops ${var.x}')] } });
    expect(Testing.synthHcl(stack)).toContain('error_message = "group \\"ops $${var.x}\\" is not in Dynatrace yet');
  });
});

/**
 * The provider cannot be downloaded here, so the lifecycle the binding emits is grafted onto Terraform's
 * built-in `terraform_remote_state` (whose local state file plays the group lookup: `outputs.id`). Only the
 * attribute path in the condition changes; the block structure, JSON and HCL, is exactly what synth wrote.
 */
describeWithTerraform('terraform: the group postcondition stops the plan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-dynatrace-postcondition-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
  const group = () => (viewersStack().node.findChild('group_dynatrace_viewers') as DataDynatraceIamGroup);
  const lookupState = (id: string) =>
    writeFileSync(join(dir, 'lookup.tfstate'), JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'lookup', outputs: { id: { value: id, type: 'string' } }, resources: [] }));
  const plan = () => {
    const init = spawnSync('terraform', ['init', '-input=false', '-no-color'], { cwd: dir, env, encoding: 'utf8', timeout: 60000 });
    expect(init.status).toBe(0);
    const result = spawnSync('terraform', ['plan', '-input=false', '-no-color', '-refresh=false'], { cwd: dir, env, encoding: 'utf8', timeout: 60000 });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };
  const clean = () => ['main.tf', 'main.tf.json'].forEach((file) => rmSync(join(dir, file), { force: true }));

  it.each([
    ['JSON', 'main.tf.json'],
    ['HCL', 'main.tf'],
  ])('%s', (_format, file) => {
    clean();
    const data = (synth(viewersStack()).data!.dynatrace_iam_group as Record<string, { lifecycle: unknown }>).group_dynatrace_viewers.lifecycle;
    if (file.endsWith('.json')) {
      const lifecycle = JSON.parse(JSON.stringify(data).replace(/self\.id/g, 'self.outputs.id'));
      writeFileSync(join(dir, file), JSON.stringify({ data: { terraform_remote_state: { lookup: { backend: 'local', config: { path: 'lookup.tfstate' }, lifecycle } } } }));
    } else {
      const hcl = Testing.synthHcl(group().node.scope as TerraformStack) as string;
      const block = /lifecycle \{[\s\S]*?\n\}\n\}/.exec(hcl)![0].replace(/self\.id/g, 'self.outputs.id');
      writeFileSync(join(dir, file), `data "terraform_remote_state" "lookup" {\nbackend = "local"\nconfig = { path = "lookup.tfstate" }\n${block}\n}\n`);
    }
    lookupState('');
    const missing = plan();
    expect(missing.status).toBe(1);
    expect(missing.output).toContain('Resource postcondition failed');
    expect(missing.output.replace(/\s+/g, ' ')).toContain('group "Dynatrace Viewers" is not in Dynatrace yet: finish the console step and the push, then apply again');
    lookupState('8f5e2c1a-0b3d-4e6f-9a7b-1c2d3e4f5a6b');
    expect(plan()).toMatchObject({ status: 0 });
  });
});
