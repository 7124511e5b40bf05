import { credentialValue, normaliseToken } from '../constructs/model/credential';
import { SpecError } from '../constructs/model/errors';
import { resolveIntegration, slug } from '../constructs/model/resolve';
import { resolveTenant } from '../constructs/model/tenant';
import { planResources } from '../constructs/resources/plan';
import { headerSpec, SCIM_URL, TEST_TOKEN } from './support/specs';

function errorOf(fn: () => unknown): SpecError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw error;
  }
  throw new Error('expected a SpecError');
}

describe('credential rule', () => {
  it.each([
    ['header', 'abc', 'Bearer abc'],
    ['header', 'Bearer abc', 'Bearer abc'],
    ['header', '  bearer\tabc  ', 'Bearer abc'],
    ['oauthBearer', 'abc', 'abc'],
    ['oauthBearer', 'Bearer abc', 'abc'],
    ['oauthBearer', 'BEARER abc', 'abc'],
  ] as const)('%s with %j → %j', (mode, raw, expected) => {
    expect(credentialValue(mode, raw)).toBe(expected);
  });

  it.each(['', '   ', 'Bearer', 'Bearer   ', '\n'])('rejects the empty token %j', (raw) => {
    expect(errorOf(() => normaliseToken(raw)).issues).toEqual([expect.objectContaining({ path: 'scimToken', message: 'the token is empty or whitespace' })]);
  });

  it('rejects a doubled "Bearer Bearer" without echoing the token', () => {
    const error = errorOf(() => credentialValue('header', `Bearer Bearer ${TEST_TOKEN}`));
    expect(error.message).toContain('starts with "Bearer Bearer"');
    expect(error.message).not.toContain(TEST_TOKEN);
  });

  it('keeps a token that merely starts with the letters "bearer"', () => {
    expect(credentialValue('oauthBearer', 'bearerish-token')).toBe('bearerish-token');
  });
});

describe('resolveIntegration defaults', () => {
  it('applies every documented default', () => {
    const spec = resolveIntegration({ label: ' Dynatrace ', authMode: 'header', scimBaseUrl: `${SCIM_URL}/`, scimToken: { env: 'T' } }, 'acme');
    expect(spec).toEqual({
      resolved: true,
      label: 'Dynatrace',
      authMode: 'header',
      scimBaseUrl: SCIM_URL,
      scimToken: { env: 'T' },
      signOn: 'autoLogin',
      connection: 'managed',
      provisioning: { createUsers: true, updateUserAttributes: true, deactivateUsers: true, syncPassword: false },
      groups: [],
      status: 'ACTIVE',
      oinAppName: 'scim2headerauth',
      removalPolicy: 'retain',
    });
  });

  it('derives stable group keys and sources', () => {
    const spec = resolveIntegration(headerSpec(), 'acme');
    expect(spec.groups).toEqual([
      { key: 'dynatrace-admins', source: { kind: 'lookup', name: 'Dynatrace Admins' }, name: 'Dynatrace Admins', priority: 0, pushAs: 'Dynatrace Admins' },
      { key: 'dynatrace-viewers', source: { kind: 'create', name: 'Dynatrace Viewers', description: 'Read-only' }, name: 'Dynatrace Viewers', priority: 1, pushAs: 'DT Viewers' },
      { key: 'sre', source: { kind: 'id', id: '00g1a2b3c4d5e6f7g8h9' }, name: 'SRE' },
    ]);
  });

  it('slugs unicode names to ascii keys', () => {
    expect(slug('Équipe Données — Admins')).toBe('equipe-donnees-admins');
  });

  it('keys names without latin letters by a stable hash', () => {
    const key = (name: string) => resolveIntegration(headerSpec({ groups: [{ name }] }), 'acme').groups[0].key;
    expect(key('運用チーム')).toMatch(/^g-[0-9a-f]{10}$/);
    expect(key('運用チーム')).toBe(key('運用チーム'));
    expect(key('運用チーム')).not.toBe(key('開発チーム'));
  });
});

describe('bad input fails with tenant, field and fix', () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['http URL', { scimBaseUrl: 'http://api.sso.dynatrace.com/idm/public/scim/x/v2' }, 'scimBaseUrl', /must use https/],
    ['URL with credentials', { scimBaseUrl: 'https://user:pw@api.sso.dynatrace.com/scim' }, 'scimBaseUrl', /must not contain credentials/],
    ['URL with query', { scimBaseUrl: `${SCIM_URL}?x=1` }, 'scimBaseUrl', /must not have a query string/],
    ['URL with fragment', { scimBaseUrl: `${SCIM_URL}#top` }, 'scimBaseUrl', /must not have a fragment/],
    ['not a URL', { scimBaseUrl: 'api.sso.dynatrace.com' }, 'scimBaseUrl', /is not a URL/],
    ['empty label', { label: '   ' }, 'label', /label is empty/],
    ['unknown auth mode', { authMode: 'basic' }, 'authMode', /must be one of "header", "oauthBearer"/],
    ['missing token source', { scimToken: {} }, 'scimToken', /no source given/],
    ['literal token', { scimToken: TEST_TOKEN }, 'scimToken', /secrets cannot be written into configuration/],
    ['token under a value key', { scimToken: { value: TEST_TOKEN } }, 'scimToken.value', /secrets cannot be written/],
    ['unknown key', { colour: 'blue' }, 'colour', /is not a known field/],
    ['duplicate groups', { groups: [{ name: 'A' }, { name: 'a', key: 'other' }] }, 'groups[1]', /duplicate group name "a" \(also groups\[0\]\)/],
    ['duplicate keys', { groups: [{ name: 'A B' }, { name: 'A-B' }] }, 'groups[1]', /duplicate key "a-b"/],
    ['group without a name', { groups: [{ priority: 1 }] }, 'groups[0]', /names no group/],
    ['create with id', { groups: [{ id: '00g1', create: true, name: 'x' }] }, 'groups[0].create', /cannot create a group that is given by id/],
    ['push without a target name', { groups: [{ id: '00g1', push: true }] }, 'groups[0].pushAs', /needs a target name/],
    ['negative priority', { groups: [{ name: 'A', priority: -1 }] }, 'groups[0].priority', /Too small/i],
    ['bad existing app id', { existingAppId: '0oa/../x' }, 'existingAppId', /must be an Okta app id/],
  ];

  it.each(cases)('%s', (_name, override, path, message) => {
    const error = errorOf(() => resolveIntegration({ ...headerSpec({ groups: [] }), ...override }, 'acme', 'integration'));
    expect(error.tenant).toBe('acme');
    expect(error.message).toMatch(/^Invalid tenant "acme"/);
    const issue = error.issues.find((candidate) => candidate.path === `integration.${path}`);
    expect(issue).toBeDefined();
    expect(issue!.message).toMatch(message);
    expect(error.message).not.toContain(TEST_TOKEN);
  });

  it('never echoes a URL that carries credentials', () => {
    const error = errorOf(() => resolveIntegration({ ...headerSpec(), scimBaseUrl: 'https://admin:hunter2@example.com/scim' }, 'acme'));
    expect(error.message).not.toContain('hunter2');
  });

  it('reports every problem at once', () => {
    const error = errorOf(() => resolveIntegration({ ...headerSpec(), label: '', scimBaseUrl: 'http://x', scimToken: {} }, 'acme'));
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['label', 'scimBaseUrl', 'scimToken']);
  });
});

describe('tenants', () => {
  const tenant = { name: 'acme', okta: { orgName: 'acme' }, integration: headerSpec() };

  it('defaults the Okta base domain and API token source', () => {
    const resolved = resolveTenant(tenant);
    expect(resolved.okta).toEqual({ orgName: 'acme', baseDomain: 'okta.com', credentials: { type: 'apiToken', token: { env: 'OKTA_API_TOKEN' } } });
  });

  it('defaults the OAuth scopes to what the managed resources need', () => {
    const resolved = resolveTenant({ ...tenant, okta: { orgName: 'acme', credentials: { type: 'privateKey', clientId: '0oa1', privateKey: { env: 'KEY' } } } });
    expect(resolved.okta.credentials).toEqual({ type: 'privateKey', clientId: '0oa1', privateKey: { env: 'KEY' }, scopes: ['okta.apps.read', 'okta.apps.manage', 'okta.groups.read', 'okta.groups.manage'] });
  });

  it.each([
    ['bad org name', { okta: { orgName: 'https://acme.okta.com' } }, 'tenants[3].okta.orgName'],
    ['bad tenant name', { name: 'Acme Corp' }, 'tenants[3].name'],
    ['bad base domain', { okta: { orgName: 'acme', baseDomain: 'okta' } }, 'tenants[3].okta.baseDomain'],
    ['integration error', { integration: { ...headerSpec(), scimBaseUrl: 'http://x' } }, 'tenants[3].integration.scimBaseUrl'],
  ])('%s is reported with its path in the file', (_name, override, path) => {
    const error = errorOf(() => resolveTenant({ ...tenant, ...override }, 'tenants[3]'));
    expect(error.issues.map((issue) => issue.path)).toContain(path);
  });
});

describe('neutral plan', () => {
  it('lists one entry per Okta object with stable roles', () => {
    const plan = planResources(resolveIntegration(headerSpec(), 'acme'));
    expect(plan.map((entry) => `${entry.type}:${entry.kind}:${entry.role}`)).toEqual([
      'resource:okta_app_auto_login:app',
      'resource:okta_app_connection:connection',
      'resource:okta_app_features:features',
      'data:okta_group:group-dynatrace-admins',
      'resource:okta_app_group_assignment:assignment-dynatrace-admins',
      'resource:okta_push_group:push-dynatrace-admins',
      'resource:okta_group:group-dynatrace-viewers',
      'resource:okta_app_group_assignment:assignment-dynatrace-viewers',
      'resource:okta_push_group:push-dynatrace-viewers',
      'resource:okta_app_group_assignment:assignment-sre',
    ]);
  });

  it('manual mode emits neither connection, features nor push mappings', () => {
    const plan = planResources(resolveIntegration(headerSpec({ connection: 'manual' }), 'acme'));
    expect(plan.map((entry) => entry.kind)).not.toEqual(expect.arrayContaining(['okta_app_connection']));
    expect(plan.some((entry) => ['okta_app_connection', 'okta_app_features', 'okta_push_group'].includes(entry.kind))).toBe(false);
  });

  it('carries no secret, only the credential rule', () => {
    const plan = planResources(resolveIntegration(headerSpec(), 'acme'));
    const connection = plan.find((entry) => entry.kind === 'okta_app_connection');
    expect(connection?.props).toMatchObject({ profile: { authScheme: 'TOKEN', token: { credential: 'scimToken', prefix: 'Bearer ' } } });
  });
});
