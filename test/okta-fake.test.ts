/**
 * The loopback Okta org behaves as Okta's management API spec says, read through verify's own client:
 * pagination by `Link` headers, deactivated apps only on request, filters, group types, the objects a
 * push creates, and the answers Okta gives for provisioning endpoints of these apps.
 */
import { z } from 'zod';
import { oktaSession } from '../operations/verify/okta-auth';
import { DEFAULT_POLICY, HttpError, OktaClient } from '../operations/verify/okta-client';
import { OktaFakeOrg, startOktaFake, type OktaFake } from './support/okta-fake';

const TOKEN = '00fake-org-token-for-tests-only-0000000001';
const any = z.record(z.string(), z.unknown());

describe('the loopback Okta org', () => {
  let fake: OktaFake;
  let okta: OktaClient;
  let ids: { active: string; inactive: string; groups: string[]; source: string; target: string; mapping: string };

  beforeAll(async () => {
    fake = await startOktaFake({ apiToken: TOKEN });
    okta = new OktaClient({ baseUrl: fake.url, session: oktaSession({ type: 'apiToken', token: TOKEN, source: 'TEST' }, fake.url, { policy: DEFAULT_POLICY }) });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    const org = new OktaFakeOrg();
    const active = org.addTestApp({ oinName: 'scim2headerauth', label: 'Dynatrace SCIM', provisioning: { syncPassword: true, deactivateUsers: false } });
    const inactive = org.addTestApp({ oinName: 'scim2testapp', label: 'Old', status: 'INACTIVE' });
    const groups = Array.from({ length: 45 }, (_, i) => org.addGroup(`Group ${i}`));
    groups.forEach((id, i) => org.assign(active, id, i));
    const source = groups[0]!;
    const { targetGroupId: target, mappingId: mapping } = org.push(active, source, { targetName: 'DT Group 0' });
    fake.reset(org);
    ids = { active, inactive, groups, source, target, mapping };
  });

  it('lists deactivated apps only with includeNonDeleted=true or a status filter (listApplications)', async () => {
    expect((await okta.list('/api/v1/apps', any)).map((a) => a.id)).toEqual([ids.active]);
    expect((await okta.list('/api/v1/apps?includeNonDeleted=true', any)).map((a) => a.id)).toEqual([ids.active, ids.inactive]);
    expect((await okta.list('/api/v1/apps?filter=status%20eq%20%22INACTIVE%22', any)).map((a) => a.id)).toEqual([ids.inactive]);
    expect((await okta.list('/api/v1/apps?filter=name%20eq%20%22scim2headerauth%22', any)).map((a) => a.id)).toEqual([ids.active]);
    await expect(okta.list('/api/v1/apps?filter=label%20eq%20%22x%22', any)).rejects.toMatchObject({ status: 400, errorCode: 'E0000031' });
  });

  it('pages group assignments by Okta\'s default of 20, with a `next` link the client follows', async () => {
    const assigned = await okta.list(`/api/v1/apps/${ids.active}/groups`, any);
    expect(assigned.map((a) => a.id)).toEqual(ids.groups);
    const pages = fake.requests.filter((r) => r.path.startsWith(`/api/v1/apps/${ids.active}/groups`));
    expect(pages.map((p) => p.path)).toEqual([`/api/v1/apps/${ids.active}/groups`, `/api/v1/apps/${ids.active}/groups?after=${ids.groups[19]}&limit=20`, `/api/v1/apps/${ids.active}/groups?after=${ids.groups[39]}&limit=20`]);
    // limit has a minimum of 20 for this endpoint (queryGroupAssignmentLimit).
    const first = await fetch(`${fake.url}/api/v1/apps/${ids.active}/groups?limit=5`, { headers: { Authorization: `SSWS ${TOKEN}` } });
    expect(((await first.json()) as unknown[]).length).toBe(20);
    expect(first.headers.get('link')).toContain(`limit=20&after=${ids.groups[19]}>; rel="next"`);
  });

  it('a push creates the target group in the app (APP_GROUP) and the mapping links the two', async () => {
    const mapping = await okta.get(`/api/v1/apps/${ids.active}/group-push/mappings/${ids.mapping}`, any);
    expect(mapping).toMatchObject({ id: ids.mapping, sourceGroupId: ids.source, targetGroupId: ids.target, status: 'ACTIVE', errorSummary: '' });
    expect(await okta.get(`/api/v1/groups/${ids.target}`, any)).toMatchObject({ type: 'APP_GROUP', profile: { name: 'DT Group 0' } });
    expect(await okta.list(`/api/v1/apps/${ids.active}/group-push/mappings?sourceGroupId=${ids.groups[1]}`, any)).toEqual([]);
    expect(() => fake.org.push(ids.inactive, ids.groups[1]!)).toThrow(/refuses a push mapping while provisioning/);
  });

  it('finds groups as listGroups does: search by name and type, q by prefix (at most 300, one page)', async () => {
    fake.org.addGroup('Group 0', { type: 'APP_GROUP' });
    const byName = await okta.list(`/api/v1/groups?search=${encodeURIComponent('profile.name eq "Group 0"')}`, any);
    expect(byName.map((g) => g.type)).toEqual(['OKTA_GROUP', 'APP_GROUP']);
    const managed = await okta.list(`/api/v1/groups?search=${encodeURIComponent('profile.name eq "Group 0" and type eq "OKTA_GROUP"')}`, any);
    expect(managed.map((g) => g.id)).toEqual([ids.source]);
    for (let i = 0; i < 300; i++) fake.org.addGroup(`Many ${i}`);
    expect(await okta.list('/api/v1/groups?q=Many', any)).toHaveLength(300);
    await expect(okta.list(`/api/v1/groups?search=${encodeURIComponent('profile.description eq "x"')}`, any)).rejects.toMatchObject({ status: 400 });
  });

  it('shows the "To App" switches in the features array, and answers the provisioning endpoints as Okta does for these apps', async () => {
    const app = await okta.get(`/api/v1/apps/${ids.active}`, any);
    expect(app.features).toEqual(['IMPORT_NEW_USERS', 'IMPORT_PROFILE_UPDATES', 'GROUP_PUSH', 'PUSH_NEW_USERS', 'PUSH_PROFILE_UPDATES', 'PUSH_PASSWORD_UPDATES']);
    expect((await okta.get(`/api/v1/apps/${ids.inactive}`, any)).features).toEqual([]);
    const refused = await okta.get(`/api/v1/apps/${ids.active}/features/USER_PROVISIONING`, any).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).message).toBe(`GET /api/v1/apps/${ids.active}/features/USER_PROVISIONING: 400 E0000001 Api validation failed: feature (Provisioning is not enabled for the app instance.)`);
    expect(await okta.get(`/api/v1/apps/${ids.active}/connections/default`, any)).toMatchObject({ status: 'UNKNOWN', authScheme: 'UNKNOWN' });
  });

  it('serves the app\'s profile mappings: listed without properties, read one by one with them', async () => {
    const listed = await okta.list(`/api/v1/mappings?targetId=${ids.active}`, any);
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toHaveProperty('properties');
    const mapping = await okta.get(`/api/v1/mappings/${String(listed[0]!.id)}`, any);
    expect(mapping.properties).toMatchObject({ givenName: { expression: 'user.firstName' }, familyName: { expression: 'user.lastName' } });
    expect(await okta.list(`/api/v1/mappings?sourceId=${ids.active}`, any)).toHaveLength(1);
  });

  it('refuses a request without the token', async () => {
    const stranger = new OktaClient({ baseUrl: fake.url, session: oktaSession({ type: 'apiToken', token: 'wrong', source: 'TEST' }, fake.url, { policy: DEFAULT_POLICY }) });
    await expect(stranger.get(`/api/v1/apps/${ids.active}`, any)).rejects.toMatchObject({ kind: 'auth', status: 401, errorCode: 'E0000011' });
  });
});
