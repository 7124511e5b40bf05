import fc from 'fast-check';
import { consoleStep } from '../constructs/model/console-step';
import { credentialValue, normaliseToken, tokenProblem } from '../constructs/model/credential';
import type { SpecIssue } from '../constructs/model/errors';
import { parseFields } from '../constructs/model/parse';
import { resolveIntegration, slug } from '../constructs/model/resolve';
import { groupSchema } from '../constructs/model/schema';
import { entropy, looksLikeSecret, maskSecrets } from '../constructs/model/secret-names';
import { resolveTenant } from '../constructs/model/tenant';
import { planResources } from '../constructs/resources/plan';
import { ROLES, roleName } from '../constructs/resources/roles';
import { dependsOnRoles } from '../constructs/resources/types';
import { pulumiAddress, snakeCase, terraformAddress, tenantNaming } from '../constructs/resources/names';
import { errorOf, headerSpec, SCIM_URL, ssoSpec, TEST_TOKEN } from './support/specs';

describe('credential rule', () => {
  it.each([
    ['header', 'abc', 'Bearer abc'],
    ['header', 'Bearer abc', 'Bearer abc'],
    ['header', '  bearer\tabc  ', 'Bearer abc'],
    ['header', '\r\nBearer abc\n', 'Bearer abc'],
    ['oauthBearer', 'abc', 'abc'],
    ['oauthBearer', 'Bearer abc', 'abc'],
    ['oauthBearer', 'BEARER abc', 'abc'],
    ['ssoApp', 'dt0s02.ABC.DEF', 'dt0s02.ABC.DEF'],
    ['ssoApp', 'Bearer dt0s02.ABC.DEF', 'dt0s02.ABC.DEF'],
  ] as const)('%s with %j → %j', (target, raw, expected) => {
    expect(credentialValue(target, raw)).toBe(expected);
  });

  it.each(['', '   ', 'Bearer', 'Bearer   ', '\n'])('rejects the empty token %j', (raw) => {
    expect(errorOf(() => normaliseToken(raw)).issues).toEqual([expect.objectContaining({ path: 'scimToken', message: 'the token is empty or whitespace' })]);
  });

  it('rejects a doubled "Bearer Bearer" without echoing the token', () => {
    const error = errorOf(() => credentialValue('header', `Bearer Bearer ${TEST_TOKEN}`));
    expect(error.message).toContain('starts with "Bearer Bearer"');
    expect(error.message).not.toContain(TEST_TOKEN);
  });

  // Unicode whitespace is where JavaScript's trim/\s and Terraform's trimspace/[[:space:]] disagree, so the
  // rule refuses it outright instead of normalising it one way in one engine and another way in the other.
  it.each([
    ['NBSP after the scheme', 'Bearer\u00a0abc'],
    ['NBSP around the token', '\u00a0abc\u00a0'],
    ['a byte-order mark', '\ufeffabc'],
    ['a zero-width space', 'ab\u200bc'],
    ['an ideographic space', 'Bearer\u3000abc'],
    ['a space inside', 'ab c'],
    ['a vertical tab', 'abc\u000b'],
    ['a NUL', 'ab\u0000c'],
    ['a non-ASCII letter', 'abç'],
  ])('rejects %s with a clear message and no echo', (_name, raw) => {
    const problem = tokenProblem(`${raw}${TEST_TOKEN}`);
    expect(problem?.message).toMatch(/spaces, control characters or non-ASCII characters/);
    expect(JSON.stringify(problem)).not.toContain(TEST_TOKEN);
  });

  it('keeps a token that merely starts with the letters "bearer"', () => {
    expect(credentialValue('oauthBearer', 'bearerish-token')).toBe('bearerish-token');
  });
});

describe('resolveIntegration defaults', () => {
  it('applies every documented default: console step, stage 1, e-mail usernames, guards', () => {
    const spec = resolveIntegration({ label: ' Dynatrace ', authMode: 'header', scimBaseUrl: `${SCIM_URL}/`, scimToken: { env: 'T' } }, 'acme');
    expect(spec).toEqual({
      resolved: true,
      app: {
        type: 'catalog',
        authMode: 'header',
        signOn: 'autoLogin',
        label: 'Dynatrace',
        oinAppName: 'scim2headerauth',
        status: 'ACTIVE',
        username: { template: '${source.email}', type: 'BUILT_IN' },
      },
      scimBaseUrl: SCIM_URL,
      accountUuid: '6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10',
      scimToken: { env: 'T' },
      provisioning: { setup: 'console', enabled: false, createUsers: true, updateUserAttributes: true, deactivateUsers: true, syncPassword: false },
      stage: 1,
      groups: [],
      removalPolicy: 'retain',
      warnings: [],
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

describe('provisioning setup and stages', () => {
  it('declaring the console step done moves the tenant to stage 2', () => {
    const spec = resolveIntegration(headerSpec({ provisioning: { enabled: true } }), 'acme');
    expect(spec.provisioning).toMatchObject({ setup: 'console', enabled: true });
    expect(spec.stage).toBe(2);
    expect(spec.warnings).toEqual([]);
  });

  it('the API path is stage 2 at once and warns with the evidence', () => {
    const spec = resolveIntegration(headerSpec({ provisioning: { setup: 'api' } }), 'acme');
    expect(spec.stage).toBe(2);
    expect(spec.warnings).toEqual([
      expect.objectContaining({
        path: 'provisioning.setup',
        message: expect.stringMatching(/okta-management-openapi-spec 2026\.06\.3.*okta_org2org and zscalerbyz.*UNKNOWN.*#2854/),
        fix: expect.stringContaining('verify'),
      }),
    ]);
  });

  it('`enabled` does not apply to the API path', () => {
    const error = errorOf(() => resolveIntegration(headerSpec({ provisioning: { setup: 'api', enabled: true } }), 'acme'));
    expect(error.issues).toEqual([expect.objectContaining({ path: 'provisioning.enabled', fix: 'remove `enabled`' })]);
  });

  it.each([
    ['managed', 'api', /provisioning: \{ setup: console \}.*provisioning: \{ setup: api \}/],
    ['manual', 'console', /remove `connection`.*provisioning: \{ enabled: true \}/],
  ] as const)('the deprecated `connection: %s` still works as setup %s, with the new names in a warning', (connection, setup, fix) => {
    const spec = resolveIntegration(headerSpec({ connection }), 'acme');
    expect(spec.provisioning.setup).toBe(setup);
    const warning = spec.warnings.find((w) => w.path === 'connection');
    expect(warning?.message).toBe(`\`connection: ${connection}\` is deprecated and read as \`provisioning.setup: ${setup}\``);
    expect(warning?.fix).toMatch(fix);
  });

  it('`connection` together with `provisioning.setup` is an error', () => {
    const error = errorOf(() => resolveIntegration(headerSpec({ connection: 'manual', provisioning: { setup: 'console' } }), 'acme'));
    expect(error.issues).toEqual([expect.objectContaining({ path: 'connection', fix: 'remove `connection`' })]);
  });
});

describe('application username', () => {
  it.each([
    ['oktaUsername', { template: '${source.login}', type: 'BUILT_IN' }, 'username'],
    [{ template: '${String.toLowerCase(source.email)}' }, { template: '${String.toLowerCase(source.email)}', type: 'CUSTOM' }, 'username.template'],
  ] as const)('%j overrides the e-mail default with a warning that explains why Dynatrace needs an e-mail', (username, expected, path) => {
    const spec = resolveIntegration(headerSpec({ username }), 'acme');
    expect(spec.app.username).toEqual(expected);
    expect(spec.warnings).toEqual([expect.objectContaining({ path, message: expect.stringContaining('persistent e-mail address') })]);
  });

  it('an empty custom template is an error', () => {
    expect(errorOf(() => resolveIntegration(headerSpec({ username: { template: ' ' } }), 'acme')).issues).toEqual([expect.objectContaining({ path: 'username.template' })]);
  });
});

describe('the existing SSO app', () => {
  it.each([
    [{ id: '0oa1sso' }, { type: 'sso', id: '0oa1sso' }],
    [{ label: ' Dynatrace SSO ' }, { type: 'sso', label: 'Dynatrace SSO' }],
  ])('is referenced by %j', (ssoApp, expected) => {
    expect(resolveIntegration(ssoSpec({ ssoApp }), 'acme').app).toEqual({ ...expected, username: { template: '${source.email}', type: 'BUILT_IN' } });
  });

  it.each([
    ['neither id nor label', {}, 'ssoApp', /exactly one of `id` and `label`/],
    ['both id and label', { id: '0oa1', label: 'x' }, 'ssoApp', /exactly one of `id` and `label`/],
    ['a bad id', { id: '0oa/../x' }, 'ssoApp.id', /is not an Okta app id/],
  ])('%s is an error', (_name, ssoApp, path, message) => {
    const issue = errorOf(() => resolveIntegration(ssoSpec({ ssoApp }), 'acme')).issues.find((i) => i.path === path);
    expect(issue?.message).toMatch(message);
  });

  it.each(['label', 'authMode', 'signOn', 'status', 'oinAppName', 'existingAppId'])('refuses `%s`, which only applies to apps the stacks create', (field) => {
    const value = { label: 'x', authMode: 'header', signOn: 'saml', status: 'ACTIVE', oinAppName: 'scim2headerauth', existingAppId: '0oa1' }[field];
    const issue = errorOf(() => resolveIntegration({ ...ssoSpec(), [field]: value }, 'acme')).issues.find((i) => i.path === field);
    expect(issue?.message).toMatch(/does not apply with `ssoApp`/);
  });

  it('without `ssoApp`, label and authMode are required', () => {
    const { label: _label, authMode: _authMode, ...rest } = headerSpec();
    expect(errorOf(() => resolveIntegration(rest, 'acme')).issues.map((i) => i.path).sort()).toEqual(['authMode', 'label']);
  });
});

describe('the SCIM base URL', () => {
  it.each([
    ['the README placeholder', 'https://api.sso.dynatrace.com/idm/public/scim/<account-uuid>/v2', /placeholder/],
    ['the placeholder URL-encoded', 'https://api.sso.dynatrace.com/idm/public/scim/%3Caccount-uuid%3E/v2', /placeholder/],
    ['a your-… placeholder', 'https://api.sso.dynatrace.com/idm/public/scim/your-account-id/v2', /placeholder/],
    ['another host', 'https://scim.example.com/idm/public/scim/6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10/v2', /not a Dynatrace SCIM endpoint/],
    ['a wrong path', 'https://api.sso.dynatrace.com/scim/v2', /not a Dynatrace SCIM endpoint/],
    ['two segments where the account id goes', 'https://api.sso.dynatrace.com/idm/public/scim/abc/123/v2', /not a Dynatrace SCIM endpoint/],
    ['no account id', 'https://api.sso.dynatrace.com/idm/public/scim/v2', /not a Dynatrace SCIM endpoint/],
    ['a port', 'https://api.sso.dynatrace.com:8443/idm/public/scim/6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10/v2', /not a Dynatrace SCIM endpoint/],
  ])('refuses %s, pointing at where to copy it from', (_name, url, message) => {
    const issue = errorOf(() => resolveIntegration(headerSpec({ scimBaseUrl: url }), 'acme')).issues.find((i) => i.path === 'scimBaseUrl');
    expect(issue?.message).toMatch(message);
    expect(issue?.fix).toContain('Account Management');
  });

  it('accepts another https host only with the documented override, without an account uuid', () => {
    const spec = resolveIntegration(headerSpec({ scimBaseUrl: 'https://scim-proxy.example.com/dynatrace/v2/', customScimEndpoint: true }), 'acme');
    expect(spec.scimBaseUrl).toBe('https://scim-proxy.example.com/dynatrace/v2');
    expect(spec.accountUuid).toBeUndefined();
    const issue = errorOf(() => resolveIntegration(headerSpec({ scimBaseUrl: 'http://scim-proxy.example.com/v2', customScimEndpoint: true }), 'acme')).issues[0];
    expect(issue.message).toMatch(/must use https/);
  });

  it('accepts an account id that is not a uuid, with a warning that dynatrace.accountUuid settles', () => {
    const url = 'https://api.sso.dynatrace.com/idm/public/scim/acme-prod-42/v2';
    const spec = resolveIntegration(headerSpec({ scimBaseUrl: url }), 'acme');
    expect(spec.scimBaseUrl).toBe(url);
    expect(spec.accountUuid).toBeUndefined();
    expect(spec.warnings).toEqual([
      {
        path: 'scimBaseUrl',
        message: 'the account id in the URL ("acme-prod-42") is not a uuid; Dynatrace\'s documented URL carries the account id, very likely the account uuid',
        fix: "check it against the URL shown in Dynatrace Account Management → Identity & access management → SCIM configuration; if it is right, set `dynatrace.accountUuid` to the account's uuid (Account Management → the account's URL): it says which account this is, and policies need it",
      },
    ]);
    const account = '0b9d7e3c-5a21-4f6e-8c3d-71a4e2f09b66';
    const withAccount = resolveIntegration(
      headerSpec({
        scimBaseUrl: url,
        provisioning: { enabled: true },
        groups: [{ name: 'Viewers', push: true, policies: [{ name: 'Standard User', account: true }] }],
        dynatrace: { accountUuid: account, oauthClient: { clientId: { env: 'DT_ID' }, clientSecret: { env: 'DT_SECRET' } } },
      }),
      'acme',
    );
    expect(withAccount.warnings).toEqual([]);
    expect(withAccount.dynatrace?.accountUuid).toBe(account);
    expect(withAccount.accountUuid).toBeUndefined();
  });

  it('derives the account uuid, lowercased, with or without a trailing slash', () => {
    expect(resolveIntegration(headerSpec({ scimBaseUrl: `${SCIM_URL}/` }), 'acme').accountUuid).toBe('6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10');
    expect(resolveIntegration(headerSpec({ scimBaseUrl: SCIM_URL.toUpperCase().replace('HTTPS://API.SSO.DYNATRACE.COM', 'https://api.sso.dynatrace.com').replace('/IDM/PUBLIC/SCIM/', '/idm/public/scim/').replace('/V2', '/v2') }), 'acme').accountUuid).toBe(
      '6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10',
    );
  });
});

describe('names of secrets', () => {
  it.each([
    ['a Dynatrace token as env', { env: TEST_TOKEN }, 'scimToken.env'],
    ['a Dynatrace token as Pulumi key', { pulumiConfig: 'dt0s02.ABCDEFGHIJKL.MNOPQRSTUVWX' }, 'scimToken.pulumiConfig'],
    ['an all-caps random token as env', { env: 'A7F3K9Q2ZC81M4N6B0V5X8L1' }, 'scimToken.env'],
    ['an Okta API token as env', { env: '00aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcd' }, 'scimToken.env'],
    ['a hex secret as Pulumi key', { pulumiConfig: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b' }, 'scimToken.pulumiConfig'],
  ])('%s is refused as "looks like a token", without echoing it', (_name, scimToken, path) => {
    const error = errorOf(() => resolveIntegration(headerSpec({ scimToken }), 'acme'));
    expect(error.issues).toEqual([expect.objectContaining({ path, message: 'this looks like a token, not a name', fix: expect.stringContaining('give the name of the variable that holds it') })]);
    expect(error.message).not.toContain(Object.values(scimToken)[0]);
  });

  it.each([
    ['env with a dash', { env: 'ACME-TOKEN' }, 'scimToken.env', /environment variable name/],
    ['env starting with a digit', { env: '1TOKEN' }, 'scimToken.env', /environment variable name/],
    ['env too long', { env: `A${'_B'.repeat(70)}` }, 'scimToken.env', /at most 128/],
    ['Pulumi key with a space', { pulumiConfig: 'dynatrace token' }, 'scimToken.pulumiConfig', /Pulumi config key/],
  ])('%s is refused for its shape', (_name, scimToken, path, message) => {
    const issue = errorOf(() => resolveIntegration(headerSpec({ scimToken }), 'acme')).issues.find((i) => i.path === path);
    expect(issue?.message).toMatch(message);
  });

  it.each(['ACME_DT_SCIM_TOKEN', 'DYNATRACE_SCIM_TOKEN_PRODUCTION_EU_WEST_1', 'dynatraceScimToken', 'acme:dynatraceScimToken', 'OKTA_API_TOKEN', 'GLOBEX_OKTA_PRIVATE_KEY', 'TF_VAR_dynatrace_scim_token'])(
    'keeps the real name %s',
    (name) => {
      expect(looksLikeSecret(name)).toBe(false);
    },
  );

  it('masks token-shaped words in quoted input, and only those', () => {
    expect(maskSecrets(`      token: ${TEST_TOKEN}`)).toBe('      token: ***');
    expect(maskSecrets('  - name: Dynatrace Admins')).toBe('  - name: Dynatrace Admins');
    expect(maskSecrets(`tenants[0].integration.groups[0].policies[0].parameters.${TEST_TOKEN}: must be a parameter name`)).toBe('tenants[0].integration.groups[0].policies[0].parameters.***: must be a parameter name');
    expect(maskSecrets('https://api.sso.dynatrace.com/idm/public/scim/6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10/v2')).toBe('https://api.sso.dynatrace.com/idm/public/scim/6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10/v2');
    expect(entropy('aaaa')).toBe(0);
  });
});

describe('every problem at once', () => {
  it('shape errors, cross-field errors and duplicates of one integration are reported together', () => {
    const error = errorOf(() =>
      resolveIntegration(
        {
          ...headerSpec(),
          label: 42,
          scimBaseUrl: 'http://x',
          scimToken: TEST_TOKEN,
          status: 'DELETED',
          groups: [{ name: 'A', priority: 'high' }, { name: 'a' }, { id: '00g1', create: true, name: 'B' }, { description: 'orphan', name: 'C' }],
        },
        'acme',
      ),
    );
    expect(error.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['label', 'scimBaseUrl', 'scimToken', 'status', 'groups[0].priority', 'groups[2].create', 'groups[3].description']),
    );
    expect(error.issues.find((issue) => issue.path === 'label')?.message).toBe('must be a string');
    expect(error.issues.some((issue) => issue.path === 'label' && issue.message === 'is required')).toBe(false);
    expect(error.message).not.toContain(TEST_TOKEN);
  });

  it('a literal token does not hide the tenant\'s other problems', () => {
    const error = errorOf(() => resolveIntegration({ ...headerSpec(), scimToken: TEST_TOKEN, groups: [{ name: 'A' }, { name: 'A' }] }, 'acme'));
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['groups[1]', 'scimToken']);
  });

  it('never echoes a URL that carries credentials', () => {
    const error = errorOf(() => resolveIntegration({ ...headerSpec(), scimBaseUrl: 'https://admin:hunter2@example.com/scim' }, 'acme'));
    expect(error.message).not.toContain('hunter2');
  });
});

describe('tolerant parsing (parseFields)', () => {
  it('a valid object: every field as given, a field given as undefined absent, nothing failed', () => {
    const issues: SpecIssue[] = [];
    const parsed = parseFields(groupSchema, { name: 'Ops', key: undefined, push: true, policies: [{ name: 'Standard User', account: true }] }, issues, 'groups[0]');
    expect(issues).toEqual([]);
    expect(parsed?.fields).toStrictEqual({ name: 'Ops', push: true, policies: [{ name: 'Standard User', account: true }] });
    expect(parsed?.failed.size).toBe(0);
  });

  it('an invalid object: the valid fields kept, each bad field failed and reported, unknown keys reported', () => {
    const issues: SpecIssue[] = [];
    const parsed = parseFields(groupSchema, { name: 'Ops', key: undefined, priority: 'high', push: 'yes', colour: 'red' }, issues, 'groups[0]');
    expect(parsed?.fields).toStrictEqual({ name: 'Ops' });
    expect([...(parsed?.failed ?? [])]).toEqual(['priority', 'push']);
    expect(issues).toEqual([
      { path: 'groups[0].colour', message: 'is not a known field', fix: 'remove it or check its spelling' },
      { path: 'groups[0].priority', message: 'must be a number' },
      { path: 'groups[0].push', message: 'must be a boolean' },
    ]);
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
    ['a label with a line break', { label: 'a\u2028b' }, 'label', /one line/],
    ['unknown auth mode', { authMode: 'basic' }, 'authMode', /must be one of "header", "oauthBearer"/],
    ['missing token source', { scimToken: {} }, 'scimToken', /no source given/],
    ['literal token', { scimToken: TEST_TOKEN }, 'scimToken', /secrets cannot be written into configuration/],
    ['token under a value key', { scimToken: { value: TEST_TOKEN } }, 'scimToken.value', /secrets cannot be written/],
    ['unknown key', { colour: 'blue' }, 'colour', /is not a known field/],
    ['duplicate groups', { groups: [{ name: 'A' }, { name: 'a', key: 'other' }] }, 'groups[1]', /duplicate group name "a" \(also groups\[0\]\)/],
    ['names that give one key', { groups: [{ name: 'A B' }, { name: 'A-B' }] }, 'groups[1]', /the name "A-B" gives the key "a-b", as the name "A B" of groups\[0\] does/],
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
});

describe('tenants', () => {
  const tenant = { name: 'acme', okta: { orgName: 'acme' }, integration: headerSpec() };

  it('defaults the Okta base domain and API token source', () => {
    const resolved = resolveTenant(tenant);
    expect(resolved.okta).toEqual({ orgName: 'acme', baseDomain: 'okta.com', credentials: { type: 'apiToken', token: { env: 'OKTA_API_TOKEN' } } });
  });

  it('defaults the OAuth scopes to what the managed resources need', () => {
    const resolved = resolveTenant({ ...tenant, okta: { orgName: 'acme', credentials: { type: 'privateKey', clientId: '0oa9z8y7x6w5v4u3t2s1', privateKey: { env: 'KEY' } } } });
    expect(resolved.okta.credentials).toEqual({ type: 'privateKey', clientId: '0oa9z8y7x6w5v4u3t2s1', privateKey: { env: 'KEY' }, scopes: ['okta.apps.read', 'okta.apps.manage', 'okta.groups.read', 'okta.groups.manage'] });
  });

  it('carries the integration warnings with their path in the file', () => {
    expect(resolveTenant({ ...tenant, integration: headerSpec({ username: 'oktaUsername' }) }, 'tenants[2]').warnings).toEqual([expect.objectContaining({ path: 'tenants[2].integration.username' })]);
  });

  it.each([
    ['bad org name', { okta: { orgName: 'https://acme.okta.com' } }, 'tenants[3].okta.orgName'],
    ['bad tenant name', { name: 'Acme Corp' }, 'tenants[3].name'],
    ['bad base domain', { okta: { orgName: 'acme', baseDomain: 'okta' } }, 'tenants[3].okta.baseDomain'],
    ['integration error', { integration: { ...headerSpec(), scimBaseUrl: 'http://x' } }, 'tenants[3].integration.scimBaseUrl'],
    ['a token as the Okta token source', { okta: { orgName: 'acme', credentials: { type: 'apiToken', token: { env: '00aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcd' } } } }, 'tenants[3].okta.credentials.token.env'],
    ['template characters in a backend', { backend: { terraform: { type: 's3', bucket: 'b-c-d', region: 'eu-west-1', key: 'a/${var.x}' } } }, 'tenants[3].backend.terraform.key'],
  ])('%s is reported with its path in the file', (_name, override, path) => {
    const error = errorOf(() => resolveTenant({ ...tenant, ...override }, 'tenants[3]'));
    expect(error.issues.map((issue) => issue.path)).toContain(path);
  });

  it('reports the org, the tenant name and the integration problems together', () => {
    const error = errorOf(() => resolveTenant({ name: 'Acme Corp', okta: { orgName: 'https://acme', baseDomain: 3 }, integration: { ...headerSpec(), label: '' } }));
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['integration.label', 'name', 'okta.baseDomain', 'okta.orgName']);
  });
});

describe('neutral plan', () => {
  const summary = (spec: Parameters<typeof resolveIntegration>[0]) => planResources(resolveIntegration(spec, 'acme')).map((entry) => `${entry.type}:${entry.kind}:${roleName(entry.role)}`);

  it('stage 1 (the default): the app, groups and assignments, no connection, features or push', () => {
    expect(summary(headerSpec())).toEqual([
      'resource:okta_app_auto_login:app',
      'data:okta_group:group-dynatrace-admins',
      'resource:okta_app_group_assignment:assignment-dynatrace-admins',
      'resource:okta_group:group-dynatrace-viewers',
      'resource:okta_app_group_assignment:assignment-dynatrace-viewers',
      'resource:okta_app_group_assignment:assignment-sre',
    ]);
  });

  it('stage 2 adds the push mappings', () => {
    expect(summary(headerSpec({ provisioning: { enabled: true } })).filter((line) => line.includes('push'))).toEqual([
      'resource:okta_push_group:push-dynatrace-admins',
      'resource:okta_push_group:push-dynatrace-viewers',
    ]);
  });

  it('the API path adds connection and features, and the pushes wait for the features', () => {
    const plan = planResources(resolveIntegration(headerSpec({ provisioning: { setup: 'api' } }), 'acme'));
    expect(plan.slice(0, 3).map((entry) => entry.kind)).toEqual(['okta_app_auto_login', 'okta_app_connection', 'okta_app_features']);
    const push = plan.find((entry) => entry.kind === 'okta_push_group');
    expect(push?.type === 'resource' && push.options.dependsOn).toEqual([{ kind: 'features' }]);
    const connection = plan.find((entry) => entry.kind === 'okta_app_connection');
    expect(connection?.props).toMatchObject({ profile: { authScheme: 'TOKEN', token: { credential: 'scimToken', prefix: 'Bearer ' } } });
  });

  it('every created app carries the e-mail username template', () => {
    const app = planResources(resolveIntegration(headerSpec(), 'acme'))[0];
    expect(app.props).toMatchObject({ userNameTemplate: '${source.email}', userNameTemplateType: 'BUILT_IN' });
  });

  it('the SSO app is only read (a data source), never a resource, and lookups by label or name must match exactly', () => {
    const plan = planResources(resolveIntegration(ssoSpec({ ssoApp: { label: 'Dynatrace SSO' }, provisioning: { enabled: true } }), 'acme'));
    expect(plan.filter((entry) => entry.type === 'resource').map((entry) => entry.kind)).toEqual(['okta_app_group_assignment', 'okta_push_group']);
    const app = plan[0];
    expect(app).toEqual({ type: 'data', role: { kind: 'app' }, kind: 'okta_app', props: { label: 'Dynatrace SSO' }, checks: [expect.objectContaining({ attribute: 'label', equals: 'Dynatrace SSO' })] });
    const group = plan.find((entry) => entry.kind === 'okta_group');
    expect(group?.type === 'data' && group.checks).toEqual([expect.objectContaining({ attribute: 'name', equals: 'Dynatrace Users' })]);
  });

  it('an SSO app by id needs no label check', () => {
    expect(planResources(resolveIntegration(ssoSpec(), 'acme'))[0]).toEqual({ type: 'data', role: { kind: 'app' }, kind: 'okta_app', props: { id: '0oa1ssoapp' }, checks: [] });
  });

  it('renderers resolve dependsOn roles in order, and refuse a role that is not rendered yet', () => {
    const rendered = new Map([['features', 'F'], ['connection', 'C']]);
    const get = (role: Parameters<typeof roleName>[0]) => rendered.get(roleName(role));
    expect(dependsOnRoles([ROLES.features, ROLES.connection], get)).toEqual({ dependsOn: ['F', 'C'] });
    expect(dependsOnRoles(undefined, get)).toEqual({});
    expect(dependsOnRoles([], get)).toEqual({});
    expect(() => dependsOnRoles([ROLES.push('admins')], get)).toThrow('internal: push-admins is depended on before it is rendered');
  });
});

describe('roles', () => {
  it('render the stable names the addresses were always made of', () => {
    const key = 'eu-env-ops';
    const roles = [
      ROLES.app,
      ROLES.connection,
      ROLES.features,
      ROLES.group(key),
      ROLES.assignment(key),
      ROLES.push(key),
      ROLES.iamGroup(key),
      ROLES.iamBindings(key, 'account'),
      ROLES.iamBindings(key, { environment: 'abc12345' }),
      ROLES.iamPolicy('ops-policy', 'global'),
      ROLES.iamPolicy('ops-policy', 'account'),
      ROLES.iamPolicy('ops-policy', { environment: 'abc12345' }),
    ];
    expect(roles.map(roleName)).toEqual([
      'app',
      'connection',
      'features',
      'group-eu-env-ops',
      'assignment-eu-env-ops',
      'push-eu-env-ops',
      'iam-group-eu-env-ops',
      'iam-bindings-eu-env-ops-account',
      'iam-bindings-eu-env-ops-env-abc12345',
      'iam-policy-ops-policy',
      'iam-policy-ops-policy-account',
      'iam-policy-ops-policy-env-abc12345',
    ]);
  });

  it('become snake_case logical ids: dashes to underscores, camelCase split, runs and edges collapsed', () => {
    expect(['group-eu-env-ops', 'a--b', '-x-', 'iam-bindings-ops-env-ABC123', 'preconfiguredApp', 'lifecycleCreate.status'].map(snakeCase)).toEqual([
      'group_eu_env_ops',
      'a_b',
      'x',
      'iam_bindings_ops_env_abc123',
      'preconfigured_app',
      'lifecycle_create_status',
    ]);
    // The shortcut for dashed lowercase words gives what the general rules give.
    const general = (text: string) =>
      text
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .replace(/[^A-Za-z0-9]+/g, '_')
        .replace(/^_+|_+$/g, '')
        .toLowerCase();
    fc.assert(fc.property(fc.oneof(fc.stringMatching(/^[a-z0-9-]{0,30}$/), fc.stringMatching(/^[a-zA-Z0-9_.-]{0,30}$/)), (text) => snakeCase(text) === general(text)));
  });

  it('carry the group key and level, so readers never parse a name back (keys with dashes, keys that look like a level)', () => {
    const spec = headerSpec({
      provisioning: { enabled: true },
      dynatrace: { oauthClient: { clientId: { env: 'ACME_DT_CLIENT_ID' }, clientSecret: { env: 'ACME_DT_CLIENT_SECRET' } } },
      groups: [
        { key: 'eu-env-ops', name: 'EU Ops', push: true, policies: [{ name: 'Standard User', environment: 'abc12345' }] },
        { key: 'eu', name: 'EU', push: true, policies: [{ name: 'Standard User', account: true }] },
      ],
    });
    const plan = planResources(resolveIntegration(spec, 'acme'));
    const keyed = plan.flatMap((entry) => ('key' in entry.role ? [[entry.kind, entry.role.key]] : []));
    expect(keyed).toEqual([
      ['okta_group', 'eu-env-ops'],
      ['okta_app_group_assignment', 'eu-env-ops'],
      ['okta_push_group', 'eu-env-ops'],
      ['okta_group', 'eu'],
      ['okta_app_group_assignment', 'eu'],
      ['okta_push_group', 'eu'],
      ['dynatrace_iam_group', 'eu-env-ops'],
      ['dynatrace_iam_policy_bindings_v2', 'eu-env-ops'],
      ['dynatrace_iam_group', 'eu'],
      ['dynatrace_iam_policy_bindings_v2', 'eu'],
    ]);
    const bindings = plan.filter((entry) => entry.kind === 'dynatrace_iam_policy_bindings_v2');
    expect(bindings.map((entry) => entry.role)).toEqual([
      { kind: 'iamBindings', key: 'eu-env-ops', scope: { environment: 'abc12345' } },
      { kind: 'iamBindings', key: 'eu', scope: 'account' },
    ]);
    // The addresses are those of the names: unchanged by the typed roles.
    expect(bindings.map((entry) => terraformAddress(entry, tenantNaming('acme')))).toEqual([
      'dynatrace_iam_policy_bindings_v2.dynatrace_iam_bindings_eu_env_ops_env_abc12345',
      'dynatrace_iam_policy_bindings_v2.dynatrace_iam_bindings_eu_account',
    ]);
    expect(pulumiAddress(plan.find((entry) => entry.kind === 'okta_app_group_assignment')!, tenantNaming('acme'))).toBe('okta:app/groupAssignment:GroupAssignment acme-assignment-eu-env-ops');
  });
});

describe('adopting what an admin made by hand: existing assignments and push mappings', () => {
  const adoptedGroups = [
    { id: '00g1admins', key: 'admins', name: 'Dynatrace Admins', priority: 0, push: true, pushAs: 'DT Admins', pushTargetId: '00g1target', existingPushId: 'gpm1admins' },
    { id: '00g2viewers', key: 'viewers', name: 'Dynatrace Viewers', priority: 1 },
  ];
  const entry = (spec: Parameters<typeof resolveIntegration>[0], role: string) => planResources(resolveIntegration(spec, 'acme')).find((e) => roleName(e.role) === role);

  it('links an imported push mapping to its existing target by id, never by name', () => {
    const push = entry(headerSpec({ existingAppId: '0oa1app', provisioning: { enabled: true }, groups: adoptedGroups }), 'push-admins');
    expect(push).toEqual({
      type: 'resource',
      role: { kind: 'push', key: 'admins' },
      kind: 'okta_push_group',
      props: { appId: { ref: { kind: 'app' }, attribute: 'id' }, sourceGroupId: '00g1admins', targetGroupId: '00g1target', status: 'ACTIVE', deleteTargetGroupOnDestroy: false },
      options: { protect: false, importId: ['0oa1app', '/', 'gpm1admins'] },
    });
    expect(entry(headerSpec({ existingAppId: '0oa1app', provisioning: { enabled: true }, groups: adoptedGroups }), 'assignment-viewers')).toMatchObject({ options: { importId: ['0oa1app', '/', '00g2viewers'] } });
  });

  it('a push target given without an import is linked by id too (a new mapping to an existing group in the app)', () => {
    const push = entry(headerSpec({ provisioning: { enabled: true }, groups: [{ id: '00g1', name: 'A', push: true, pushTargetId: '00g1target' }] }), 'push-a');
    expect(push?.props).toMatchObject({ targetGroupId: '00g1target' });
    expect(push?.props).not.toHaveProperty('targetGroupName');
    expect(push?.type === 'resource' && push.options.importId).toBeUndefined();
  });

  it('imports the SSO app\'s existing assignments and push mappings with importAssignments, but never the app or a created group', () => {
    const spec = ssoSpec({ ssoApp: { id: '0oa1sso', importAssignments: true }, provisioning: { enabled: true }, groups: [...adoptedGroups, { name: 'New', create: true }] });
    const plan = planResources(resolveIntegration(spec, 'acme'));
    const imports = Object.fromEntries(plan.flatMap((e) => (e.type === 'resource' && e.options.importId ? [[roleName(e.role), e.options.importId.join('')]] : [])));
    expect(imports).toEqual({ 'assignment-admins': '0oa1sso/00g1admins', 'push-admins': '0oa1sso/gpm1admins', 'assignment-viewers': '0oa1sso/00g2viewers' });
    expect(plan[0]).toMatchObject({ type: 'data', kind: 'okta_app' });
  });

  it('without importAssignments the SSO app\'s assignments are written, as before', () => {
    expect(entry(ssoSpec({ groups: [{ id: '00g1', name: 'A' }] }), 'assignment-a')).toMatchObject({ options: { protect: false } });
    expect(entry(ssoSpec({ groups: [{ id: '00g1', name: 'A' }] }), 'assignment-a')).not.toHaveProperty('options.importId');
  });

  it('an auto-login app leaves preconfigured_app alone after creation (not read back); a SAML app does not need to', () => {
    expect(entry(headerSpec(), 'app')).toMatchObject({ kind: 'okta_app_auto_login', options: { ignoreChanges: ['preconfiguredApp'] } });
    expect(entry(headerSpec({ signOn: 'saml' }), 'app')).not.toHaveProperty('options.ignoreChanges');
  });

  it('keeps a built-in username format other than e-mail as Okta stores it, with the warning', () => {
    const spec = resolveIntegration(headerSpec({ username: { template: '${fn:substringBefore(source.login, "@")}', type: 'BUILT_IN' } }), 'acme');
    expect(spec.app.username).toEqual({ template: '${fn:substringBefore(source.login, "@")}', type: 'BUILT_IN' });
    expect(spec.warnings.map((w) => w.path)).toEqual(['username.template']);
  });

  const base = { existingAppId: '0oa1app', provisioning: { enabled: true } };
  it.each([
    ['an imported mapping without its target id', { ...base, groups: [{ id: '00g1', name: 'A', push: true, existingPushId: 'gpm1' }] }, 'groups[0].existingPushId', /needs `pushTargetId`: the provider never reads a mapping's target name back/],
    ['an imported mapping of an app not known by id', { provisioning: { enabled: true }, groups: [{ id: '00g1', name: 'A', push: true, pushTargetId: '00g9', existingPushId: 'gpm1' }] }, 'groups[0].existingPushId', /needs the app's id/],
    ['an imported mapping at stage 1', { existingAppId: '0oa1app', groups: [{ id: '00g1', name: 'A', push: true, pushTargetId: '00g9', existingPushId: 'gpm1' }] }, 'groups[0].existingPushId', /exist only once provisioning is on/],
    ['an imported mapping of a group created here', { ...base, groups: [{ name: 'A', create: true, push: true, pushTargetId: '00g9', existingPushId: 'gpm1' }] }, 'groups[0].existingPushId', /a group created here has no push mapping/],
    ['a push target of a group that is not pushed', { ...base, groups: [{ id: '00g1', name: 'A', pushTargetId: '00g9' }] }, 'groups[0].pushTargetId', /not pushed/],
    ['a push target that is not an id', { ...base, groups: [{ id: '00g1', name: 'A', push: true, pushTargetId: '00g/../9' }] }, 'groups[0].pushTargetId', /is not an Okta id/],
    ['one mapping imported twice', { ...base, groups: [{ id: '00g1', name: 'A', push: true, pushTargetId: '00g8', existingPushId: 'gpm1' }, { id: '00g2', name: 'B', push: true, pushTargetId: '00g9', existingPushId: 'gpm1' }] }, 'groups[1]', /duplicate push mapping id "gpm1"/],
    ['two pushes to one target', { ...base, groups: [{ id: '00g1', name: 'A', push: true, pushTargetId: '00g8' }, { id: '00g2', name: 'B', push: true, pushTargetId: '00g8' }] }, 'groups[1]', /duplicate push target group id "00g8"/],
  ])('%s is an error with the fix', (_name, overrides, path, message) => {
    const issue = errorOf(() => resolveIntegration(headerSpec(overrides as Parameters<typeof headerSpec>[0]), 'acme')).issues.find((i) => i.path === path);
    expect(issue?.message).toMatch(message);
    expect(issue?.fix).toBeTruthy();
  });

  it('importAssignments needs the SSO app by id', () => {
    const issue = errorOf(() => resolveIntegration(ssoSpec({ ssoApp: { label: 'Dynatrace SSO', importAssignments: true } }), 'acme')).issues.find((i) => i.path === 'ssoApp.importAssignments');
    expect(issue).toEqual(expect.objectContaining({ message: expect.stringContaining('needs `ssoApp.id`') }));
  });
});

describe('each test app\'s default sign-on', () => {
  it('Header Auth app: autoLogin, as public code creates scim2headerauth', () => {
    const spec = resolveIntegration(headerSpec(), 'acme');
    expect(spec.app).toMatchObject({ oinAppName: 'scim2headerauth', signOn: 'autoLogin' });
    expect(spec.warnings).toEqual([]);
  });

  it('OAuth Bearer Token app: saml, as public code creates scim2testapp, with a warning until signOn is written (the default changed)', () => {
    const spec = resolveIntegration(headerSpec({ authMode: 'oauthBearer' }), 'acme');
    expect(spec.app).toMatchObject({ oinAppName: 'scim2testapp', signOn: 'saml' });
    expect(planResources(spec)[0]).toMatchObject({ role: { kind: 'app' }, kind: 'okta_app_saml' });
    expect(spec.warnings).toEqual([
      {
        path: 'signOn',
        message:
          'the SCIM 2.0 Test App (OAuth Bearer Token) is created with `signOn: saml` by default (okta_app_saml), the sign-on public evidence shows for scim2testapp; the default used to be `autoLogin`, and an app created with it would be replaced by the next apply (every user deprovisioned)',
        fix: 'write `signOn: saml` for a new app (this silences the warning); for an app applied before, write `signOn: autoLogin` to keep it (`verify` shows the live sign-on mode)',
      },
    ]);
  });

  it.each(['saml', 'autoLogin'] as const)('an explicit signOn: %s is kept, without a warning', (signOn) => {
    const spec = resolveIntegration(headerSpec({ authMode: 'oauthBearer', signOn }), 'acme');
    expect(spec.app).toMatchObject({ signOn });
    expect(spec.warnings).toEqual([]);
  });
});

describe('the console step names the fields as the admin sees them', () => {
  const ORG = { orgName: 'acme', baseDomain: 'okta.com' };
  const steps = (spec: ReturnType<typeof headerSpec>) => consoleStep('acme', resolveIntegration(spec, 'acme'), ORG)!.steps;

  it('Header Auth app: "Base URL" and "API Token" with "Bearer <token>"', () => {
    expect(steps(headerSpec())).toEqual(
      expect.arrayContaining([
        `Base URL: ${SCIM_URL}`,
        'API Token: "Bearer " followed by the Dynatrace SCIM token (Okta sends this field verbatim as the Authorization header); the token is in $ACME_DT_SCIM_TOKEN / Pulumi secret "dynatraceScimToken".',
      ]),
    );
  });

  it('OAuth Bearer Token app: "SCIM 2.0 Base Url" and "OAuth Bearer Token" with the raw token', () => {
    expect(steps(headerSpec({ authMode: 'oauthBearer', signOn: 'saml' }))).toEqual(
      expect.arrayContaining([
        `SCIM 2.0 Base Url: ${SCIM_URL}`,
        'OAuth Bearer Token: the raw Dynatrace SCIM token, without "Bearer " (Okta adds the prefix itself); the token is in $ACME_DT_SCIM_TOKEN / Pulumi secret "dynatraceScimToken".',
      ]),
    );
  });

  it('SSO app (App Integration Wizard): "SCIM connector base URL" and "Authorization" with the raw token', () => {
    expect(steps(ssoSpec())).toEqual(
      expect.arrayContaining([
        `  SCIM connector base URL: ${SCIM_URL}`,
        '  Authorization: the raw Dynatrace SCIM token, without "Bearer " (with Authentication Mode HTTP Header Okta sends "Bearer <token>" itself); the token is in $ACME_DT_SCIM_TOKEN / Pulumi secret "dynatraceScimToken".',
      ]),
    );
  });
});
