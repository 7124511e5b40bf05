import { OKTA_PROVIDER } from '../constructs/cdktf/okta-provider';
import { headerSpec, oauthSpec, SCIM_URL, TEST_TOKEN } from './support/specs';
import { resourcesOf, synthScope, synthStack } from './support/render';

const APP = '${okta_app_auto_login.dynatrace_app.id}';
const STRIPPED = 'trimspace(replace(trimspace(var.dynatrace_scim_token), "/(?i)^bearer([[:space:]]+|$)/", ""))';

describe('CDKTF: header auth', () => {
  const { json } = synthStack(headerSpec());
  const resources = resourcesOf(json);

  it('creates exactly these Terraform objects', () => {
    expect(Object.keys(resources).sort()).toEqual([
      'data.okta_group.dynatrace_group_dynatrace_admins',
      'okta_app_auto_login.dynatrace_app',
      'okta_app_connection.dynatrace_connection',
      'okta_app_features.dynatrace_features',
      'okta_app_group_assignment.dynatrace_assignment_dynatrace_admins',
      'okta_app_group_assignment.dynatrace_assignment_dynatrace_viewers',
      'okta_app_group_assignment.dynatrace_assignment_sre',
      'okta_group.dynatrace_group_dynatrace_viewers',
      'okta_push_group.dynatrace_push_dynatrace_admins',
      'okta_push_group.dynatrace_push_dynatrace_viewers',
    ]);
  });

  it('creates the Header Auth catalog app as auto-login, protected', () => {
    expect(resources['okta_app_auto_login.dynatrace_app']).toEqual({
      label: 'Dynatrace SCIM',
      preconfigured_app: 'scim2headerauth',
      status: 'ACTIVE',
      lifecycle: { prevent_destroy: true },
    });
  });

  it('activates a TOKEN connection whose value is "Bearer " + the normalised variable', () => {
    expect(resources['okta_app_connection.dynatrace_connection']).toEqual({
      id: APP,
      base_url: SCIM_URL,
      action: 'activate',
      profile: { auth_scheme: 'TOKEN', token: `Bearer \${${STRIPPED}}` },
      lifecycle: { prevent_destroy: true },
    });
  });

  it('declares all four provisioning capabilities (no drift)', () => {
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
  });

  it('assigns existing, looked-up and created groups with priorities, retaining assignments', () => {
    expect(resources['data.okta_group.dynatrace_group_dynatrace_admins']).toEqual({ name: 'Dynatrace Admins' });
    expect(resources['okta_group.dynatrace_group_dynatrace_viewers']).toEqual({ name: 'Dynatrace Viewers', description: 'Read-only' });
    expect(resources['okta_app_group_assignment.dynatrace_assignment_dynatrace_admins']).toEqual({
      app_id: APP,
      group_id: '${data.okta_group.dynatrace_group_dynatrace_admins.id}',
      priority: 0,
      retain_assignment: true,
    });
    expect(resources['okta_app_group_assignment.dynatrace_assignment_dynatrace_viewers']).toEqual({
      app_id: APP,
      group_id: '${okta_group.dynatrace_group_dynatrace_viewers.id}',
      priority: 1,
      retain_assignment: true,
    });
    expect(resources['okta_app_group_assignment.dynatrace_assignment_sre']).toEqual({ app_id: APP, group_id: '00g1a2b3c4d5e6f7g8h9', retain_assignment: true });
  });

  it('pushes groups without deleting the Dynatrace group on destroy', () => {
    expect(resources['okta_push_group.dynatrace_push_dynatrace_viewers']).toEqual({
      app_id: APP,
      source_group_id: '${okta_group.dynatrace_group_dynatrace_viewers.id}',
      target_group_name: 'DT Viewers',
      status: 'ACTIVE',
      delete_target_group_on_destroy: false,
    });
  });

  it('requires the current provider major, not the prebuilt 4.20.0', () => {
    expect(json.terraform?.required_providers).toEqual({ okta: { source: 'okta/okta', version: OKTA_PROVIDER.versionConstraint } });
    expect(OKTA_PROVIDER.versionConstraint).toBe('~> 7.0');
    expect(json.provider).toEqual({ okta: [{ org_name: 'acme', base_url: 'okta.com' }] });
  });

  it('takes the token from a sensitive, validated variable', () => {
    const variable = json.variable?.dynatrace_scim_token;
    expect(variable).toMatchObject({ type: 'string', sensitive: true, nullable: false });
    const validation = (variable?.validation as { condition: string; error_message: string }[])[0];
    expect(validation.condition).toContain('regexall("(?i)^bearer[[:space:]]+bearer([[:space:]]|$)"');
    expect(validation.error_message).toMatch(/empty or starts with "Bearer Bearer"/);
    expect(variable?.description).toContain('TF_VAR_dynatrace_scim_token');
    expect(variable?.description).toContain('$ACME_DT_SCIM_TOKEN');
  });
});

describe('CDKTF: OAuth bearer', () => {
  const resources = resourcesOf(synthStack(oauthSpec()).json);

  it('creates the OAuth Bearer Token catalog app and sends the raw token', () => {
    expect(resources['okta_app_auto_login.dynatrace_app']).toMatchObject({ preconfigured_app: 'scim2testapp', label: 'Dynatrace (OAuth)' });
    expect((resources['okta_app_connection.dynatrace_connection'].profile as { token: string }).token).toBe(`\${${STRIPPED}}`);
  });

  it('renders SAML sign-on as okta_app_saml', () => {
    const saml = resourcesOf(synthStack(oauthSpec({ signOn: 'saml' })).json);
    expect(saml['okta_app_saml.dynatrace_app']).toMatchObject({ preconfigured_app: 'scim2testapp', status: 'ACTIVE' });
    expect(saml['okta_app_auto_login.dynatrace_app']).toBeUndefined();
  });
});

describe('CDKTF: options', () => {
  it('synthScope renders the construct alone', () => {
    const resources = resourcesOf(synthScope(headerSpec()));
    expect(resources['okta_app_auto_login.dynatrace_app']).toMatchObject({ preconfigured_app: 'scim2headerauth' });
    expect(Object.keys(resources)).toHaveLength(10);
  });

  it('manual connection mode emits no connection, features, push or token variable', () => {
    const { json } = synthStack(headerSpec({ connection: 'manual' }));
    expect(Object.keys(json.resource ?? {}).sort()).toEqual(['okta_app_auto_login', 'okta_app_group_assignment', 'okta_group']);
    expect(json.variable).toBeUndefined();
  });

  it('provisioning switches map to capability statuses', () => {
    const resources = resourcesOf(synthStack(headerSpec({ provisioning: { createUsers: false, updateUserAttributes: false, deactivateUsers: false, syncPassword: true } })).json);
    expect(resources['okta_app_features.dynatrace_features'].capabilities).toEqual({
      create: { lifecycle_create: { status: 'DISABLED' } },
      update: { lifecycle_deactivate: { status: 'DISABLED' }, profile: { status: 'DISABLED' }, password: { status: 'ENABLED', seed: 'RANDOM', change: 'KEEP_EXISTING' } },
    });
  });

  it('removalPolicy destroy lifts every guard', () => {
    const resources = resourcesOf(synthStack(headerSpec({ removalPolicy: 'destroy' })).json);
    for (const body of Object.values(resources)) expect(body.lifecycle).toBeUndefined();
    expect(resources['okta_push_group.dynatrace_push_dynatrace_admins'].delete_target_group_on_destroy).toBe(true);
    expect(resources['okta_app_group_assignment.dynatrace_assignment_sre'].retain_assignment).toBe(false);
  });

  it('adopts an existing app with import blocks', () => {
    const { json } = synthStack(headerSpec({ existingAppId: '0oa1existing' }));
    expect(json.import).toEqual([
      { to: 'okta_app_auto_login.dynatrace_app', id: '0oa1existing' },
      { to: 'okta_app_connection.dynatrace_connection', id: '0oa1existing' },
      { to: 'okta_app_features.dynatrace_features', id: '0oa1existing/USER_PROVISIONING' },
      { to: 'okta_app_group_assignment.dynatrace_assignment_dynatrace_admins', id: '0oa1existing/${data.okta_group.dynatrace_group_dynatrace_admins.id}' },
      { to: 'okta_app_group_assignment.dynatrace_assignment_sre', id: '0oa1existing/00g1a2b3c4d5e6f7g8h9' },
    ]);
  });

  it('validates at construction time', () => {
    expect(() => synthStack(headerSpec({ scimBaseUrl: 'http://insecure.example.com' }))).toThrow(/Invalid tenant "acme"[\s\S]*scimBaseUrl: must use https/);
  });

  it('references the token only through the variable', () => {
    const { text } = synthStack(headerSpec());
    expect(text).not.toContain(TEST_TOKEN);
    expect(text).toContain('var.dynatrace_scim_token');
  });
});

describe('CDKTF: HCL output (cdktf synth --hcl)', () => {
  it('renders the escape-hatch resources with their blocks, not empty', () => {
    const { Testing, TerraformStack } = require('cdktf') as typeof import('cdktf');
    const { OktaProvider } = require('../constructs/cdktf/okta-provider') as typeof import('../constructs/cdktf/okta-provider');
    const { DynatraceScimIntegration } = require('../constructs/cdktf/scim-integration') as typeof import('../constructs/cdktf/scim-integration');
    const stack = new TerraformStack(Testing.app(), 'hcl');
    new OktaProvider(stack, 'okta', { orgName: 'acme', baseUrl: 'okta.com', clientId: '0oa1', scopes: ['okta.apps.manage'] });
    new DynatraceScimIntegration(stack, 'dynatrace', headerSpec());
    const hcl = (Testing.synthHcl(stack) as string).replace(/\n\s*/g, '\n');
    expect(hcl).toContain('provider "okta" {\norg_name = "acme"\nbase_url = "okta.com"\nclient_id = "0oa1"\nscopes = [\n"okta.apps.manage"\n]\n}');
    expect(hcl).toContain('resource "okta_app_connection" "dynatrace_connection" {\nid = "${okta_app_auto_login.dynatrace_app.id}"');
    expect(hcl).toContain('profile {\nauth_scheme = "TOKEN"\ntoken = "Bearer ${');
    expect(hcl).toContain('capabilities {\ncreate {\nlifecycle_create {\nstatus = "ENABLED"\n}\n}');
    expect(hcl).toContain('password {\nstatus = "DISABLED"\nseed = "RANDOM"\nchange = "KEEP_EXISTING"\n}');
    expect(hcl).toContain('resource "okta_push_group" "dynatrace_push_dynatrace_viewers" {\napp_id = "${okta_app_auto_login.dynatrace_app.id}"\nsource_group_id = "${okta_group.dynatrace_group_dynatrace_viewers.id}"\ntarget_group_name = "DT Viewers"\nstatus = "ACTIVE"\ndelete_target_group_on_destroy = false\n}');
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
    const base = resourcesOf(synthStack(headerSpec()).json);
    const reordered = resourcesOf(synthStack(headerSpec({ groups: [...(headerSpec().groups ?? [])].reverse() })).json);
    expect(reordered).toEqual(base);
  });
});
