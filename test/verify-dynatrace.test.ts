/**
 * `verify` checks the Dynatrace side of a stage-2 tenant whose pushed groups carry policies (issue 12):
 * each group exists with owner SCIM, and its bindings at every level the plan binds equal the plan's —
 * against the loopback Okta stand-in and the Dynatrace SSO + Account Management stand-in.
 */
import type { Finding } from '../operations/verify/findings';
import type { StubBinding } from './support/dynatrace-iam-stub';
import { EMAIL_USERNAME, emptyState, oktaApp, oktaAppGroup, oktaGroup, oktaPushMapping, toAppFeatures } from './support/okta-stub';
import { SCIM_URL, TEST_TOKEN } from './support/specs';
import { type F, hintOf, type Run, useVerifyHarness } from './support/verify-harness';

const OKTA_TOKEN = '00okta-dynatrace-token-must-never-leak-6a3f';
const CLIENT_ID = 'dt0s02.VANDELAYCLIENT';
const CLIENT_SECRET = 'dt0s02.CLIENTSECRET-must-never-leak-2b7c';
const ACCOUNT = '6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10';
const APP = '0oavandelay000000001';
const OKTA_GROUPS = { viewers: '00gvandviewers000001', admins: '00gvandadmins0000001' };
const DT = { viewers: '8f5e2c1a-0b3d-4e6f-9a7b-1c2d3e4f5a6b', admins: '5b0a7c1e-2f3d-4e5f-9a8b-7c6d5e4f3a2b' };
const POLICY = {
  standardUser: '4eb72c58-a4a1-481e-854b-9da083c592e6',
  accountViewer: '9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  adminUser: 'aa11bb22-cc33-4d44-8e55-ff6677889900',
  customReader: 'b420b269-7acb-4081-b98f-b5772de63542',
};
const BOUNDARY = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

const INTEGRATION = (provisioning: string, oauthClient: string) => `
      label: Vandelay SCIM
      authMode: header
      scimBaseUrl: ${SCIM_URL}
      scimToken: { env: VANDELAY_DT_SCIM_TOKEN }
      provisioning: ${provisioning}
      groups:
        - name: Dynatrace Viewers
          key: viewers
          push: true
          policies:
            - { name: Standard User, environment: abc12345, parameters: { bucket: default_logs }, boundaries: [${BOUNDARY}] }
            - { name: Account Viewer, definedIn: account, account: true }
        - name: Dynatrace Admins
          key: admins
          push: true
          policies:
            - { uuid: ${POLICY.adminUser}, account: true }
      dynatrace:
        oauthClient: ${oauthClient}`;

const ENV_CLIENT = '{ clientId: { env: VANDELAY_DT_CLIENT_ID }, clientSecret: { env: VANDELAY_DT_CLIENT_SECRET } }';
const TENANTS = `tenants:
  - name: vandelay
    okta: { orgName: vandelay }
    integration:${INTEGRATION('{ enabled: true }', ENV_CLIENT)}
  - name: vandelay-stage1
    okta: { orgName: vandelay }
    integration:${INTEGRATION('{ createUsers: true }', ENV_CLIENT)}
  - name: vandelay-pulumi
    okta: { orgName: vandelay }
    integration:${INTEGRATION('{ enabled: true }', '{ clientId: { pulumiConfig: dynatraceClientId }, clientSecret: { pulumiConfig: dynatraceClientSecret } }')}
`;

const harness = useVerifyHarness({
  tenants: TENANTS,
  env: () => ({ OKTA_API_TOKEN: OKTA_TOKEN, VANDELAY_DT_SCIM_TOKEN: `Bearer ${TEST_TOKEN}`, VANDELAY_DT_CLIENT_ID: CLIENT_ID, VANDELAY_DT_CLIENT_SECRET: CLIENT_SECRET }),
  okta: { apiToken: OKTA_TOKEN },
  iam: { accountUuid: ACCOUNT, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
});

/** Okta in sync at stage 2: both groups assigned and pushed. */
function oktaInSync() {
  return {
    ...emptyState(),
    apps: [oktaApp(APP, 'scim2headerauth', 'Vandelay SCIM', 'ACTIVE', 'AUTO_LOGIN', EMAIL_USERNAME, toAppFeatures())],
    featureRefusals: { [APP]: 404 },
    groups: [oktaGroup(OKTA_GROUPS.viewers, 'Dynatrace Viewers'), oktaGroup(OKTA_GROUPS.admins, 'Dynatrace Admins')],
    appGroups: { [APP]: [oktaAppGroup(OKTA_GROUPS.viewers, 0), oktaAppGroup(OKTA_GROUPS.admins, 1)] },
    pushMappings: { [APP]: [oktaPushMapping('gPm00vandviewers0001', OKTA_GROUPS.viewers, 'ACTIVE'), oktaPushMapping('gPm00vandadmins00001', OKTA_GROUPS.admins, 'ACTIVE')] },
  };
}

const STANDARD_USER_BINDING: StubBinding = { policyUuid: POLICY.standardUser, parameters: { bucket: 'default_logs' }, boundaries: [BOUNDARY] };

beforeEach(() => {
  harness.okta.state = oktaInSync();
  harness.iam.revoked.clear();
  harness.iam.echoFormInErrors = false;
  harness.iam.state = {
    groups: [
      { uuid: DT.viewers, name: 'Dynatrace Viewers', owner: 'SCIM' },
      { uuid: DT.admins, name: 'Dynatrace Admins', owner: 'SCIM' },
    ],
    policies: [
      { uuid: POLICY.standardUser, name: 'Standard User', levelType: 'global', levelId: 'global' },
      { uuid: POLICY.accountViewer, name: 'Account Viewer', levelType: 'account', levelId: ACCOUNT },
      { uuid: POLICY.adminUser, name: 'Admin User', levelType: 'global', levelId: 'global' },
      { uuid: POLICY.customReader, name: 'Custom Reader', levelType: 'environment', levelId: 'abc12345' },
    ],
    bindings: {
      [`environment/abc12345/${DT.viewers}`]: [STANDARD_USER_BINDING],
      [`account/${ACCOUNT}/${DT.viewers}`]: [{ policyUuid: POLICY.accountViewer }],
      [`account/${ACCOUNT}/${DT.admins}`]: [{ policyUuid: POLICY.adminUser }],
      // A level the plan does not bind for this group: not the stacks' business, not reported.
      [`environment/abc12345/${DT.admins}`]: [{ policyUuid: POLICY.customReader }],
    },
    environments: ['abc12345'],
  };
});

const f = (field: string, expected: string, actual: string, status: Finding['status'], address: string, attribute?: string): F => ({ area: 'dynatrace', field, address, ...(attribute ? { attribute } : {}), expected, actual, status });
const TF = {
  group: (key: string) => `data.dynatrace_iam_group.dynatrace_iam_group_${key}`,
  bindings: (key: string, level: string) => `dynatrace_iam_policy_bindings_v2.dynatrace_iam_bindings_${key}_${level}`,
};
const STANDARD_USER = `Standard User (${POLICY.standardUser}); parameters bucket=default_logs; boundaries ${BOUNDARY}`;
const ACCOUNT_VIEWER = `Account Viewer (${POLICY.accountViewer})`;
const ADMIN_USER = `Admin User (${POLICY.adminUser})`;
const groupOk = (key: 'viewers' | 'admins', name: string) => f(`${key}.group`, `SCIM group "${name}"`, `SCIM group "${name}" (${DT[key]})`, 'ok', TF.group(key));
const VIEWERS_BINDINGS = [
  f('viewers.abc12345.Standard User', STANDARD_USER, STANDARD_USER, 'ok', TF.bindings('viewers', 'env_abc12345'), 'policy'),
  f('viewers.account.Account Viewer', ACCOUNT_VIEWER, ACCOUNT_VIEWER, 'ok', TF.bindings('viewers', 'account'), 'policy'),
];
const ADMINS_BINDINGS = [f('admins.account.Admin User', ADMIN_USER, ADMIN_USER, 'ok', TF.bindings('admins', 'account'), 'policy')];
const inSync = (): F[] => [groupOk('viewers', 'Dynatrace Viewers'), ...VIEWERS_BINDINGS, groupOk('admins', 'Dynatrace Admins'), ...ADMINS_BINDINGS];

const dynatrace = (run: Run): F[] => run.findings.filter((x) => x.area === 'dynatrace');
/** `base` with the finding at `field` replaced (or removed with null). */
const replace = (base: F[], field: string, by: F | null): F[] => base.flatMap((x) => (x.field === field ? (by ? [by] : []) : [x]));

describe('verify: Dynatrace permissions of the pushed groups', () => {
  it('bindings equal the model: every group SCIM-owned, every binding ok; exit 0', async () => {
    const run = await harness.run('vandelay');
    expect(dynatrace(run)).toEqual(inSync());
    expect(run.findings.filter((x) => x.status !== 'ok')).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.report.tenants[0]!.stage).toEqual({ declared: 2, live: 'pushed', next: 'nothing: every stage is in place' });
    // Read-only: one token, then GETs only, with the read scopes.
    expect(harness.iam.requests.filter((r) => r.method !== 'GET').map((r) => r.path)).toEqual(['/sso/oauth2/token']);
    expect(new URLSearchParams(harness.iam.requests[0]!.body).get('scope')).toBe('account-idm-read iam-policies-management');
  });

  it('prints the bindings under the engine\'s names in the human table', async () => {
    const run = await harness.run('vandelay', { json: false });
    expect(run.stdout).toMatch(/^ {2}ok +dynatrace_iam_policy_bindings_v2\.dynatrace_iam_bindings_viewers_env_abc12345 +policy +Standard User \(4eb72c58-a4a1-481e-854b-9da083c592e6\); parameters bucket… +Standard User \(4eb72c58/m);
    expect(run.stdout).toMatch(/^ {2}ok +data\.dynatrace_iam_group\.dynatrace_iam_group_viewers +viewers\.group +SCIM group "Dynatrace Viewers" +SCIM group "Dynatrace Viewers" \(8f5e2c1a/m);
  });

  it('group missing: drift, finish the push / apply; its bindings are not read', async () => {
    harness.iam.state.groups = harness.iam.state.groups.filter((g) => g.uuid !== DT.viewers);
    const run = await harness.run('vandelay');
    expect(dynatrace(run)).toEqual([f('viewers.group', 'SCIM group "Dynatrace Viewers"', 'not in Dynatrace', 'drift', TF.group('viewers')), groupOk('admins', 'Dynatrace Admins'), ...ADMINS_BINDINGS]);
    expect(hintOf(run, 'dynatrace.viewers.group')).toBe('finish the push (the console step, provisioning.enabled: true and the stage 2 apply make Okta push the group), then run apply again to bind its policies');
    expect(harness.iam.requests.some((r) => r.path.includes(`/bindings/groups/${DT.viewers}`))).toBe(false);
    expect(run.code).toBe(1);
  });

  it('group present but LOCAL, not SCIM: drift, a same-named local group shadows it', async () => {
    harness.iam.state.groups[0]!.owner = 'LOCAL';
    const run = await harness.run('vandelay');
    expect(dynatrace(run)).toEqual(replace(inSync(), 'viewers.group', f('viewers.group', 'SCIM group "Dynatrace Viewers"', `LOCAL group "Dynatrace Viewers" (${DT.viewers})`, 'drift', TF.group('viewers'))));
    expect(hintOf(run, 'dynatrace.viewers.group')).toMatch(/^a LOCAL group of this name shadows the group Okta pushes: group names are unique in a Dynatrace account/);
    expect(run.code).toBe(1);
  });

  it('a binding missing: drift, run apply', async () => {
    harness.iam.state.bindings[`account/${ACCOUNT}/${DT.viewers}`] = [];
    const run = await harness.run('vandelay');
    expect(dynatrace(run)).toEqual(replace(inSync(), 'viewers.account.Account Viewer', f('viewers.account.Account Viewer', ACCOUNT_VIEWER, 'not bound', 'drift', TF.bindings('viewers', 'account'), 'policy')));
    expect(hintOf(run, 'dynatrace.viewers.account.Account Viewer')).toBe('run apply for this tenant: it binds "Account Viewer"');
    expect(run.code).toBe(1);
  });

  it('an extra binding at a level the plan binds: drift, the next apply removes it', async () => {
    harness.iam.state.bindings[`environment/abc12345/${DT.viewers}`] = [STANDARD_USER_BINDING, { policyUuid: POLICY.customReader }];
    const run = await harness.run('vandelay');
    const extra = f('viewers.abc12345.Custom Reader', 'not bound (not in the tenants file)', `Custom Reader (${POLICY.customReader})`, 'drift', TF.bindings('viewers', 'env_abc12345'), 'policy');
    expect(dynatrace(run)).toEqual([groupOk('viewers', 'Dynatrace Viewers'), VIEWERS_BINDINGS[0]!, extra, VIEWERS_BINDINGS[1]!, groupOk('admins', 'Dynatrace Admins'), ...ADMINS_BINDINGS]);
    expect(hintOf(run, 'dynatrace.viewers.abc12345.Custom Reader')).toBe(
      `"Custom Reader" is bound in Dynatrace but not in the tenants file: the next apply removes it, because the group's bindings resource at this level replaces every binding there. Add it to the group's policies to keep it`,
    );
    expect(run.code).toBe(1);
  });

  it('different parameters or boundaries: drift', async () => {
    harness.iam.state.bindings[`environment/abc12345/${DT.viewers}`] = [{ policyUuid: POLICY.standardUser, parameters: { bucket: 'all_logs' } }];
    const run = await harness.run('vandelay');
    expect(dynatrace(run)[1]).toEqual(f('viewers.abc12345.Standard User', STANDARD_USER, `Standard User (${POLICY.standardUser}); parameters bucket=all_logs`, 'drift', TF.bindings('viewers', 'env_abc12345'), 'policy'));
    expect(run.code).toBe(1);
  });

  it('a policy name that resolves nowhere: drift at its lookup (the plan would stop there)', async () => {
    harness.iam.state.policies = harness.iam.state.policies.filter((p) => p.name !== 'Account Viewer');
    const run = await harness.run('vandelay');
    expect(dynatrace(run)[2]).toEqual({
      area: 'dynatrace',
      field: 'viewers.account.Account Viewer',
      address: 'data.dynatrace_iam_policy.dynatrace_iam_policy_account_viewer_account',
      expected: 'policy "Account Viewer" defined at account',
      actual: `policy "Account Viewer" cannot be bound at account ${ACCOUNT}: no such policy (defined at account)`,
      status: 'drift',
    });
    expect(run.code).toBe(1);
  });

  it('a policy named by name resolves where definedIn says, even when an environment defines the same name', async () => {
    harness.iam.state.policies.push({ uuid: '0f0f0f0f-1e1e-4d2d-8c3c-4b4b4b4b4b4b', name: 'Standard User', levelType: 'environment', levelId: 'abc12345' });
    const run = await harness.run('vandelay');
    expect(dynatrace(run)).toEqual(inSync());
    expect(run.code).toBe(0);
  });

  it('--engine pulumi: the bindings resource and the group lookup as Pulumi names them', async () => {
    const run = await harness.run('vandelay', { engine: 'pulumi' });
    expect(dynatrace(run).map((x) => [x.address, x.attribute ?? null])).toEqual([
      ['dynatrace:index/getIamGroup:getIamGroup (name "Dynatrace Viewers")', null],
      ['dynatrace:index/iamPolicyBindingsV2:IamPolicyBindingsV2 vandelay-iam-bindings-viewers-env-abc12345', 'policies'],
      ['dynatrace:index/iamPolicyBindingsV2:IamPolicyBindingsV2 vandelay-iam-bindings-viewers-account', 'policies'],
      ['dynatrace:index/getIamGroup:getIamGroup (name "Dynatrace Admins")', null],
      ['dynatrace:index/iamPolicyBindingsV2:IamPolicyBindingsV2 vandelay-iam-bindings-admins-account', 'policies'],
    ]);
  });

  it('the token endpoint answers 401: could not check (exit 2), the secret nowhere in the output', async () => {
    harness.iam.echoFormInErrors = true;
    const run = await harness.run('vandelay', {}, { VANDELAY_DT_CLIENT_SECRET: 'dt0s02.WRONGSECRET-must-never-leak-77aa' });
    expect(dynatrace(run)).toEqual([
      {
        area: 'dynatrace',
        field: 'api',
        expected: 'readable',
        actual: expect.stringMatching(/^POST \/sso\/oauth2\/token \(OAuth client from \$VANDELAY_DT_CLIENT_ID \/ \$VANDELAY_DT_CLIENT_SECRET\): 401 invalid_client \(Client authentication failed for .*\); the client id or secret is wrong/),
        status: 'error',
      },
    ]);
    expect(hintOf(run, 'dynatrace.api')).toBe(
      'Dynatrace refused the OAuth client from $VANDELAY_DT_CLIENT_ID / $VANDELAY_DT_CLIENT_SECRET, or it lacks the scopes account-idm-read, iam-policies-management: check the secret and the client\'s scopes (Account Management → Identity & access management → OAuth clients)',
    );
    expect(run.stdout).not.toContain('WRONGSECRET');
    expect(run.code).toBe(2);
  });

  it('the OAuth client variables unset: could not check (exit 2)', async () => {
    const run = await harness.run('vandelay', {}, { VANDELAY_DT_CLIENT_SECRET: undefined });
    expect(dynatrace(run)).toEqual([{ area: 'dynatrace', field: 'oauth client', expected: 'the Dynatrace OAuth client in the environment', actual: 'could not check: no Dynatrace OAuth client: $VANDELAY_DT_CLIENT_SECRET is not set', status: 'error' }]);
    expect(harness.iam.requests).toEqual([]);
    expect(run.code).toBe(2);
  });

  it('an OAuth client kept only in Pulumi config: could not check, with the hint', async () => {
    const run = await harness.run('vandelay-pulumi');
    expect(dynatrace(run)).toEqual([
      { area: 'dynatrace', field: 'oauth client', expected: 'the Dynatrace OAuth client in the environment', actual: "could not check: the OAuth client's source names only Pulumi secrets (dynatraceClientId, dynatraceClientSecret); verify reads environment variables", status: 'error' },
    ]);
    expect(hintOf(run, 'dynatrace.oauth client')).toContain('export X=$(pulumi config get dynatraceClientId --stack vandelay-pulumi)');
    expect(run.code).toBe(2);
  });

  it('stage 1: the plan binds nothing yet, so Dynatrace is not asked', async () => {
    const run = await harness.run('vandelay-stage1');
    expect(dynatrace(run)).toEqual([]);
    expect(harness.iam.requests).toEqual([]);
  });

  it('never prints the client secret, an access token, or another secret (every run in this file)', async () => {
    await harness.run('vandelay', { json: false }, { VANDELAY_DT_CLIENT_SECRET: 'dt0s02.WRONGSECRET-must-never-leak-77aa' });
    expect(harness.iam.issued.length).toBeGreaterThan(5);
    const secrets = [CLIENT_SECRET, 'dt0s02.WRONGSECRET-must-never-leak-77aa', OKTA_TOKEN, TEST_TOKEN, ...harness.iam.issued];
    expect(harness.outputs.length).toBeGreaterThan(20);
    for (const output of harness.outputs) for (const secret of secrets) expect(output).not.toContain(secret);
  });
});
