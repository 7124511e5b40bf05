/**
 * The read-only Dynatrace IAM client (operations/verify/dynatrace-iam.ts) against the loopback stand-in
 * (test/support/dynatrace-iam-stub.ts): OAuth token, groups with owner, bindings at account and environment
 * level with policy names, pagination, token refresh, error kinds, and that neither the client secret nor
 * an access token ever reaches a message or a result.
 */
import { HttpError, type HttpPolicy } from '../operations/verify/okta-client';
import {
  DynatraceIamClient,
  dynatraceCredentialsFromEnv,
  readDynatraceGroups,
  resolvePolicies,
  type DynatraceOAuthCredentials,
} from '../operations/verify/dynatrace-iam';
import { startDynatraceIamStub, type DynatraceIamStub } from './support/dynatrace-iam-stub';
import { TEST_TOKEN } from './support/specs';

const ACCOUNT = '6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10';
const CLIENT_ID = 'dt0s02.VERIFYCLIENT';
const VIEWERS = '8f5e2c1a-0b3d-4e6f-9a7b-1c2d3e4f5a6b';
const ADMINS = '5b0a7c1e-2f3d-4e5f-9a8b-7c6d5e4f3a2b';
const STANDARD_USER = '4eb72c58-a4a1-481e-854b-9da083c592e6';
const ACCOUNT_VIEWER = '9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const CUSTOM_READER = 'b420b269-7acb-4081-b98f-b5772de63542';
const BOUNDARY = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

const credentials = (secret = TEST_TOKEN): DynatraceOAuthCredentials => ({ clientId: CLIENT_ID, clientSecret: secret, source: '$DT_CLIENT_ID / $DT_CLIENT_SECRET' });
/** No real waiting: retries sleep on a fake clock. */
const policy: HttpPolicy = { timeoutMs: 5000, maxAttempts: 3, maxWaitMs: 60_000, clock: { now: () => Date.now(), sleep: async () => undefined } };

let stub: DynatraceIamStub;
const client = (secret?: string, scopes?: string[]) => new DynatraceIamClient({ credentials: credentials(secret), tokenUrl: stub.tokenUrl, apiUrl: stub.url, policy, ...(scopes ? { scopes } : {}) });

/** Every message of every error a call throws, for the secret checks. */
const messages: string[] = [];
async function failure(call: Promise<unknown>): Promise<HttpError> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    messages.push(error.message);
    return error;
  }
  throw new Error('expected the call to fail');
}

beforeEach(async () => {
  stub = await startDynatraceIamStub({ accountUuid: ACCOUNT, clientId: CLIENT_ID, clientSecret: TEST_TOKEN });
  stub.state = {
    groups: [
      { uuid: VIEWERS, name: 'Dynatrace Viewers', owner: 'SCIM' },
      { uuid: ADMINS, name: 'Dynatrace Admins', owner: 'LOCAL' },
      { uuid: '11111111-2222-4333-8444-555555555555', name: 'dynatrace viewers', owner: 'SCIM' },
    ],
    policies: [
      { uuid: STANDARD_USER, name: 'Standard User', levelType: 'global', levelId: 'global' },
      { uuid: ACCOUNT_VIEWER, name: 'Account Viewer', levelType: 'account', levelId: ACCOUNT },
      { uuid: CUSTOM_READER, name: 'Custom Reader', levelType: 'environment', levelId: 'abc12345' },
    ],
    bindings: {
      [`environment/abc12345/${VIEWERS}`]: [{ policyUuid: STANDARD_USER, parameters: { 'storage:bucket-name': 'default_logs' }, boundaries: [BOUNDARY] }, { policyUuid: CUSTOM_READER }],
      [`account/${ACCOUNT}/${VIEWERS}`]: [{ policyUuid: ACCOUNT_VIEWER }],
      [`account/${ACCOUNT}/${ADMINS}`]: [{ policyUuid: STANDARD_USER }],
    },
    environments: ['abc12345', 'xyz98765'],
  };
});
afterEach(() => stub.close());

describe('Dynatrace IAM client: readDynatraceGroups', () => {
  it('reads the SCIM group by exact name, with its bindings at account and environment level and policy names', async () => {
    const states = await readDynatraceGroups(client(), ACCOUNT, ['Dynatrace Viewers'], { environments: ['abc12345', 'xyz98765'] });
    expect(states).toEqual([
      {
        name: 'Dynatrace Viewers',
        uuid: VIEWERS,
        owner: 'SCIM',
        bindings: [
          { level: 'account', levelId: ACCOUNT, levelFound: true, policies: [{ uuid: ACCOUNT_VIEWER, name: 'Account Viewer', definedAt: 'account', parameters: {}, boundaries: [] }] },
          {
            level: 'environment',
            levelId: 'abc12345',
            levelFound: true,
            policies: [
              { uuid: STANDARD_USER, name: 'Standard User', definedAt: 'global', parameters: { 'storage:bucket-name': 'default_logs' }, boundaries: [BOUNDARY] },
              { uuid: CUSTOM_READER, name: 'Custom Reader', definedAt: 'environment', parameters: {}, boundaries: [] },
            ],
          },
          { level: 'environment', levelId: 'xyz98765', levelFound: true, policies: [] },
        ],
      },
    ]);
    const paths = stub.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain(`GET /iam/v1/repo/environment/abc12345/bindings/groups/${VIEWERS}?details=true`);
    expect(paths).toContain(`GET /iam/v1/accounts/${ACCOUNT}/groups`);
    expect(paths.filter((p) => p.endsWith('/policies/aggregate'))).toHaveLength(3);
  });

  it('reports a missing group (no uuid, no bindings) without reading bindings', async () => {
    expect(await readDynatraceGroups(client(), ACCOUNT, ['Dynatrace Operators'], { environments: ['abc12345'] })).toEqual([{ name: 'Dynatrace Operators', bindings: [] }]);
    expect(stub.requests.some((r) => r.path.includes('/bindings/'))).toBe(false);
  });

  it('reports the owner of a group that exists but was not pushed by SCIM (LOCAL)', async () => {
    const [admins] = await readDynatraceGroups(client(), ACCOUNT, ['Dynatrace Admins']);
    expect(admins).toEqual({
      name: 'Dynatrace Admins',
      uuid: ADMINS,
      owner: 'LOCAL',
      bindings: [{ level: 'account', levelId: ACCOUNT, levelFound: true, policies: [{ uuid: STANDARD_USER, name: 'Standard User', definedAt: 'global', parameters: {}, boundaries: [] }] }],
    });
  });

  it('marks an environment the account does not have instead of failing', async () => {
    const [viewers] = await readDynatraceGroups(client(), ACCOUNT, ['Dynatrace Viewers'], { environments: ['nope0000'] });
    expect(viewers!.bindings[1]).toEqual({ level: 'environment', levelId: 'nope0000', levelFound: false, policies: [] });
  });

  it('follows nextPageKey through every page of groups', async () => {
    stub.pageSize = 1;
    const groups = await client().listGroups(ACCOUNT);
    expect(groups.map((g) => g.name)).toEqual(['Dynatrace Viewers', 'Dynatrace Admins', 'dynatrace viewers']);
    expect(stub.requests.filter((r) => r.path.startsWith('/iam/v1/accounts/')).map((r) => r.path)).toEqual([
      `/iam/v1/accounts/${ACCOUNT}/groups`,
      `/iam/v1/accounts/${ACCOUNT}/groups?nextPageKey=1`,
      `/iam/v1/accounts/${ACCOUNT}/groups?nextPageKey=2`,
    ]);
  });
});

describe('Dynatrace IAM client: OAuth', () => {
  it('requests a client-credentials token for the account with the documented read scopes, once', async () => {
    const iam = client();
    await iam.listGroups(ACCOUNT);
    await iam.groupBindings(ACCOUNT, VIEWERS, { level: 'account', levelId: ACCOUNT });
    const tokenRequests = stub.requests.filter((r) => r.path === '/sso/oauth2/token');
    expect(tokenRequests).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(tokenRequests[0]!.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: TEST_TOKEN,
      scope: 'account-idm-read iam-policies-management',
      resource: `urn:dtaccount:${ACCOUNT}`,
    });
    expect(stub.requests.every((r) => !r.path.includes(TEST_TOKEN))).toBe(true);
  });

  it('fetches a new token once when the API no longer accepts the cached one', async () => {
    const iam = client();
    await iam.listGroups(ACCOUNT);
    stub.revoked.add(stub.issued[0]!);
    expect(await iam.listGroups(ACCOUNT)).toHaveLength(3);
    expect(stub.issued).toHaveLength(2);
  });

  it('retries the token request on 429', async () => {
    stub.tokenRateLimits = 2;
    expect(await client().listGroups(ACCOUNT)).toHaveLength(3);
    expect(stub.requests.filter((r) => r.path === '/sso/oauth2/token').map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('token endpoint 401: an auth error that names the variables and the fix', async () => {
    const error = await failure(readDynatraceGroups(client('wrong-secret-value'), ACCOUNT, ['Dynatrace Viewers']));
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
    expect(error.message).toBe(
      'POST /sso/oauth2/token (OAuth client from $DT_CLIENT_ID / $DT_CLIENT_SECRET): 401 invalid_client (Client authentication failed); the client id or secret is wrong, or the client was deleted: create a new OAuth client and update the secret',
    );
  });

  it('a scope the client lacks: an auth error that names the scopes', async () => {
    const error = await failure(client(undefined, ['account-idm-read', 'iam:bindings:read']).listGroups(ACCOUNT));
    expect(error).toMatchObject({ kind: 'auth', status: 400, errorCode: 'invalid_scope' });
    expect(error.message).toContain('the OAuth client lacks one of the scopes account-idm-read, iam:bindings:read');
  });

  it('an API 403 (scope missing on the token) is an auth error that says which scope', async () => {
    const narrow = await startDynatraceIamStub({ accountUuid: ACCOUNT, clientId: CLIENT_ID, clientSecret: TEST_TOKEN, clientScopes: ['account-idm-read'] });
    try {
      const iam = new DynatraceIamClient({ credentials: credentials(), tokenUrl: narrow.tokenUrl, apiUrl: narrow.url, policy, scopes: ['account-idm-read'] });
      const error = await failure(iam.groupBindings(ACCOUNT, VIEWERS, { level: 'account', levelId: ACCOUNT }));
      expect(error).toMatchObject({ kind: 'auth', status: 403 });
      expect(error.message).toBe(`GET /iam/v1/repo/account/${ACCOUNT}/bindings/groups/${VIEWERS}: 403 Missing scope iam-policies-management (the OAuth client needs scope iam-policies-management and must belong to this account)`);
    } finally {
      await narrow.close();
    }
  });

  it('an unreachable token endpoint is a network error', async () => {
    const iam = new DynatraceIamClient({ credentials: credentials(), tokenUrl: 'http://127.0.0.1:9/sso/oauth2/token', apiUrl: stub.url, policy });
    expect(await failure(iam.listGroups(ACCOUNT))).toMatchObject({ kind: 'network' });
  });

  it('never lets the client secret or an access token into a message or a result, even from a server that echoes them', async () => {
    const secret = `${TEST_TOKEN}/+= x`;
    const own: string[] = [];
    const collect = async (call: Promise<unknown>) => own.push((await failure(call)).message);
    stub.echoFormInErrors = true;
    await collect(client(secret).listGroups(ACCOUNT));
    await collect(client(secret, ['account-idm-read', 'iam:bindings:read']).listGroups(ACCOUNT));
    await collect(new DynatraceIamClient({ credentials: credentials(secret), tokenUrl: 'http://127.0.0.1:9/sso/oauth2/token', apiUrl: stub.url, policy }).listGroups(ACCOUNT));
    const results = JSON.stringify(await readDynatraceGroups(client(), ACCOUNT, ['Dynatrace Viewers', 'Dynatrace Admins', 'missing'], { environments: ['abc12345', 'nope0000'] }));
    const everything = [...own, ...messages, results].join('\n');
    expect(own[0]).toContain('401 invalid_client (Client authentication failed for grant_type=client_credentials&client_id=dt0s02.VERIFYCLIENT&client_secret=[redacted]&scope=');
    for (const form of [TEST_TOKEN, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]) expect(everything).not.toContain(form);
    for (const token of stub.issued) expect(everything).not.toContain(token);
  });
});

describe('Dynatrace IAM client: policies', () => {
  it('resolves names and uuids against what can be bound at a level, and reports unknown and ambiguous ones', async () => {
    stub.state.policies.push({ uuid: 'e1e2e3e4-0000-4000-8000-000000000001', name: 'Standard User', levelType: 'environment', levelId: 'abc12345' });
    const env = { level: 'environment', levelId: 'abc12345' } as const;
    const resolved = await resolvePolicies(client(), ACCOUNT, [{ name: 'Custom Reader' }, { uuid: STANDARD_USER }, { name: 'Standard User' }, { name: 'Nope' }, { name: 'Account Viewer' }], env);
    expect(resolved).toEqual([
      { ref: { name: 'Custom Reader' }, uuid: CUSTOM_READER, name: 'Custom Reader', definedAt: 'environment' },
      { ref: { uuid: STANDARD_USER }, uuid: STANDARD_USER, name: 'Standard User', definedAt: 'global' },
      { ref: { name: 'Standard User' }, problem: 'policy "Standard User" is ambiguous at environment abc12345: defined at global and environment; use its uuid' },
      { ref: { name: 'Nope' }, problem: `policy "Nope" cannot be bound at environment abc12345: no such policy (global, account, or that environment's)` },
      { ref: { name: 'Account Viewer' }, uuid: ACCOUNT_VIEWER, name: 'Account Viewer', definedAt: 'account' },
    ]);
  });
});

describe('Dynatrace IAM credentials and account', () => {
  it('reads the OAuth client from the named variables, or says which are missing and what the client needs', () => {
    expect(dynatraceCredentialsFromEnv({ DT_CLIENT_ID: CLIENT_ID, DT_CLIENT_SECRET: TEST_TOKEN })).toEqual({ credentials: { clientId: CLIENT_ID, clientSecret: TEST_TOKEN, source: '$DT_CLIENT_ID / $DT_CLIENT_SECRET' } });
    const missing = dynatraceCredentialsFromEnv({ ACME_DT_CLIENT_ID: CLIENT_ID }, { clientId: 'ACME_DT_CLIENT_ID', clientSecret: 'ACME_DT_CLIENT_SECRET' });
    expect(missing).toEqual({
      problem: 'no Dynatrace OAuth client: $ACME_DT_CLIENT_SECRET is not set',
      hint: 'export ACME_DT_CLIENT_SECRET with an OAuth client of the account (Account Management → Identity & access management → OAuth clients) that has the scopes account-idm-read, iam-policies-management',
    });
    expect(dynatraceCredentialsFromEnv({})).toMatchObject({ problem: 'no Dynatrace OAuth client: $DT_CLIENT_ID and $DT_CLIENT_SECRET are not set' });
  });
});
