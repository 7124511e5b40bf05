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
};

type Normalised = Record<string, Record<string, unknown>>;

function snake(key: string): string {
  return key === 'idProperty' ? 'id' : key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function deepMap(value: unknown, leaf: (v: unknown) => unknown, key: (k: string) => string = (k) => k): unknown {
  if (Array.isArray(value)) return value.map((v) => deepMap(v, leaf, key));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [key(k), deepMap(v, leaf, key)]));
  return leaf(value);
}

/** A Terraform literal as the text it evaluates to; references and the token in the common form. */
function terraformLiteral(value: string): string {
  return value
    .replace(/\$\{(?:data\.)?okta_[a-z_]+\.dynatrace_([a-z0-9_]+)\.id\}/g, '<ref:$1.id>')
    .replace(/\$\{local\.dynatrace_scim_token_bare\}$/, '<token>')
    .replace(/\$\$\{/g, '${')
    .replace(/%%\{/g, '%{');
}

function terraformSide(spec: ScimIntegrationSpec): Normalised {
  const out: Normalised = {};
  for (const [address, body] of Object.entries(resourcesOf(synthStack(spec).json))) {
    const data = address.startsWith('data.');
    const [type, name] = address.replace(/^data\./, '').split('.');
    const role = name.replace(/^dynatrace_/, '');
    const { lifecycle, depends_on: dependsOn, ...attributes } = body as { lifecycle?: { prevent_destroy?: boolean; postcondition?: { error_message: string }[] }; depends_on?: string[] };
    out[`${data ? 'data.' : ''}${type}/${role}`] = {
      ...(deepMap(attributes, (v) => (typeof v === 'string' ? terraformLiteral(v) : v)) as object),
      ...(data
        ? { checks: (lifecycle?.postcondition ?? []).map((p) => terraformLiteral(p.error_message)) }
        : { protect: lifecycle?.prevent_destroy === true, depends_on: (dependsOn ?? []).map((d) => d.replace(/^[a-z_]+\.dynatrace_/, '')) }),
    };
  }
  return out;
}

async function pulumiSide(spec: ScimIntegrationSpec): Promise<Normalised> {
  const run = await renderPulumi(spec, 'acme', TEST_TOKEN);
  const data = run.component.plan.filter((entry) => entry.type === 'data');
  const roleOfLookup = new Map<string, string>();
  const out: Normalised = {};
  for (const invoke of run.invokes) {
    const entry = data.find((candidate) => JSON.stringify(candidate.props) === JSON.stringify(invoke.args))!;
    const role = entry.role.replace(/-/g, '_');
    roleOfLookup.set(`lookup-${Object.values(invoke.args)[0] as string}`, role);
    if (typeof invoke.args.id === 'string') roleOfLookup.set(invoke.args.id, role);
    out[`${TERRAFORM_TYPE[invoke.token]}/${role}`] = { ...invoke.args, checks: entry.type === 'data' ? entry.checks.map((check) => check.message) : [] };
  }
  for (const resource of run.resources) {
    const type = TERRAFORM_TYPE[resource.type];
    if (!type) continue;
    const role = resource.name.replace(/^acme-/, '').replace(/-/g, '_');
    const child = run.component.resources.get(resource.name.replace(/^acme-/, '')) as unknown as { __protect?: boolean };
    const plannedDeps = run.component.plan.find((entry) => entry.type === 'resource' && entry.role === resource.name.replace(/^acme-/, ''));
    out[`${type}/${role}`] = {
      ...(deepMap(
        resource.inputs,
        (v) => {
          if (typeof v !== 'string') return v;
          if (roleOfLookup.has(v)) return `<ref:${roleOfLookup.get(v)}.id>`;
          const id = /^acme-(.+)-id$/.exec(v);
          if (id) return `<ref:${id[1].replace(/-/g, '_')}.id>`;
          return v.endsWith(TEST_TOKEN) ? v.replace(TEST_TOKEN, '<token>') : v;
        },
        snake,
      ) as object),
      protect: child.__protect === true,
      depends_on: plannedDeps?.type === 'resource' ? [...(plannedDeps.options.dependsOn ?? [])].map((d) => d.replace(/-/g, '_')) : [],
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
  ['template characters in user text', headerSpec({ label: `Dynatrace ${TEMPLATE_TEXT}`, provisioning: { enabled: true }, groups: [{ name: TEMPLATE_TEXT, push: true, pushAs: `DT ${TEMPLATE_TEXT}` }, { name: `${TEMPLATE_TEXT} new`, create: true, description: TEMPLATE_TEXT }] })],
])('parity: %s', (_name, spec) => {
  let terraform: Normalised;
  let pulumi: Normalised;
  beforeAll(async () => {
    terraform = terraformSide(spec);
    pulumi = await pulumiSide(spec);
  });

  it('has the same resources and lookups (kind and role)', () => {
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
