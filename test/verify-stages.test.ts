/**
 * `verify` tells the rollout stage of a live tenant and the next step (issue 9), on the loopback Okta
 * stand-in: no app; app but provisioning off; provisioning on, push pending; everything in place — each
 * for a tenant that declares stage 1 and one that declares stage 2 over the same live app. Also the API
 * path (connection UNKNOWN), the SSO-app path, the username format, deactivated apps, and engine names.
 */
import type { Finding } from '../operations/verify/findings';
import { API_PATH_REFUSED } from '../operations/verify/compare';
import { PROFILE_MAPPING_NOTE } from '../operations/verify/profile-mapping';
import { scimTokenFromEnv } from '../operations/verify/dynatrace-probe';
import { DECLARE_STAGE_2, stageReport } from '../operations/verify/stage';
import { parseTenants } from '../constructs/tenants/file';
import { EMAIL_USERNAME, emptyState, oktaApp, oktaAppGroup, oktaConnection, oktaFeature, oktaGroup, oktaPushMapping, toAppFeatures } from './support/okta-stub';
import { SCIM_URL, TEST_TOKEN } from './support/specs';
import { type F, hintOf, useVerifyHarness } from './support/verify-harness';

const OKTA_TOKEN = '00okta-stages-token-must-never-leak-9d1e';
const APP = '0oahooli000000000001';
const SSO = '0oasso00000000000001';
const ADMINS = '00ghooliadmins000001';

const HOOLI = (name: string, provisioning: string, { authMode = 'header', group = '{ name: Hooli Admins, push: true, priority: 0 }' } = {}) => `
  - name: ${name}
    okta: { orgName: hooli }
    integration:
      label: Hooli SCIM
      authMode: ${authMode}
      scimBaseUrl: ${SCIM_URL}
      scimToken: { env: HOOLI_DT_SCIM_TOKEN }
      ${provisioning}
      groups:
        - ${group}`;

const SSO_TENANT = (name: string, ssoApp: string, provisioning: string) => `
  - name: ${name}
    okta: { orgName: hooli }
    integration:
      ssoApp: ${ssoApp}
      scimBaseUrl: ${SCIM_URL}
      scimToken: { env: HOOLI_DT_SCIM_TOKEN }
      ${provisioning}
      groups:
        - { name: Hooli Admins, push: true }`;

const TENANTS = `tenants:${HOOLI('hooli', 'provisioning: { createUsers: true }')}${HOOLI('hooli-done', 'provisioning: { enabled: true }')}${HOOLI('hooli-api', 'provisioning: { setup: api }')}
${SSO_TENANT('sso-id', `{ id: ${SSO} }`, 'provisioning: { enabled: true }')}
${SSO_TENANT('sso-label', '{ label: Dynatrace SSO }', 'provisioning: { createUsers: true }')}${HOOLI('hooli-nopush', 'provisioning: { enabled: true }', { group: '{ name: Hooli Admins, priority: 0 }' })}${HOOLI('hooli-oauth', 'status: ACTIVE', { authMode: 'oauthBearer' })}
`;

const harness = useVerifyHarness({ tenants: TENANTS, env: () => ({ OKTA_API_TOKEN: OKTA_TOKEN, HOOLI_DT_SCIM_TOKEN: `Bearer ${TEST_TOKEN}` }), okta: { apiToken: OKTA_TOKEN } });

const o = (address: string, attribute?: string) => ({ address, ...(attribute ? { attribute } : {}) });
const f = (area: Finding['area'], field: string, expected: string, actual: string, status: Finding['status'] = 'ok', at?: { address: string; attribute?: string }): F => ({ area, field, ...at, expected, actual, status });
const CREDENTIAL_OK = f('credential', 'scim token accepted', '200 ListResponse from GET /Users?count=1', '200 ListResponse (totalResults 2)');
/** Okta's default profile mapping, as the app got it: what Dynatrace needs of a user's name. */
const MAPPED = [f('profileMapping', 'name.givenName', 'user.firstName', 'user.firstName'), f('profileMapping', 'name.familyName', 'user.lastName', 'user.lastName')];
const APP_TF = 'okta_app_auto_login.dynatrace_app';
const ASSIGNMENT_TF = 'okta_app_group_assignment.dynatrace_assignment_hooli_admins';
const PUSH_TF = 'okta_push_group.dynatrace_push_hooli_admins';
const OFF = '400 E0000001 Api validation failed: feature (Provisioning is not enabled for the app instance.)';
const CONSOLE_STEP = (tenant: string) => `\`okta-dynatrace-scim synth --tenant ${tenant}\` prints it; console-step.md in the tenant's stack folder (cdktf.out/stacks/${tenant}/)`;

const appFindings = (): F[] => [
  f('app', 'label', 'Hooli SCIM', `Hooli SCIM (${APP})`, 'ok', o(APP_TF, 'label')),
  f('app', 'name', 'scim2headerauth', 'scim2headerauth', 'ok', o(APP_TF, 'preconfigured_app')),
  f('app', 'status', 'ACTIVE', 'ACTIVE', 'ok', o(APP_TF, 'status')),
  f('app', 'signOnMode', 'AUTO_LOGIN', 'AUTO_LOGIN', 'ok', o(APP_TF)),
  f('app', 'userNameTemplate', '${source.email}', '${source.email}', 'ok', o(APP_TF, 'user_name_template')),
  f('app', 'userNameTemplateType', 'BUILT_IN', 'BUILT_IN', 'ok', o(APP_TF, 'user_name_template_type')),
];
/** The console step's "To App" switches, read from the app's features list, in the console step's words: no resource holds them. */
const switches = (profile = 'on', status: Finding['status'] = 'ok'): F[] => [
  f('features', 'Provisioning → To App → Create Users', 'on', 'on'),
  f('features', 'Provisioning → To App → Update User Attributes', 'on', profile, status),
  f('features', 'Provisioning → To App → Deactivate Users', 'on', 'on'),
  f('features', 'Provisioning → To App → Sync Password', 'off', 'off'),
];
/** At stage 2: the console step is declared done, and the app's features show provisioning on. */
const PROVISIONING_ON = f('features', 'provisioning', 'on (provisioning.enabled: true declares the console step done)', 'on');
const PROVISIONING_OFF = f('features', 'provisioning', 'on (provisioning.enabled: true declares the console step done)', "off (the app's features list no To App switch and no Push Groups)", 'drift');
const ASSIGNED = [f('assignments', 'hooli-admins.assigned', 'yes', 'yes', 'ok', o(ASSIGNMENT_TF)), f('assignments', 'hooli-admins.priority', '0', '0', 'ok', o(ASSIGNMENT_TF, 'priority'))];

const hooliApp = (features: string[] = []) => oktaApp(APP, 'scim2headerauth', 'Hooli SCIM', 'ACTIVE', 'AUTO_LOGIN', EMAIL_USERNAME, features);

/**
 * Live Okta, step by step through the rollout. Like every SCIM test app, Hooli's does not answer
 * `/features/USER_PROVISIONING` once provisioning is on (404 here; any 4xx is possible): its features list tells.
 */
const live = {
  noApp: () => ({ ...emptyState(), groups: [oktaGroup(ADMINS, 'Hooli Admins')] }),
  provisioningOff: () => ({ ...live.noApp(), apps: [hooliApp()], appGroups: { [APP]: [oktaAppGroup(ADMINS, 0)] } }),
  provisioningOn: (profile = true) => ({ ...live.provisioningOff(), apps: [hooliApp(toAppFeatures(true, profile))], featureRefusals: { [APP]: 404 } }),
  pushed: () => ({ ...live.provisioningOn(), pushMappings: { [APP]: [oktaPushMapping('gPm00hooli0000000001', ADMINS, 'ACTIVE')] } }),
};

describe('verify: the live stage and the next step, per declared stage', () => {
  const cases: [string, () => ReturnType<typeof live.noApp>, string, { live: string; next: string; code: number; findings: F[] }][] = [
    [
      'no app: nothing applied',
      live.noApp,
      'hooli',
      {
        live: 'no-app',
        next: 'apply stage 1: run apply for this tenant (the app, its username format, the groups and assignments)',
        code: 1,
        findings: [f('app', 'label', '"Hooli SCIM" (scim2headerauth)', 'no such app', 'drift', o(APP_TF, 'label')), CREDENTIAL_OK],
      },
    ],
    [
      'app but provisioning off, stage 1 declared: in sync, the console step is next',
      live.provisioningOff,
      'hooli',
      { live: 'provisioning-off', next: `do the console step (${CONSOLE_STEP('hooli')}), then ${DECLARE_STAGE_2}`, code: 0, findings: [...appFindings(), ...ASSIGNED, ...MAPPED, CREDENTIAL_OK] },
    ],
    [
      'app but provisioning off, stage 2 declared: drift (the tenants file says the console step is done)',
      live.provisioningOff,
      'hooli-done',
      {
        live: 'provisioning-off',
        next: `do the console step (${CONSOLE_STEP('hooli-done')}): the tenants file declares it done (provisioning.enabled: true), but Okta has provisioning off`,
        code: 1,
        findings: [
          ...appFindings(),
          PROVISIONING_OFF,
          ...ASSIGNED,
          f('push', 'hooli-admins.mapping', 'ACTIVE → "Hooli Admins"', 'missing', 'drift', o(PUSH_TF)),
          ...MAPPED,
          CREDENTIAL_OK,
        ],
      },
    ],
    [
      'provisioning on, push pending, stage 1 declared: in sync, stage 2 is next',
      () => live.provisioningOn(),
      'hooli',
      { live: 'push-pending', next: DECLARE_STAGE_2, code: 0, findings: [...appFindings(), ...switches(), ...ASSIGNED, ...MAPPED, CREDENTIAL_OK] },
    ],
    [
      'provisioning on, stage 2 declared but the push mapping missing: drift, run apply',
      () => live.provisioningOn(),
      'hooli-done',
      {
        live: 'push-pending',
        next: 'run apply for this tenant: stage 2 adds the missing push mappings',
        code: 1,
        findings: [...appFindings(), PROVISIONING_ON, ...switches(), ...ASSIGNED, f('push', 'hooli-admins.mapping', 'ACTIVE → "Hooli Admins"', 'missing', 'drift', o(PUSH_TF)), ...MAPPED, CREDENTIAL_OK],
      },
    ],
    [
      'everything in place at stage 2',
      live.pushed,
      'hooli-done',
      { live: 'pushed', next: 'nothing: every stage is in place', code: 0, findings: [...appFindings(), PROVISIONING_ON, ...switches(), ...ASSIGNED, f('push', 'hooli-admins.mapping', 'ACTIVE', 'ACTIVE', 'ok', o(PUSH_TF, 'status')), ...MAPPED, CREDENTIAL_OK] },
    ],
    [
      'a group pushed by hand before stage 2 is declared: drift, stage 2 is next',
      live.pushed,
      'hooli',
      {
        live: 'pushed',
        next: DECLARE_STAGE_2,
        code: 1,
        findings: [...appFindings(), ...switches(), ...ASSIGNED, f('push', 'hooli-admins.mapping', 'none before stage 2 (provisioning.enabled: true)', 'ACTIVE', 'drift'), ...MAPPED, CREDENTIAL_OK],
      },
    ],
    [
      'stage 1, but the console step ticked a switch the tenants file does not want: drift',
      () => live.provisioningOn(false),
      'hooli',
      { live: 'push-pending', next: DECLARE_STAGE_2, code: 1, findings: [...appFindings(), ...switches('off', 'drift'), ...ASSIGNED, ...MAPPED, CREDENTIAL_OK] },
    ],
  ];

  it.each(cases)('%s', async (_name, state, tenant, want) => {
    harness.okta.state = state();
    const run = await harness.run(tenant);
    expect(run.findings).toEqual(want.findings);
    expect(run.report.tenants[0]!.stage).toEqual({ declared: tenant === 'hooli' ? 1 : 2, live: want.live, next: want.next });
    expect(run.code).toBe(want.code);
    // Console-step tenants: the connection is never read; that is said once.
    expect(harness.okta.requests.some((r) => r.path.includes('/connections/'))).toBe(false);
    if (want.live !== 'no-app') expect(run.report.tenants[0]!.notes).toEqual([expect.stringMatching(/^the provisioning connection/), PROFILE_MAPPING_NOTE]);
  });

  it('the human report says the stage in one line, before the table', async () => {
    harness.okta.state = live.provisioningOff();
    const run = await harness.run('hooli', { json: false });
    expect(run.stdout.split('\n').slice(0, 3)).toEqual([
      `hooli  okta hooli.okta.com · app ${APP}`,
      `  stage: declared 1, live app in place, provisioning off → next: do the console step (${CONSOLE_STEP('hooli')}), then ${DECLARE_STAGE_2}`,
      expect.stringMatching(/^ {2}STATUS +OBJECT +ATTRIBUTE +EXPECTED +ACTUAL$/),
    ]);
    expect(run.stdout).toMatch(/^ {2}ok +okta_app_auto_login\.dynatrace_app +user_name_template +\$\{source\.email\} +\$\{source\.email\}$/m);
    expect(run.stdout).toContain('  note: the provisioning connection (base URL, token) is set in the console step and not read');
    expect(run.stdout).toContain('  in sync (11 ok)');
  });

  it('a stage-2 tenant whose provisioning is off is told why in the hint', async () => {
    harness.okta.state = live.provisioningOff();
    const run = await harness.run('hooli-done');
    expect(hintOf(run, 'features.provisioning')).toBe(
      `the tenants file says the console step is done, but Okta has provisioning off: do the console step (${CONSOLE_STEP('hooli-done')}), or set provisioning.enabled: false until it is done`,
    );
    expect(hintOf(run, 'push.hooli-admins.mapping')).toBe('Okta refuses push mappings while provisioning is off: do the console step first, then run apply; until then the group does not exist in Dynatrace');
  });
});

describe('verify: whether provisioning is on comes from the app\'s features, whatever USER_PROVISIONING answers', () => {
  it.each([400, 401, 403, 404, 405, 409])(
    'USER_PROVISIONING answers %i while provisioning is on: not readable, never an abort or "off"; stage 2 without pushed groups is in sync',
    async (status) => {
      harness.okta.state = { ...live.provisioningOn(), featureRefusals: { [APP]: status } };
      const run = await harness.run('hooli-nopush');
      expect(run.findings).toEqual([...appFindings(), PROVISIONING_ON, ...switches(), ...ASSIGNED, ...MAPPED, CREDENTIAL_OK]);
      expect(run.report.tenants[0]!.stage).toEqual({ declared: 2, live: 'pushed', next: 'nothing: every stage is in place' });
      expect(run.code).toBe(0);
      expect(harness.okta.requests.filter((r) => r.path.endsWith('/features/USER_PROVISIONING')).map((r) => r.status)).toEqual([status]);
    },
  );

  it('the features list says off although USER_PROVISIONING could not tell: provisioning off, however the call fails', async () => {
    harness.okta.state = { ...live.provisioningOff(), featureRefusals: { [APP]: 403 } };
    const run = await harness.run('hooli-nopush');
    expect(run.findings.filter((x) => x.area === 'features')).toEqual([PROVISIONING_OFF]);
    expect(run.report.tenants[0]!.stage.live).toBe('provisioning-off');
  });

  describe('an answer that leaves the features list out', () => {
    const { features: _features, ...withoutFeatures } = hooliApp();

    it('USER_PROVISIONING, where Okta answers it, shows provisioning and the switches', async () => {
      harness.okta.state = { ...live.provisioningOff(), apps: [withoutFeatures], features: { [APP]: oktaFeature('ENABLED', 'ENABLED', 'DISABLED', 'DISABLED') } };
      const run = await harness.run('hooli-nopush');
      expect(run.findings.filter((x) => x.area === 'features')).toEqual([PROVISIONING_ON, ...switches('off', 'drift')]);
      expect(run.report.tenants[0]!.stage.live).toBe('pushed');
    });

    it('else a push mapping shows provisioning on, and the switches are to check by hand', async () => {
      harness.okta.state = { ...live.pushed(), apps: [withoutFeatures] };
      const run = await harness.run('hooli-done');
      const unread = (label: string, want: string) => f('features', `Provisioning → To App → ${label}`, want, 'not readable', 'unknown');
      expect(run.findings.filter((x) => x.area === 'features')).toEqual([PROVISIONING_ON, unread('Create Users', 'on'), unread('Update User Attributes', 'on'), unread('Deactivate Users', 'on'), unread('Sync Password', 'off')]);
      expect(hintOf(run, 'features.Provisioning → To App → Create Users')).toBe(
        "Okta listed the app without its features and does not answer USER_PROVISIONING for it; check by hand: Provisioning → To App → Edit: [x] Create Users, [x] Update User Attributes, [x] Deactivate Users, [ ] Sync Password → Save.",
      );
      expect(run.report.tenants[0]!.stage.live).toBe('pushed');
      expect(run.code).toBe(0);
    });

    it('else the stage cannot be told: unknown, never "provisioning off"', async () => {
      harness.okta.state = { ...live.provisioningOff(), apps: [withoutFeatures], featureRefusals: { [APP]: 404 } };
      const run = await harness.run('hooli-done');
      expect(run.findings.filter((x) => x.area === 'features')).toEqual([f('features', 'provisioning', 'on', '(not returned)', 'unknown')]);
      expect(run.report.tenants[0]!.stage).toEqual({ declared: 2, live: 'unknown', next: 'read the findings first: the live stage could not be told' });
    });
  });
});

describe('verify: the API path', () => {
  const CONNECTION = 'okta_app_connection.dynatrace_connection';
  const FEATURES = 'okta_app_features.dynatrace_features';
  const API_HINT = `${API_PATH_REFUSED} (provisioning: { setup: console }; README "What is code and what is the console step")`;
  /** An org whose app Okta provisions through the API: it answers USER_PROVISIONING, as it does for Org2Org. */
  const accepted = () => ({ ...live.pushed(), features: { [APP]: oktaFeature('ENABLED', 'ENABLED', 'ENABLED', 'DISABLED') }, featureRefusals: {} });

  it('connection UNKNOWN and features refused: drift, with the hint to use the console step', async () => {
    harness.okta.state = { ...live.provisioningOff(), connections: { [APP]: oktaConnection('UNKNOWN') } };
    const run = await harness.run('hooli-api');
    expect(run.findings).toEqual([
      ...appFindings(),
      f('connection', 'status', 'ENABLED', 'UNKNOWN', 'drift', o(CONNECTION, 'action')),
      f('features', 'USER_PROVISIONING', 'ENABLED', `refused: ${OFF}`, 'drift', o(FEATURES, 'status')),
      ...ASSIGNED,
      f('push', 'hooli-admins.mapping', 'ACTIVE → "Hooli Admins"', 'missing', 'drift', o(PUSH_TF)),
      ...MAPPED,
      CREDENTIAL_OK,
    ]);
    expect(hintOf(run, 'connection.status')).toBe(API_HINT);
    expect(hintOf(run, 'features.USER_PROVISIONING')).toBe(API_HINT);
    expect(run.report.tenants[0]!.stage).toEqual({ declared: 2, live: 'provisioning-off', next: 'run apply for this tenant (the API path turns provisioning on); if Okta refuses it, use the console step (README "What is code and what is the console step")' });
    expect(run.report.tenants[0]!.notes).toEqual([PROFILE_MAPPING_NOTE]);
    expect(run.code).toBe(1);
  });

  it('a connection status left out of the answer is unknown, with the same hint', async () => {
    const { status: _status, ...connection } = oktaConnection('ENABLED', SCIM_URL);
    harness.okta.state = { ...accepted(), connections: { [APP]: connection } };
    const run = await harness.run('hooli-api');
    expect(run.findings.filter((x) => x.area === 'connection')).toEqual([f('connection', 'status', 'ENABLED', '(not returned)', 'unknown', o(CONNECTION, 'action'))]);
    expect(hintOf(run, 'connection.status')).toBe(API_HINT);
    expect(run.code).toBe(0);
  });

  it('where Okta accepts it, the connection and switches are the stacks\' resources, named as Terraform does', async () => {
    harness.okta.state = { ...accepted(), connections: { [APP]: oktaConnection('ENABLED', SCIM_URL) } };
    const run = await harness.run('hooli-api');
    expect(run.findings.filter((x) => x.area === 'connection' || x.area === 'features')).toEqual([
      f('connection', 'status', 'ENABLED', 'ENABLED', 'ok', o(CONNECTION, 'action')),
      f('connection', 'authScheme', 'TOKEN', 'TOKEN', 'ok', o(CONNECTION, 'profile.auth_scheme')),
      f('connection', 'baseUrl', SCIM_URL, SCIM_URL, 'ok', o(CONNECTION, 'base_url')),
      f('features', 'status', 'ENABLED', 'ENABLED', 'ok', o(FEATURES, 'status')),
      f('features', 'create.lifecycleCreate', 'ENABLED', 'ENABLED', 'ok', o(FEATURES, 'capabilities.create.lifecycle_create.status')),
      f('features', 'update.profile', 'ENABLED', 'ENABLED', 'ok', o(FEATURES, 'capabilities.update.profile.status')),
      f('features', 'update.lifecycleDeactivate', 'ENABLED', 'ENABLED', 'ok', o(FEATURES, 'capabilities.update.lifecycle_deactivate.status')),
      f('features', 'update.password', 'DISABLED', 'DISABLED', 'ok', o(FEATURES, 'capabilities.update.password.status')),
    ]);
    expect(run.report.tenants[0]!.stage.live).toBe('pushed');
    expect(run.code).toBe(0);
  });
});

describe('verify: the existing Dynatrace SSO app', () => {
  const SSO_DATA = 'data.okta_app.dynatrace_app';
  // An App Integration Wizard app: Okta does not document USER_PROVISIONING for it; here it answers 403.
  const ssoApp = (userNameTemplate: { template: string; type: string } = EMAIL_USERNAME, features = toAppFeatures()) => oktaApp(SSO, 'hoolidynatrace_dynatracesso_1', 'Dynatrace SSO', 'ACTIVE', 'SAML_2_0', userNameTemplate, features);
  const ssoLive = (extra: Partial<ReturnType<typeof live.noApp>> = {}) => ({
    ...live.noApp(),
    apps: [ssoApp()],
    appGroups: { [SSO]: [oktaAppGroup(ADMINS, 0)] },
    featureRefusals: { [SSO]: 403 },
    pushMappings: { [SSO]: [oktaPushMapping('gPm00sso000000000001', ADMINS, 'ACTIVE')] },
    ...extra,
  });
  const SSO_USERNAME = [f('app', 'userNameTemplate', '${source.email}', '${source.email}'), f('app', 'userNameTemplateType', 'BUILT_IN', 'BUILT_IN')];
  const SSO_ASSIGNED = f('assignments', 'hooli-admins.assigned', 'yes', 'yes', 'ok', o(ASSIGNMENT_TF));

  it('by id, at stage 2: no sign-on mode or status expectations of a test app; username, switches, assignment and push checked', async () => {
    harness.okta.state = ssoLive();
    const run = await harness.run('sso-id');
    expect(run.findings).toEqual([f('app', 'id', SSO, SSO, 'ok', o(SSO_DATA, 'id')), ...SSO_USERNAME, PROVISIONING_ON, ...switches(), SSO_ASSIGNED, f('push', 'hooli-admins.mapping', 'ACTIVE', 'ACTIVE', 'ok', o(PUSH_TF, 'status')), ...MAPPED, CREDENTIAL_OK]);
    expect(run.report.tenants[0]!.stage).toEqual({ declared: 2, live: 'pushed', next: 'nothing: every stage is in place' });
    expect(run.code).toBe(0);
  });

  it('its username format is set in the console step: a mismatch is drift with the console-step hint', async () => {
    harness.okta.state = ssoLive({ apps: [ssoApp({ template: '${source.login}', type: 'BUILT_IN' })] });
    const run = await harness.run('sso-id');
    expect(run.findings[1]).toEqual(f('app', 'userNameTemplate', '${source.email}', '${source.login}', 'drift'));
    expect(hintOf(run, 'app.userNameTemplate')).toBe(
      'set in the console step, not by the stacks: Sign On → Settings → Edit → Application username format: Email → Save (Dynatrace needs a persistent e-mail as userName).',
    );
    expect(run.code).toBe(1);
  });

  it('by label, at stage 1 with provisioning off: in sync, the console step is next', async () => {
    harness.okta.state = ssoLive({ apps: [ssoApp(EMAIL_USERNAME, [])], pushMappings: {} });
    const run = await harness.run('sso-label');
    expect(run.findings).toEqual([f('app', 'label', 'Dynatrace SSO', `Dynatrace SSO (${SSO})`, 'ok', o(SSO_DATA, 'label')), ...SSO_USERNAME, SSO_ASSIGNED, ...MAPPED, CREDENTIAL_OK]);
    expect(run.report.tenants[0]!.stage).toEqual({ declared: 1, live: 'provisioning-off', next: `do the console step (${CONSOLE_STEP('sso-label')}), then ${DECLARE_STAGE_2}` });
    expect(run.code).toBe(0);
  });

  it('an id that names no app: drift, and the next step is to fix ssoApp (the stacks never create it)', async () => {
    harness.okta.state = live.noApp();
    const run = await harness.run('sso-id');
    expect(run.findings).toEqual([f('app', 'id', SSO, 'not found', 'drift', o(SSO_DATA, 'id')), CREDENTIAL_OK]);
    expect(run.report.tenants[0]!.stage).toEqual({ declared: 2, live: 'no-app', next: 'fix ssoApp in the tenants file: the stacks never create the SSO app, they only read it' });
    expect(run.code).toBe(1);
  });
});

describe('verify: the sign-on mode decides the resource type', () => {
  it('an OAuth Bearer Token app created with the old default (AUTO_LOGIN): drift, and the hint gives the signOn to write', async () => {
    harness.okta.state = { ...live.provisioningOff(), apps: [oktaApp(APP, 'scim2testapp', 'Hooli SCIM', 'ACTIVE', 'AUTO_LOGIN')] };
    const run = await harness.run('hooli-oauth');
    expect(run.findings.find((x) => x.field === 'signOnMode')).toEqual(f('app', 'signOnMode', 'SAML_2_0', 'AUTO_LOGIN', 'drift', o('okta_app_saml.dynatrace_app')));
    expect(hintOf(run, 'app.signOnMode')).toBe('the sign-on mode decides the resource type, so apply would replace the app and deprovision everyone: set `signOn: autoLogin` in the tenants file to match the live app');
    expect(run.code).toBe(1);
  });

  it('a mode the stacks cannot create (SWA): the hint says so', async () => {
    harness.okta.state = { ...live.provisioningOff(), apps: [oktaApp(APP, 'scim2headerauth', 'Hooli SCIM', 'ACTIVE', 'BROWSER_PLUGIN')] };
    const run = await harness.run('hooli');
    expect(hintOf(run, 'app.signOnMode')).toBe(
      'the sign-on mode decides the resource type, so apply would replace the app and deprovision everyone; the stacks create AUTO_LOGIN or SAML_2_0 apps only: adopt an app of one of those modes (existingAppId), or replace this one deliberately',
    );
  });
});

describe('verify: a deactivated app is found (includeNonDeleted=true) and reported as status drift', () => {
  it('INACTIVE: status drift, not "no such app"', async () => {
    harness.okta.state = live.pushed();
    harness.okta.state.apps[0]!.status = 'INACTIVE';
    const run = await harness.run('hooli-done');
    expect(run.findings.slice(0, 3)).toEqual([...appFindings().slice(0, 2), f('app', 'status', 'ACTIVE', 'INACTIVE', 'drift', o(APP_TF, 'status'))]);
    expect(hintOf(run, 'app.status')).toBe('run apply for this tenant (the status updates in place); while the app is INACTIVE, Okta provisions nobody');
    expect(run.code).toBe(1);
  });

  it('the stand-in lists it only when asked to, as Okta does', async () => {
    harness.okta.state = live.pushed();
    harness.okta.state.apps[0]!.status = 'INACTIVE';
    const list = async (query: string) => ((await (await fetch(`${harness.okta.url}/api/v1/apps?${query}`, { headers: { Authorization: `SSWS ${OKTA_TOKEN}` } })).json()) as unknown[]).length;
    expect(await list('q=Hooli')).toBe(0);
    expect(await list('q=Hooli&includeNonDeleted=true')).toBe(1);
  });
});

describe('verify: findings name the plan objects as the chosen engine does (--engine, OKTA_SCIM_ENGINE)', () => {
  const pulumiNames = (run: { findings: F[] }) => run.findings.filter((x) => x.address).map((x) => [x.address, x.attribute ?? null]);
  const PULUMI: [string, string | null][] = [
    ['okta:app/autoLogin:AutoLogin hooli-done-app', 'label'],
    ['okta:app/autoLogin:AutoLogin hooli-done-app', 'preconfiguredApp'],
    ['okta:app/autoLogin:AutoLogin hooli-done-app', 'status'],
    ['okta:app/autoLogin:AutoLogin hooli-done-app', null],
    ['okta:app/autoLogin:AutoLogin hooli-done-app', 'userNameTemplate'],
    ['okta:app/autoLogin:AutoLogin hooli-done-app', 'userNameTemplateType'],
    ['okta:app/groupAssignment:GroupAssignment hooli-done-assignment-hooli-admins', null],
    ['okta:app/groupAssignment:GroupAssignment hooli-done-assignment-hooli-admins', 'priority'],
    ['okta:index/pushGroup:PushGroup hooli-done-push-hooli-admins', 'status'],
  ];

  it('--engine pulumi: type tokens, names and camelCase inputs, in the JSON and the table', async () => {
    harness.okta.state = live.pushed();
    const run = await harness.run('hooli-done', { engine: 'pulumi' });
    expect(run.report.engine).toBe('pulumi');
    expect(pulumiNames(run)).toEqual(PULUMI);
    const human = await harness.run('hooli-done', { engine: 'pulumi', json: false });
    expect(human.stdout).toMatch(/^ {2}ok +okta:app\/groupAssignment:GroupAssignment hooli-done-assignment-hooli-admins +priority +0 +0$/m);
  });

  it('OKTA_SCIM_ENGINE=pulumi is the default; terraform otherwise', async () => {
    harness.okta.state = live.pushed();
    const fromEnv = await harness.run('hooli-done', {}, { OKTA_SCIM_ENGINE: 'pulumi' });
    expect(pulumiNames(fromEnv)).toEqual(PULUMI);
    const terraform = await harness.run('hooli-done');
    expect(terraform.report.engine).toBe('terraform');
    expect(terraform.findings.find((x) => x.field === 'hooli-admins.priority')).toMatchObject(o(ASSIGNMENT_TF, 'priority'));
  });

  it('a group looked up by name is the data source (Pulumi: its invoke)', async () => {
    harness.okta.state = { ...live.pushed(), groups: [] };
    const terraform = await harness.run('hooli-done');
    expect(terraform.findings.find((x) => x.field === 'hooli-admins.group')).toEqual(f('assignments', 'hooli-admins.group', 'Okta group "Hooli Admins"', 'not found', 'drift', o('data.okta_group.dynatrace_group_hooli_admins')));
    const pulumi = await harness.run('hooli-done', { engine: 'pulumi' });
    expect(pulumi.findings.find((x) => x.field === 'hooli-admins.group')?.address).toBe('okta:group/getGroup:getGroup (name "Hooli Admins", type "OKTA_GROUP")');
  });

  it('an engine that is neither is a usage error (64)', async () => {
    const run = await harness.run('hooli', { engine: 'cdk' });
    expect(run.code).toBe(64);
    expect(run.stderr).toBe('Invalid configuration (1 problem):\n  - --engine: "cdk" is not an engine. Fix: use terraform or pulumi.\n');
  });
});

describe('verify stages: secrets', () => {
  it('never prints a token value', () => {
    expect(harness.outputs.length).toBeGreaterThan(20);
    for (const output of harness.outputs) for (const secret of [OKTA_TOKEN, TEST_TOKEN]) expect(output).not.toContain(secret);
  });
});

describe('verify stages: the next step points where the findings are', () => {
  // The stage line comes first in the text report (the findings follow it) and stands alone in the JSON.
  const [tenant] = parseTenants(`tenants:${HOOLI('hooli-done', 'provisioning: { enabled: true }')}`, 'tenants.yaml');

  it('drift at stage 2 and an unknown live stage send the reader to the findings, without "above"', () => {
    expect(stageReport(tenant!, 'pushed', { drift: true, unknown: false }).next).toBe('fix the drift the findings list (each hint says how)');
    expect(stageReport(tenant!, 'unknown', { drift: false, unknown: true }).next).toBe('read the findings first: the live stage could not be told');
  });

  it('a missing SCIM token says which token, not that apply uses it (apply reads it only on the API path)', () => {
    expect(scimTokenFromEnv({ env: 'HOOLI_DT_SCIM_TOKEN' }, {})).toEqual({
      problem: '$HOOLI_DT_SCIM_TOKEN is not set',
      hint: "export HOOLI_DT_SCIM_TOKEN with the tenant's Dynatrace SCIM token (the one its app's provisioning settings hold)",
    });
  });
});
