/**
 * Dynatrace permissions for the pushed groups (issue 12): the model, the neutral plan and its staging,
 * both renderers, and what the review says about bindings.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { TenantStack } from '../constructs/cdktf/tenant-stack';
import { DYNATRACE_PROVIDER } from '../constructs/cdktf/dynatrace-provider';
import { resolveIntegration } from '../constructs/model/resolve';
import type { ScimIntegrationSpec } from '../constructs/model/spec';
import { resolveTenant } from '../constructs/model/tenant';
import { tenantProgram } from '../constructs/pulumi/tenant-program';
import { planResources } from '../constructs/resources/plan';
import { roleName } from '../constructs/resources/roles';
import { reviewTenants } from '../operations/review/diff';
import { runOffline } from '../constructs/pulumi/offline';
import { conformanceErrors } from './support/provider-schema';
import { resourcesOf, type TerraformJson } from './support/render';
import { errorOf, headerSpec, TEST_TOKEN } from './support/specs';

const ACCOUNT = '6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10';
const BOUNDARY = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const CUSTOM_POLICY = '11111111-2222-4333-8444-555555555555';
const CLIENT = { clientId: { env: 'ACME_DT_CLIENT_ID', pulumiConfig: 'dynatraceClientId' }, clientSecret: { env: 'ACME_DT_CLIENT_SECRET', pulumiConfig: 'dynatraceClientSecret' } };

/** Stage 2, two pushed groups with policies at environment and account level. */
function grantsSpec(overrides: Partial<ScimIntegrationSpec> = {}): ScimIntegrationSpec {
  return headerSpec({
    provisioning: { enabled: true },
    dynatrace: { oauthClient: CLIENT },
    groups: [
      { name: 'Dynatrace Viewers', create: true, push: true, policies: [{ name: 'Standard User', environment: 'abc12345', parameters: { team: 'ops' }, boundaries: [BOUNDARY] }] },
      {
        name: 'Dynatrace Admins',
        push: true,
        pushAs: 'DT Admins',
        policies: [
          { name: 'Standard User', environment: 'abc12345' },
          { name: 'Environment Admin', environment: 'abc12345' },
          { uuid: CUSTOM_POLICY, account: true },
          { name: 'Ops Policy', definedIn: 'account', account: true },
        ],
      },
    ],
    ...overrides,
  });
}

const tenant = (integration: ScimIntegrationSpec, name = 'acme') => resolveTenant({ name, okta: { orgName: name }, integration });

describe('the model', () => {
  it('resolves policies by name (global by default) or uuid, at account or environment level, with the account from the SCIM URL', () => {
    const spec = resolveIntegration(grantsSpec(), 'acme');
    expect(spec.dynatrace).toEqual({ accountUuid: ACCOUNT, oauthClient: CLIENT });
    expect(spec.groups[0]!.policies).toEqual([{ level: 'environment', environment: 'abc12345', policy: { name: 'Standard User', definedIn: 'global' }, parameters: { team: 'ops' }, boundaries: [BOUNDARY] }]);
    expect(spec.groups[1]!.policies).toEqual([
      { level: 'environment', environment: 'abc12345', policy: { name: 'Standard User', definedIn: 'global' } },
      { level: 'environment', environment: 'abc12345', policy: { name: 'Environment Admin', definedIn: 'global' } },
      { level: 'account', policy: { uuid: CUSTOM_POLICY } },
      { level: 'account', policy: { name: 'Ops Policy', definedIn: 'account' } },
    ]);
    expect(spec.warnings).toEqual([]);
  });

  it.each([
    ['policies on a group that is not pushed', { groups: [{ name: 'A', policies: [{ name: 'P', environment: 'abc12345' }] }] }, 'groups[0].policies', /only a pushed group/],
    ['both name and uuid', { groups: [{ name: 'A', push: true, policies: [{ name: 'P', uuid: CUSTOM_POLICY, environment: 'abc12345' }] }] }, 'groups[0].policies[0]', /exactly one of `name` and `uuid`/],
    ['no level', { groups: [{ name: 'A', push: true, policies: [{ name: 'P' }] }] }, 'groups[0].policies[0]', /exactly one level/],
    ['two levels', { groups: [{ name: 'A', push: true, policies: [{ name: 'P', account: true, environment: 'abc12345' }] }] }, 'groups[0].policies[0]', /exactly one level/],
    ['definedIn with a uuid', { groups: [{ name: 'A', push: true, policies: [{ uuid: CUSTOM_POLICY, definedIn: 'account', account: true }] }] }, 'groups[0].policies[0].definedIn', /only applies to a policy given by name/],
    ['an environment policy bound at account level', { groups: [{ name: 'A', push: true, policies: [{ name: 'P', definedIn: 'environment', account: true }] }] }, 'groups[0].policies[0].definedIn', /only be bound in that environment/],
    ['the same binding twice', { groups: [{ name: 'A', push: true, policies: [{ name: 'P', environment: 'abc12345' }, { name: 'P', environment: 'abc12345' }] }] }, 'groups[0].policies[1]', /same policy at the same level as policies\[0\]/],
    ['a bad boundary', { groups: [{ name: 'A', push: true, policies: [{ name: 'P', environment: 'abc12345', boundaries: ['nope'] }] }] }, 'groups[0].policies[0].boundaries[0]', /boundary uuid/],
    ['an empty parameter value', { groups: [{ name: 'A', push: true, policies: [{ name: 'P', environment: 'abc12345', parameters: { team: ' ' } }] }] }, 'groups[0].policies[0].parameters.team', /the parameter value is empty/],
    ['a parameter value on two lines', { groups: [{ name: 'A', push: true, policies: [{ name: 'P', environment: 'abc12345', parameters: { team: 'a\nb' } }] }] }, 'groups[0].policies[0].parameters.team', /must be one line/],
    ['a token as a parameter name', { groups: [{ name: 'A', push: true, policies: [{ name: 'P', environment: 'abc12345', parameters: { [TEST_TOKEN]: 'x' } }] }] }, 'groups[0].policies[0].parameters.***', /looks like a token/],
    ['a token as the OAuth client secret name', { dynatrace: { oauthClient: { clientId: { env: 'DT_ID' }, clientSecret: { env: TEST_TOKEN } } } }, 'dynatrace.oauthClient.clientSecret.env', /looks like a token/],
    ['an OAuth client without a source', { dynatrace: { oauthClient: { clientId: {}, clientSecret: { env: 'S' } } } }, 'dynatrace.oauthClient.clientId', /no source given/],
  ])('%s is an error with its path', (_name, override, path, message) => {
    const error = errorOf(() => resolveIntegration({ ...grantsSpec(), ...override }, 'acme'));
    const issue = error.issues.find((candidate) => candidate.path === path);
    expect(issue?.message).toMatch(message);
    expect(error.message).not.toContain(TEST_TOKEN);
  });

  it('policies need the dynatrace section, and a custom endpoint needs the account uuid', () => {
    const { dynatrace: _dynatrace, ...withoutAccount } = grantsSpec();
    expect(errorOf(() => resolveIntegration(withoutAccount, 'acme')).issues).toEqual([expect.objectContaining({ path: 'dynatrace', fix: expect.stringContaining('oauthClient') })]);
    const custom = errorOf(() => resolveIntegration(grantsSpec({ scimBaseUrl: 'https://scim-proxy.example.com/v2', customScimEndpoint: true }), 'acme'));
    expect(custom.issues).toEqual([expect.objectContaining({ path: 'dynatrace.accountUuid', message: 'cannot be derived from a custom SCIM endpoint' })]);
    expect(resolveIntegration(grantsSpec({ scimBaseUrl: 'https://scim-proxy.example.com/v2', customScimEndpoint: true, dynatrace: { accountUuid: ACCOUNT, oauthClient: CLIENT } }), 'acme').dynatrace?.accountUuid).toBe(ACCOUNT);
    const notUuid = errorOf(() => resolveIntegration(grantsSpec({ scimBaseUrl: 'https://api.sso.dynatrace.com/idm/public/scim/acme-prod/v2' }), 'acme'));
    expect(notUuid.issues).toEqual([expect.objectContaining({ path: 'dynatrace.accountUuid', message: 'cannot be derived: the account id in the SCIM base URL is not a uuid' })]);
  });

  it('a refused SCIM base URL is one problem, not followed by an account that cannot be derived', () => {
    const error = errorOf(() => resolveIntegration(grantsSpec({ scimBaseUrl: 'https://scim.example.com/v2' }), 'acme'));
    expect(error.issues.map((issue) => issue.path)).toEqual(['scimBaseUrl']);
  });

  it('says so when the given account is not the SCIM URL\'s, and when nothing is bound', () => {
    const other = resolveIntegration(grantsSpec({ dynatrace: { accountUuid: CUSTOM_POLICY, oauthClient: CLIENT } }), 'acme');
    expect(other.warnings).toEqual([expect.objectContaining({ path: 'dynatrace.accountUuid', message: expect.stringContaining(`SCIM provisions account ${ACCOUNT}`) })]);
    expect(resolveIntegration(headerSpec({ dynatrace: { oauthClient: CLIENT } }), 'acme').warnings).toEqual([expect.objectContaining({ path: 'dynatrace', message: 'is set but no pushed group declares policies, so nothing is bound' })]);
  });
});

describe('the neutral plan', () => {
  const summary = (spec: ScimIntegrationSpec) => planResources(resolveIntegration(spec, 'acme')).filter((entry) => entry.kind.startsWith('dynatrace_')).map((entry) => `${entry.type}:${entry.kind}:${roleName(entry.role)}`);

  it('binds only at stage 2: nothing while the console step is pending', () => {
    expect(summary(grantsSpec({ provisioning: { enabled: false } }))).toEqual([]);
  });

  it('one group lookup per group, one policy lookup per name and place, one bindings resource per group and level', () => {
    expect(summary(grantsSpec())).toEqual([
      'data:dynatrace_iam_policy:iam-policy-standard-user',
      'data:dynatrace_iam_policy:iam-policy-environment-admin',
      'data:dynatrace_iam_policy:iam-policy-ops-policy-account',
      'data:dynatrace_iam_group:iam-group-dynatrace-viewers',
      'resource:dynatrace_iam_policy_bindings_v2:iam-bindings-dynatrace-viewers-env-abc12345',
      'data:dynatrace_iam_group:iam-group-dynatrace-admins',
      'resource:dynatrace_iam_policy_bindings_v2:iam-bindings-dynatrace-admins-env-abc12345',
      'resource:dynatrace_iam_policy_bindings_v2:iam-bindings-dynatrace-admins-account',
    ]);
  });

  it('looks a policy up where it is defined: globally, in the account, or in the binding\'s environment', () => {
    const spec = grantsSpec({
      groups: [
        {
          name: 'Ops',
          push: true,
          policies: [
            { name: 'Standard User', environment: 'abc12345' },
            { name: 'Ops Policy', definedIn: 'account', environment: 'abc12345' },
            { name: 'Ops Policy', definedIn: 'environment', environment: 'abc12345' },
          ],
        },
      ],
    });
    const lookups = planResources(resolveIntegration(spec, 'acme')).filter((entry) => entry.kind === 'dynatrace_iam_policy');
    expect(lookups.map((entry) => entry.type === 'data' && [roleName(entry.role), entry.props, entry.checks[0]!.message])).toEqual([
      ['iam-policy-standard-user', { name: 'Standard User' }, expect.stringContaining('is not defined at global level')],
      ['iam-policy-ops-policy-account', { name: 'Ops Policy', account: ACCOUNT }, expect.stringContaining(`is not defined at account ${ACCOUNT} level`)],
      ['iam-policy-ops-policy-env-abc12345', { name: 'Ops Policy', environment: 'abc12345' }, expect.stringContaining('is not defined at environment abc12345 level')],
    ]);
  });

  it('looks a group up by its pushed name after its push mapping, and stops on a null or empty id with the next step', () => {
    const lookup = planResources(resolveIntegration(grantsSpec(), 'acme')).find((entry) => roleName(entry.role) === 'iam-group-dynatrace-admins');
    expect(lookup).toEqual({
      type: 'data',
      role: { kind: 'iamGroup', key: 'dynatrace-admins' },
      kind: 'dynatrace_iam_group',
      props: { name: 'DT Admins' },
      checks: [{ attribute: 'id', present: true, message: 'group "DT Admins" is not in Dynatrace yet: finish the console step and the push, then apply again' }],
      dependsOn: [{ kind: 'push', key: 'dynatrace-admins' }],
    });
  });
});

describe('CDKTF', () => {
  const json = JSON.parse(Testing.synth(new TenantStack(Testing.app(), tenant(grantsSpec())))) as TerraformJson;
  const resources = resourcesOf(json);

  it('pins the Dynatrace provider in its owner file and configures it with the account only', () => {
    expect(json.terraform?.required_providers?.dynatrace).toEqual({ source: 'dynatrace-oss/dynatrace', version: DYNATRACE_PROVIDER.versionConstraint });
    expect(DYNATRACE_PROVIDER.versionConstraint).toBe('1.102.0');
    expect(json.provider?.dynatrace).toEqual([{ iam_account_id: ACCOUNT }]);
  });

  it('renders the lookups with their conditions and the bindings', () => {
    expect(resources['data.dynatrace_iam_group.dynatrace_iam_group_dynatrace_admins']).toEqual({
      name: 'DT Admins',
      depends_on: ['okta_push_group.dynatrace_push_dynatrace_admins'],
      lifecycle: { postcondition: [{ condition: '${self.id != null && self.id != ""}', error_message: 'group "DT Admins" is not in Dynatrace yet: finish the console step and the push, then apply again' }] },
    });
    expect(resources['data.dynatrace_iam_policy.dynatrace_iam_policy_ops_policy_account']).toEqual({
      name: 'Ops Policy',
      account: ACCOUNT,
      lifecycle: { postcondition: [{ condition: '${self.uuid != null && self.uuid != ""}', error_message: `policy "Ops Policy" is not defined at account ${ACCOUNT} level in Dynatrace: check its name and where it is defined (Dynatrace's own policies are global)` }] },
    });
    expect(resources['dynatrace_iam_policy_bindings_v2.dynatrace_iam_bindings_dynatrace_viewers_env_abc12345']).toEqual({
      group: '${data.dynatrace_iam_group.dynatrace_iam_group_dynatrace_viewers.id}',
      environment: 'abc12345',
      policy: [{ id: '${data.dynatrace_iam_policy.dynatrace_iam_policy_standard_user.uuid}', parameters: { team: 'ops' }, boundaries: [BOUNDARY] }],
      lifecycle: { prevent_destroy: true },
    });
    expect(resources['dynatrace_iam_policy_bindings_v2.dynatrace_iam_bindings_dynatrace_admins_account']).toEqual({
      group: '${data.dynatrace_iam_group.dynatrace_iam_group_dynatrace_admins.id}',
      account: ACCOUNT,
      policy: [{ id: CUSTOM_POLICY }, { id: '${data.dynatrace_iam_policy.dynatrace_iam_policy_ops_policy_account.uuid}' }],
      lifecycle: { prevent_destroy: true },
    });
  });

  it('conforms to both providers\' schema fixtures and names no secret', () => {
    expect(conformanceErrors(json)).toEqual([]);
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/client_secret|iam_client|ACME_DT_CLIENT/);
  });

  it('declares no Dynatrace provider for a tenant that binds nothing', () => {
    const plain = JSON.parse(Testing.synth(new TenantStack(Testing.app(), tenant(headerSpec())))) as TerraformJson;
    expect(plain.provider?.dynatrace).toBeUndefined();
    expect(plain.terraform?.required_providers?.dynatrace).toBeUndefined();
  });
});

describe('Pulumi', () => {
  it('registers the provider from the package schema, the invokes and the bindings with the client as secrets', async () => {
    process.env.ACME_DT_CLIENT_ID = 'client-id-value';
    process.env.ACME_DT_CLIENT_SECRET = TEST_TOKEN;
    try {
      const run = await runOffline(() => [tenantProgram(tenant(grantsSpec()), { scimTokenValue: 'placeholder' })]);
      const provider = run.resources.find((r) => r.type === 'pulumi:providers:dynatrace')!;
      expect(provider.name).toBe('acme');
      // The package schema marks these sensitive: registered as secrets (mocks see the secret wrapper).
      const secret = (value: string) => ({ '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value });
      expect(provider.inputs).toEqual({ iamAccountId: secret(ACCOUNT), iamClientId: secret('client-id-value'), iamClientSecret: secret(TEST_TOKEN) });
      const bindings = run.resources.filter((r) => r.type === 'dynatrace:index/iamPolicyBindingsV2:IamPolicyBindingsV2');
      expect(bindings.map((r) => r.name).sort()).toEqual(['acme-iam-bindings-dynatrace-admins-account', 'acme-iam-bindings-dynatrace-admins-env-abc12345', 'acme-iam-bindings-dynatrace-viewers-env-abc12345']);
      expect(bindings.find((r) => r.name === 'acme-iam-bindings-dynatrace-viewers-env-abc12345')!.inputs).toEqual({
        group: 'lookup-Dynatrace Viewers',
        environment: 'abc12345',
        policies: [{ id: 'lookup-Standard User', parameters: { team: 'ops' }, boundaries: [BOUNDARY] }],
      });
      const sorted = (args: Record<string, unknown>) => JSON.stringify(Object.fromEntries(Object.entries(args).sort(([a], [b]) => a.localeCompare(b))));
      expect(run.invokes.filter((i) => i.token.startsWith('dynatrace:')).map((i) => `${i.token} ${sorted(i.args)}`).sort()).toEqual([
        'dynatrace:index/getIamGroup:getIamGroup {"name":"DT Admins"}',
        'dynatrace:index/getIamGroup:getIamGroup {"name":"Dynatrace Viewers"}',
        `dynatrace:index/getIamPolicy:getIamPolicy {"account":"${ACCOUNT}","name":"Ops Policy"}`,
        'dynatrace:index/getIamPolicy:getIamPolicy {"name":"Environment Admin"}',
        'dynatrace:index/getIamPolicy:getIamPolicy {"name":"Standard User"}',
      ]);
    } finally {
      delete process.env.ACME_DT_CLIENT_ID;
      delete process.env.ACME_DT_CLIENT_SECRET;
    }
  });

  it.each([
    ['an empty id', 'dynatrace-group-missing'],
    ['all-null attributes (what the provider answers)', 'dynatrace-group-null'],
  ])('fails the program with the next step when the pushed group is not in Dynatrace yet: %s', (_name, mode) => {
    const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', join(__dirname, 'support', 'pulumi-lookup-mismatch.ts'), mode], { encoding: 'utf8', timeout: 60000 });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('group "Dynatrace Users" is not in Dynatrace yet: finish the console step and the push, then apply again');
    expect(result.stdout).not.toMatch(/created acme-iam-bindings/);
  });
});

describe('the review', () => {
  const review = (before: ScimIntegrationSpec, after: ScimIntegrationSpec) => {
    const findings = reviewTenants([tenant(before)], [tenant(after)]).tenants[0]!.findings;
    return findings.map((f) => `${f.severity}: ${f.title}`);
  };

  it('taking ownership of a group\'s bindings is a notice that says what it replaces; account-level and admin-type bindings are dangerous', () => {
    const titles = review(grantsSpec({ provisioning: { enabled: false } }), grantsSpec());
    expect(titles).toEqual(
      expect.arrayContaining([
        'notice: The code now owns every policy binding of "Dynatrace Viewers" at environment abc12345 (`dynatrace_iam_policy_bindings_v2.dynatrace_iam_bindings_dynatrace_viewers_env_abc12345`)',
        `danger: A new account-level binding for "DT Admins": "${CUSTOM_POLICY}", "Ops Policy"`,
        'danger: An admin-type policy is bound to "DT Admins" at environment abc12345: "Environment Admin"',
      ]),
    );
  });

  it('a policy added to an existing binding: only the new one is judged', () => {
    const before = grantsSpec({ groups: [{ name: 'Dynatrace Admins', push: true, policies: [{ name: 'Standard User', environment: 'abc12345' }] }] });
    const after = grantsSpec({ groups: [{ name: 'Dynatrace Admins', push: true, policies: [{ name: 'Standard User', environment: 'abc12345' }, { name: 'Environment Admin', environment: 'abc12345' }] }] });
    expect(review(before, after)).toEqual(['danger: An admin-type policy is bound to "Dynatrace Admins" at environment abc12345: "Environment Admin"']);
  });

  it('a binding removed is dangerous, with the policies it unbinds', () => {
    const before = grantsSpec({ groups: [{ name: 'Dynatrace Admins', push: true, policies: [{ name: 'Standard User', environment: 'abc12345' }, { name: 'Log Reader', environment: 'xyz98765' }] }] });
    const after = grantsSpec({ groups: [{ name: 'Dynatrace Admins', push: true, policies: [{ name: 'Standard User', environment: 'abc12345' }] }] });
    expect(review(before, after)).toEqual(['danger: The Dynatrace group "Dynatrace Admins" loses its policy bindings at environment xyz98765 (`dynatrace_iam_policy_bindings_v2.dynatrace_iam_bindings_dynatrace_admins_env_xyz98765`)']);
    const fewer = grantsSpec({ groups: [{ name: 'Dynatrace Admins', push: true, policies: [{ name: 'Log Reader', environment: 'abc12345' }] }] });
    expect(review(after, fewer)).toEqual(['danger: "Dynatrace Admins" loses "Standard User" at environment abc12345 (`dynatrace_iam_policy_bindings_v2.dynatrace_iam_bindings_dynatrace_admins_env_abc12345`)']);
  });

  it('names the group whose key itself looks like a level (`-env-`, `-account`)', () => {
    const before = grantsSpec({ groups: [{ key: 'eu-env-ops', name: 'EU Ops', push: true, policies: [{ name: 'Standard User', environment: 'abc12345' }] }] });
    const after = grantsSpec({ groups: [{ key: 'eu-env-ops', name: 'EU Ops', push: true, policies: [] }] });
    expect(review(grantsSpec({ groups: [{ key: 'eu-env-ops', name: 'EU Ops', push: true }], provisioning: { enabled: true } }), before)).toContainEqual(
      'notice: The code now owns every policy binding of "EU Ops" at environment abc12345 (`dynatrace_iam_policy_bindings_v2.dynatrace_iam_bindings_eu_env_ops_env_abc12345`)',
    );
    expect(review(before, after)).toEqual(['danger: The Dynatrace group "EU Ops" loses its policy bindings at environment abc12345 (`dynatrace_iam_policy_bindings_v2.dynatrace_iam_bindings_eu_env_ops_env_abc12345`)']);
  });
});

