/**
 * Parity: one spec rendered through both engines yields the same resources and lookups, attribute for
 * attribute. Values that differ only in how each engine spells a reference, the secret or a literal
 * are normalised to a common form (`<ref:role.id>`, `<token>`, Terraform's `$${` → `${`); everything
 * else must be equal. (That Terraform really evaluates the escaped literal to the same text is proven
 * with the terraform binary in terraform-semantics.test.ts.)
 */
import type { ScimIntegrationSpec } from '../constructs/model/spec';
import { apiSpec, headerSpec, oauthSpec, ssoSpec, TEST_TOKEN } from './support/specs';
import { renderPulumi, resourcesOf, synthStack } from './support/render';
import { roleName } from '../constructs/resources/roles';

/** Pulumi type or function token → Terraform type, written out independently of the renderers. */
const TERRAFORM_TYPE: Record<string, string> = {
  'okta:app/autoLogin:AutoLogin': 'okta_app_auto_login',
  'okta:app/saml:Saml': 'okta_app_saml',
  'okta:app/connection:Connection': 'okta_app_connection',
  'okta:app/features:Features': 'okta_app_features',
  'okta:app/groupAssignment:GroupAssignment': 'okta_app_group_assignment',
  'okta:index/pushGroup:PushGroup': 'okta_push_group',
  'okta:group/group:Group': 'okta_group',
  'okta:group/getGroup:getGroup': 'data.okta_group',
  'okta:app/getApp:getApp': 'data.okta_app',
  'dynatrace:index/iamPolicyBindingsV2:IamPolicyBindingsV2': 'dynatrace_iam_policy_bindings_v2',
  'dynatrace:index/getIamGroup:getIamGroup': 'data.dynatrace_iam_group',
  'dynatrace:index/getIamPolicy:getIamPolicy': 'data.dynatrace_iam_policy',
};

type Normalised = Record<string, Record<string, unknown>>;

/** Pulumi input names as Terraform spells them (`idProperty` and the bindings' `policies` are renamed). */
function snake(key: string): string {
  if (key === 'idProperty') return 'id';
  if (key === 'policies') return 'policy';
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function deepMap(value: unknown, leaf: (v: unknown) => unknown, key: (k: string) => string = (k) => k): unknown {
  if (Array.isArray(value)) return value.map((v) => deepMap(v, leaf, key));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [key(k), deepMap(v, leaf, key)]));
  return leaf(value);
}

/** A Terraform literal as the text it evaluates to; references and the token in the common form. */
function terraformLiteral(value: string): string {
  return value
    .replace(/\$\{(?:data\.)?(?:okta|dynatrace)_[a-z_0-9]+\.dynatrace_([a-z0-9_]+)\.(id|uuid)\}/g, '<ref:$1.$2>')
    .replace(/\$\{local\.dynatrace_scim_token_bare\}$/, '<token>')
    .replace(/\$\$\{/g, '${')
    .replace(/%%\{/g, '%{');
}

function terraformSide(spec: ScimIntegrationSpec): Normalised {
  const out: Normalised = {};
  const { json } = synthStack(spec);
  const imports = new Map((json.import ?? []).map((block) => [block.to, terraformLiteral(block.id)]));
  for (const [address, body] of Object.entries(resourcesOf(json))) {
    const data = address.startsWith('data.');
    const [type, name] = address.replace(/^data\./, '').split('.');
    const role = name.replace(/^dynatrace_/, '');
    type Lifecycle = { prevent_destroy?: boolean; ignore_changes?: string[]; postcondition?: { error_message: string }[] };
    const { lifecycle, depends_on: dependsOn, ...attributes } = body as { lifecycle?: Lifecycle; depends_on?: string[] };
    out[`${data ? 'data.' : ''}${type}/${role}`] = {
      ...(deepMap(attributes, (v) => (typeof v === 'string' ? terraformLiteral(v) : v)) as object),
      depends_on: (dependsOn ?? []).map((d) => d.replace(/^[a-z_0-9]+\.dynatrace_/, '')),
      ...(data
        ? { checks: (lifecycle?.postcondition ?? []).map((p) => terraformLiteral(p.error_message)) }
        : { protect: lifecycle?.prevent_destroy === true, ignore_changes: lifecycle?.ignore_changes ?? [], ...(imports.has(address) ? { import: imports.get(address) } : {}) }),
    };
  }
  return out;
}

async function pulumiSide(spec: ScimIntegrationSpec): Promise<Normalised> {
  const run = await renderPulumi(spec, 'acme', TEST_TOKEN);
  const data = run.component.plan.filter((entry) => entry.type === 'data');
  const roleOfLookup = new Map<string, string>();
  const out: Normalised = {};
  const sameArgs = (a: object, b: object): boolean => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
  for (const invoke of run.invokes) {
    const entry = data.find((candidate) => TERRAFORM_TYPE[invoke.token] === `data.${candidate.kind}` && sameArgs(candidate.props, invoke.args))!;
    const role = roleName(entry.role).replace(/-/g, '_');
    const found = `lookup-${String(invoke.args.name ?? invoke.args.label ?? invoke.args.id)}`;
    roleOfLookup.set(found, role);
    if (typeof invoke.args.id === 'string') roleOfLookup.set(invoke.args.id, role);
    out[`${TERRAFORM_TYPE[invoke.token]}/${role}`] = {
      ...invoke.args,
      checks: entry.type === 'data' ? entry.checks.map((check) => check.message) : [],
      depends_on: entry.type === 'data' ? [...(entry.dependsOn ?? [])].map((d) => roleName(d).replace(/-/g, '_')) : [],
    };
  }
  for (const resource of run.resources) {
    const type = TERRAFORM_TYPE[resource.type];
    if (!type) continue;
    const role = resource.name.replace(/^acme-/, '').replace(/-/g, '_');
    const child = run.component.resources.get(resource.name.replace(/^acme-/, '')) as unknown as { __protect?: boolean };
    const plannedDeps = run.component.plan.find((entry) => entry.type === 'resource' && roleName(entry.role) === resource.name.replace(/^acme-/, ''));
    out[`${type}/${role}`] = {
      ...(deepMap(
        resource.inputs,
        (v) => {
          if (typeof v !== 'string') return v;
          if (roleOfLookup.has(v)) return `<ref:${roleOfLookup.get(v)}.${roleOfLookup.get(v)!.startsWith('iam_policy') ? 'uuid' : 'id'}>`;
          const id = /^acme-(.+)-id$/.exec(v);
          if (id) return `<ref:${id[1].replace(/-/g, '_')}.id>`;
          return v.endsWith(TEST_TOKEN) ? v.replace(TEST_TOKEN, '<token>') : v;
        },
        snake,
      ) as object),
      protect: child.__protect === true,
      ignore_changes: (resource.ignoreChanges ?? []).map(snake),
      ...(resource.importId ? { import: resource.importId } : {}),
      depends_on: plannedDeps?.type === 'resource' ? [...(plannedDeps.options.dependsOn ?? [])].map((d) => roleName(d).replace(/-/g, '_')) : [],
    };
  }
  // Secrets arrive in mocks wrapped as { <sig>: ..., value }: unwrap for comparison.
  return deepUnwrap(out) as Normalised;
}

function deepUnwrap(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepUnwrap);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const wrapped = entries.find(([k]) => /^[0-9a-f]{32}$/.test(k));
  if (wrapped) return deepUnwrap((value as { value: unknown }).value);
  return Object.fromEntries(entries.map(([k, v]) => [k, deepUnwrap(v)]));
}

const TEMPLATE_TEXT = 'Ops ${var.x} %{if true}y%{endif} $${z}';

describe.each([
  ['stage 1 (default console step), every group kind', headerSpec()],
  ['stage 2 (console step declared done)', headerSpec({ provisioning: { enabled: true } })],
  ['API path, every group kind', apiSpec()],
  ['OAuth bearer, SAML sign-on, API path', oauthSpec({ signOn: 'saml', provisioning: { setup: 'api' } })],
  ['SSO app by label, stage 2', ssoSpec({ ssoApp: { label: 'Dynatrace SSO' }, provisioning: { enabled: true } })],
  ['SSO app by id, stage 1', ssoSpec()],
  ['console step, destroy policy, custom username and provisioning', headerSpec({ removalPolicy: 'destroy', username: { template: '${String.toLowerCase(source.email)}' }, provisioning: { createUsers: false, enabled: true } })],
  ['adopted app, API path', apiSpec({ existingAppId: '0oa1existing', groups: [{ id: '00g1', name: 'A', push: true }] })],
  [
    'adopted app with its push mappings, stage 2',
    headerSpec({
      existingAppId: '0oa1existing',
      provisioning: { enabled: true },
      groups: [
        { id: '00g1', key: 'a', name: 'A', priority: 0, push: true, pushAs: 'DT A', pushTargetId: '00g1target', existingPushId: 'gpm1a' },
        { id: '00g2', key: 'b', name: 'B', priority: 1 },
      ],
    }),
  ],
  ['SSO app adopting its assignments and a push mapping', ssoSpec({ ssoApp: { id: '0oa1sso', importAssignments: true }, provisioning: { enabled: true }, groups: [{ id: '00g9', name: 'Users', push: true, pushTargetId: '00g9target', existingPushId: 'gpm9' }] })],
  [
    'Dynatrace policies of pushed groups, stage 2',
    headerSpec({
      provisioning: { enabled: true },
      dynatrace: { oauthClient: { clientId: { env: 'DT_ID' }, clientSecret: { env: 'DT_SECRET' } } },
      groups: [
        { name: 'Viewers', create: true, push: true, policies: [{ name: 'Standard User', environment: 'abc12345', parameters: { team: 'ops' }, boundaries: ['0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'] }] },
        { name: 'Admins', push: true, pushAs: 'DT Admins', policies: [{ uuid: '11111111-2222-4333-8444-555555555555', account: true }, { name: 'Ops', definedIn: 'account', account: true }] },
      ],
    }),
  ],
  ['template characters in user text', headerSpec({ label: `Dynatrace ${TEMPLATE_TEXT}`, provisioning: { enabled: true }, groups: [{ name: TEMPLATE_TEXT, push: true, pushAs: `DT ${TEMPLATE_TEXT}` }, { name: `${TEMPLATE_TEXT} new`, create: true, description: TEMPLATE_TEXT }] })],
])('parity: %s', (_name, spec) => {
  let terraform: Normalised;
  let pulumi: Normalised;
  beforeAll(async () => {
    terraform = terraformSide(spec);
    pulumi = await pulumiSide(spec);
  });

  it('has the same resources and lookups (kind and role)', () => {
    if (_name.startsWith('Dynatrace')) expect(Object.keys(terraform).filter((key) => key.includes('dynatrace_')).sort()).toEqual(['data.dynatrace_iam_group/iam_group_admins', 'data.dynatrace_iam_group/iam_group_viewers', 'data.dynatrace_iam_policy/iam_policy_ops_account', 'data.dynatrace_iam_policy/iam_policy_standard_user', 'dynatrace_iam_policy_bindings_v2/iam_bindings_admins_account', 'dynatrace_iam_policy_bindings_v2/iam_bindings_viewers_env_abc12345']);
    expect(Object.keys(pulumi).sort()).toEqual(Object.keys(terraform).sort());
    expect(Object.keys(terraform).length).toBeGreaterThan(0);
  });

  it('has the same attribute values, one by one', () => {
    for (const key of Object.keys(terraform)) {
      const tf = terraform[key];
      const pu = pulumi[key];
      expect(Object.keys(pu).sort()).toEqual(Object.keys(tf).sort());
      for (const attribute of Object.keys(tf)) expect({ key, attribute, value: pu[attribute] }).toEqual({ key, attribute, value: tf[attribute] });
    }
  });
});
