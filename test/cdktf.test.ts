import { OKTA_PROVIDER } from '../constructs/cdktf/okta-provider';
import { TOKEN_ERROR } from '../constructs/cdktf/scim-integration';
import { apiSpec, headerSpec, oauthSpec, SCIM_URL, ssoSpec, TEST_TOKEN } from './support/specs';
import { resourcesOf, synthScope, synthStack } from './support/render';

const APP = '${okta_app_auto_login.dynatrace_app.id}';
const ADMINS_CHECK = {
  postcondition: [
    {
      condition: '${self.name == "Dynatrace Admins"}',
      error_message: 'No Okta group is named exactly "Dynatrace Admins" (the provider accepts a group whose name starts with it). Fix the name in the tenants file, or give the group\'s id.',
    },
  ],
};

describe('CDKTF: header auth, stage 1 (the default: console step)', () => {
  const { json } = synthStack(headerSpec());
  const resources = resourcesOf(json);

  it('creates the app, groups and assignments only: no connection, features, push mappings or token variable', () => {
    expect(Object.keys(resources).sort()).toEqual([
      'data.okta_group.dynatrace_group_dynatrace_admins',
      'okta_app_auto_login.dynatrace_app',
      'okta_app_group_assignment.dynatrace_assignment_dynatrace_admins',
      'okta_app_group_assignment.dynatrace_assignment_dynatrace_viewers',
      'okta_app_group_assignment.dynatrace_assignment_sre',
      'okta_group.dynatrace_group_dynatrace_viewers',
    ]);
    expect(json.variable).toBeUndefined();
    expect(json.locals).toBeUndefined();
  });

  it('creates the Header Auth catalog app as auto-login, protected, with e-mail usernames escaped for Terraform', () => {
    expect(resources['okta_app_auto_login.dynatrace_app']).toEqual({
      label: 'Dynatrace SCIM',
      preconfigured_app: 'scim2headerauth',
      status: 'ACTIVE',
      user_name_template: '$${source.email}',
      user_name_template_type: 'BUILT_IN',
      // The provider never reads preconfigured_app back: an imported app would otherwise show an update.
      lifecycle: { prevent_destroy: true, ignore_changes: ['preconfigured_app'] },
    });
  });

  it('assigns existing, looked-up and created groups with priorities, retaining assignments', () => {
    expect(resources['data.okta_group.dynatrace_group_dynatrace_admins']).toEqual({ name: 'Dynatrace Admins', type: 'OKTA_GROUP', lifecycle: ADMINS_CHECK });
    expect(resources['okta_group.dynatrace_group_dynatrace_viewers']).toEqual({ name: 'Dynatrace Viewers', description: 'Read-only' });
    expect(resources['okta_app_group_assignment.dynatrace_assignment_dynatrace_admins']).toEqual({
      app_id: APP,
      group_id: '${data.okta_group.dynatrace_group_dynatrace_admins.id}',
      priority: 0,
      retain_assignment: true,
    });
    expect(resources['okta_app_group_assignment.dynatrace_assignment_sre']).toEqual({ app_id: APP, group_id: '00g1a2b3c4d5e6f7g8h9', retain_assignment: true });
  });

  it('requires the current provider major, not the prebuilt 4.20.0', () => {
    expect(json.terraform?.required_providers).toEqual({ okta: { source: 'okta/okta', version: OKTA_PROVIDER.versionConstraint } });
    expect(OKTA_PROVIDER.versionConstraint).toBe('~> 7.0');
    expect(json.provider).toEqual({ okta: [{ org_name: 'acme', base_url: 'okta.com' }] });
  });
});

describe('CDKTF: stage 2 (provisioning declared enabled)', () => {
  const resources = resourcesOf(synthStack(headerSpec({ provisioning: { enabled: true } })).json);

  it('adds the push mappings, without deleting the Dynatrace group on destroy', () => {
    expect(Object.keys(resources).filter((address) => address.startsWith('okta_push_group')).sort()).toEqual([
      'okta_push_group.dynatrace_push_dynatrace_admins',
      'okta_push_group.dynatrace_push_dynatrace_viewers',
    ]);
    expect(resources['okta_push_group.dynatrace_push_dynatrace_viewers']).toEqual({
      app_id: APP,
      source_group_id: '${okta_group.dynatrace_group_dynatrace_viewers.id}',
      target_group_name: 'DT Viewers',
      status: 'ACTIVE',
      delete_target_group_on_destroy: false,
    });
    expect(Object.keys(resources).some((address) => /connection|features/.test(address))).toBe(false);
  });
});

describe('CDKTF: the API path (opt-in)', () => {
  const { json } = synthStack(apiSpec());
  const resources = resourcesOf(json);

  it('activates a TOKEN connection whose value is "Bearer " + the checked token, refusing a bad token without printing it', () => {
    expect(resources['okta_app_connection.dynatrace_connection']).toEqual({
      id: APP,
      base_url: SCIM_URL,
      action: 'activate',
      profile: { auth_scheme: 'TOKEN', token: 'Bearer ${local.dynatrace_scim_token_bare}' },
      lifecycle: { prevent_destroy: true, precondition: [{ condition: '${local.dynatrace_scim_token_ok}', error_message: TOKEN_ERROR }] },
    });
    expect(TOKEN_ERROR).not.toMatch(/var\./);
  });

  it('takes the token from a sensitive variable without a validation block (Terraform prints the value of a failing one)', () => {
    expect(json.variable?.dynatrace_scim_token).toEqual({
      type: 'string',
      sensitive: true,
      nullable: false,
      description: 'Dynatrace SCIM token (raw; a pasted "Bearer " prefix is accepted). Set TF_VAR_dynatrace_scim_token. CI maps it from $ACME_DT_SCIM_TOKEN.',
    });
    expect(Object.keys(json.locals ?? {}).sort()).toEqual(['dynatrace_scim_token_bare', 'dynatrace_scim_token_ok']);
    expect(json.locals?.dynatrace_scim_token_ok).toMatch(/^\$\{nonsensitive\(/);
  });

  it('declares all four provisioning capabilities (no drift), and the pushes wait for them', () => {
    expect(resources['okta_app_features.dynatrace_features']).toEqual({
      app_id: APP,
      name: 'USER_PROVISIONING',
      status: 'ENABLED',
      capabilities: {
        create: { lifecycle_create: { status: 'ENABLED' } },
        update: {
          lifecycle_deactivate: { status: 'ENABLED' },
          profile: { status: 'ENABLED' },
          password: { status: 'DISABLED', seed: 'RANDOM', change: 'KEEP_EXISTING' },
        },
      },
    });
    expect(resources['okta_push_group.dynatrace_push_dynatrace_admins'].depends_on).toEqual(['okta_app_features.dynatrace_features']);
  });

  it('provisioning switches map to capability statuses', () => {
    const features = resourcesOf(synthStack(apiSpec({ provisioning: { setup: 'api', createUsers: false, updateUserAttributes: false, deactivateUsers: false, syncPassword: true } })).json)['okta_app_features.dynatrace_features'];
    expect(features.capabilities).toEqual({
      create: { lifecycle_create: { status: 'DISABLED' } },
      update: { lifecycle_deactivate: { status: 'DISABLED' }, profile: { status: 'DISABLED' }, password: { status: 'ENABLED', seed: 'RANDOM', change: 'KEEP_EXISTING' } },
    });
  });

  it('references the token only through the variable', () => {
    const { text } = synthStack(apiSpec());
    expect(text).not.toContain(TEST_TOKEN);
    expect(text).toContain('var.dynatrace_scim_token');
  });
});

describe('CDKTF: OAuth bearer and SAML', () => {
  it('creates the OAuth Bearer Token catalog app with SAML sign-on by default and sends the raw token', () => {
    const resources = resourcesOf(synthStack(oauthSpec({ provisioning: { setup: 'api' } })).json);
    expect(resources['okta_app_saml.dynatrace_app']).toMatchObject({ preconfigured_app: 'scim2testapp', label: 'Dynatrace (OAuth)' });
    expect(resources['okta_app_auto_login.dynatrace_app']).toBeUndefined();
    expect((resources['okta_app_connection.dynatrace_connection'].profile as { token: string }).token).toBe('${local.dynatrace_scim_token_bare}');
  });

  it('renders each sign-on the tenant sets: saml as okta_app_saml, autoLogin as okta_app_auto_login', () => {
    const saml = resourcesOf(synthStack(headerSpec({ signOn: 'saml' })).json);
    expect(saml['okta_app_saml.dynatrace_app']).toMatchObject({ preconfigured_app: 'scim2headerauth', status: 'ACTIVE', user_name_template: '$${source.email}' });
    expect(saml['okta_app_auto_login.dynatrace_app']).toBeUndefined();
    const autoLogin = resourcesOf(synthStack(oauthSpec({ signOn: 'autoLogin' })).json);
    expect(autoLogin['okta_app_auto_login.dynatrace_app']).toMatchObject({ preconfigured_app: 'scim2testapp' });
    expect(autoLogin['okta_app_saml.dynatrace_app']).toBeUndefined();
  });
});

describe('CDKTF: SCIM on the existing SSO app', () => {
  it('reads the app by id and never declares it as a resource', () => {
    const resources = resourcesOf(synthStack(ssoSpec({ provisioning: { enabled: true } })).json);
    expect(resources['data.okta_app.dynatrace_app']).toEqual({ id: '0oa1ssoapp' });
    expect(Object.keys(resources).filter((address) => /^okta_app_(auto_login|saml|swa)/.test(address))).toEqual([]);
    expect(resources['okta_app_group_assignment.dynatrace_assignment_dynatrace_users']).toMatchObject({ app_id: '${data.okta_app.dynatrace_app.id}' });
    expect(resources['okta_push_group.dynatrace_push_dynatrace_users']).toMatchObject({ app_id: '${data.okta_app.dynatrace_app.id}', target_group_name: 'Dynatrace Users' });
  });

  it('by label, with a postcondition: the provider silently falls back to a prefix match', () => {
    const resources = resourcesOf(synthStack(ssoSpec({ ssoApp: { label: 'Dynatrace "SSO" ${x}' } })).json);
    expect(resources['data.okta_app.dynatrace_app']).toEqual({
      label: 'Dynatrace "SSO" $${x}',
      lifecycle: {
        postcondition: [
          {
            condition: '${self.label == "Dynatrace \\"SSO\\" $${x}"}',
            error_message: 'No Okta app is labelled exactly "Dynatrace "SSO" $${x}" (the provider falls back to the first app whose label starts with it). Fix ssoApp.label, or give ssoApp.id.',
          },
        ],
      },
    });
  });
});

describe('CDKTF: user text is escaped for Terraform in every field', () => {
  it('label, group names, descriptions and push targets keep ${ and %{ literal', () => {
    const resources = resourcesOf(
      synthStack(
        headerSpec({
          label: 'Dynatrace ${var.dynatrace_scim_token} %{if true}x%{endif}',
          provisioning: { enabled: true },
          groups: [{ name: 'Ops ${a}', create: true, description: 'd %{b}', push: true, pushAs: 'DT $${c}' }],
        }),
      ).json,
    );
    expect(resources['okta_app_auto_login.dynatrace_app'].label).toBe('Dynatrace $${var.dynatrace_scim_token} %%{if true}x%%{endif}');
    expect(resources['okta_group.dynatrace_group_ops_a']).toEqual({ name: 'Ops $${a}', description: 'd %%{b}' });
    expect(resources['okta_push_group.dynatrace_push_ops_a'].target_group_name).toBe('DT $$${c}');
  });
});

describe('CDKTF: options', () => {
  it('synthScope renders the construct alone', () => {
    const resources = resourcesOf(synthScope(headerSpec()));
    expect(resources['okta_app_auto_login.dynatrace_app']).toMatchObject({ preconfigured_app: 'scim2headerauth' });
    expect(Object.keys(resources)).toHaveLength(6);
  });

  it('removalPolicy destroy lifts every guard', () => {
    const resources = resourcesOf(synthStack(apiSpec({ removalPolicy: 'destroy' })).json);
    for (const body of Object.values(resources)) expect((body.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy).toBeUndefined();
    expect(resources['okta_push_group.dynatrace_push_dynatrace_admins'].delete_target_group_on_destroy).toBe(true);
    expect(resources['okta_app_group_assignment.dynatrace_assignment_sre'].retain_assignment).toBe(false);
  });

  it('adopts an existing app with import blocks', () => {
    const { json } = synthStack(apiSpec({ existingAppId: '0oa1existing' }));
    expect(json.import).toEqual([
      { to: 'okta_app_auto_login.dynatrace_app', id: '0oa1existing' },
      { to: 'okta_app_connection.dynatrace_connection', id: '0oa1existing' },
      { to: 'okta_app_features.dynatrace_features', id: '0oa1existing/USER_PROVISIONING' },
      { to: 'okta_app_group_assignment.dynatrace_assignment_dynatrace_admins', id: '0oa1existing/${data.okta_group.dynatrace_group_dynatrace_admins.id}' },
      { to: 'okta_app_group_assignment.dynatrace_assignment_sre', id: '0oa1existing/00g1a2b3c4d5e6f7g8h9' },
    ]);
  });

  it('adopts existing push mappings by their import id and links them to their target by id', () => {
    const { json } = synthStack(headerSpec({ existingAppId: '0oa1existing', provisioning: { enabled: true }, groups: [{ id: '00g1', key: 'a', name: 'A', push: true, pushAs: 'DT A', pushTargetId: '00g1target', existingPushId: 'gpm1a' }] }));
    expect(json.import).toEqual([
      { to: 'okta_app_auto_login.dynatrace_app', id: '0oa1existing' },
      { to: 'okta_app_group_assignment.dynatrace_assignment_a', id: '0oa1existing/00g1' },
      { to: 'okta_push_group.dynatrace_push_a', id: '0oa1existing/gpm1a' },
    ]);
    const { '//': _metadata, ...push } = json.resource!.okta_push_group!.dynatrace_push_a!;
    expect(push).toEqual({ app_id: '${okta_app_auto_login.dynatrace_app.id}', source_group_id: '00g1', target_group_id: '00g1target', status: 'ACTIVE', delete_target_group_on_destroy: false });
  });

  it('validates at construction time', () => {
    expect(() => synthStack(headerSpec({ scimBaseUrl: 'http://insecure.example.com' }))).toThrow(/^Invalid props of DynatraceScimIntegration at test\/dynatrace, tenant "acme" \(1 problem\):\n {2}- scimBaseUrl: must use https/);
  });
});

describe('CDKTF: props are checked when the construct is created', () => {
  const { TerraformStack, Testing } = require('cdktf') as typeof import('cdktf');
  const { DynatraceProvider } = require('../constructs/cdktf/dynatrace-provider') as typeof import('../constructs/cdktf/dynatrace-provider');
  const { OktaProvider } = require('../constructs/cdktf/okta-provider') as typeof import('../constructs/cdktf/okta-provider');
  const { DynatraceScimIntegration } = require('../constructs/cdktf/scim-integration') as typeof import('../constructs/cdktf/scim-integration');
  const { SpecError } = require('../constructs/model/errors') as typeof import('../constructs/model/errors');
  const construct = (id: string, props: Record<string, unknown>): Error => {
    const stack = new TerraformStack(Testing.app(), 'okta-scim');
    try {
      new DynatraceScimIntegration(stack, id, { ...headerSpec(), ...props } as never);
    } catch (error) {
      return error as Error;
    }
    throw new Error('no error');
  };

  it('names the construct by its path, never its id as a tenant, with every field and its fix at once', () => {
    const error = construct('dynatrace', { scimBaseUrl: 'http://dynatrace.example.com', groups: [{ priority: 0 }] });
    expect(error).toBeInstanceOf(SpecError);
    expect(error.message).toBe(
      [
        'Invalid props of DynatraceScimIntegration at okta-scim/dynatrace (2 problems):',
        "  - scimBaseUrl: must use https, not http. Fix: copy the SCIM Base URL from Dynatrace Account Management → Identity & access management → SCIM configuration (https://api.sso.dynatrace.com/idm/public/scim/<account-uuid>/v2, with your account's uuid).",
        '  - groups[0]: names no group. Fix: give `id` (existing group), `name` (existing, looked up) or `name` with `create: true`.',
      ].join('\n'),
    );
    expect(error.message).not.toContain('tenant');
    expect((error as InstanceType<typeof SpecError>).tenant).toBeUndefined();
  });

  it('checks the rendering options with the spec: the logical id prefix (given or from the id) and the providers\' types', () => {
    const stack = new TerraformStack(Testing.app(), 'other');
    const fromId = construct('1st', { provider: new DynatraceProvider(stack, 'dt'), dynatraceProvider: new OktaProvider(stack, 'okta', { orgName: 'acme', baseUrl: 'okta.com' }), label: '' });
    expect(fromId.message).toBe(
      [
        'Invalid props of DynatraceScimIntegration at okta-scim/1st (4 problems):',
        '  - logicalIdPrefix: the construct id "1st" gives "1st", which is not a Terraform identifier. Fix: start the construct id with a letter, or pass logicalIdPrefix.',
        '  - provider: is the "dynatrace" provider. Fix: pass an OktaProvider (okta-dynatrace-scim/cdktf).',
        '  - dynatraceProvider: is the "okta" provider. Fix: pass a DynatraceProvider (okta-dynatrace-scim/cdktf).',
        '  - label: the app label is empty. Fix: give it a value or remove the field.',
      ].join('\n'),
    );
    expect(construct('scim', { logicalIdPrefix: 'my scim', provider: stack }).message).toBe(
      [
        'Invalid props of DynatraceScimIntegration at okta-scim/scim (2 problems):',
        '  - logicalIdPrefix: "my scim" is not a Terraform identifier. Fix: use letters, digits, _ and -, starting with a letter or _.',
        '  - provider: is a TerraformStack, not a provider. Fix: pass an OktaProvider (okta-dynatrace-scim/cdktf).',
      ].join('\n'),
    );
    // A valid prefix from a valid id, and the tenant name when given: no error, and the tenant in the message.
    expect(() => new DynatraceScimIntegration(new TerraformStack(Testing.app(), 's'), 'Dynatrace-SCIM', headerSpec())).not.toThrow();
    expect(construct('dynatrace', { tenant: 'acme', label: '' }).message).toMatch(/^Invalid props of DynatraceScimIntegration at okta-scim\/dynatrace, tenant "acme" \(1 problem\)/);
  });
});

describe('CDKTF: HCL output (cdktf synth --hcl)', () => {
  it('renders the escape-hatch resources with their blocks, not empty', () => {
    const { Testing, TerraformStack } = require('cdktf') as typeof import('cdktf');
    const { OktaProvider } = require('../constructs/cdktf/okta-provider') as typeof import('../constructs/cdktf/okta-provider');
    const { DynatraceScimIntegration } = require('../constructs/cdktf/scim-integration') as typeof import('../constructs/cdktf/scim-integration');
    const stack = new TerraformStack(Testing.app(), 'hcl');
    new OktaProvider(stack, 'okta', { orgName: 'acme', baseUrl: 'okta.com', clientId: '0oa1', scopes: ['okta.apps.manage'] });
    new DynatraceScimIntegration(stack, 'dynatrace', apiSpec());
    const hcl = (Testing.synthHcl(stack) as string).replace(/\n\s*/g, '\n');
    expect(hcl).toContain('provider "okta" {\norg_name = "acme"\nbase_url = "okta.com"\nclient_id = "0oa1"\nscopes = [\n"okta.apps.manage"\n]\n}');
    expect(hcl).toContain('resource "okta_app_connection" "dynatrace_connection" {\nid = "${okta_app_auto_login.dynatrace_app.id}"');
    expect(hcl).toContain('profile {\nauth_scheme = "TOKEN"\ntoken = "Bearer ${local.dynatrace_scim_token_bare}"');
    expect(hcl).toContain('capabilities {\ncreate {\nlifecycle_create {\nstatus = "ENABLED"\n}\n}');
    expect(hcl).toContain('password {\nstatus = "DISABLED"\nseed = "RANDOM"\nchange = "KEEP_EXISTING"\n}');
  });
});

describe('CDKTF: stable addresses', () => {
  const addresses = (spec: Parameters<typeof synthStack>[0]) => Object.keys(resourcesOf(synthStack(spec).json)).sort();

  it('do not depend on the label or the order of groups', () => {
    const base = headerSpec();
    const changed = headerSpec({ label: 'Renamed app', groups: [...(base.groups ?? [])].reverse() });
    expect(addresses(changed)).toEqual(addresses(base));
  });

  it('keep each resource body identical when groups are reordered', () => {
    const base = resourcesOf(synthStack(apiSpec()).json);
    const reordered = resourcesOf(synthStack(apiSpec({ groups: [...(headerSpec().groups ?? [])].reverse() })).json);
    expect(reordered).toEqual(base);
  });
});
