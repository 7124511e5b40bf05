/**
 * One tenant entry, two Okta identities: with `clientId: { env: … }` each GitHub environment supplies its
 * own service app under the same names (a read-only app for plans and drift checks, the write app for
 * apply), so neither engine's provider block names the app or its scopes — both providers read
 * OKTA_API_CLIENT_ID / OKTA_API_PRIVATE_KEY_ID / OKTA_API_SCOPES, which CI sets per run. A literal client
 * id keeps one app everywhere, as before, and validation warns that plans then hold its write scopes.
 */
import { App, Testing } from 'cdktf';
import { TenantStack } from '../constructs/cdktf/tenant-stack';
import { runOffline } from '../constructs/pulumi/offline';
import { tenantProgram } from '../constructs/pulumi/tenant-program';
import { oktaProviderEnvironment, oktaProviderSettings, readOnlyScopes, resolveTenant, type ResolvedTenant } from '../constructs/model/tenant';
import { headerSpec } from './support/specs';

const tenant = (credentials: Record<string, unknown>) => resolveTenant({ name: 'globex', okta: { orgName: 'globex', credentials: { type: 'privateKey', privateKey: { env: 'GLOBEX_OKTA_PRIVATE_KEY' }, ...credentials } }, integration: headerSpec() }, 'tenants[1]');

function terraformProvider(resolved: ResolvedTenant): Record<string, unknown> {
  const stack = new TenantStack(new App({ outdir: Testing.app().outdir }), resolved);
  const json = JSON.parse(Testing.synth(stack)) as { provider: { okta: Record<string, unknown>[] } };
  return json.provider.okta[0];
}

async function pulumiProvider(resolved: ResolvedTenant): Promise<Record<string, unknown>> {
  const run = await runOffline(() => [tenantProgram(resolved, { scimTokenValue: 'unused' })]);
  return run.resources.find((r) => r.type === 'pulumi:providers:okta')!.inputs;
}

describe('the service app chosen by the environment (clientId: { env })', () => {
  const resolved = tenant({ clientId: { env: 'GLOBEX_OKTA_CLIENT_ID' }, privateKeyId: { env: 'GLOBEX_OKTA_KEY_ID' } });

  it('resolves without a warning, keeping the names and the write scopes', () => {
    expect(resolved.okta.credentials).toEqual({
      type: 'privateKey',
      clientId: { env: 'GLOBEX_OKTA_CLIENT_ID' },
      privateKeyId: { env: 'GLOBEX_OKTA_KEY_ID' },
      privateKey: { env: 'GLOBEX_OKTA_PRIVATE_KEY' },
      scopes: ['okta.apps.read', 'okta.apps.manage', 'okta.groups.read', 'okta.groups.manage'],
    });
    expect(resolved.warnings).toEqual([]);
  });

  it('Terraform: the provider block names org and domain only', () => {
    expect(terraformProvider(resolved)).toEqual({ org_name: 'globex', base_url: 'okta.com' });
  });

  it('Pulumi: the explicit provider gets org and domain only', async () => {
    const inputs = await pulumiProvider(resolved);
    expect(Object.keys(inputs).filter((key) => !key.startsWith('__')).sort()).toEqual(['baseUrl', 'orgName']);
  });

  it('read-only runs request the .read form of each scope, once', () => {
    expect(readOnlyScopes(['okta.apps.read', 'okta.apps.manage', 'okta.groups.manage', 'okta.policies.read'])).toEqual(['okta.apps.read', 'okta.groups.read', 'okta.policies.read']);
  });

  it('the provider reads the app, its key and scopes from its environment, filled from the variables the entry names', () => {
    const copied = [
      { name: 'OKTA_API_PRIVATE_KEY', from: 'GLOBEX_OKTA_PRIVATE_KEY', what: 'the Okta private key' },
      { name: 'OKTA_API_CLIENT_ID', from: 'GLOBEX_OKTA_CLIENT_ID', what: 'the Okta service app client id' },
      { name: 'OKTA_API_PRIVATE_KEY_ID', from: 'GLOBEX_OKTA_KEY_ID', what: 'the Okta key id' },
    ];
    expect(oktaProviderSettings(resolved.okta)).toEqual({ orgName: 'globex', baseUrl: 'okta.com' });
    expect(oktaProviderEnvironment(resolved.okta.credentials, 'read')).toEqual({ copied, values: { OKTA_API_SCOPES: 'okta.apps.read,okta.groups.read' } });
    expect(oktaProviderEnvironment(resolved.okta.credentials, 'write')).toEqual({ copied, values: { OKTA_API_SCOPES: 'okta.apps.read,okta.apps.manage,okta.groups.read,okta.groups.manage' } });
  });
});

describe('one service app everywhere (literal clientId)', () => {
  const resolved = tenant({ clientId: '0oa9z8y7x6w5v4u3t2s1', privateKeyId: 'kid-1', scopes: ['okta.apps.manage', 'okta.groups.manage'] });

  it('warns that pull-request plans then hold its write scopes, with the fix', () => {
    expect(resolved.warnings).toEqual([
      {
        path: 'tenants[1].okta.credentials.clientId',
        message: 'names one service app for plans, drift checks and apply: pull-request plans then run with its write scopes',
        fix: 'give clientId (and privateKeyId) as { env: NAME } and set a read-only service app under that name in the plan environment, the write app in okta-write (docs/day-2.md)',
      },
    ]);
  });

  it('both engines name the app, its key id and scopes in the provider, as before', async () => {
    expect(terraformProvider(resolved)).toEqual({ org_name: 'globex', base_url: 'okta.com', client_id: '0oa9z8y7x6w5v4u3t2s1', private_key_id: 'kid-1', scopes: ['okta.apps.manage', 'okta.groups.manage'] });
    expect(await pulumiProvider(resolved)).toMatchObject({ orgName: 'globex', baseUrl: 'okta.com', clientId: '0oa9z8y7x6w5v4u3t2s1', privateKeyId: 'kid-1', scopes: JSON.stringify(['okta.apps.manage', 'okta.groups.manage']) });
    expect(oktaProviderSettings(resolved.okta)).toEqual({ orgName: 'globex', baseUrl: 'okta.com', clientId: '0oa9z8y7x6w5v4u3t2s1', privateKeyId: 'kid-1', scopes: ['okta.apps.manage', 'okta.groups.manage'] });
    expect(oktaProviderEnvironment(resolved.okta.credentials, 'read')).toEqual({ copied: [{ name: 'OKTA_API_PRIVATE_KEY', from: 'GLOBEX_OKTA_PRIVATE_KEY', what: 'the Okta private key' }], values: {} });
  });
});

describe('validation', () => {
  it.each([
    [{ clientId: { env: 'GLOBEX_OKTA_CLIENT_ID' }, privateKeyId: 'kid-1' }, 'tenants[1].okta.credentials.privateKeyId', 'must be given the same way as clientId: the key id belongs to the service app'],
    [{ clientId: { env: '1BAD' } }, 'tenants[1].okta.credentials.clientId.env', 'must be an environment variable name'],
    [{ clientId: { env: 'GLOBEX_ID', pulumiConfig: 'x' } }, 'tenants[1].okta.credentials.clientId.pulumiConfig', 'is not a known field'],
    [{ clientId: 'https://globex.okta.com' }, 'tenants[1].okta.credentials.clientId', ''],
  ])('%j is refused at its path', (credentials, path, message) => {
    expect(() => tenant(credentials)).toThrow(expect.objectContaining({ issues: expect.arrayContaining([expect.objectContaining({ path, message: expect.stringContaining(message) })]) }));
  });
});
