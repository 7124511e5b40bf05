/**
 * Parity: one spec rendered through both engines yields the same resources, attribute for attribute.
 * Values that differ only in how each engine spells a reference or the secret are normalised to a
 * common form (`<ref:role.id>`, `<token>`), everything else must be equal.
 */
import type { ScimIntegrationSpec } from '../constructs/model/spec';
import { headerSpec, oauthSpec, TEST_TOKEN } from './support/specs';
import { renderPulumi, resourcesOf, synthStack } from './support/render';

/** Pulumi type token → Terraform type, written out independently of the renderers. */
const TERRAFORM_TYPE: Record<string, string> = {
  'okta:app/autoLogin:AutoLogin': 'okta_app_auto_login',
  'okta:app/saml:Saml': 'okta_app_saml',
  'okta:app/connection:Connection': 'okta_app_connection',
  'okta:app/features:Features': 'okta_app_features',
  'okta:app/groupAssignment:GroupAssignment': 'okta_app_group_assignment',
  'okta:index/pushGroup:PushGroup': 'okta_push_group',
  'okta:group/group:Group': 'okta_group',
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

function terraformSide(spec: ScimIntegrationSpec): Normalised {
  const out: Normalised = {};
  for (const [address, body] of Object.entries(resourcesOf(synthStack(spec).json))) {
    if (address.startsWith('data.')) continue;
    const [type, name] = address.split('.');
    const role = name.replace(/^dynatrace_/, '');
    const { lifecycle, ...attributes } = body as { lifecycle?: { prevent_destroy?: boolean } };
    out[`${type}/${role}`] = {
      ...(deepMap(attributes, (v) =>
        typeof v !== 'string'
          ? v
          : v
              .replace(/\$\{(?:data\.)?okta_[a-z_]+\.dynatrace_([a-z0-9_]+)\.id\}/g, '<ref:$1.id>')
              .replace(/\$\{trimspace\(replace\(trimspace\(var\.dynatrace_scim_token\).*\)\)\}$/, '<token>'),
      ) as object),
      protect: lifecycle?.prevent_destroy === true,
    };
  }
  return out;
}

async function pulumiSide(spec: ScimIntegrationSpec): Promise<Normalised> {
  const run = await renderPulumi(spec, 'acme', TEST_TOKEN);
  const lookups = new Map(run.invokes.map((invoke) => [`lookup-${String(invoke.args.name)}`, invoke.args.name as string]));
  const roleOfLookup = (name: string): string => {
    const group = (spec.groups ?? []).find((g) => g.name === name)!;
    return `group_${(group.key ?? group.name!).toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
  };
  const out: Normalised = {};
  for (const resource of run.resources) {
    const type = TERRAFORM_TYPE[resource.type];
    if (!type) continue;
    const role = resource.name.replace(/^acme-/, '').replace(/-/g, '_');
    const child = run.component.resources.get(resource.name.replace(/^acme-/, '')) as unknown as { __protect?: boolean };
    out[`${type}/${role}`] = {
      ...(deepMap(
        resource.inputs,
        (v) => {
          if (typeof v !== 'string') return v;
          if (lookups.has(v)) return `<ref:${roleOfLookup(lookups.get(v)!)}.id>`;
          const id = /^acme-(.+)-id$/.exec(v);
          if (id) return `<ref:${id[1].replace(/-/g, '_')}.id>`;
          return v.endsWith(TEST_TOKEN) ? v.replace(TEST_TOKEN, '<token>') : v;
        },
        snake,
      ) as object),
      protect: child.__protect === true,
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

describe.each([
  ['header auth, every group kind', headerSpec()],
  ['OAuth bearer, SAML sign-on', oauthSpec({ signOn: 'saml' })],
  ['manual connection, destroy policy, custom provisioning', headerSpec({ connection: 'manual', removalPolicy: 'destroy', provisioning: { createUsers: false } })],
  ['adopted app', headerSpec({ existingAppId: '0oa1existing', groups: [{ id: '00g1', name: 'A', push: true }] })],
])('parity: %s', (_name, spec) => {
  let terraform: Normalised;
  let pulumi: Normalised;
  beforeAll(async () => {
    terraform = terraformSide(spec);
    pulumi = await pulumiSide(spec);
  });

  it('has the same resources (kind and role)', () => {
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
