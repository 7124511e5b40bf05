import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { DynatraceScimIntegration } from '../constructs/pulumi/scim-integration';
import { readSecret } from '../constructs/pulumi/secret-source';
import { PULUMI_INVOKES, PULUMI_TYPES } from '../constructs/resources/names';
import { apiSpec, headerSpec, oauthSpec, SCIM_URL, ssoSpec, TEST_TOKEN } from './support/specs';
import { renderPulumi } from './support/render';

const SECRET_SIG = '4dabf18193072939515e22adb298388d';

function byName(resources: { name: string; type: string; inputs: Record<string, unknown> }[]) {
  return Object.fromEntries(resources.map((r) => [r.name, r]));
}

/** Mocks receive secrets wrapped as `{ <sig>: <secret marker>, value }`. */
function unwrapSecret(value: unknown): { secret: boolean; value: unknown } {
  if (typeof value === 'object' && value !== null && SECRET_SIG in value) return { secret: true, value: (value as unknown as { value: unknown }).value };
  return { secret: false, value };
}

describe('Pulumi: header auth, stage 1 (the default: console step)', () => {
  let run: Awaited<ReturnType<typeof renderPulumi>>;
  beforeAll(async () => {
    run = await renderPulumi(headerSpec());
  });

  it('registers the app, groups and assignments only, and needs no token', () => {
    expect(run.resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      'okta-dynatrace-scim:index:DynatraceScimIntegration acme',
      'okta:app/autoLogin:AutoLogin acme-app',
      'okta:app/groupAssignment:GroupAssignment acme-assignment-dynatrace-admins',
      'okta:app/groupAssignment:GroupAssignment acme-assignment-dynatrace-viewers',
      'okta:app/groupAssignment:GroupAssignment acme-assignment-sre',
      'okta:group/group:Group acme-group-dynatrace-viewers',
    ]);
  });

  it('creates the Header Auth catalog app with e-mail usernames, literal (no Terraform escaping)', () => {
    expect(byName(run.resources)['acme-app'].inputs).toEqual({
      label: 'Dynatrace SCIM',
      preconfiguredApp: 'scim2headerauth',
      status: 'ACTIVE',
      userNameTemplate: '${source.email}',
      userNameTemplateType: 'BUILT_IN',
    });
  });
});

describe('Pulumi: the API path, stage 2', () => {
  let run: Awaited<ReturnType<typeof renderPulumi>>;
  beforeAll(async () => {
    run = await renderPulumi(apiSpec());
  });

  it('registers exactly these resources, named <component>-<role>', () => {
    expect(run.resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      'okta-dynatrace-scim:index:DynatraceScimIntegration acme',
      'okta:app/autoLogin:AutoLogin acme-app',
      'okta:app/connection:Connection acme-connection',
      'okta:app/features:Features acme-features',
      'okta:app/groupAssignment:GroupAssignment acme-assignment-dynatrace-admins',
      'okta:app/groupAssignment:GroupAssignment acme-assignment-dynatrace-viewers',
      'okta:app/groupAssignment:GroupAssignment acme-assignment-sre',
      'okta:group/group:Group acme-group-dynatrace-viewers',
      'okta:index/pushGroup:PushGroup acme-push-dynatrace-admins',
      'okta:index/pushGroup:PushGroup acme-push-dynatrace-viewers',
    ]);
    expect(run.invokes).toEqual([{ token: 'okta:group/getGroup:getGroup', args: { name: 'Dynatrace Admins', type: 'OKTA_GROUP' } }]);
  });

  it('sends "Bearer <token>" as a Pulumi secret', () => {
    const inputs = byName(run.resources)['acme-connection'].inputs;
    expect(inputs).toMatchObject({ idProperty: 'acme-app-id', baseUrl: SCIM_URL, action: 'activate' });
    const profile = unwrapSecret(inputs.profile);
    expect(profile.secret).toBe(true);
    expect(profile.value).toEqual({ authScheme: 'TOKEN', token: `Bearer ${TEST_TOKEN}` });
  });

  it('declares all four capabilities', () => {
    expect(byName(run.resources)['acme-features'].inputs).toEqual({
      appId: 'acme-app-id',
      name: 'USER_PROVISIONING',
      status: 'ENABLED',
      capabilities: {
        create: { lifecycleCreate: { status: 'ENABLED' } },
        update: { lifecycleDeactivate: { status: 'ENABLED' }, profile: { status: 'ENABLED' }, password: { status: 'DISABLED', seed: 'RANDOM', change: 'KEEP_EXISTING' } },
      },
    });
  });

  it('assigns and pushes groups with the same guards as Terraform', () => {
    const resources = byName(run.resources);
    expect(resources['acme-assignment-dynatrace-admins'].inputs).toEqual({ appId: 'acme-app-id', groupId: 'lookup-Dynatrace Admins', priority: 0, retainAssignment: true });
    expect(resources['acme-assignment-sre'].inputs).toEqual({ appId: 'acme-app-id', groupId: '00g1a2b3c4d5e6f7g8h9', retainAssignment: true });
    expect(resources['acme-push-dynatrace-viewers'].inputs).toEqual({
      appId: 'acme-app-id',
      sourceGroupId: 'acme-group-dynatrace-viewers-id',
      targetGroupName: 'DT Viewers',
      status: 'ACTIVE',
      deleteTargetGroupOnDestroy: false,
    });
  });

  it('protects the app and its connection', () => {
    const protectedRoles = [...run.component.resources].filter(([, resource]) => (resource as unknown as { __protect?: boolean }).__protect).map(([role]) => role);
    expect(protectedRoles.sort()).toEqual(['app', 'connection']);
  });

  it('makes the pushes wait for the provisioning features', async () => {
    // Mocks do not see resource options; a transformation (Pulumi's documented hook, inherited by children) does.
    const dependsOn = new Map<string, string[]>();
    const record: pulumi.ResourceTransformation = (args) => {
      dependsOn.set(args.name, ([args.opts.dependsOn ?? []].flat() as pulumi.Resource[]).map((dep) => (dep as unknown as { __name: string }).__name));
      return undefined;
    };
    const { runOffline } = await import('../constructs/pulumi/offline');
    await runOffline(() => [new DynatraceScimIntegration('acme', { ...apiSpec(), scimTokenValue: TEST_TOKEN }, { transformations: [record] })]);
    expect(dependsOn.get('acme-push-dynatrace-admins')).toEqual(['acme-features']);
    expect(dependsOn.get('acme-assignment-dynatrace-admins')).toEqual([]);
  });
});

describe('Pulumi: SCIM on the existing SSO app', () => {
  it('looks the app up and creates only assignments and pushes', async () => {
    const run = await renderPulumi(ssoSpec({ ssoApp: { label: 'Dynatrace SSO' }, provisioning: { enabled: true } }));
    expect(run.resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      'okta-dynatrace-scim:index:DynatraceScimIntegration acme',
      'okta:app/groupAssignment:GroupAssignment acme-assignment-dynatrace-users',
      'okta:index/pushGroup:PushGroup acme-push-dynatrace-users',
    ]);
    expect(run.invokes).toEqual(
      expect.arrayContaining([
        { token: 'okta:app/getApp:getApp', args: { label: 'Dynatrace SSO' } },
        { token: 'okta:group/getGroup:getGroup', args: { name: 'Dynatrace Users', type: 'OKTA_GROUP' } },
      ]),
    );
    expect(run.invokes).toHaveLength(2);
    expect(byName(run.resources)['acme-assignment-dynatrace-users'].inputs).toMatchObject({ appId: 'lookup-Dynatrace SSO' });
  });

  it('fails the program, like the Terraform postcondition, when the label lookup returned another app', () => {
    const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', join(__dirname, 'support', 'pulumi-lookup-mismatch.ts')], { encoding: 'utf8', timeout: 60000 });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('No Okta app is labelled exactly "Dynatrace SSO" (the provider falls back to the first app whose label starts with it). Fix ssoApp.label, or give ssoApp.id.');
    expect(result.stdout).not.toMatch(/created acme-assignment/);
  });
});

describe('Pulumi: type tokens', () => {
  it('match the table the reports print (names.ts)', async () => {
    const run = await renderPulumi(apiSpec({ signOn: 'saml' }));
    for (const resource of run.resources.filter((r) => r.type.startsWith('okta:'))) expect(Object.values(PULUMI_TYPES)).toContain(resource.type);
    expect(Object.values(PULUMI_INVOKES)).toContain(run.invokes[0]!.token);
  });
});

describe('Pulumi: OAuth bearer and options', () => {
  it('sends the raw token, normalised', async () => {
    const run = await renderPulumi(oauthSpec({ provisioning: { setup: 'api' } }), 'globex', `  Bearer ${TEST_TOKEN} `);
    const connection = run.resources.find((r) => r.name === 'globex-connection')!;
    expect(byName(run.resources)['globex-app'].inputs.preconfiguredApp).toBe('scim2testapp');
    expect(unwrapSecret(connection.inputs.profile)).toEqual({ secret: true, value: { authScheme: 'TOKEN', token: TEST_TOKEN } });
  });

  it('adopts an existing app with the import option', async () => {
    const run = await renderPulumi(apiSpec({ existingAppId: '0oa1existing' }));
    const imports = Object.fromEntries(run.resources.filter((r) => r.importId).map((r) => [r.name, r.importId]));
    expect(imports).toEqual({
      'acme-app': '0oa1existing',
      'acme-connection': '0oa1existing',
      'acme-features': '0oa1existing/USER_PROVISIONING',
      'acme-assignment-sre': '0oa1existing/00g1a2b3c4d5e6f7g8h9',
    });
  });

  it('adopts the SSO app\'s assignments and push mappings with the import option, with the same ids as Terraform', async () => {
    const run = await renderPulumi(ssoSpec({ ssoApp: { id: '0oa1sso', importAssignments: true }, provisioning: { enabled: true }, groups: [{ id: '00g9', key: 'users', name: 'Users', push: true, pushTargetId: '00g9target', existingPushId: 'gpm9' }] }));
    const imports = Object.fromEntries(run.resources.filter((r) => r.importId).map((r) => [r.name, r.importId]));
    expect(imports).toEqual({ 'acme-assignment-users': '0oa1sso/00g9', 'acme-push-users': '0oa1sso/gpm9' });
    expect(byName(run.resources)['acme-push-users'].inputs).toMatchObject({ targetGroupId: '00g9target' });
    expect(byName(run.resources)['acme-push-users'].inputs).not.toHaveProperty('targetGroupName');
  });

  it('leaves preconfiguredApp of an auto-login app alone after creation (ignoreChanges)', async () => {
    const run = await renderPulumi(headerSpec());
    expect(run.resources.find((r) => r.name === 'acme-app')?.ignoreChanges).toEqual(['preconfiguredApp']);
  });

  it('removalPolicy destroy lifts the guards', async () => {
    const run = await renderPulumi(apiSpec({ removalPolicy: 'destroy' }));
    expect([...run.component.resources.values()].some((r) => (r as unknown as { __protect?: boolean }).__protect)).toBe(false);
    expect(byName(run.resources)['acme-push-dynatrace-admins'].inputs.deleteTargetGroupOnDestroy).toBe(true);
  });

  it('validates its args at construction, naming the component, never its name as a tenant', async () => {
    await pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: () => ({}) }, 'p', 's', false);
    expect(() => new DynatraceScimIntegration('acme', { ...headerSpec(), scimBaseUrl: 'http://dynatrace.example.com' })).toThrow(
      /^Invalid args of DynatraceScimIntegration "acme" \(1 problem\):\n {2}- scimBaseUrl: must use https, not http\. Fix: /,
    );
    expect(() => new DynatraceScimIntegration('scim', { ...headerSpec(), groups: [{}], tenant: 'acme' })).toThrow(
      /^Invalid args of DynatraceScimIntegration "scim", tenant "acme" \(1 problem\):\n {2}- groups\[0\]: names no group/,
    );
  });

  it('fails at construction with the fix when the token source is unset', async () => {
    delete process.env.ACME_DT_SCIM_TOKEN;
    await expect(
      (async () => {
        await pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: () => ({}) }, 'p', 's', false);
        new DynatraceScimIntegration('acme', apiSpec());
      })(),
    ).rejects.toThrow(/^Invalid args of DynatraceScimIntegration "acme" \(1 problem\):\n {2}- scimToken: the Dynatrace SCIM token is not set\. Fix: pulumi config set --secret dynatraceScimToken or export ACME_DT_SCIM_TOKEN/);
  });

  it('reads the token from the named environment variable, as a secret', async () => {
    process.env.ACME_DT_SCIM_TOKEN = TEST_TOKEN;
    try {
      let component!: DynatraceScimIntegration;
      const { runOffline } = await import('../constructs/pulumi/offline');
      const run = await runOffline(() => [(component = new DynatraceScimIntegration('acme', apiSpec()))]);
      expect(component).toBeDefined();
      const connection = run.resources.find((r) => r.name === 'acme-connection')!;
      expect(unwrapSecret(connection.inputs.profile)).toEqual({ secret: true, value: { authScheme: 'TOKEN', token: `Bearer ${TEST_TOKEN}` } });
    } finally {
      delete process.env.ACME_DT_SCIM_TOKEN;
    }
  });
});

describe('Pulumi: a secret named by its source', () => {
  const source = { env: 'READ_SECRET_TEST', pulumiConfig: 'readSecretTest' };
  const read = async () => {
    const output = readSecret(source);
    return output && { secret: await pulumi.isSecret(output), value: await new Promise((resolve) => output.apply(resolve)) };
  };
  afterEach(() => {
    pulumi.runtime.setAllConfig({});
    delete process.env.READ_SECRET_TEST;
  });

  it('is read from the stack\'s secret config first, else from the variable (an empty one is unset), always as a secret', async () => {
    await pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: () => ({}) }, 'p', 's', false);
    process.env.READ_SECRET_TEST = 'from-the-environment';
    pulumi.runtime.setAllConfig({ 'p:readSecretTest': 'from-the-config' }, ['p:readSecretTest']);
    expect(await read()).toEqual({ secret: true, value: 'from-the-config' });
    pulumi.runtime.setAllConfig({});
    expect(await read()).toEqual({ secret: true, value: 'from-the-environment' });
    process.env.READ_SECRET_TEST = '';
    expect(await read()).toBeUndefined();
  });
});

describe('Pulumi: stable names', () => {
  it('do not depend on the label or group order', async () => {
    const base = await renderPulumi(headerSpec());
    const changed = await renderPulumi(headerSpec({ label: 'Renamed', groups: [...(headerSpec().groups ?? [])].reverse() }));
    const names = (run: typeof base) => run.resources.map((r) => `${r.type} ${r.name}`).sort();
    expect(names(changed)).toEqual(names(base));
    const inputs = (run: typeof base) => Object.fromEntries(run.resources.filter((r) => r.name !== 'acme-app').map((r) => [r.name, r.inputs]));
    expect(inputs(changed)).toEqual(inputs(base));
  });
});
