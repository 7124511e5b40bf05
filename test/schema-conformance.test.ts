/**
 * Every attribute the Terraform side emits exists in the okta provider 7 schema (fixture generated from
 * @pulumi/okta 7.0.0, which is bridged from terraform-provider-okta v7.0.0; see its `source`).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Testing, TerraformStack } from 'cdktf';
import { OktaProvider } from '../constructs/cdktf/okta-provider';
import { DynatraceScimIntegration } from '../constructs/cdktf/scim-integration';
import { TenantStack } from '../constructs/cdktf/tenant-stack';
import { loadTenants } from '../constructs/tenants/file';
import { conformanceErrors } from './support/provider-schema';
import type { TerraformJson } from './support/render';
import { apiSpec, headerSpec, oauthSpec, ssoSpec } from './support/specs';
import { synthStack } from './support/render';

describe('schema conformance', () => {
  it.each([
    ['header auth, stage 1, all group kinds', headerSpec()],
    ['header auth, stage 2', headerSpec({ provisioning: { enabled: true } })],
    ['API path', apiSpec()],
    ['OAuth bearer, SAML, API path', oauthSpec({ signOn: 'saml', provisioning: { setup: 'api' } })],
    ['destroy policy, all provisioning off, API path', apiSpec({ removalPolicy: 'destroy', provisioning: { setup: 'api', createUsers: false, updateUserAttributes: false, deactivateUsers: false } })],
    ['adopted app, API path', apiSpec({ existingAppId: '0oa1existing' })],
    ['inactive app, custom username', oauthSpec({ status: 'INACTIVE', username: { template: '${source.login}' } })],
    ['SSO app by id, stage 2', ssoSpec({ provisioning: { enabled: true } })],
    ['SSO app by label', ssoSpec({ ssoApp: { label: 'Dynatrace SSO' } })],
    ['adopted app with its push mappings, stage 2', headerSpec({ existingAppId: '0oa1existing', provisioning: { enabled: true }, groups: [{ id: '00g1', name: 'A', push: true, pushTargetId: '00g1target', existingPushId: 'gpm1' }] })],
    ['SSO app adopting its assignments and pushes', ssoSpec({ ssoApp: { id: '0oa1sso', importAssignments: true }, provisioning: { enabled: true }, groups: [{ id: '00g9', name: 'Users', push: true, pushTargetId: '00g9target', existingPushId: 'gpm9' }] })],
  ])('%s', (_name, spec) => {
    expect(conformanceErrors(synthStack(spec).json)).toEqual([]);
  });

  it.each(loadTenants('tenants.yaml').concat(loadTenants('test/fixtures/three-tenants.yaml')))('example tenant $name, provider block included', (tenant) => {
    const stack = new TenantStack(Testing.app(), tenant);
    const json = JSON.parse(Testing.synth(stack)) as TerraformJson;
    expect(Object.keys(json.resource ?? {}).length).toBeGreaterThan(0);
    expect(conformanceErrors(json)).toEqual([]);
  });

  it('catches an unknown attribute, a bad value, an empty value and a missing required attribute', () => {
    const stack = new TerraformStack(Testing.app(), 'broken');
    new OktaProvider(stack, 'okta', { orgName: 'acme', baseUrl: 'okta.com' });
    const integration = new DynatraceScimIntegration(stack, 'dynatrace', apiSpec());
    integration.resources.get('resource.connection')!.addOverride('auth_token', 'x');
    integration.resources.get('resource.connection')!.addOverride('action', 'enable');
    integration.resources.get('resource.features')!.addOverride('app_id', null);
    integration.resources.get('resource.app')!.addOverride('lifecycle.ignore_changes', ['preconfigured_app', 'preconfiguredApp']);
    expect(conformanceErrors(JSON.parse(Testing.synth(stack)) as TerraformJson)).toEqual([
      '[v7.0.0 (@pulumi/okta typings)] okta_app_auto_login.dynatrace_app.lifecycle.ignore_changes: "preconfiguredApp" is not an attribute',
      '[v7.0.0 (@pulumi/okta typings)] okta_app_connection.dynatrace_connection.action: "enable" is not one of ["activate","deactivate"]',
      '[v7.0.0 (@pulumi/okta typings)] okta_app_connection.dynatrace_connection.auth_token: not in the provider schema',
      '[v7.0.0 (@pulumi/okta typings)] okta_app_features.dynatrace_features.app_id: empty value',
    ]);
    const missing: TerraformJson = { resource: { okta_app_group_assignment: { a: { app_id: 'x' } } } };
    expect(conformanceErrors(missing)).toEqual(['[v7.0.0 (@pulumi/okta typings)] okta_app_group_assignment.a.group_id: required attribute missing']);
  });

  it('uses the committed fixture that the generator produces', () => {
    const generated = execFileSync(process.execPath, ['--require', 'tsx/cjs', 'scripts/gen-provider-schema.ts'], { encoding: 'utf8' });
    expect(generated).toBe(readFileSync('test/fixtures/okta-provider-schema.json', 'utf8'));
  });
});
