/**
 * `verify` against real HTTP servers on 127.0.0.1: an Okta Management API stand-in (documented response
 * shapes, Link pagination, 429 with X-Rate-Limit-Reset) and a SCIM 2.0 server that authenticates like
 * Dynatrace (`Authorization: Bearer <token>`, exact). Every output is collected and checked for secrets.
 * Stages, the SSO app, usernames and engine names: verify-stages.test.ts; Dynatrace permissions:
 * verify-dynatrace.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { RAW_TOKEN_WARNING } from '../operations/verify/dynatrace-probe';
import { PROFILE_MAPPING_NOTE } from '../operations/verify/profile-mapping';
import type { Finding } from '../operations/verify/findings';
import { nextLink, retryDelay } from '../operations/verify/okta-client';
import { buildProgram } from '../cli/main';
import * as verifyModule from '../cli/commands/verify';
import { runVerify } from '../cli/commands/verify';
import { EMAIL_USERNAME, oktaApp, oktaAppGroup, oktaAppInSync, oktaConnection, oktaFeature, oktaGroup, oktaProfileMapping, oktaPushMapping, type OktaStubState, toAppFeatures } from './support/okta-stub';
import { JWT_SHAPED, serviceApp, serviceAppKey } from './support/service-app';
import { SCIM_URL, TEST_TOKEN } from './support/specs';
import { Capture, type F, hintOf, NOW, type Run, useVerifyHarness } from './support/verify-harness';

const OKTA_TOKEN = '00okta-SSWS-secret-must-never-leak-41b2';
/** globex signs in as an API service app with this key (DPoP; okta-auth.test.ts covers the sign-in itself). */
const GLOBEX_KEY = serviceAppKey('rsa');
const WRONG_TOKEN = 'dt0s99.WRONG-token-must-never-leak-5e11';
const SECRETS = [OKTA_TOKEN, TEST_TOKEN, WRONG_TOKEN, ...GLOBEX_KEY.secrets];

const IDS = {
  acme: '0oaacme0000000000001',
  globex: '0oaglobex00000000001',
  initech: '0oainitech0000000001',
  admins: '00gadmins00000000001',
  viewers: '00gviewers0000000001',
  sre: '00gsre00000000000001',
  obs: '00gobs00000000000001',
};

const TENANTS = `
tenants:
  - name: acme
    okta:
      orgName: acme
      credentials: { type: apiToken, token: { env: ACME_OKTA_API_TOKEN } }
    integration:
      label: Dynatrace SCIM
      authMode: header
      scimBaseUrl: ${SCIM_URL}
      scimToken: { env: ACME_DT_SCIM_TOKEN, pulumiConfig: dynatraceScimToken }
      provisioning: { setup: api }
      groups:
        - { name: Dynatrace Admins, push: true, priority: 0 }
        - { name: Dynatrace Viewers, create: true, push: true, pushAs: DT Viewers, priority: 1 }
        - { id: ${IDS.sre}, key: sre, name: SRE On-Call }
  - name: globex
    okta:
      orgName: globex
      baseDomain: okta-emea.com
      credentials: { type: privateKey, clientId: 0oa9z8y7x6w5v4u3t2s1, privateKey: { env: GLOBEX_OKTA_PRIVATE_KEY } }
    integration:
      label: Dynatrace
      authMode: oauthBearer
      signOn: saml
      scimBaseUrl: ${SCIM_URL}
      scimToken: { env: GLOBEX_DT_SCIM_TOKEN }
      provisioning: { setup: console, enabled: true, updateUserAttributes: false }
      groups:
        - { name: Observability Team, push: true, pushAs: Globex Observability }
  - name: initech
    okta:
      orgName: initech
    integration:
      label: Initech SCIM
      authMode: header
      scimBaseUrl: ${SCIM_URL}
      scimToken: { env: INITECH_DT_SCIM_TOKEN }
      provisioning: { enabled: true }
      existingAppId: ${IDS.initech}
  - name: acme-pulumi
    okta:
      orgName: acme
      credentials: { type: apiToken, token: { env: ACME_OKTA_API_TOKEN } }
    integration:
      label: Dynatrace SCIM
      authMode: header
      scimBaseUrl: ${SCIM_URL}
      scimToken: { pulumiConfig: dynatraceScimToken }
      provisioning: { setup: api }
      groups:
        - { name: Dynatrace Admins, push: true, priority: 0 }
        - { name: Dynatrace Viewers, create: true, push: true, pushAs: DT Viewers, priority: 1 }
        - { id: ${IDS.sre}, key: sre, name: SRE On-Call }
`;

/** Live state in which every tenant matches the model. */
function syncedState(): OktaStubState {
  const enabled = oktaFeature('ENABLED', 'ENABLED', 'ENABLED', 'DISABLED');
  return {
    apps: [
      oktaApp(IDS.acme, 'scim2headerauth', 'Dynatrace SCIM', 'ACTIVE', 'AUTO_LOGIN', EMAIL_USERNAME, toAppFeatures()),
      // Decoys: `q` matches label prefixes; only the exact label counts.
      oktaApp('0oadecoy000000000001', 'scim2headerauth', 'Dynatrace SCIM (staging)', 'ACTIVE', 'AUTO_LOGIN'),
      oktaApp('0oadecoy000000000002', 'bookmark', 'Dynatrace SCIM docs', 'ACTIVE', 'BOOKMARK'),
      oktaApp(IDS.globex, 'scim2testapp', 'Dynatrace', 'ACTIVE', 'SAML_2_0', EMAIL_USERNAME, toAppFeatures(true, false)),
      oktaApp(IDS.initech, 'scim2headerauth', 'Initech SCIM', 'ACTIVE', 'AUTO_LOGIN', EMAIL_USERNAME, toAppFeatures()),
    ],
    connections: {
      [IDS.acme]: oktaConnection('ENABLED', SCIM_URL),
      [IDS.globex]: oktaConnection('UNKNOWN'),
      [IDS.initech]: oktaConnection('UNKNOWN'),
    },
    // globex: like a SCIM test app, it does not answer USER_PROVISIONING (400 E0000001), although provisioning is on.
    features: { [IDS.acme]: enabled, [IDS.globex]: null, [IDS.initech]: enabled },
    appGroups: {
      [IDS.acme]: [oktaAppGroup(IDS.admins, 0), oktaAppGroup(IDS.viewers, 1), oktaAppGroup(IDS.sre, 2)],
      [IDS.globex]: [oktaAppGroup(IDS.obs, 0)],
    },
    groups: [
      oktaGroup(IDS.admins, 'Dynatrace Admins'),
      oktaGroup('00gadminsold00000001', 'Dynatrace Admins (old)'),
      oktaGroup(IDS.viewers, 'Dynatrace Viewers'),
      oktaGroup(IDS.sre, 'SRE On-Call'),
      oktaGroup(IDS.obs, 'Observability Team'),
    ],
    pushMappings: {
      [IDS.acme]: [oktaPushMapping('gPm00admins000000001', IDS.admins, 'ACTIVE'), oktaPushMapping('gPm00viewers00000001', IDS.viewers, 'ACTIVE')],
      [IDS.globex]: [oktaPushMapping('gPm00obs000000000001', IDS.obs, 'ACTIVE')],
    },
  };
}

/** A plan object as Terraform names it. */
const o = (address: string, attribute?: string) => ({ address, ...(attribute ? { attribute } : {}) });
const f = (area: Finding['area'], field: string, expected: string, actual: string, status: Finding['status'] = 'ok', at?: { address: string; attribute?: string }): F => ({ area, field, ...at, expected, actual, status });
const CREDENTIAL_OK = f('credential', 'scim token accepted', '200 ListResponse from GET /Users?count=1', '200 ListResponse (totalResults 2)');
/** Okta's default profile mapping, as each app got it. */
const MAPPED = [f('profileMapping', 'name.givenName', 'user.firstName', 'user.firstName'), f('profileMapping', 'name.familyName', 'user.lastName', 'user.lastName')];

/** acme's objects, as `terraform plan` names them. */
const TF = {
  app: 'okta_app_auto_login.dynatrace_app',
  connection: 'okta_app_connection.dynatrace_connection',
  features: 'okta_app_features.dynatrace_features',
  assignment: (key: string) => `okta_app_group_assignment.dynatrace_assignment_${key.replace(/-/g, '_')}`,
  push: (key: string) => `okta_push_group.dynatrace_push_${key.replace(/-/g, '_')}`,
};

/** acme, in sync, field by field. */
function acmeInSync(): F[] {
  return [
    f('app', 'label', 'Dynatrace SCIM', `Dynatrace SCIM (${IDS.acme})`, 'ok', o(TF.app, 'label')),
    f('app', 'name', 'scim2headerauth', 'scim2headerauth', 'ok', o(TF.app, 'preconfigured_app')),
    f('app', 'status', 'ACTIVE', 'ACTIVE', 'ok', o(TF.app, 'status')),
    f('app', 'signOnMode', 'AUTO_LOGIN', 'AUTO_LOGIN', 'ok', o(TF.app)),
    f('app', 'userNameTemplate', '${source.email}', '${source.email}', 'ok', o(TF.app, 'user_name_template')),
    f('app', 'userNameTemplateType', 'BUILT_IN', 'BUILT_IN', 'ok', o(TF.app, 'user_name_template_type')),
    f('connection', 'status', 'ENABLED', 'ENABLED', 'ok', o(TF.connection, 'action')),
    f('connection', 'authScheme', 'TOKEN', 'TOKEN', 'ok', o(TF.connection, 'profile.auth_scheme')),
    f('connection', 'baseUrl', SCIM_URL, SCIM_URL, 'ok', o(TF.connection, 'base_url')),
    f('features', 'status', 'ENABLED', 'ENABLED', 'ok', o(TF.features, 'status')),
    f('features', 'create.lifecycleCreate', 'ENABLED', 'ENABLED', 'ok', o(TF.features, 'capabilities.create.lifecycle_create.status')),
    f('features', 'update.profile', 'ENABLED', 'ENABLED', 'ok', o(TF.features, 'capabilities.update.profile.status')),
    f('features', 'update.lifecycleDeactivate', 'ENABLED', 'ENABLED', 'ok', o(TF.features, 'capabilities.update.lifecycle_deactivate.status')),
    f('features', 'update.password', 'DISABLED', 'DISABLED', 'ok', o(TF.features, 'capabilities.update.password.status')),
    f('assignments', 'dynatrace-admins.assigned', 'yes', 'yes', 'ok', o(TF.assignment('dynatrace-admins'))),
    f('assignments', 'dynatrace-admins.priority', '0', '0', 'ok', o(TF.assignment('dynatrace-admins'), 'priority')),
    f('assignments', 'dynatrace-viewers.assigned', 'yes', 'yes', 'ok', o(TF.assignment('dynatrace-viewers'))),
    f('assignments', 'dynatrace-viewers.priority', '1', '1', 'ok', o(TF.assignment('dynatrace-viewers'), 'priority')),
    f('assignments', 'sre.assigned', 'yes', 'yes', 'ok', o(TF.assignment('sre'))),
    f('push', 'dynatrace-admins.mapping', 'ACTIVE', 'ACTIVE', 'ok', o(TF.push('dynatrace-admins'), 'status')),
    f('push', 'dynatrace-viewers.mapping', 'ACTIVE', 'ACTIVE', 'ok', o(TF.push('dynatrace-viewers'), 'status')),
    ...MAPPED,
    CREDENTIAL_OK,
  ];
}

/** `base` with the finding at `key` (area.field) replaced, or removed when `by` is null. */
function replace(base: F[], key: string, by: F | F[] | null): F[] {
  const index = base.findIndex((x) => `${x.area}.${x.field}` === key);
  if (index < 0) throw new Error(`no finding ${key}`);
  const out = [...base];
  out.splice(index, 1, ...(by === null ? [] : Array.isArray(by) ? by : [by]));
  return out;
}

/** `base` with `finding` patched (same area.field, kept in place). */
function patch(base: F[], key: string, change: Partial<F>): F[] {
  const found = base.find((x) => `${x.area}.${x.field}` === key);
  if (!found) throw new Error(`no finding ${key}`);
  return replace(base, key, { ...found, ...change });
}

const baseEnv = (): NodeJS.ProcessEnv => ({
  ACME_OKTA_API_TOKEN: OKTA_TOKEN,
  ACME_DT_SCIM_TOKEN: `Bearer ${TEST_TOKEN}`,
  GLOBEX_OKTA_PRIVATE_KEY: GLOBEX_KEY.pkcs8,
  GLOBEX_DT_SCIM_TOKEN: TEST_TOKEN,
  INITECH_DT_SCIM_TOKEN: `Bearer ${TEST_TOKEN}`,
  OKTA_API_TOKEN: OKTA_TOKEN,
});

const harness = useVerifyHarness({ tenants: TENANTS, env: baseEnv, okta: { apiToken: OKTA_TOKEN, oauth: { clients: { '0oa9z8y7x6w5v4u3t2s1': serviceApp(GLOBEX_KEY, { scopes: ['okta.apps.read', 'okta.groups.read', 'okta.profileMappings.read'] }) }, now: () => NOW }, pageSize: 2 } });
const verify = (...args: Parameters<typeof harness.run>): Promise<Run> => harness.run(...args);
let okta: typeof harness.okta;
let scim: typeof harness.scim;
beforeEach(() => {
  ({ okta, scim } = harness);
  okta.state = syncedState();
});

describe('verify: in sync', () => {
  it('reports every field ok, exit 0, following Link pagination', async () => {
    const run = await verify('acme');
    expect(run.findings).toEqual(acmeInSync());
    expect(run.code).toBe(0);
    expect(run.report).toMatchObject({ result: 'in-sync', exitCode: 0, strict: false });
    expect(run.report.tenants[0]).toMatchObject({ tenant: 'acme', okta: 'acme.okta.com', appId: IDS.acme, notes: [PROFILE_MAPPING_NOTE], warnings: [] });
    expect(run.report.tenants[0]!.stage).toEqual({ declared: 2, live: 'pushed', next: 'nothing: every stage is in place' });
    // Three apps match q=Dynatrace SCIM at two per page: the second page came from the Link header.
    expect(okta.requests.map((r) => r.path)).toContain('/api/v1/apps?q=Dynatrace+SCIM&includeNonDeleted=true&after=2&limit=2');
    expect(okta.requests.every((r) => r.method === 'GET')).toBe(true);
    // One probe, as Okta sends it.
    expect(scim.requests).toEqual([{ path: '/idm/public/scim/6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10/v2/Users?count=1', accepted: true, authorizationStartsWithBearer: true }]);
  });

  it('the drift check holds no SCIM token: with scimProbe false the token is not probed, noted, and the tenant still in sync', async () => {
    const run = await verify('acme', { scimProbe: false }, { ACME_DT_SCIM_TOKEN: undefined });
    expect(run.code).toBe(0);
    expect(run.findings.some((f) => f.field === 'scim token accepted')).toBe(false);
    expect(run.report.tenants[0].notes).toContain('the SCIM token was not probed: this check runs with read-only credentials, and the token is a write credential (run verify with the token to check it)');
    expect(harness.scim.requests).toEqual([]);
  });

  it('prints a table for humans, without colour when not a TTY', async () => {
    const run = await verify('acme', { json: false });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^acme {2}okta acme\.okta\.com · app 0oaacme0000000000001$/m);
    expect(run.stdout).toMatch(/^ {2}stage: declared 2, live provisioning on, pushes in place → next: nothing: every stage is in place$/m);
    expect(run.stdout).toMatch(/^ {2}STATUS +OBJECT +ATTRIBUTE +EXPECTED +ACTUAL$/m);
    expect(run.stdout).toMatch(/^ {2}ok +okta_app_connection\.dynatrace_connection +base_url +https:\/\/api\.sso\.dynatrace\.com\/\S+ +https:/m);
    expect(run.stdout).toMatch(/^ {2}ok +credential +scim token accepted +200 ListResponse/m);
    expect(run.stdout).toMatch(/^ {2}ok +profileMapping +name\.givenName +user\.firstName +user\.firstName$/m);
    expect(run.stdout).toContain('in sync (24 ok)');
    expect(run.stdout).toContain('verify: 1 tenant checked → in sync (exit 0)');
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('shows terminal controls in live values as escapes: an escape sequence, a line break or a bidirectional override in an Okta answer never acts on the terminal', async () => {
    okta.state.apps[0] = { ...okta.state.apps[0]!, status: 'INACTIVE\u001b]8;;https://example.test\u0007\nok\u202e' };
    const run = await verify('acme', { json: false });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ {2}DRIFT +okta_app_auto_login\.dynatrace_app +status +ACTIVE +INACTIVE\\u001b\]8;;https:\/\/example\.test\\u0007\\nok\\u202e$/m);
    expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
  });

  it('colours on a TTY unless NO_COLOR is set', async () => {
    const tty = new Capture();
    tty.isTTY = true;
    await runVerify({ tenantsFile: harness.tenantsFile, tenant: 'acme', json: false, oktaBaseUrl: okta.url, scimBaseUrl: scim.baseUrl, env: baseEnv(), stdout: tty });
    expect(tty.text).toContain('\u001b[32mok\u001b[0m');
    const plain = new Capture();
    plain.isTTY = true;
    await runVerify({ tenantsFile: harness.tenantsFile, tenant: 'acme', json: false, oktaBaseUrl: okta.url, scimBaseUrl: scim.baseUrl, env: { ...baseEnv(), NO_COLOR: '1' }, stdout: plain });
    expect(plain.text).not.toContain('\u001b[');
    harness.outputs.push(tty.text, plain.text);
  });
});

describe('verify: drift, field by field (exit 1)', () => {
  const app = (change: Record<string, unknown>) => () => {
    okta.state.apps[0] = { ...okta.state.apps[0]!, ...change };
  };
  const OTHER_URL = 'https://api.sso.dynatrace.com/idm/public/scim/00000000-0000-0000-0000-000000000000/v2';
  const cases: [string, () => void, F[]][] = [
    // Okta lists a deactivated app only with includeNonDeleted=true: without it, this would read as "no such app".
    ['app status', app({ status: 'INACTIVE' }), patch(acmeInSync(), 'app.status', { actual: 'INACTIVE', status: 'drift' })],
    ['sign-on mode', app({ signOnMode: 'SAML_2_0' }), patch(acmeInSync(), 'app.signOnMode', { actual: 'SAML_2_0', status: 'drift' })],
    [
      'username format',
      app({ credentials: { userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' } } }),
      patch(acmeInSync(), 'app.userNameTemplate', { actual: '${source.login}', status: 'drift' }),
    ],
    ['connection baseUrl', () => void (okta.state.connections[IDS.acme] = oktaConnection('ENABLED', OTHER_URL)), patch(acmeInSync(), 'connection.baseUrl', { actual: OTHER_URL, status: 'drift' })],
    [
      'a "To App" switch turned off (the app\'s features list PUSH_USER_DEACTIVATION no more)',
      app({ features: toAppFeatures(true, true, false) }),
      patch(acmeInSync(), 'features.update.lifecycleDeactivate', { actual: 'DISABLED', status: 'drift' }),
    ],
    [
      'a missing group assignment',
      () => void (okta.state.appGroups[IDS.acme] = [oktaAppGroup(IDS.viewers, 1), oktaAppGroup(IDS.sre, 2)]),
      patch(acmeInSync(), 'assignments.dynatrace-admins.assigned', { actual: 'no', status: 'drift' }).filter((x) => x.field !== 'dynatrace-admins.priority'),
    ],
    [
      'a wrong priority',
      () => void (okta.state.appGroups[IDS.acme] = [oktaAppGroup(IDS.admins, 5), oktaAppGroup(IDS.viewers, 1), oktaAppGroup(IDS.sre, 2)]),
      patch(acmeInSync(), 'assignments.dynatrace-admins.priority', { actual: '5', status: 'drift' }),
    ],
    [
      'a missing push mapping',
      () => void (okta.state.pushMappings[IDS.acme] = [oktaPushMapping('gPm00admins000000001', IDS.admins, 'ACTIVE')]),
      replace(acmeInSync(), 'push.dynatrace-viewers.mapping', f('push', 'dynatrace-viewers.mapping', 'ACTIVE → "DT Viewers"', 'missing', 'drift', o(TF.push('dynatrace-viewers')))),
    ],
    [
      'an extra hand-made assignment',
      () => void okta.state.appGroups[IDS.acme]!.push(oktaAppGroup('00gstray000000000001', 3)),
      [...replace(acmeInSync(), 'credential.scim token accepted', null), f('assignments', '00gstray000000000001.assigned', 'no (not in the tenants file)', 'yes, priority 3', 'drift'), CREDENTIAL_OK].sort(byArea),
    ],
  ];

  it.each(cases)('%s', async (_name, mutate, expected) => {
    mutate();
    const run = await verify('acme');
    expect(run.findings).toEqual(expected);
    expect(run.code).toBe(1);
    expect(run.report.result).toBe('drift');
  });

  it('explains a missing push mapping and a sign-on switch in the human report', async () => {
    okta.state.pushMappings[IDS.acme] = [];
    okta.state.apps[0] = { ...okta.state.apps[0]!, signOnMode: 'SAML_2_0' };
    const run = await verify('acme', { json: false });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ {2}DRIFT +okta_push_group\.dynatrace_push_dynatrace_admins +dynatrace-admins\.mapping +ACTIVE → "Dynatrace Admins" +missing$/m);
    expect(run.stdout).toContain('→ okta_push_group.dynatrace_push_dynatrace_admins dynatrace-admins.mapping: run apply for this tenant; until then the group does not exist in Dynatrace');
    expect(run.stdout).toContain('→ okta_app_auto_login.dynatrace_app signOnMode: the sign-on mode decides the resource type');
    expect(run.stdout).toContain('  stage: declared 2, live provisioning on, push pending → next: run apply for this tenant: stage 2 adds the missing push mappings');
    expect(run.stdout).toContain('verify: 1 tenant checked, 1 with drift → drift found (exit 1)');
  });
});

/** Keeps the area order of the report (app, connection, features, assignments, push, profile mapping, credential). */
function byArea(a: F, b: F): number {
  const order = ['okta', 'app', 'connection', 'features', 'assignments', 'push', 'profileMapping', 'credential'];
  return order.indexOf(a.area) - order.indexOf(b.area);
}

describe("verify: fields Okta's spec lets it omit are reported as not returned, never a crash", () => {
  const NR = '(not returned)';
  /** Removes `path` (dotted) from a stub object, or sets it to null: Okta may omit properties whose value is null. */
  const drop = (target: Record<string, unknown>, path: string, as: 'omitted' | 'null' = 'omitted'): void => {
    const keys = path.split('.');
    const last = keys.pop()!;
    const parent = keys.reduce((node, key) => node[key] as Record<string, unknown>, target);
    if (as === 'null') parent[last] = null;
    else delete parent[last];
  };
  const acmeApp = () => okta.state.apps[0]!;
  const initechApp = () => okta.state.apps.find((a) => a.id === IDS.initech)!;
  const acmeFeature = () => okta.state.features[IDS.acme]!;
  const assignment = (id: string) => okta.state.appGroups[IDS.acme]!.find((a) => a.id === id)!;
  const group = (id: string) => okta.state.groups.find((g) => g.id === id)!;
  const mapping = (source: string) => okta.state.pushMappings[IDS.acme]!.find((m) => m.sourceGroupId === source)!;
  // A fresh feature object per tenant: the synced state shares one between acme and initech.
  const ownFeature = () => void (okta.state.features[IDS.acme] = oktaFeature('ENABLED', 'ENABLED', 'ENABLED', 'DISABLED'));
  /** acme with the finding at `key` not returned. */
  const unread = (base: F[], key: string): F[] => patch(base, key, { actual: NR, status: 'unknown' });
  const without = (base: F[], ...keys: string[]): F[] => base.filter((x) => !keys.includes(`${x.area}.${x.field}`));
  const insertAfter = (base: F[], key: string, ...items: F[]): F[] => {
    const index = base.findIndex((x) => `${x.area}.${x.field}` === key);
    return [...base.slice(0, index + 1), ...items, ...base.slice(index + 1)];
  };

  const cases: [string, () => void, F[], number][] = [
    ['Application.name', () => drop(acmeApp(), 'name'), unread(acmeInSync(), 'app.name'), 0],
    ['Application.status', () => drop(acmeApp(), 'status'), unread(acmeInSync(), 'app.status'), 0],
    ['Application.status (null)', () => drop(acmeApp(), 'status', 'null'), unread(acmeInSync(), 'app.status'), 0],
    ['Application.signOnMode', () => drop(acmeApp(), 'signOnMode'), unread(acmeInSync(), 'app.signOnMode'), 0],
    ['Application.credentials', () => drop(acmeApp(), 'credentials'), unread(unread(acmeInSync(), 'app.userNameTemplate'), 'app.userNameTemplateType'), 0],
    ['credentials.userNameTemplate.type', () => drop(acmeApp(), 'credentials.userNameTemplate.type'), unread(acmeInSync(), 'app.userNameTemplateType'), 0],
    [
      'Application.id (found by label)',
      () => drop(acmeApp(), 'id'),
      [f('app', 'id', 'the id of the app labelled "Dynatrace SCIM"', NR, 'error'), CREDENTIAL_OK],
      2,
    ],
    // Without a status nothing else of the connection is judged: the API path may not be in effect.
    ['ProvisioningConnectionResponse.status', () => drop(okta.state.connections[IDS.acme]!, 'status'), without(unread(acmeInSync(), 'connection.status'), 'connection.authScheme', 'connection.baseUrl'), 0],
    [
      'ProvisioningConnectionResponse.authScheme and profile',
      () => {
        drop(okta.state.connections[IDS.acme]!, 'authScheme');
        drop(okta.state.connections[IDS.acme]!, 'profile');
      },
      unread(acmeInSync(), 'connection.authScheme'),
      0,
    ],
    ['ProvisioningConnectionResponse.baseUrl', () => drop(okta.state.connections[IDS.acme]!, 'baseUrl'), unread(acmeInSync(), 'connection.baseUrl'), 0],
    ['ApplicationFeature.status', () => (ownFeature(), drop(acmeFeature(), 'status')), unread(acmeInSync(), 'features.status'), 0],
    ['ApplicationFeature.name', () => (ownFeature(), drop(acmeFeature(), 'name')), acmeInSync(), 0],
    // The switches come from the app's features list; USER_PROVISIONING's capabilities only where the list is left out.
    ['ApplicationFeature.capabilities', () => (ownFeature(), drop(acmeFeature(), 'capabilities')), acmeInSync(), 0],
    ['Application.features', () => drop(acmeApp(), 'features'), acmeInSync(), 0],
    [
      'Application.features and capabilities.update.password.status',
      () => (ownFeature(), drop(acmeApp(), 'features'), drop(acmeFeature(), 'capabilities.update.password.status')),
      unread(acmeInSync(), 'features.update.password'),
      0,
    ],
    ['ApplicationGroupAssignment.priority', () => drop(assignment(IDS.admins), 'priority'), unread(acmeInSync(), 'assignments.dynatrace-admins.priority'), 0],
    [
      'ApplicationGroupAssignment.id',
      () => drop(assignment(IDS.admins), 'id'),
      insertAfter(
        without(unread(acmeInSync(), 'assignments.dynatrace-admins.assigned'), 'assignments.dynatrace-admins.priority'),
        'assignments.sre.assigned',
        f('assignments', '(group id not returned).assigned', 'no (not in the tenants file)', NR, 'unknown'),
      ),
      0,
    ],
    ['Group.profile.name', () => void (okta.rewriteListItem = (path, item) => (path === '/api/v1/groups' ? { ...item, profile: {} } : item)), acmeInSync(), 0],
    ['Group.profile', () => void (okta.rewriteListItem = (path, { profile: _profile, ...item }) => (path === '/api/v1/groups' ? item : { profile: _profile, ...item })), acmeInSync(), 0],
    [
      'Group.id',
      () => drop(group(IDS.admins), 'id'),
      insertAfter(
        insertAfter(
          insertAfter(without(acmeInSync(), 'assignments.dynatrace-admins.assigned', 'assignments.dynatrace-admins.priority', 'push.dynatrace-admins.mapping'), 'features.update.password', f('assignments', 'dynatrace-admins.group', 'Okta group "Dynatrace Admins"', NR, 'unknown', o('data.okta_group.dynatrace_group_dynatrace_admins'))),
          'assignments.sre.assigned',
          f('assignments', `${IDS.admins}.assigned`, 'no (not in the tenants file)', 'yes, priority 0', 'drift'),
        ),
        'push.dynatrace-viewers.mapping',
        f('push', `${IDS.admins}.mapping`, 'none (not pushed in the tenants file)', 'ACTIVE', 'drift'),
      ),
      1,
    ],
    ['GroupPushMapping.status', () => drop(mapping(IDS.admins), 'status'), unread(acmeInSync(), 'push.dynatrace-admins.mapping'), 0],
    ['GroupPushMapping.id', () => drop(mapping(IDS.admins), 'id'), acmeInSync(), 0],
    ['GroupPushMapping.targetGroupId', () => drop(mapping(IDS.admins), 'targetGroupId'), acmeInSync(), 0],
    [
      'GroupPushMapping.sourceGroupId',
      () => drop(mapping(IDS.admins), 'sourceGroupId'),
      insertAfter(
        replace(acmeInSync(), 'push.dynatrace-admins.mapping', f('push', 'dynatrace-admins.mapping', 'ACTIVE → "Dynatrace Admins"', NR, 'unknown', o(TF.push('dynatrace-admins')))),
        'push.dynatrace-viewers.mapping',
        f('push', 'gPm00admins000000001.mapping', 'none (not pushed in the tenants file)', NR, 'unknown'),
      ),
      0,
    ],
  ];

  it.each(cases)('%s', async (_name, mutate, expected, code) => {
    mutate();
    const run = await verify('acme');
    expect(run.findings).toEqual(expected);
    expect(run.code).toBe(code);
    const human = await verify('acme', { json: false });
    expect(human.code).toBe(code);
    for (const x of expected.filter((e) => e.actual === NR)) expect(human.stdout).toMatch(new RegExp(`^ {2}(UNKNOWN|ERROR) +${escapeRegExp(x.address ?? x.area)} +${escapeRegExp(x.attribute ?? x.field)} +.*\\(not returned\\)$`, 'm'));
  });

  it('Application.label of an adopted app (existingAppId)', async () => {
    drop(initechApp(), 'label');
    const run = await verify('initech');
    expect(run.findings.slice(0, 3)).toEqual([
      f('app', 'id', IDS.initech, IDS.initech, 'ok', o(TF.app, 'import.id')),
      f('app', 'label', 'Initech SCIM', NR, 'unknown', o(TF.app, 'label')),
      f('app', 'name', 'scim2headerauth', 'scim2headerauth', 'ok', o(TF.app, 'preconfigured_app')),
    ]);
    expect(hintOf(run, 'app.label')).toBe("Okta's answer did not include this field: check it by hand in the Okta admin console");
    expect(run.code).toBe(0);
    expect((await verify('initech', { json: false })).stdout).toMatch(/^ {2}UNKNOWN +okta_app_auto_login\.dynatrace_app +label +Initech SCIM +\(not returned\)$/m);
  });

  it('an answer that is not an object is an unexpected answer (exit 2), not a crash', async () => {
    okta.state.connections[IDS.acme] = ['not', 'an', 'object'] as unknown as Record<string, unknown>;
    const run = await verify('acme', { json: false });
    expect(run.stdout).toContain(`GET /api/v1/apps/${IDS.acme}/connections/default: the answer is not in Okta's documented shape (top level: Invalid input: expected object, received array)`);
    expect(run.code).toBe(2);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('verify: groups are found by exact name (search=profile.name eq "…" and type eq "OKTA_GROUP"), every page', () => {
  const NIGHT_SHIFT = 'Ops "Night" \\ Shift';
  const UMBRELLA = '0oaumbrella000000001';
  const ids = { nightShift: '00gnight000000000001', admins: '00gumbrellaadmins001' };
  let groupsFile: string;

  beforeAll(() => {
    groupsFile = join(harness.dir, 'groups.yaml');
    writeFileSync(
      groupsFile,
      `tenants:
  - name: umbrella
    okta: { orgName: umbrella }
    integration:
      label: Umbrella SCIM
      authMode: header
      scimBaseUrl: ${SCIM_URL}
      scimToken: { env: ACME_DT_SCIM_TOKEN }
      groups:
        - { name: ${JSON.stringify(NIGHT_SHIFT)}, key: night-shift }
        - { name: Dynatrace Admins }
`,
    );
  });

  beforeEach(() => {
    okta.state = {
      ...syncedState(),
      ...oktaAppInSync(UMBRELLA, 'Umbrella SCIM', SCIM_URL),
      appGroups: { [UMBRELLA]: [oktaAppGroup(ids.nightShift, 0), oktaAppGroup(ids.admins, 1)] },
      pushMappings: {},
      groups: [
        // 301 groups sharing the name as a prefix, older than the one verify looks for: `q` returns 300 of them and nothing else.
        ...Array.from({ length: 301 }, (_, i) => oktaGroup(`00gprefix${String(i).padStart(11, '0')}`, `Dynatrace Admins ${String(i).padStart(3, '0')}`)),
        oktaGroup('00gnightold000000001', `${NIGHT_SHIFT} (old)`),
        oktaGroup(ids.admins, 'Dynatrace Admins'),
        oktaGroup(ids.nightShift, NIGHT_SHIFT),
      ],
    };
  });

  const umbrella = () => verify('umbrella', { tenantsFile: groupsFile });
  const groupSearches = () => okta.requests.filter((r) => r.path.startsWith('/api/v1/groups')).map((r) => new URL(r.path, okta.url).searchParams);

  it('escapes quotes and backslashes as JSON, ignores names that merely share a prefix, and never uses q', async () => {
    const run = await umbrella();
    expect(run.findings.filter((x) => x.area === 'assignments')).toEqual([
      f('assignments', 'night-shift.assigned', 'yes', 'yes', 'ok', o('okta_app_group_assignment.dynatrace_assignment_night_shift')),
      f('assignments', 'dynatrace-admins.assigned', 'yes', 'yes', 'ok', o('okta_app_group_assignment.dynatrace_assignment_dynatrace_admins')),
    ]);
    expect(run.code).toBe(0);
    expect(groupSearches().map((params) => [...params.keys()])).toEqual([['search'], ['search']]);
    expect(groupSearches().map((params) => params.get('search'))).toEqual(['profile.name eq "Ops \\"Night\\" \\\\ Shift" and type eq "OKTA_GROUP"', 'profile.name eq "Dynatrace Admins" and type eq "OKTA_GROUP"']);
  });

  it('follows the next links of a search: every group of that name is seen', async () => {
    okta.state.groups.push(oktaGroup('00gadminstwin0000001', 'Dynatrace Admins'), oktaGroup('00gadminstwin0000002', 'Dynatrace Admins'));
    const run = await umbrella();
    expect(run.findings.find((x) => x.field === 'dynatrace-admins.group')).toEqual(
      f('assignments', 'dynatrace-admins.group', 'one Okta group "Dynatrace Admins"', `3 groups: ${ids.admins}, 00gadminstwin0000001, 00gadminstwin0000002`, 'error', o('data.okta_group.dynatrace_group_dynatrace_admins')),
    );
    // Three matches at two per page: the second page came from the Link header.
    expect(groupSearches().filter((params) => params.get('search') === 'profile.name eq "Dynatrace Admins" and type eq "OKTA_GROUP"').map((params) => params.get('after'))).toEqual([null, '2']);
  });

  it('the stand-in behaves like Okta: q stops at 300 prefix matches, unpaged', async () => {
    const response = await fetch(`${okta.url}/api/v1/groups?q=${encodeURIComponent('Dynatrace Admins')}`, { headers: { Authorization: `SSWS ${OKTA_TOKEN}` } });
    const body = (await response.json()) as { profile: { name: string } }[];
    expect(body).toHaveLength(300);
    expect(body.map((g) => g.profile.name)).not.toContain('Dynatrace Admins');
    expect(response.headers.get('link')).toBeNull();
  });
});

describe('verify: a console-step app that does not answer USER_PROVISIONING (globex)', () => {
  const SAML = 'okta_app_saml.dynatrace_app';
  const toApp = (label: string, want: string, actual: string, status: Finding['status'] = 'ok') => f('features', `Provisioning → To App → ${label}`, want, actual, status);
  const globex = (switches: F[]): F[] => [
    f('app', 'label', 'Dynatrace', `Dynatrace (${IDS.globex})`, 'ok', o(SAML, 'label')),
    f('app', 'name', 'scim2testapp', 'scim2testapp', 'ok', o(SAML, 'preconfigured_app')),
    f('app', 'status', 'ACTIVE', 'ACTIVE', 'ok', o(SAML, 'status')),
    f('app', 'signOnMode', 'SAML_2_0', 'SAML_2_0', 'ok', o(SAML)),
    f('app', 'userNameTemplate', '${source.email}', '${source.email}', 'ok', o(SAML, 'user_name_template')),
    f('app', 'userNameTemplateType', 'BUILT_IN', 'BUILT_IN', 'ok', o(SAML, 'user_name_template_type')),
    f('features', 'provisioning', 'on (provisioning.enabled: true declares the console step done)', 'on'),
    ...switches,
    f('assignments', 'observability-team.assigned', 'yes', 'yes', 'ok', o('okta_app_group_assignment.dynatrace_assignment_observability_team')),
    f('push', 'observability-team.mapping', 'ACTIVE', 'ACTIVE', 'ok', o('okta_push_group.dynatrace_push_observability_team', 'status')),
    ...MAPPED,
    CREDENTIAL_OK,
  ];
  const fromFeatures = [toApp('Create Users', 'on', 'on'), toApp('Update User Attributes', 'off', 'off'), toApp('Deactivate Users', 'on', 'on'), toApp('Sync Password', 'off', 'off')];

  it('does not read the connection (said once); provisioning and the "To App" switches come from the app\'s features list', async () => {
    const run = await verify('globex');
    expect(run.findings).toEqual(globex(fromFeatures));
    expect(run.code).toBe(0);
    expect(okta.requests.some((r) => r.path.includes('/connections/'))).toBe(false);
    expect(run.report.tenants[0]!.notes).toEqual([expect.stringMatching(/^the provisioning connection \(base URL, token\) is set in the console step and not read: Okta's API answers UNKNOWN for these apps\. The Dynatrace SCIM probe proves the token instead/), PROFILE_MAPPING_NOTE]);
    expect(run.report.tenants[0]!.stage).toEqual({ declared: 2, live: 'pushed', next: 'nothing: every stage is in place' });
    const human = await verify('globex', { json: false });
    expect(human.stdout).toMatch(/^ {2}ok +features +Provisioning → To App → Update User Attributes +off +off$/m);
    expect(human.stdout).toMatch(/^ {2}note: the provisioning connection \(base URL, token\) is set in the console step and not read/m);
    expect(human.stdout).toContain('in sync (16 ok)');
  });

  it('a switch ticked by hand against the tenants file: drift, with the console step\'s line as the fix', async () => {
    okta.state.apps = okta.state.apps.map((a) => (a.id === IDS.globex ? { ...a, features: toAppFeatures(true, true) } : a));
    const run = await verify('globex');
    expect(run.findings.find((x) => x.field === 'Provisioning → To App → Update User Attributes')).toEqual(toApp('Update User Attributes', 'off', 'on', 'drift'));
    expect(hintOf(run, 'features.Provisioning → To App → Update User Attributes')).toBe(
      'fix it in the Okta admin console: Provisioning → To App → Edit: [x] Create Users, [ ] Update User Attributes, [x] Deactivate Users, [ ] Sync Password → Save.',
    );
    expect(run.code).toBe(1);
  });

  it('an answer without the features list leaves the switches to check by hand: exit 0 with a warning, 2 with strict', async () => {
    okta.state.apps = okta.state.apps.map(({ features: _features, ...a }) => (a.id === IDS.globex ? a : { ...a, features: _features }));
    const unread = [toApp('Create Users', 'on', 'not readable', 'unknown'), toApp('Update User Attributes', 'off', 'not readable', 'unknown'), toApp('Deactivate Users', 'on', 'not readable', 'unknown'), toApp('Sync Password', 'off', 'not readable', 'unknown')];
    const run = await verify('globex');
    // The push mapping shows provisioning on: Okta refuses push mappings while it is off.
    expect(run.findings).toEqual(globex(unread));
    expect(run.code).toBe(0);
    expect(run.report.tenants[0]!.stage).toEqual({ declared: 2, live: 'pushed', next: 'nothing to apply; check the UNKNOWN fields by hand as their hints say' });
    const human = await verify('globex', { json: false });
    expect(human.stdout).toContain('warning: 4 fields to check by hand (UNKNOWN: not readable through the public APIs, or left out of the answer), as the hints say (--strict makes this exit 2)');
    const strict = await verify('globex', { strict: true });
    expect(strict.code).toBe(2);
    expect(strict.report.result).toBe('could-not-check');
  });

  it('a private-key tenant without its private key says which variable to set (exit 2)', async () => {
    const run = await verify('globex', {}, { GLOBEX_OKTA_PRIVATE_KEY: undefined });
    expect(run.findings).toEqual([
      f('okta', 'credentials', 'the private key of Okta service app 0oa9z8y7x6w5v4u3t2s1 in the environment', 'no private key for Okta service app 0oa9z8y7x6w5v4u3t2s1: $GLOBEX_OKTA_PRIVATE_KEY (or OKTA_API_PRIVATE_KEY) is not set', 'error'),
      CREDENTIAL_OK,
    ]);
    expect(hintOf(run, 'okta.credentials')).toBe("export GLOBEX_OKTA_PRIVATE_KEY with the app's private key (PEM or JWK; Okta API Services app → General → Public Keys)");
    expect(run.code).toBe(2);
  });
});

describe('verify: the profile mapping of what Dynatrace requires (name.givenName, name.familyName)', () => {
  const mappingOf = (app: string, name: string, properties: Record<string, Record<string, unknown> | null>, userType?: { id: string; name: string }) =>
    oktaProfileMapping(`prm${app}`, app, name, properties, userType);
  const profileFindings = (run: Run) => run.findings.filter((x) => x.area === 'profileMapping');

  it('reads the Okta User → app mapping by the app, then the mapping itself (GET only)', async () => {
    const run = await verify('acme');
    expect(profileFindings(run)).toEqual(MAPPED);
    const reads = okta.requests.filter((r) => r.path.startsWith('/api/v1/mappings')).map((r) => r.path);
    expect(reads).toEqual([`/api/v1/mappings?targetId=${IDS.acme}`, `/api/v1/mappings/prm${IDS.acme}`]);
  });

  it('a changed or removed mapping is drift, with where to restore it', async () => {
    okta.state.profileMappings = { [IDS.acme]: [mappingOf(IDS.acme, 'scim2headerauth', { givenName: { expression: 'user.nickName', pushStatus: 'PUSH' }, familyName: null })] };
    const run = await verify('acme');
    expect(profileFindings(run)).toEqual([
      f('profileMapping', 'name.givenName', 'user.firstName', 'user.nickName', 'drift'),
      f('profileMapping', 'name.familyName', 'user.lastName', 'not mapped (familyName)', 'drift'),
    ]);
    expect(hintOf(run, 'profileMapping.name.givenName')).toBe(
      'Dynatrace takes name.givenName from the app\'s givenName: restore Okta\'s default in the admin console, Directory → Profile Editor → "Dynatrace SCIM" → Mappings → Okta User to "Dynatrace SCIM": givenName ← user.firstName, familyName ← user.lastName, applied on create and update; Dynatrace now receives name.givenName from another expression',
    );
    expect(hintOf(run, 'profileMapping.name.familyName')).toMatch(/; until then users reach Dynatrace without name\.familyName$/);
    expect(run.code).toBe(1);
  });

  it('a mapping applied on create only is drift where Update User Attributes is on, and fine where it is off', async () => {
    const createOnly = { givenName: { expression: 'user.firstName', pushStatus: 'DONT_PUSH' } };
    okta.state.profileMappings = { [IDS.acme]: [mappingOf(IDS.acme, 'scim2headerauth', createOnly)], [IDS.globex]: [mappingOf(IDS.globex, 'scim2testapp', createOnly)] };
    expect(profileFindings(await verify('acme'))[0]).toEqual(f('profileMapping', 'name.givenName', 'user.firstName, on create and update', 'user.firstName, on create only (DONT_PUSH)', 'drift'));
    // globex turns Update User Attributes off: names are sent on create only anyway.
    expect(profileFindings(await verify('globex'))).toEqual(MAPPED);
  });

  it('each user type mapped to the app is checked, named by the user type', async () => {
    okta.state.profileMappings = {
      [IDS.acme]: [mappingOf(IDS.acme, 'scim2headerauth', {}), oktaProfileMapping('prmcontractor0000001', IDS.acme, 'scim2headerauth', { familyName: { expression: 'user.lastName + " (ext)"', pushStatus: 'PUSH' } }, { id: 'otycontractor0000001', name: 'contractor' })],
    };
    expect(profileFindings(await verify('acme'))).toEqual([
      f('profileMapping', 'user: name.givenName', 'user.firstName', 'user.firstName'),
      f('profileMapping', 'user: name.familyName', 'user.lastName', 'user.lastName'),
      f('profileMapping', 'contractor: name.givenName', 'user.firstName', 'user.firstName'),
      f('profileMapping', 'contractor: name.familyName', 'user.lastName', 'user.lastName + " (ext)"', 'drift'),
    ]);
  });

  it.each([
    ['an API token (SSWS) whose admin cannot read mappings', 'acme'],
    ['a service app token without okta.profileMappings.read', 'globex'],
  ])('403 for %s: "not readable" with the scope or role to grant, never an abort', async (_name, tenant) => {
    okta.state.profileMappingRefusal = 403;
    const run = await verify(tenant);
    expect(profileFindings(run)).toEqual([
      f('profileMapping', 'mappings', 'readable', `not readable: GET /api/v1/mappings?targetId=${tenant === 'acme' ? IDS.acme : IDS.globex}: 403 E0000006 You do not have permission to perform the requested action`, 'unknown'),
    ]);
    expect(hintOf(run, 'profileMapping.mappings')).toMatch(
      /^grant read access to profile mappings — an API service app: the scope okta\.profileMappings\.read \(Applications → the service app → Okta API Scopes\), in the access token verify uses; an API token: its admin needs a role that can read profile mappings/,
    );
    expect(run.report.tenants[0]!.notes).not.toContain(PROFILE_MAPPING_NOTE);
    expect(run.code).toBe(0);
    expect((await verify(tenant, { strict: true })).code).toBe(2);
  });
});

describe('verify: the Dynatrace SCIM credential', () => {
  it('header-auth token source without the Bearer prefix (the classic mistake) is reported clearly', async () => {
    const run = await verify('acme', {}, { ACME_DT_SCIM_TOKEN: TEST_TOKEN });
    expect(run.findings).toEqual([
      ...acmeInSync(),
      f('credential', 'token source format', 'Bearer <token> in the Header Auth app', '$ACME_DT_SCIM_TOKEN holds a raw token (no "Bearer " prefix); sent verbatim it gets 401'),
    ]);
    expect(run.report.tenants[0]!.warnings).toEqual([RAW_TOKEN_WARNING]);
    expect(run.code).toBe(0);
    // The normalised value was accepted, the raw one (as a hand-configured app would send it) was not.
    expect(scim.requests.map((r) => [r.accepted, r.authorizationStartsWithBearer])).toEqual([[true, true], [false, false]]);
    const human = await verify('acme', { json: false }, { ACME_DT_SCIM_TOKEN: TEST_TOKEN });
    expect(human.stdout).toContain(`warning: ${RAW_TOKEN_WARNING}`);
  });

  it('for a console-step header-auth tenant the same mistake is unknown: Okta never returns the token', async () => {
    const run = await verify('initech', {}, { INITECH_DT_SCIM_TOKEN: TEST_TOKEN });
    expect(run.findings).toEqual([
      f('app', 'id', IDS.initech, IDS.initech, 'ok', o(TF.app, 'import.id')),
      f('app', 'label', 'Initech SCIM', 'Initech SCIM', 'ok', o(TF.app, 'label')),
      f('app', 'name', 'scim2headerauth', 'scim2headerauth', 'ok', o(TF.app, 'preconfigured_app')),
      f('app', 'status', 'ACTIVE', 'ACTIVE', 'ok', o(TF.app, 'status')),
      f('app', 'signOnMode', 'AUTO_LOGIN', 'AUTO_LOGIN', 'ok', o(TF.app)),
      f('app', 'userNameTemplate', '${source.email}', '${source.email}', 'ok', o(TF.app, 'user_name_template')),
      f('app', 'userNameTemplateType', 'BUILT_IN', 'BUILT_IN', 'ok', o(TF.app, 'user_name_template_type')),
      // Console path: provisioning and the switches are the console step's, in its words.
      f('features', 'provisioning', 'on (provisioning.enabled: true declares the console step done)', 'on'),
      f('features', 'Provisioning → To App → Create Users', 'on', 'on'),
      f('features', 'Provisioning → To App → Update User Attributes', 'on', 'on'),
      f('features', 'Provisioning → To App → Deactivate Users', 'on', 'on'),
      f('features', 'Provisioning → To App → Sync Password', 'off', 'off'),
      ...MAPPED,
      CREDENTIAL_OK,
      f('credential', 'token source format', 'Bearer <token> in the Header Auth app', '$INITECH_DT_SCIM_TOKEN holds a raw token (no "Bearer " prefix); sent verbatim it gets 401', 'unknown'),
    ]);
    expect(hintOf(run, 'credential.token source format')).toContain('make sure the app\'s API Token field holds "Bearer " followed by the token');
    expect(run.code).toBe(0);
    expect((await verify('initech', { strict: true }, { INITECH_DT_SCIM_TOKEN: TEST_TOKEN })).code).toBe(2);
  });

  it('a wrong token → 401 reported as credential rejected, exit 2', async () => {
    const run = await verify('acme', {}, { ACME_DT_SCIM_TOKEN: `Bearer ${WRONG_TOKEN}` });
    expect(run.findings).toEqual(replace(acmeInSync(), 'credential.scim token accepted', f('credential', 'scim token accepted', '200 ListResponse from GET /Users?count=1', '401: credential rejected', 'error')));
    expect(hintOf(run, 'credential.scim token accepted')).toContain('Dynatrace does not accept the token in $ACME_DT_SCIM_TOKEN');
    expect(run.code).toBe(2);
    const human = await verify('acme', { json: false }, { ACME_DT_SCIM_TOKEN: `Bearer ${WRONG_TOKEN}` });
    expect(human.stdout).toMatch(/^ {2}ERROR +credential +scim token accepted +200 ListResponse from GET \/Users\?count=1 +401: credential rejected$/m);
    expect(human.stdout).toContain('  could not check (23 ok, 1 error)');
  });

  it('a doubled "Bearer Bearer" value is not sent at all', async () => {
    const run = await verify('acme', {}, { ACME_DT_SCIM_TOKEN: `Bearer Bearer ${TEST_TOKEN}` });
    expect(run.findings.at(-1)).toEqual(f('credential', 'scim token accepted', '200 ListResponse from GET /Users?count=1', 'not sent: in $ACME_DT_SCIM_TOKEN, the token starts with "Bearer Bearer"', 'error'));
    expect(scim.requests).toEqual([]);
    expect(run.code).toBe(2);
  });

  it('a token kept only in Pulumi config cannot be checked: exit 2 with a hint', async () => {
    const run = await verify('acme-pulumi');
    expect(run.findings).toEqual(
      replace(acmeInSync(), 'credential.scim token accepted', f('credential', 'scim token accepted', 'the SCIM token in the environment', 'could not check: the SCIM token source names only a Pulumi secret (dynatraceScimToken); verify reads environment variables', 'error')),
    );
    expect(hintOf(run, 'credential.scim token accepted')).toContain('pulumi config get dynatraceScimToken');
    expect(run.code).toBe(2);
  });
});

describe('verify: rate limits, outages, bad credentials', () => {
  it('429 then success: waits until X-Rate-Limit-Reset and carries on', async () => {
    okta.rateLimits.set(`/api/v1/apps/${IDS.acme}/groups`, 1);
    const run = await verify('acme');
    expect(run.findings).toEqual(acmeInSync());
    expect(run.code).toBe(0);
    expect(harness.sleeps).toEqual([2000]);
    expect(okta.requests.filter((r) => r.path === `/api/v1/apps/${IDS.acme}/groups`).map((r) => r.status)).toEqual([429, 200]);
  });

  it('rate limit not lifted within the attempts → could not check, exit 2', async () => {
    okta.rateLimits.set(`/api/v1/apps/${IDS.acme}/groups`, 10);
    const run = await verify('acme', { retry: { maxAttempts: 3, clock: { now: () => NOW, sleep: async (ms) => void harness.sleeps.push(ms) } } });
    expect(harness.sleeps).toEqual([2000, 2000]);
    expect(run.findings.filter((x) => x.status !== 'ok')).toEqual([f('okta', 'api', 'readable', `GET /api/v1/apps/${IDS.acme}/groups: 429 after 3 attempts (rate limit not lifted)`, 'error')]);
    expect(run.code).toBe(2);
  });

  it('a reset further away than the wait cap gives up at once', async () => {
    okta.rateLimits.set(`/api/v1/apps/${IDS.acme}/groups`, 1);
    okta.resetAt = () => NOW / 1000 + 600;
    const run = await verify('acme', { retry: { maxWaitMs: 30_000, clock: { now: () => NOW, sleep: async (ms) => void harness.sleeps.push(ms) } } });
    expect(harness.sleeps).toEqual([]);
    expect(run.findings.find((x) => x.status === 'error')?.actual).toBe(`GET /api/v1/apps/${IDS.acme}/groups: 429; the server asks to wait 600 s, longer than the 30 s cap`);
    expect(run.code).toBe(2);
  });

  it('server down (closed port) → "could not check", exit 2', async () => {
    const closed = await closedPort();
    const run = await verify('acme', { json: false, oktaBaseUrl: `http://127.0.0.1:${closed}`, scimBaseUrl: `http://127.0.0.1:${closed}/scim/v2` });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^ {2}ERROR +okta +api +readable +GET \/api\/v1\/apps\?q=Dynatrace%20SCIM&includeNonDeleted=true: cannot conn…$/m);
    expect(run.stdout).toContain('→ okta.api: GET /api/v1/apps?q=Dynatrace%20SCIM&includeNonDeleted=true: cannot connect (ECONNREFUSED) — check the org URL');
    expect(run.stdout).toContain('  stage: declared 2, live unknown (Okta did not show it) → next: read the findings first: the live stage could not be told');
    expect(run.stdout).toMatch(/^ {2}ERROR +credential +scim token accepted .* GET \/Users\?count=1: cannot connect \(ECONNREFUSED\)$/m);
    expect(run.stdout).toContain('verify: 1 tenant checked, 1 could not be fully checked → could not check (exit 2)');
  });

  it('a server that never answers times out', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const run = await verify('acme', { timeoutMs: 200, oktaBaseUrl: `http://127.0.0.1:${port}` });
      expect(run.findings[0]).toEqual(f('okta', 'api', 'readable', 'GET /api/v1/apps?q=Dynatrace%20SCIM&includeNonDeleted=true: no answer within 200 ms (timeout)', 'error'));
      expect(run.code).toBe(2);
    } finally {
      await closeServer(silent);
    }
  });

  it('an Okta token that is rejected → auth error, the SCIM probe still runs, exit 2', async () => {
    const run = await verify('acme', {}, { ACME_OKTA_API_TOKEN: WRONG_TOKEN });
    expect(run.findings).toEqual([f('okta', 'api', 'readable', 'GET /api/v1/apps?q=Dynatrace%20SCIM&includeNonDeleted=true: 401 E0000011 Invalid token provided', 'error'), CREDENTIAL_OK]);
    expect(hintOf(run, 'okta.api')).toBe('Okta did not accept the API token in $ACME_OKTA_API_TOKEN (invalid, revoked, or expired: tokens expire after 30 days unused): create one as a read-only admin and store it there');
    expect(run.code).toBe(2);
  });

  it('drift wins over could-not-check in the exit code', async () => {
    okta.state.apps[0] = { ...okta.state.apps[0]!, status: 'INACTIVE' };
    const run = await verify('acme', {}, { ACME_DT_SCIM_TOKEN: `Bearer ${WRONG_TOKEN}` });
    expect(run.code).toBe(1);
  });
});

describe('verify: usage, cold start, secrets', () => {
  it('usage and configuration errors exit 64', async () => {
    const unknown = await verify('nope');
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('no tenant named "nope"');
    expect(JSON.parse(unknown.stdout)).toMatchObject({ result: 'usage-error', exitCode: 64 });
    const missing = new Capture();
    expect(await runVerify({ tenantsFile: join(harness.dir, 'missing.yaml'), json: false, env: {}, stdout: new Capture(), stderr: missing })).toBe(64);
    expect(missing.text).toContain('cannot read the tenants file');
    expect(await runVerify({ tenantsFile: harness.tenantsFile, json: false, timeoutMs: 0, env: {}, stdout: new Capture(), stderr: new Capture() })).toBe(64);
    harness.outputs.push(missing.text);
  });

  it('checks every tenant when none is named', async () => {
    const run = await verify(undefined);
    expect(run.report.tenants.map((t) => [t.tenant, t.result])).toEqual([
      ['acme', 'in-sync'],
      ['globex', 'in-sync'],
      ['initech', 'in-sync'],
      ['acme-pulumi', 'could-not-check'],
    ]);
    expect(run.code).toBe(2);
  });

  it('checks exactly the tenants named, in file order, when --tenant is repeated', async () => {
    const run = await verify(['initech', 'acme']);
    expect(run.report.tenants.map((t) => t.tenant)).toEqual(['acme', 'initech']);
    expect(run.code).toBe(0);
    const parsed: unknown[] = [];
    const spy = jest.spyOn(verifyModule, 'runVerify').mockImplementation(async (options) => (parsed.push(options.tenant), 0));
    try {
      await buildProgram({ stdout: new Capture(), stderr: new Capture(), env: {} }, () => undefined).parseAsync(['verify', '--tenant', 'initech', '--tenant', 'acme'], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    expect(parsed).toEqual([['initech', 'acme']]);
  });

  it('parses Link headers and computes waits', () => {
    expect(nextLink('<https://o.okta.com/api/v1/apps?limit=2>; rel="self", <https://o.okta.com/api/v1/apps?after=x&limit=2>; rel="next"')).toBe('https://o.okta.com/api/v1/apps?after=x&limit=2');
    expect(nextLink('<https://o.okta.com/api/v1/apps>; rel="self"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
    const res = (status: number, headers: Record<string, string>) => new Response(null, { status, headers });
    expect(retryDelay(res(429, { 'X-Rate-Limit-Reset': String(NOW / 1000 + 5) }), 1, NOW)).toBe(5000);
    expect(retryDelay(res(429, { 'X-Rate-Limit-Reset': String(NOW / 1000 - 5) }), 1, NOW)).toBe(250);
    expect(retryDelay(res(503, { 'Retry-After': '3' }), 1, NOW)).toBe(3000);
    expect(retryDelay(res(503, {}), 3, NOW)).toBe(4000);
  });

  it('loads neither cdktf nor @pulumi/* (cold start)', () => {
    const script = [
      "require('./cli/commands/verify.ts');",
      'const heavy = Object.keys(require.cache).filter((k) => /node_modules[\\\\/](cdktf|@cdktf|@pulumi|constructs|@okta|jose)[\\\\/]/.test(k));',
      'process.stdout.write(JSON.stringify(heavy));',
    ].join('\n');
    const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: join(__dirname, '..'), encoding: 'utf8', timeout: 20_000 });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it('never prints a token value (stdout, stderr, JSON of every run in this file)', async () => {
    // One more run in each format with every secret in play, including a 401 body that echoes the header.
    await verify(undefined, { json: false }, { ACME_DT_SCIM_TOKEN: WRONG_TOKEN });
    await verify(undefined, {}, { ACME_DT_SCIM_TOKEN: WRONG_TOKEN, ACME_OKTA_API_TOKEN: WRONG_TOKEN });
    expect(harness.outputs.length).toBeGreaterThan(30);
    const signIn = [...okta.oauth!.issued, ...okta.oauth!.received];
    expect(signIn.length).toBeGreaterThan(10);
    for (const output of harness.outputs) {
      for (const secret of [...SECRETS, ...signIn]) expect(output).not.toContain(secret);
      expect(output).not.toMatch(JWT_SHAPED);
    }
    expect(harness.outputs.join('')).not.toContain('[redacted]');
  });
});

describe('docs/verify.md matches the command', () => {
  const doc = readFileSync(join(__dirname, '..', 'docs', 'verify.md'), 'utf8');
  const verifyCommand = () => buildProgram({ stdout: new Capture(), stderr: new Capture(), env: {} }, () => undefined).commands.find((c) => c.name() === 'verify')!;

  it('shows every option of verify, and no option verify does not have', () => {
    const options = verifyCommand().options.map((o) => o.long!);
    expect(options).toEqual(['--tenants', '--tenant', '--json', '--timeout', '--strict', '--engine']);
    // On verify's command lines, and in inline code (other tools' flags, e.g. npm ci --no-audit, do not count).
    const commandLines = [...doc.matchAll(/okta-dynatrace-scim verify(.*)$/gm)].map((m) => m[1]!);
    const inlineCode = [...doc.matchAll(/`(--[a-z][a-z-]*)[^`]*`/g)].map((m) => m[1]!);
    const mentioned = new Set([...commandLines.flatMap((line) => line.match(/--[a-z][a-z-]*/g) ?? []), ...inlineCode]);
    for (const option of options) expect(mentioned).toContain(option);
    for (const flag of mentioned) expect([...options, '--debug', '--help']).toContain(flag);
  });

  it("lists as the CLI's options exactly those the CLI passes to runVerify", async () => {
    const passed: string[] = [];
    const spy = jest.spyOn(verifyModule, 'runVerify').mockImplementation(async (options) => (passed.push(...Object.keys(options)), 0));
    try {
      await buildProgram({ stdout: new Capture(), stderr: new Capture(), env: {} }, () => undefined).parseAsync(['verify', '--tenant', 'acme', '--json', '--timeout', '5000', '--strict', '--engine', 'pulumi'], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    const plumbing = ['tenantsFile', 'env', 'stdout', 'stderr'];
    const listed = /Besides the CLI's options \(([^)]*)\)/.exec(doc)?.[1]?.match(/`(\w+)`/g)?.map((name) => name.slice(1, -1));
    expect(listed?.sort()).toEqual(passed.filter((key) => !plumbing.includes(key)).sort());
  });
});

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await closeServer(server);
  return port;
}
