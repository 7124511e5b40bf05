/**
 * `discover`, closed loop, against a loopback Okta org (test/support/okta-fake.ts): discover → the tenants
 * file → synth in both engines → every attribute the stacks set compared with what the provider reads back
 * when it imports the fake's objects (test/support/adoption.ts) → `verify` on the adopted tenant against the
 * same org. Adoption is exact when the only differences are the removal guards the provider does not read
 * back on import (README, "Guards, stable addresses, adoption").
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { TenantStack } from '../constructs/cdktf/tenant-stack';
import { runOffline } from '../constructs/pulumi/offline';
import { tenantProgram } from '../constructs/pulumi/tenant-program';
import { conventionalSecretNames } from '../constructs/model/secret-names';
import { loadTenants } from '../constructs/tenants/file';
import { type DiscoverCommandOptions, runDiscover } from '../cli/commands/discover';
import { runVerify } from '../cli/commands/verify';
import { run } from '../cli/main';
import { EXIT } from '../operations/exit-codes';
import { type AdoptionCheck, pulumiAdoption, terraformAdoption } from './support/adoption';
import { OktaFakeOrg, startOktaFake, type OktaFake } from './support/okta-fake';
import { serviceApp, serviceAppKey } from './support/service-app';
import type { TerraformJson } from './support/render';
import { startDynatraceIamStub, type DynatraceIamStub } from './support/dynatrace-iam-stub';
import { startScimServer, type ScimServer } from './support/scim-server';
import { SCIM_URL, TEST_TOKEN } from './support/specs';
import { Capture } from './support/verify-harness';

const OKTA_TOKEN = '00discover-okta-token-must-never-leak-4f2a9';
/** An API service app that signs in with a private key and DPoP (the default for apps created since 2024). */
const SERVICE_APP = '0oa9discoverapp00001';
const SERVICE_KEY = serviceAppKey('ec', 'kid-discover');
const ACCOUNT = '6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10';

/**
 * The org: three Dynatrace integrations made by hand, and apps that are not Dynatrace's.
 * - a Header Auth test app, 23 groups assigned (two pages at Okta's default of 20), Admins pushed to a
 *   differently named group, Viewers pushed under its own name, the rest assigned but not pushed;
 * - an INACTIVE OAuth Bearer test app signing on with SAML, a custom (non-e-mail) username expression,
 *   Deactivate Users off, one group pushed;
 * - the Dynatrace SSO app (App Integration Wizard SAML app pointing at sso.dynatrace.com), two groups, one pushed.
 */
function orgWithIntegrations() {
  const org = new OktaFakeOrg();
  org.addSamlApp({ label: 'Salesforce SSO', signOn: { ssoAcsUrl: 'https://login.salesforce.com/saml', audience: 'https://saml.salesforce.com' } });
  org.addTestApp({ oinName: 'salesforce', label: 'Salesforce', signOnMode: 'SAML_2_0' });
  const header = org.addTestApp({ oinName: 'scim2headerauth', label: 'Dynatrace SCIM', provisioning: {} });
  const admins = org.addGroup('Dynatrace Admins');
  const viewers = org.addGroup('Dynatrace Viewers');
  const auditors = org.addGroup('Auditors');
  org.assign(header, admins, 0);
  org.assign(header, viewers, 1);
  org.assign(header, auditors, 2);
  for (let i = 1; i <= 20; i++) org.assign(header, org.addGroup(`Team ${String(i).padStart(2, '0')}`), 2 + i);
  const adminsPush = org.push(header, admins, { targetName: 'DT Admins' });
  const viewersPush = org.push(header, viewers);
  // Okta has the pushed groups twice by name now: the source (OKTA_GROUP) and the target in the app (APP_GROUP).

  const legacy = org.addTestApp({
    oinName: 'scim2testapp',
    label: 'Dynatrace (legacy)',
    signOnMode: 'SAML_2_0',
    status: 'INACTIVE',
    username: { template: '${String.toLowerCase(source.login)}', type: 'CUSTOM' },
    provisioning: { deactivateUsers: false },
  });
  const ops = org.addGroup('Ops');
  org.assign(legacy, ops, 0);
  org.push(legacy, ops);

  const sso = org.addSamlApp({ label: 'Dynatrace SSO', provisioning: {} });
  const users = org.addGroup('Dynatrace Users');
  const guests = org.addGroup('Dynatrace Guests');
  org.assign(sso, users, 0);
  org.assign(sso, guests, 1);
  org.push(sso, users);
  return { org, header, legacy, sso, admins, viewers, auditors, adminsPush, viewersPush };
}

/** The repository's example tenants file: comments, blank lines, three tenants. */
const EXAMPLE = readFileSync(join(__dirname, '..', 'tenants.yaml'), 'utf8');

describe('discover', () => {
  let fake: OktaFake;
  let scim: ScimServer;
  let dir: string;
  const outputs: string[] = [];

  beforeAll(async () => {
    fake = await startOktaFake({ apiToken: OKTA_TOKEN, oauth: { clients: { [SERVICE_APP]: serviceApp(SERVICE_KEY, { kid: 'kid-discover' }) } } });
    scim = await startScimServer(TEST_TOKEN, ACCOUNT);
    dir = mkdtempSync(join(tmpdir(), 'discover-'));
  });
  afterAll(async () => {
    await fake.close();
    await scim.close();
    rmSync(dir, { recursive: true, force: true });
    // No secret in any output of any run: tokens, the private key, what the sign-in made with it.
    const secrets = [OKTA_TOKEN, TEST_TOKEN, ...SERVICE_KEY.secrets, ...fake.oauth!.issued];
    for (const output of outputs) for (const secret of secrets) expect(output).not.toContain(secret);
  });

  let file: string;
  let ids: ReturnType<typeof orgWithIntegrations>;
  beforeEach(() => {
    ids = orgWithIntegrations();
    fake.reset(ids.org);
    file = join(dir, `tenants-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, EXAMPLE);
  });

  async function discover(options: Partial<DiscoverCommandOptions>, env: NodeJS.ProcessEnv = { HOOLI_OKTA_API_TOKEN: OKTA_TOKEN }) {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await runDiscover(
      { orgName: 'hooli', tenantsFile: file, json: false, scimBaseUrl: SCIM_URL, oktaBaseUrl: fake.url, retry: { clock: { now: () => Date.now(), sleep: async () => undefined } }, ...options },
      { stdout, stderr, env },
    );
    outputs.push(stdout.text, stderr.text, readFileSync(file, 'utf8'));
    return { code, out: stdout.text, err: stderr.text };
  }

  async function verify(tenant: string, more: { env?: NodeJS.ProcessEnv; iam?: DynatraceIamStub } = {}) {
    const stdout = new Capture();
    const code = await runVerify({
      tenantsFile: file,
      tenant,
      json: true,
      oktaBaseUrl: fake.url,
      scimBaseUrl: scim.baseUrl,
      ...(more.iam ? { dynatraceApiUrl: more.iam.url, dynatraceTokenUrl: more.iam.tokenUrl } : {}),
      // The names discover wrote into the entry (the README's convention).
      env: { [conventionalSecretNames(tenant).oktaApiToken.env]: OKTA_TOKEN, [conventionalSecretNames(tenant).scimToken.env]: TEST_TOKEN, ...more.env },
      stdout,
      stderr: new Capture(),
      timeoutMs: 2000,
    });
    outputs.push(stdout.text);
    return { code, report: JSON.parse(stdout.text) as { result: string; tenants: { findings: { area: string; field: string; status: string; actual?: string }[]; stage: { live: string } }[] } };
  }

  function adoptedTenant(name: string) {
    const tenant = loadTenants(file).find((t) => t.name === name);
    if (!tenant) throw new Error(`tenant ${name} not written`);
    return tenant;
  }

  /** Both engines' stacks for the adopted tenant, checked against the org. */
  async function adoption(name: string): Promise<{ terraform: AdoptionCheck; pulumi: AdoptionCheck }> {
    const tenant = adoptedTenant(name);
    const json = JSON.parse(Testing.synth(new TenantStack(Testing.app(), tenant))) as TerraformJson;
    const run = await runOffline(() => [tenantProgram(tenant)], name);
    return { terraform: terraformAdoption(json, fake.org), pulumi: pulumiAdoption(run, fake.org) };
  }

  /** The removal guards, which the provider does not read back on import: the only expected differences. */
  function guards(object: (kind: 'assignment' | 'push', key: string) => string, assigned: readonly string[], pushed: readonly string[]) {
    return [
      ...assigned.map((key) => ({ object: object('assignment', key), attribute: 'retain_assignment', configured: true, imported: false })),
      ...pushed.map((key) => ({ object: object('push', key), attribute: 'delete_target_group_on_destroy', configured: false })),
    ].sort((a, b) => a.object.localeCompare(b.object) || a.attribute.localeCompare(b.attribute));
  }
  const sorted = (check: AdoptionCheck) => [...check.differences].sort((a, b) => a.object.localeCompare(b.object) || a.attribute.localeCompare(b.attribute));
  const tf = (kind: 'assignment' | 'push', key: string) => `${kind === 'push' ? 'okta_push_group' : 'okta_app_group_assignment'}.dynatrace_${kind}_${key.replace(/-/g, '_')}`;
  const pu = (tenant: string) => (kind: 'assignment' | 'push', key: string) => `${kind === 'push' ? 'okta:index/pushGroup:PushGroup' : 'okta:app/groupAssignment:GroupAssignment'} ${tenant}-${kind}-${key}`;

  it('lists every Dynatrace integration of the org and asks for --app when there are several (exit 64)', async () => {
    const result = await discover({});
    expect(result.code).toBe(EXIT.usage);
    expect(result.out).toContain('3 Dynatrace integrations in hooli.okta.com:');
    expect(result.out).toContain(`${ids.header}  "Dynatrace SCIM"  ACTIVE  OIN app scim2headerauth (SCIM 2.0 Test App (Header Auth)), AUTO_LOGIN · 23 groups assigned, 2 pushed, provisioning on`);
    expect(result.out).toContain(`${ids.legacy}  "Dynatrace (legacy)"  INACTIVE  OIN app scim2testapp (SCIM 2.0 Test App (OAuth Bearer Token)), SAML_2_0 · 1 group assigned, 1 pushed, provisioning on`);
    expect(result.out).toContain(`${ids.sso}  "Dynatrace SSO"  ACTIVE  SAML app whose ssoAcsUrl is https://sso.dynatrace.com:443/saml2/sp/consumer (Dynatrace SSO), SAML_2_0 · 2 groups assigned, 1 pushed, provisioning on`);
    expect(result.out).not.toContain('Salesforce');
    expect(result.out).toContain('Pick the one to adopt with --app <id>.');
    expect(readFileSync(file, 'utf8')).toBe(EXAMPLE);
    // The INACTIVE app is only listed because discover asks for non-active apps too.
    expect(fake.requests.some((r) => r.path.startsWith('/api/v1/apps?') && r.path.includes('includeNonDeleted=true'))).toBe(true);
  });

  describe('the Header Auth test app: 23 groups over two pages, a renamed push target, a group assigned but not pushed', () => {
    it('writes the entry in the model\'s terms, appended without touching a byte of the rest of the file', async () => {
      const result = await discover({ app: ids.header });
      expect(result.code).toBe(EXIT.ok);
      const text = readFileSync(file, 'utf8');
      expect(text.startsWith(EXAMPLE)).toBe(true);
      const tenant = adoptedTenant('hooli');
      expect(tenant.okta).toEqual({ orgName: 'hooli', baseDomain: 'okta.com', credentials: { type: 'apiToken', token: { env: 'HOOLI_OKTA_API_TOKEN' } } });
      const spec = tenant.integration;
      expect(spec.app).toEqual({ type: 'catalog', authMode: 'header', signOn: 'autoLogin', label: 'Dynatrace SCIM', oinAppName: 'scim2headerauth', status: 'ACTIVE', existingAppId: ids.header, username: { template: '${source.email}', type: 'BUILT_IN' } });
      expect(spec.scimToken).toEqual({ env: 'HOOLI_DT_SCIM_TOKEN', pulumiConfig: 'dynatraceScimToken' });
      expect(spec.provisioning).toEqual({ setup: 'console', enabled: true, createUsers: true, updateUserAttributes: true, deactivateUsers: true, syncPassword: false });
      expect(spec.groups).toHaveLength(23);
      expect(spec.groups.slice(0, 3)).toEqual([
        { key: 'dynatrace-admins', source: { kind: 'id', id: ids.admins }, name: 'Dynatrace Admins', priority: 0, pushAs: 'DT Admins', pushTargetId: ids.adminsPush.targetGroupId, existingPushId: ids.adminsPush.mappingId },
        { key: 'dynatrace-viewers', source: { kind: 'id', id: ids.viewers }, name: 'Dynatrace Viewers', priority: 1, pushAs: 'Dynatrace Viewers', pushTargetId: ids.viewersPush.targetGroupId, existingPushId: ids.viewersPush.mappingId },
        { key: 'auditors', source: { kind: 'id', id: ids.auditors }, name: 'Auditors', priority: 2 },
      ]);
      // Okta paged the assignments (default 20): discover followed the Link header.
      expect(fake.requests.filter((r) => r.path.startsWith(`/api/v1/apps/${ids.header}/groups`)).map((r) => r.path)).toEqual([
        `/api/v1/apps/${ids.header}/groups`,
        expect.stringMatching(new RegExp(`^/api/v1/apps/${ids.header}/groups\\?after=00g\\d+&limit=20$`)),
      ]);
      expect(text).toContain(`      # Adopted by okta-dynatrace-scim discover from app ${ids.header}: the stacks import the app, its assignments and push mappings instead of creating them.\n      # After the first apply, drop existingAppId and existingPushId (Pulumi expects its import options gone).\n      existingAppId: ${ids.header}\n`);
      expect(text).toContain('        - { id: ');
      expect(result.out).toContain('read: 23 assigned groups, 2 push mappings (1 to a differently named group), provisioning on');
      expect(result.out).toContain(`okta_push_group.dynatrace_push_dynatrace_admins  ← ${ids.header}/${ids.adminsPush.mappingId}`);
      expect(result.out).toContain('Adoption (terraform plan addresses): 26 imports, nothing created');
    });

    it('adopts exactly, in both engines: every object imported with the same id, nothing else differs but the guards', async () => {
      await discover({ app: ids.header });
      const { terraform, pulumi } = await adoption('hooli');
      const assigned = adoptedTenant('hooli').integration.groups.map((g) => g.key);
      expect(terraform.created).toEqual([]);
      expect(terraform.missing).toEqual([]);
      expect(terraform.imports).toHaveLength(26);
      expect(sorted(terraform)).toEqual(guards(tf, assigned, ['dynatrace-admins', 'dynatrace-viewers']));
      expect(pulumi.created).toEqual([]);
      expect(pulumi.missing).toEqual([]);
      expect(sorted(pulumi)).toEqual(guards(pu('hooli'), assigned, ['dynatrace-admins', 'dynatrace-viewers']));
      // The same import ids in both engines, object by object.
      const ids_ = (check: AdoptionCheck) => check.imports.map((line) => line.split(' ← ')[1]).sort();
      expect(ids_(pulumi)).toEqual(ids_(terraform));
    });

    it('verify on the adopted tenant reports no drift', async () => {
      await discover({ app: ids.header });
      const { code, report } = await verify('hooli');
      const findings = report.tenants[0]!.findings;
      expect(findings.filter((f) => f.status === 'drift' || f.status === 'error')).toEqual([]);
      expect(code).toBe(EXIT.ok);
      expect(report.tenants[0]!.stage.live).toBe('pushed');
      expect(findings).toContainEqual(expect.objectContaining({ area: 'push', field: 'dynatrace-admins.targetGroupId', status: 'ok' }));
    });
  });

  describe('an INACTIVE OAuth Bearer test app with SAML sign-on and a non-e-mail username', () => {
    it('writes it as it is — status, sign-on, username, switches — with the Dynatrace warning', async () => {
      const result = await discover({ app: ids.legacy });
      expect(result.code).toBe(EXIT.ok);
      const spec = adoptedTenant('hooli').integration;
      expect(spec.app).toEqual({ type: 'catalog', authMode: 'oauthBearer', signOn: 'saml', label: 'Dynatrace (legacy)', oinAppName: 'scim2testapp', status: 'INACTIVE', existingAppId: ids.legacy, username: { template: '${String.toLowerCase(source.login)}', type: 'CUSTOM' } });
      expect(spec.provisioning).toMatchObject({ enabled: true, deactivateUsers: false, createUsers: true });
      expect(spec.warnings.map((w) => w.path)).toEqual(['username.template']);
      const text = readFileSync(file, 'utf8');
      expect(text).toContain('      # As the app has it: Dynatrace needs a persistent e-mail as userName (validate warns).\n      username: { template: "${String.toLowerCase(source.login)}" }\n');
      expect(text).toContain('      # As the app has it: Okta provisions nobody while the app is INACTIVE.\n      status: INACTIVE\n');
      expect(result.out).toContain('not the e-mail Dynatrace needs as a persistent userName: written as it is, so adoption changes nothing');
      expect(result.out).toContain('the app is INACTIVE: written as `status: INACTIVE`');
      expect(result.out).toContain('token field: OAuth Bearer Token: the raw Dynatrace SCIM token, without "Bearer "');
    });

    it('adopts exactly in both engines and verify reports no drift', async () => {
      await discover({ app: ids.legacy });
      const { terraform, pulumi } = await adoption('hooli');
      expect([terraform.created, terraform.missing, pulumi.created, pulumi.missing]).toEqual([[], [], [], []]);
      expect(terraform.imports.some((line) => line.startsWith('okta_app_saml.dynatrace_app'))).toBe(true);
      expect(sorted(terraform)).toEqual(guards(tf, ['ops'], ['ops']));
      expect(sorted(pulumi)).toEqual(guards(pu('hooli'), ['ops'], ['ops']));
      const { code, report } = await verify('hooli');
      expect(report.tenants[0]!.findings.filter((f) => f.status === 'drift' || f.status === 'error')).toEqual([]);
      expect(code).toBe(EXIT.ok);
    });
  });

  describe('the Dynatrace SSO app (App Integration Wizard)', () => {
    it('writes ssoApp by id with its assignments imported, adopts exactly in both engines, and verify reports no drift', async () => {
      const result = await discover({ app: ids.sso, tenant: 'initech-sso' }, { INITECH_SSO_OKTA_API_TOKEN: OKTA_TOKEN });
      expect(result.code).toBe(EXIT.ok);
      const spec = adoptedTenant('initech-sso').integration;
      expect(spec.app).toEqual({ type: 'sso', id: ids.sso, importAssignments: true, username: { template: '${source.email}', type: 'BUILT_IN' } });
      expect(spec.groups.map((g) => [g.key, g.pushAs])).toEqual([['dynatrace-users', 'Dynatrace Users'], ['dynatrace-guests', undefined]]);
      expect(result.out).toContain('token field: Authorization: the raw Dynatrace SCIM token');
      const { terraform, pulumi } = await adoption('initech-sso');
      expect([terraform.created, terraform.missing, pulumi.created, pulumi.missing]).toEqual([[], [], [], []]);
      expect(terraform.imports).toHaveLength(3);
      expect(sorted(terraform)).toEqual(guards(tf, ['dynatrace-guests', 'dynatrace-users'], ['dynatrace-users']));
      expect(sorted(pulumi)).toEqual(guards(pu('initech-sso'), ['dynatrace-guests', 'dynatrace-users'], ['dynatrace-users']));
      const { code, report } = await verify('initech-sso');
      expect(report.tenants[0]!.findings.filter((f) => f.status === 'drift' || f.status === 'error')).toEqual([]);
      expect(code).toBe(EXIT.ok);
    });
  });

  describe('with the Dynatrace account\'s OAuth client in the environment', () => {
    const CLIENT = { id: 'dt0s02.DISCOVERCLIENT', secret: 'dt0s02.DISCOVERCLIENT.secret-must-never-leak-77' };
    const ADMINS = '11111111-aaaa-4aaa-8aaa-111111111111';
    const VIEWERS = '22222222-bbbb-4bbb-8bbb-222222222222';
    const OPS_POLICY = '33333333-cccc-4ccc-8ccc-333333333333';
    const STANDARD_USER = '44444444-dddd-4ddd-8ddd-444444444444';
    let iam: DynatraceIamStub;
    beforeAll(async () => {
      iam = await startDynatraceIamStub({ accountUuid: ACCOUNT, clientId: CLIENT.id, clientSecret: CLIENT.secret, clientScopes: ['account-idm-read', 'iam-policies-management', 'account-env-read'] });
      iam.state = {
        groups: [
          { uuid: ADMINS, name: 'DT Admins', owner: 'SCIM' },
          { uuid: VIEWERS, name: 'Dynatrace Viewers', owner: 'SCIM' },
        ],
        policies: [
          { uuid: STANDARD_USER, name: 'Standard User', levelType: 'global', levelId: 'global' },
          { uuid: OPS_POLICY, name: 'Ops', levelType: 'account', levelId: ACCOUNT },
        ],
        bindings: {
          [`account/${ACCOUNT}/${ADMINS}`]: [{ policyUuid: OPS_POLICY }],
          [`environment/abc12345/${VIEWERS}`]: [{ policyUuid: STANDARD_USER, parameters: { team: 'ops' } }],
        },
        environments: ['abc12345', 'xyz67890'],
      };
    });
    afterAll(() => iam.close());

    it('writes the pushed groups\' bindings as policies, with the client as names; verify then finds them in sync', async () => {
      const env = { HOOLI_OKTA_API_TOKEN: OKTA_TOKEN, HOOLI_DT_CLIENT_ID: CLIENT.id, HOOLI_DT_CLIENT_SECRET: CLIENT.secret };
      const result = await discover({ app: ids.header, dynatraceApiUrl: iam.url, dynatraceTokenUrl: iam.tokenUrl }, env);
      outputs.push(JSON.stringify(iam.requests.map((r) => r.path)));
      expect(result.code).toBe(EXIT.ok);
      const spec = adoptedTenant('hooli').integration;
      expect(spec.dynatrace).toEqual({ accountUuid: ACCOUNT, oauthClient: { clientId: { env: 'HOOLI_DT_CLIENT_ID', pulumiConfig: 'dynatraceClientId' }, clientSecret: { env: 'HOOLI_DT_CLIENT_SECRET', pulumiConfig: 'dynatraceClientSecret' } } });
      expect(spec.groups.find((g) => g.key === 'dynatrace-admins')!.policies).toEqual([{ level: 'account', policy: { name: 'Ops', definedIn: 'account' } }]);
      expect(spec.groups.find((g) => g.key === 'dynatrace-viewers')!.policies).toEqual([{ level: 'environment', environment: 'abc12345', policy: { name: 'Standard User', definedIn: 'global' }, parameters: { team: 'ops' } }]);
      // Every environment of the account was read, through the account's environment list.
      expect(iam.requests.map((r) => r.path)).toEqual(expect.arrayContaining([`/env/v2/accounts/${ACCOUNT}/environments`, `/iam/v1/repo/environment/xyz67890/bindings/groups/${VIEWERS}?details=true`]));
      expect(readFileSync(file, 'utf8')).not.toContain(CLIENT.secret);
      // The bindings resources are written by the first stage-2 apply (said, never silent); Okta's objects are imported.
      expect(result.out).toContain('dynatrace_iam_policy_bindings_v2.dynatrace_iam_bindings_dynatrace_admins_account: the first apply creates it, writing the policies Dynatrace binds there now');
      const { terraform } = await adoption('hooli');
      expect(terraform.created.sort()).toEqual(['dynatrace_iam_policy_bindings_v2.dynatrace_iam_bindings_dynatrace_admins_account', 'dynatrace_iam_policy_bindings_v2.dynatrace_iam_bindings_dynatrace_viewers_env_abc12345']);
      const { code, report } = await verify('hooli', { iam, env: { HOOLI_DT_CLIENT_ID: CLIENT.id, HOOLI_DT_CLIENT_SECRET: CLIENT.secret } });
      expect(report.tenants[0]!.findings.filter((f) => f.status === 'drift' || f.status === 'error')).toEqual([]);
      expect(report.tenants[0]!.findings.filter((f) => f.area.startsWith('dynatrace')).length).toBeGreaterThan(0);
      expect(code).toBe(EXIT.ok);
      for (const output of outputs) expect(output).not.toContain(CLIENT.secret);
    });
  });

  it('labels and names with template and YAML characters reach both engines exactly as Okta has them', async () => {
    const org = new OktaFakeOrg();
    const app = org.addTestApp({ oinName: 'scim2headerauth', label: 'Dynatrace ${prod} %{x} "SCIM": #1', provisioning: {} });
    const odd = org.addGroup('Ops: "on-call" ${team} #2');
    const yes = org.addGroup('yes');
    org.assign(app, odd, 0);
    org.assign(app, yes, 1);
    org.push(app, odd, { targetName: 'DT %{if x}${y}%{endif}' });
    fake.reset(org);
    expect((await discover({})).code).toBe(EXIT.ok);
    const spec = adoptedTenant('hooli').integration;
    expect(spec.app).toMatchObject({ label: 'Dynatrace ${prod} %{x} "SCIM": #1' });
    expect(spec.groups.map((g) => [g.key, g.name, g.pushAs])).toEqual([['ops-on-call-team-2', 'Ops: "on-call" ${team} #2', 'DT %{if x}${y}%{endif}'], ['yes', 'yes', undefined]]);
    const { terraform, pulumi } = await adoption('hooli');
    expect(sorted(terraform)).toEqual(guards(tf, ['ops-on-call-team-2', 'yes'], ['ops-on-call-team-2']));
    expect(sorted(pulumi)).toEqual(guards(pu('hooli'), ['ops-on-call-team-2', 'yes'], ['ops-on-call-team-2']));
  });

  it('never writes a live system\'s control characters to the terminal, and refuses a label the model cannot hold', async () => {
    const org = new OktaFakeOrg();
    const app = org.addTestApp({ oinName: 'scim2headerauth', label: 'Dynatrace\u001b[2J\nSCIM\u202e' });
    fake.reset(org);
    const listed = await discover({ list: true });
    expect(listed.out).toContain('"Dynatrace\\u001b[2J\\nSCIM\\u202e"');
    expect(listed.out).not.toMatch(/[\u001b\u202e]/);
    const refused = await discover({ app });
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.err).toContain(`app ${app}: integration.label: the app label must be one line of at most 255 characters (as Okta has it; the model cannot hold it)`);
    expect(readFileSync(file, 'utf8')).toBe(EXAMPLE);
  });

  it('an org without a Dynatrace app: a clear message and exit 64, nothing written', async () => {
    const org = new OktaFakeOrg();
    org.addSamlApp({ label: 'Salesforce SSO', signOn: { ssoAcsUrl: 'https://login.salesforce.com/saml', audience: 'https://saml.salesforce.com' } });
    org.addTestApp({ oinName: 'slack', label: 'Slack', status: 'INACTIVE' });
    fake.reset(org);
    const result = await discover({});
    expect(result.code).toBe(EXIT.usage);
    expect(result.out).toBe('No Dynatrace integration in hooli.okta.com: none of its 2 apps is a SCIM 2.0 test app (scim2headerauth, scim2testapp) or a SAML app signing in to sso.dynatrace.com.\n  Check --org and --base-domain; to set up a new integration, follow docs/new-tenant.md.\n');
    expect(readFileSync(file, 'utf8')).toBe(EXAMPLE);
  });

  it('without the SCIM base URL it stops before reading anything and names the options to give (exit 64)', async () => {
    const result = await discover({ scimBaseUrl: undefined });
    expect(result.code).toBe(EXIT.usage);
    expect(result.err).toContain('--scim-base-url: is required: Okta does not return the SCIM base URL of these apps');
    expect(result.err).toContain('or --dynatrace-account <uuid> to derive it');
    expect(fake.requests).toEqual([]);
  });

  it('derives the SCIM base URL from --dynatrace-account', async () => {
    const result = await discover({ app: ids.header, scimBaseUrl: undefined, dynatraceAccount: ACCOUNT.toUpperCase() });
    expect(result.code).toBe(EXIT.ok);
    expect(adoptedTenant('hooli').integration.scimBaseUrl).toBe(SCIM_URL);
    expect(result.out).toContain('derived from --dynatrace-account as Dynatrace documents the URL');
  });

  it('refuses to replace an existing tenant unless asked; --replace keeps its backend', async () => {
    const refused = await discover({ app: ids.header, tenant: 'acme' }, { ACME_OKTA_API_TOKEN: OKTA_TOKEN });
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.err).toContain('tenant "acme" already exists');
    expect(refused.err).toContain('discover --replace');
    expect(readFileSync(file, 'utf8')).toBe(EXAMPLE);
    expect(fake.requests).toEqual([]);

    const withBackend = EXAMPLE.replace('    integration:\n      label: Dynatrace SCIM', '    backend:\n      terraform: { type: s3, bucket: acme-iac-state, region: eu-central-1 }\n    integration:\n      label: Dynatrace SCIM');
    writeFileSync(file, withBackend);
    const replaced = await discover({ app: ids.header, tenant: 'acme', replace: true }, { ACME_OKTA_API_TOKEN: OKTA_TOKEN });
    expect(replaced.code).toBe(EXIT.ok);
    expect(replaced.out).toContain('replaced its entry in');
    expect(replaced.out).toContain('(kept its backend)');
    const acme = adoptedTenant('acme');
    expect(acme.integration.app).toMatchObject({ existingAppId: ids.header });
    expect(acme.backend.terraform).toMatchObject({ type: 's3', bucket: 'acme-iac-state' });
    // The other tenants, with their comments, are exactly as they were.
    const text = readFileSync(file, 'utf8');
    expect(text.slice(text.indexOf('  # The API path'))).toBe(withBackend.slice(withBackend.indexOf('  # The API path')));
    expect(text.slice(0, text.indexOf('  - name: acme'))).toBe(withBackend.slice(0, withBackend.indexOf('  - name: acme')));
  });

  it('refuses to let a second tenant manage an app another tenant already adopted', async () => {
    await discover({ app: ids.header });
    const again = await discover({ app: ids.header, tenant: 'hooli-two' }, { HOOLI_TWO_OKTA_API_TOKEN: OKTA_TOKEN });
    expect(again.code).toBe(EXIT.usage);
    expect(again.err).toContain(`tenant "hooli": already manages app ${ids.header}`);
  });

  it('--dry-run prints the entry and writes nothing; a new file is created with the list', async () => {
    const dry = await discover({ app: ids.header, dryRun: true });
    expect(dry.code).toBe(EXIT.ok);
    expect(dry.out).toContain('(--dry-run: not written; it would be appended to');
    expect(dry.out).toContain('  - name: hooli\n    okta:\n');
    expect(readFileSync(file, 'utf8')).toBe(EXAMPLE);
    rmSync(file);
    const created = await discover({ app: ids.header });
    expect(created.code).toBe(EXIT.ok);
    expect(readFileSync(file, 'utf8')).toMatch(/^# Tenants of okta-dynatrace-scim[^\n]*\ntenants:\n {2}- name: hooli\n/);
    expect(loadTenants(file).map((t) => t.name)).toEqual(['hooli']);
  });

  it('says what adoption would change instead of doing it silently: an INACTIVE mapping, a push of an unassigned group', async () => {
    const { org, header } = ids;
    const lonely = org.addGroup('Pushed Only');
    const mapping = org.push(header, lonely);
    (org.pushMappings.get(header)![0]! as { status: string }).status = 'INACTIVE';
    org.app(header).label = 'Dynatrace SCIM ';
    const result = await discover({ app: header });
    expect(result.code).toBe(EXIT.ok);
    expect(result.out).toContain('  - label: Okta has the label "Dynatrace SCIM "; the model trims labels, so the first apply updates it to "Dynatrace SCIM"');
    expect(result.out).toContain('Changes the first apply would make (adoption never makes them silently):\n  - group "Dynatrace Admins": its push mapping is INACTIVE; the model pushes ACTIVE only, so the first apply activates it');
    expect(result.out).toContain(`Left out of the entry (the model cannot describe them):\n  - push mapping ${mapping.mappingId}: pushes "Pushed Only", which is not assigned to the app`);
    expect(adoptedTenant('hooli').integration.groups.some((g) => g.name === 'Pushed Only')).toBe(false);
  });

  it('signs in as an API service app with its private key and DPoP, as verify does; the entry names the app by variable, so each CI environment sets its own', async () => {
    const env = { HOOLI_OKTA_PRIVATE_KEY: SERVICE_KEY.jwk };
    const result = await discover({ app: ids.header, oktaClientId: SERVICE_APP, oktaPrivateKeyEnv: 'HOOLI_OKTA_PRIVATE_KEY', oktaPrivateKeyId: 'kid-discover' }, env);
    expect(result.err).toBe('');
    expect(result.code).toBe(EXIT.ok);
    expect(fake.requests.filter((r) => r.path === '/oauth2/v1/token').length).toBeGreaterThan(0);
    expect(fake.oauth!.issued.length).toBeGreaterThan(0);
    const tenant = adoptedTenant('hooli');
    expect(tenant.okta.credentials).toEqual({
      type: 'privateKey',
      clientId: { env: 'HOOLI_OKTA_CLIENT_ID' },
      privateKey: { env: 'HOOLI_OKTA_PRIVATE_KEY' },
      privateKeyId: { env: 'HOOLI_OKTA_KEY_ID' },
      scopes: ['okta.apps.read', 'okta.apps.manage', 'okta.groups.read', 'okta.groups.manage'],
    });
    // No literal client id: no warning that pull-request plans would hold the write scopes.
    expect(tenant.warnings.filter((w) => w.path.startsWith('okta'))).toEqual([]);
    expect(readFileSync(file, 'utf8')).toContain('      # The service app comes from the environment: each CI environment sets these variables to its own app,\n      # read-only where plans and drift checks run, the write app in okta-write.\n      credentials:\n        type: privateKey\n        clientId: { env: HOOLI_OKTA_CLIENT_ID }\n');
    expect(result.out).toContain(
      'The entry names the Okta service app by variable: set them wherever the stacks or verify run:\n' +
        `  - $HOOLI_OKTA_CLIENT_ID: the service app's client id (discover read Okta as ${SERVICE_APP}) — in CI a read-only app (okta.*.read scopes, a read-only admin role) in the environment of plans and drift checks, the write app in okta-write\n` +
        "  - $HOOLI_OKTA_KEY_ID: the key id of that app's private key (discover used kid-discover)\n" +
        "  - $HOOLI_OKTA_PRIVATE_KEY: that app's private key (PEM or JWK)\n",
    );
    // verify reads the app from the variables the entry names, as each CI environment sets them.
    const { code, report } = await verify('hooli', { env: { ...env, HOOLI_OKTA_CLIENT_ID: SERVICE_APP, HOOLI_OKTA_KEY_ID: 'kid-discover' } });
    expect(report.tenants[0]!.findings.filter((f) => f.status === 'drift' || f.status === 'error')).toEqual([]);
    expect(code).toBe(EXIT.ok);
  });

  it('without --okta-client-id reads Okta as the app the entry\'s variables hold (verify\'s rule); a key id needs the client id', async () => {
    const env = { HOOLI_OKTA_PRIVATE_KEY: SERVICE_KEY.jwk, HOOLI_OKTA_CLIENT_ID: SERVICE_APP };
    const result = await discover({ app: ids.header, oktaPrivateKeyEnv: 'HOOLI_OKTA_PRIVATE_KEY' }, env);
    expect(result.err).toBe('');
    expect(result.code).toBe(EXIT.ok);
    expect(adoptedTenant('hooli').okta.credentials).toMatchObject({ type: 'privateKey', clientId: { env: 'HOOLI_OKTA_CLIENT_ID' }, privateKey: { env: 'HOOLI_OKTA_PRIVATE_KEY' } });
    expect(result.out).toContain("  - $HOOLI_OKTA_CLIENT_ID: the service app's client id (discover read Okta as the app it holds now)");
    writeFileSync(file, EXAMPLE);
    const refused = await discover({ app: ids.header, oktaPrivateKeyEnv: 'HOOLI_OKTA_PRIVATE_KEY', oktaPrivateKeyId: 'kid-discover' }, env);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.err).toContain('--okta-private-key-id: needs --okta-client-id: the key id belongs to the app it names. Fix: give both, or neither (discover then reads the app from $HOOLI_OKTA_CLIENT_ID and $HOOLI_OKTA_KEY_ID, as verify does)');
  });

  it('an Okta credential that is missing or refused: exit 2 with the fix, never the value', async () => {
    const missing = await discover({ app: ids.header }, {});
    expect(missing.code).toBe(EXIT.couldNotCheck);
    expect(missing.err).toContain('cannot read Okta: no Okta API token: $HOOLI_OKTA_API_TOKEN (or OKTA_API_TOKEN) is not set');
    const refused = await discover({ app: ids.header }, { HOOLI_OKTA_API_TOKEN: `${OKTA_TOKEN}-revoked` });
    expect(refused.code).toBe(EXIT.couldNotCheck);
    expect(refused.err).toContain('401 E0000011 Invalid token provided');
    expect(refused.err).not.toContain(OKTA_TOKEN);
    expect(readFileSync(file, 'utf8')).toBe(EXAMPLE);
  });

  it('the command line: documented options, names as pulumi preview has them with --engine pulumi', async () => {
    // The CLI has no base-URL option: send its Okta calls to the loopback org.
    const undici = require('undici') as typeof import('undici');
    const realFetch = undici.fetch;
    const spy = jest.spyOn(undici, 'fetch').mockImplementation((input, init) => realFetch(String(input).replace('https://hooli.okta.com', fake.url), init));
    try {
      const stdout = new Capture();
      const stderr = new Capture();
      const args = ['discover', '--org', 'hooli', '--tenants', file, '--app', ids.sso, '--tenant-name', 'hooli-sso', '--scim-base-url', SCIM_URL, '--engine', 'pulumi', '--okta-token-env', 'HOOLI_TOKEN'];
      const code = await run(args, { stdout, stderr, env: { HOOLI_TOKEN: OKTA_TOKEN } });
      outputs.push(stdout.text, stderr.text);
      expect(stderr.text).toBe('');
      expect(code).toBe(EXIT.ok);
      expect(stdout.text).toContain('Adoption (pulumi preview names): 3 imports, nothing created');
      expect(stdout.text).toContain(`okta:index/pushGroup:PushGroup hooli-sso-push-dynatrace-users  ← ${ids.sso}/`);
      expect(stdout.text).toContain('The first plan also updates retainAssignment on 2 assignments and deleteTargetGroupOnDestroy on 1 push mapping in place');
      expect(adoptedTenant('hooli-sso').okta.credentials).toEqual({ type: 'apiToken', token: { env: 'HOOLI_TOKEN' } });
    } finally {
      spy.mockRestore();
    }
  });

  it('--json gives scripts the same result', async () => {
    const result = await discover({ app: ids.sso, tenant: 'initech-sso', json: true }, { INITECH_SSO_OKTA_API_TOKEN: OKTA_TOKEN });
    const parsed = JSON.parse(result.out) as { outcome: string; exitCode: number; imports: { address: string; id: string }[]; consoleFacts: string[] };
    expect(parsed.outcome).toBe('written');
    expect(parsed.exitCode).toBe(0);
    expect(parsed.imports.map((i) => i.address)).toEqual([
      'okta_app_group_assignment.dynatrace_assignment_dynatrace_users',
      'okta_push_group.dynatrace_push_dynatrace_users',
      'okta_app_group_assignment.dynatrace_assignment_dynatrace_guests',
    ]);
    expect(parsed.consoleFacts[0]).toMatch(/^SCIM base URL: Okta does not return it for this app/);
  });
});
