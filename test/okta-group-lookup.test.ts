/**
 * Two groups of one name: the `OKTA_GROUP` a tenant assigns and pushes, and the `APP_GROUP` Okta creates
 * when the app imports groups back from Dynatrace. Each engine's lookup and verify's search must find the
 * `OKTA_GROUP`, so that assignments and pushes never land on the imported copy. The engines' lookups run
 * through the provider's own selection logic (support/okta-group-lookup.ts), fed the arguments the
 * stacks emit.
 */
import { DynatraceScimIntegration } from '../constructs/pulumi/scim-integration';
import { runOffline } from '../constructs/pulumi/offline';
import { PULUMI_INVOKES } from '../constructs/resources/names';
import { type OrgGroup, providerGroupLookup } from './support/okta-group-lookup';
import { EMAIL_USERNAME, oktaApp, oktaAppGroup, oktaGroup, oktaPushMapping, toAppFeatures } from './support/okta-stub';
import { resourcesOf, synthStack } from './support/render';
import { headerSpec, SCIM_URL, TEST_TOKEN } from './support/specs';
import { useVerifyHarness } from './support/verify-harness';

const OKTA_ADMINS = '00gokta0000000000001';
const IMPORTED_ADMINS = '00gimported000000001';
/** As Okta may list them: the imported copy first. */
const ORG_GROUPS: OrgGroup[] = [
  { id: IMPORTED_ADMINS, name: 'Dynatrace Admins', type: 'APP_GROUP' },
  { id: OKTA_ADMINS, name: 'Dynatrace Admins', type: 'OKTA_GROUP' },
];
const spec = headerSpec({ provisioning: { enabled: true }, groups: [{ name: 'Dynatrace Admins', push: true }] });

describe('Terraform: data.okta_group asks for the OKTA_GROUP', () => {
  const resources = resourcesOf(synthStack(spec).json);
  const lookup = resources['data.okta_group.dynatrace_group_dynatrace_admins'] as { name: string; type: string };

  it('passes type = "OKTA_GROUP", so the provider finds the pushed group, not its imported copy', () => {
    expect(lookup).toMatchObject({ name: 'Dynatrace Admins', type: 'OKTA_GROUP' });
    expect(providerGroupLookup(ORG_GROUPS, lookup).id).toBe(OKTA_ADMINS);
    // Without the type, the provider takes the first exact name: the imported copy.
    expect(providerGroupLookup(ORG_GROUPS, { name: lookup.name }).id).toBe(IMPORTED_ADMINS);
  });

  it('the assignment and the push take the id of that lookup', () => {
    expect(resources['okta_app_group_assignment.dynatrace_assignment_dynatrace_admins']).toMatchObject({ group_id: '${data.okta_group.dynatrace_group_dynatrace_admins.id}' });
    expect(resources['okta_push_group.dynatrace_push_dynatrace_admins']).toMatchObject({ source_group_id: '${data.okta_group.dynatrace_group_dynatrace_admins.id}' });
  });
});

describe('Pulumi: getGroup asks for the OKTA_GROUP', () => {
  it('the assignment and the push get the OKTA_GROUP\'s id', async () => {
    const answer = (token: string, inputs: Record<string, unknown>) => {
      if (token !== PULUMI_INVOKES.okta_group) return undefined;
      const group = providerGroupLookup(ORG_GROUPS, inputs);
      return { id: group.id, name: group.name, type: group.type };
    };
    const run = await runOffline(() => [new DynatraceScimIntegration('acme', { ...spec, scimTokenValue: TEST_TOKEN })], 'acme', 'okta-dynatrace-scim', answer);
    expect(run.invokes.filter((i) => i.token === PULUMI_INVOKES.okta_group).map((i) => i.args)).toEqual([{ name: 'Dynatrace Admins', type: 'OKTA_GROUP' }]);
    const byName = Object.fromEntries(run.resources.map((r) => [r.name, r.inputs]));
    expect(byName['acme-assignment-dynatrace-admins']).toMatchObject({ groupId: OKTA_ADMINS });
    expect(byName['acme-push-dynatrace-admins']).toMatchObject({ sourceGroupId: OKTA_ADMINS });
  });
});

describe('verify: the group search asks for the OKTA_GROUP', () => {
  const OKTA_TOKEN = '00okta-lookup-token-must-never-leak-3c9a';
  const APP = '0oalookup00000000001';
  const harness = useVerifyHarness({
    tenants: `
tenants:
  - name: acme
    okta: { orgName: acme }
    integration:
      label: Dynatrace SCIM
      authMode: header
      scimBaseUrl: ${SCIM_URL}
      scimToken: { env: ACME_DT_SCIM_TOKEN }
      provisioning: { enabled: true }
      groups:
        - { name: Dynatrace Admins, push: true }
`,
    env: () => ({ OKTA_API_TOKEN: OKTA_TOKEN, ACME_DT_SCIM_TOKEN: `Bearer ${TEST_TOKEN}` }),
    okta: { apiToken: OKTA_TOKEN },
  });

  it('finds one group and checks its assignment and push', async () => {
    harness.okta.state = {
      apps: [oktaApp(APP, 'scim2headerauth', 'Dynatrace SCIM', 'ACTIVE', 'AUTO_LOGIN', EMAIL_USERNAME, toAppFeatures())],
      connections: {},
      features: {},
      featureRefusals: { [APP]: 404 },
      appGroups: { [APP]: [oktaAppGroup(OKTA_ADMINS, 0)] },
      groups: ORG_GROUPS.map((group) => oktaGroup(group.id, group.name, group.type)),
      pushMappings: { [APP]: [oktaPushMapping('gPm00lookup000000001', OKTA_ADMINS, 'ACTIVE')] },
    };
    const run = await harness.run('acme');
    const byField = Object.fromEntries(run.findings.map((f) => [`${f.area}.${f.field}`, f]));
    expect(byField['assignments.dynatrace-admins.group']).toBeUndefined();
    expect(byField['assignments.dynatrace-admins.assigned']).toMatchObject({ actual: 'yes', status: 'ok' });
    expect(byField['push.dynatrace-admins.mapping']).toMatchObject({ actual: 'ACTIVE', status: 'ok' });
    expect(run.report.tenants[0]!.stage.live).toBe('pushed');
    expect(run.code).toBe(0);
    const searches = harness.okta.requests.filter((r) => r.path.startsWith('/api/v1/groups?')).map((r) => new URL(r.path, 'http://x').searchParams.get('search'));
    expect(searches).toEqual(['profile.name eq "Dynatrace Admins" and type eq "OKTA_GROUP"']);
  });

  it('the stand-in, like Okta, matches both groups by name alone', async () => {
    const search = encodeURIComponent('profile.name eq "Dynatrace Admins"');
    const answer = await fetch(`${harness.okta.url}/api/v1/groups?search=${search}`, { headers: { Authorization: `SSWS ${OKTA_TOKEN}` } });
    expect(((await answer.json()) as { id: string }[]).map((g) => g.id)).toEqual([IMPORTED_ADMINS, OKTA_ADMINS]);
  });

  it('never prints the tokens', () => {
    for (const output of harness.outputs) for (const secret of [OKTA_TOKEN, TEST_TOKEN]) expect(output).not.toContain(secret);
  });
});
