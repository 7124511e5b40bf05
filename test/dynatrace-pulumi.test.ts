/**
 * Pulumi bindings of the Dynatrace package (constructs/pulumi/dynatrace-package.ts) under mocks: the type
 * tokens, inputs, and — read from the registration requests themselves — the plugin version and
 * pluginDownloadURL the engine would use, all as the schema fixture says; secrets stay secrets.
 */
import { execFileSync } from 'node:child_process';
import * as pulumi from '@pulumi/pulumi';
import type { MockMonitor } from '@pulumi/pulumi/runtime/mocks';
import { deserializeProperties } from '@pulumi/pulumi/runtime/rpc';
import { getMonitor } from '@pulumi/pulumi/runtime/settings';
import fixture from './fixtures/dynatrace-provider-schema.json';
import { DynatraceProvider, existingGroupId, existingPolicyUuid, getIamGroupOutput, getIamPolicyOutput, IamPolicyBindingsV2 } from '../constructs/pulumi/dynatrace-package';
import { TEST_TOKEN } from './support/specs';

const ACCOUNT = '6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10';
const GROUP = '8f5e2c1a-0b3d-4e6f-9a7b-1c2d3e4f5a6b';
const STANDARD_USER = '4eb72c58-a4a1-481e-854b-9da083c592e6';
const BOUNDARY = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const SECRET_SIG = '4dabf18193072939515e22adb298388d';

interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  version: string;
  pluginDownloadURL: string;
  provider: string;
  additionalSecretOutputs: string[];
}
interface Invoke {
  token: string;
  args: Record<string, unknown>;
  version: string;
  pluginDownloadURL: string;
}

/** Mocks that also record what only the gRPC request carries: version, pluginDownloadURL, provider reference. */
async function runProgram(program: () => pulumi.Output<unknown>[], lookups: Record<string, Record<string, unknown>> = {}) {
  const registrations: Registration[] = [];
  const invokes: Invoke[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => lookups[`${args.token} ${String(args.inputs.name)}`] ?? {},
    },
    'okta-dynatrace-scim',
    'acme',
    false,
  );
  // The mock monitor setMocks installed, wrapped to read the requests before it answers them.
  const monitor = getMonitor() as unknown as MockMonitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = async (req: RegisterRequest, callback: (error: unknown, response: unknown) => void) => {
    registrations.push({
      type: req.getType(),
      name: req.getName(),
      inputs: deserializeProperties(req.getObject() as never) as Record<string, unknown>,
      version: req.getVersion(),
      pluginDownloadURL: req.getPlugindownloadurl(),
      provider: req.getProvider(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    });
    return register(req, callback);
  };
  const invoke = monitor.invoke.bind(monitor);
  monitor.invoke = async (req: InvokeRequest, callback: (error: unknown, response: unknown) => void) => {
    invokes.push({ token: req.getTok(), args: deserializeProperties(req.getArgs() as never) as Record<string, unknown>, version: req.getVersion(), pluginDownloadURL: req.getPlugindownloadurl() });
    return invoke(req, callback);
  };
  const outputs = program();
  const values = await Promise.all(outputs.map((output) => new Promise((resolve) => output.apply((value) => resolve(value)))));
  return { registrations, invokes, values };
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getObject(): unknown;
  getVersion(): string;
  getPlugindownloadurl(): string;
  getProvider(): string;
  getAdditionalsecretoutputsList(): string[];
}
interface InvokeRequest {
  getTok(): string;
  getArgs(): unknown;
  getVersion(): string;
  getPlugindownloadurl(): string;
}

const unwrapSecret = (value: unknown): { secret: boolean; value: unknown } =>
  typeof value === 'object' && value !== null && SECRET_SIG in value ? { secret: true, value: (value as unknown as { value: unknown }).value } : { secret: false, value };

const PACKAGE = { version: fixture.pulumi.version, pluginDownloadURL: fixture.pulumi.plugin_download_url };

describe('Pulumi: Dynatrace package bindings', () => {
  it('registers the provider, looks up group and policy, and binds "Standard User" in environment abc12345', async () => {
    const run = await runProgram(
      () => {
        const provider = new DynatraceProvider('acme-dynatrace', { iamAccountId: ACCOUNT });
        const group = existingGroupId('Dynatrace Viewers', { provider });
        const policy = existingPolicyUuid({ name: 'Standard User' }, { provider });
        const bindings = new IamPolicyBindingsV2(
          'acme-bindings-dynatrace-viewers-abc12345',
          { group, environment: 'abc12345', policies: [{ id: policy, parameters: { 'storage:bucket-name': 'default_logs' }, boundaries: [BOUNDARY] }] },
          { provider },
        );
        return [bindings.urn];
      },
      {
        'dynatrace:index/getIamGroup:getIamGroup Dynatrace Viewers': { id: GROUP, name: 'Dynatrace Viewers' },
        'dynatrace:index/getIamPolicy:getIamPolicy Standard User': { id: `${STANDARD_USER}#-#global#-#global`, name: 'Standard User', uuid: STANDARD_USER },
      },
    );

    expect(run.registrations.map((r) => `${r.type} ${r.name}`)).toEqual([
      'pulumi:providers:dynatrace acme-dynatrace',
      'dynatrace:index/iamPolicyBindingsV2:IamPolicyBindingsV2 acme-bindings-dynatrace-viewers-abc12345',
    ]);
    const [provider, bindings] = run.registrations as [Registration, Registration];
    expect(provider).toMatchObject({ ...PACKAGE, additionalSecretOutputs: ['iamAccountId', 'iamEndpointUrl', 'iamTokenUrl', 'iamClientId', 'iamClientSecret'] });
    expect(Object.keys(provider.inputs)).toEqual(['iamAccountId']);
    expect(unwrapSecret(provider.inputs.iamAccountId)).toEqual({ secret: true, value: ACCOUNT });
    expect(bindings).toMatchObject({ ...PACKAGE, provider: expect.stringContaining('::pulumi:providers:dynatrace::acme-dynatrace::') });
    expect(bindings.inputs).toEqual({ group: GROUP, environment: 'abc12345', policies: [{ id: STANDARD_USER, parameters: { 'storage:bucket-name': 'default_logs' }, boundaries: [BOUNDARY] }] });
    expect([...run.invokes].sort((a, b) => a.token.localeCompare(b.token))).toEqual([
      { token: 'dynatrace:index/getIamGroup:getIamGroup', args: { name: 'Dynatrace Viewers' }, ...PACKAGE },
      { token: 'dynatrace:index/getIamPolicy:getIamPolicy', args: { name: 'Standard User' }, ...PACKAGE },
    ]);
  });

  it('uses the type tokens, version and pluginDownloadURL of the schema fixture', () => {
    expect(IamPolicyBindingsV2.__pulumiType).toBe(fixture.resources.dynatrace_iam_policy_bindings_v2.pulumi_token);
    expect(fixture.pulumi).toEqual({
      package: 'dynatrace',
      npm_package: '@pulumiverse/dynatrace',
      version: '0.42.0',
      plugin_download_url: 'github://api.github.com/pulumiverse',
      provider_type: 'pulumi:providers:dynatrace',
    });
    expect([fixture.data_sources.dynatrace_iam_group.pulumi_token, fixture.data_sources.dynatrace_iam_policy.pulumi_token]).toEqual([
      'dynatrace:index/getIamGroup:getIamGroup',
      'dynatrace:index/getIamPolicy:getIamPolicy',
    ]);
  });

  it('registers only the Pulumi names the schema fixture gives the Terraform arguments', async () => {
    const run = await runProgram(() => [
      new IamPolicyBindingsV2('b', { group: GROUP, environment: 'abc12345', policies: [{ id: STANDARD_USER, parameters: { a: 'b' }, metadata: { c: 'd' }, boundaries: [BOUNDARY] }] }).urn,
      new DynatraceProvider('p', { iamAccountId: ACCOUNT, iamEndpointUrl: 'https://api.dynatrace.com', iamTokenUrl: 'https://sso.dynatrace.com/sso/oauth2/token' }).urn,
    ]);
    const bindings = fixture.resources.dynatrace_iam_policy_bindings_v2;
    const names = (block: { attributes: Record<string, { pulumi_name: string }> }) => Object.values(block.attributes).map((a) => a.pulumi_name);
    const byType = Object.fromEntries(run.registrations.map((r) => [r.type, r.inputs]));
    const registered = byType['dynatrace:index/iamPolicyBindingsV2:IamPolicyBindingsV2']!;
    expect(names(bindings)).toEqual(expect.arrayContaining(Object.keys(registered).filter((key) => key !== bindings.blocks.policy.pulumi_name)));
    expect(names(bindings.blocks.policy)).toEqual(expect.arrayContaining(Object.keys((registered.policies as Record<string, unknown>[])[0]!)));
    expect(names(fixture.provider)).toEqual(expect.arrayContaining(Object.keys(byType['pulumi:providers:dynatrace']!)));
  });

  it('binds at account level on the default provider, still pinned to the package version', async () => {
    const run = await runProgram(() => [new IamPolicyBindingsV2('acme-bindings-admins-account', { group: GROUP, account: ACCOUNT, policies: [{ id: STANDARD_USER }] }).urn]);
    expect(run.registrations).toEqual([
      expect.objectContaining({ type: 'dynatrace:index/iamPolicyBindingsV2:IamPolicyBindingsV2', ...PACKAGE, inputs: { group: GROUP, account: ACCOUNT, policies: [{ id: STANDARD_USER }] } }),
    ]);
  });

  it('requires exactly one level: account or environment', () => {
    expect(() => new IamPolicyBindingsV2('b', { group: GROUP })).toThrow('IamPolicyBindingsV2 b: set exactly one of account (account uuid) or environment (environment id)');
    expect(() => new IamPolicyBindingsV2('b', { group: GROUP, account: ACCOUNT, environment: 'abc12345' })).toThrow('set exactly one of account');
  });

  it('fails the preview with a clear message when the group or the policy is missing (the lookups answer null or empty attributes)', () => {
    // A RunError thrown in an apply fails `pulumi preview` with just its message (no stack trace). It
    // surfaces as unhandled rejections, which jest would take for its own failure: so run it in a child.
    const program = `
      const pulumi = require('@pulumi/pulumi');
      const { existingGroupId, existingPolicyUuid } = require('./constructs/pulumi/dynatrace-package');
      const seen = new Set();
      process.on('unhandledRejection', (reason) => seen.add((pulumi.RunError.isInstance(reason) ? 'RunError: ' : 'other: ') + reason.message));
      // "Null …" names: the bridged provider's answer for the all-null object the Terraform provider returns.
      const call = (a) => (a.inputs.name.startsWith('Null') ? { id: null, name: null, uuid: null } : { id: '', name: a.inputs.name, uuid: '' });
      pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call }, 'p', 's', true).then(() => {
        existingGroupId('Dynatrace Viewers');
        existingGroupId('Null Viewers');
        existingPolicyUuid({ name: 'Custom Reader', environment: 'abc12345' });
        existingPolicyUuid({ name: 'Null Reader' });
        setTimeout(() => console.log(JSON.stringify([...seen].sort())), 500);
      });`;
    const output = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', program], { encoding: 'utf8', timeout: 30000 });
    expect(JSON.parse(output)).toEqual([
      'RunError: group "Dynatrace Viewers" is not in Dynatrace yet: finish the console step and the push, then apply again',
      'RunError: group "Null Viewers" is not in Dynatrace yet: finish the console step and the push, then apply again',
      `RunError: policy "Custom Reader" is not defined at environment abc12345 level in Dynatrace: check its name and where it is defined (Dynatrace's own policies are global)`,
      `RunError: policy "Null Reader" is not defined at global level in Dynatrace: check its name and where it is defined (Dynatrace's own policies are global)`,
    ]);
  });

  it('passes the policy lookup level through and returns the raw results', async () => {
    const run = await runProgram(() => [getIamPolicyOutput({ name: 'Custom Reader', environment: 'abc12345' }), getIamGroupOutput({ name: 'SRE' })], {
      'dynatrace:index/getIamPolicy:getIamPolicy Custom Reader': { id: 'p#-#environment#-#abc12345', name: 'Custom Reader', uuid: 'p', environment: 'abc12345' },
      'dynatrace:index/getIamGroup:getIamGroup SRE': { id: '', name: 'SRE' },
    });
    expect(run.invokes.map((i) => i.args).sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual([{ name: 'Custom Reader', environment: 'abc12345' }, { name: 'SRE' }]);
    expect(run.values).toEqual([{ id: 'p#-#environment#-#abc12345', name: 'Custom Reader', uuid: 'p', environment: 'abc12345' }, { id: '', name: 'SRE' }]);
  });

  it('OAuth client credentials only as secrets from Pulumi config, never in plain text', async () => {
    expect(() => new DynatraceProvider('p', { iamClientSecret: TEST_TOKEN as unknown as pulumi.Output<string> })).toThrow(
      'DynatraceProvider p: iamClientSecret must come from a Pulumi config secret (config.requireSecret), not a plain string',
    );
    expect(() => new DynatraceProvider('p', { dtApiToken: TEST_TOKEN } as never)).toThrow('DynatraceProvider p: dtApiToken cannot be set here');
    const run = await runProgram(() => [new DynatraceProvider('acme-dynatrace', { iamClientId: pulumi.output('dt0s02.CLIENTID'), iamClientSecret: pulumi.output(TEST_TOKEN) }).urn]);
    const inputs = run.registrations[0]!.inputs;
    expect(unwrapSecret(inputs.iamClientSecret)).toEqual({ secret: true, value: TEST_TOKEN });
    expect(unwrapSecret(inputs.iamClientId)).toEqual({ secret: true, value: 'dt0s02.CLIENTID' });
    const plain = JSON.stringify(run.registrations, (_key, value: unknown) => (unwrapSecret(value).secret ? '[secret]' : value));
    expect(plain).not.toContain(TEST_TOKEN);
  });
});
