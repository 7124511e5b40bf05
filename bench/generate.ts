/**
 * Deterministic tenant generator for the benchmark.
 *
 * Every tenant is written out in full (every optional field the model would default is given
 * explicitly), so the hand-written baselines can read it without any defaulting logic of their own,
 * and the model's `resolveTenant` returns the same values. `test/bench.test.ts` checks both: every
 * generated tenant resolves, and ours and the baselines render the same resources from it.
 *
 * Nothing here imports an engine or the model at runtime (types only), so generating costs the same in
 * every benchmark child and stays outside the timed region.
 */
import type { GroupSpec, PolicyBindingSpec } from '../constructs/model/spec';
import type { TenantSpec } from '../constructs/model/tenant';

/** A fully explicit tenant: the model's input type with every field the baselines read made required. */
export interface BenchGroup extends GroupSpec {
  readonly key: string;
  readonly name: string;
  readonly kind: 'id' | 'lookup' | 'create';
}

interface BenchIntegrationCommon {
  readonly scimBaseUrl: string;
  readonly scimToken: { readonly env: string };
  readonly username: 'email';
  readonly provisioning: {
    readonly setup: 'console' | 'api';
    /** Console setup only (the API path enables provisioning itself). */
    readonly enabled?: boolean;
    readonly createUsers: boolean;
    readonly updateUserAttributes: boolean;
    readonly deactivateUsers: boolean;
    readonly syncPassword: boolean;
  };
  readonly groups: readonly BenchGroup[];
  /** Given when a group binds policies: the account is the SCIM base URL's. */
  readonly dynatrace?: { readonly oauthClient: { readonly clientId: { readonly env: string }; readonly clientSecret: { readonly env: string } } };
  readonly removalPolicy: 'retain' | 'destroy';
}

/** A SCIM 2.0 test app the stacks create. */
export interface BenchCatalogIntegration extends BenchIntegrationCommon {
  readonly label: string;
  readonly authMode: 'header' | 'oauthBearer';
  readonly signOn: 'autoLogin' | 'saml';
  readonly status: 'ACTIVE' | 'INACTIVE';
}

/** SCIM added to the existing Dynatrace SSO app, read by id or by label. */
export interface BenchSsoIntegration extends BenchIntegrationCommon {
  readonly ssoApp: { readonly id: string } | { readonly label: string };
}

export interface BenchTenant extends TenantSpec {
  readonly okta: {
    readonly orgName: string;
    readonly baseDomain: string;
    readonly credentials:
      | { readonly type: 'apiToken'; readonly token: { readonly env: string } }
      | { readonly type: 'privateKey'; readonly clientId: string; readonly privateKey: { readonly env: string }; readonly privateKeyId?: string; readonly scopes: readonly string[] };
  };
  readonly integration: BenchCatalogIntegration | BenchSsoIntegration;
}

/** Same scopes as the model's `REQUIRED_OKTA_SCOPES`, written out so the baseline needs no default. */
const SCOPES = ['okta.apps.read', 'okta.apps.manage', 'okta.groups.read', 'okta.groups.manage'];
const DOMAINS = ['okta.com', 'oktapreview.com', 'okta-emea.com'];

/** mulberry32: tiny, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(rand: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(rand() * 16).toString(16);
  return out;
}

/** Policies of one pushed group: global, account- and environment-defined policies by name, one by uuid; parameters, boundaries. */
function policies(rand: () => number, pick: <T>(items: readonly T[]) => T, chance: (p: number) => boolean): PolicyBindingSpec[] {
  const environment = pick(['abc12345', 'xyz98765']);
  const uuid = () => `${hex(rand, 8)}-${hex(rand, 4)}-4${hex(rand, 3)}-8${hex(rand, 3)}-${hex(rand, 12)}`;
  const all: PolicyBindingSpec[] = [
    { name: pick(['Standard User', 'Pro User', 'Admin User']), environment },
    { name: 'Ops Read', definedIn: 'account', environment, parameters: { team: pick(['ops', 'sre']) } },
    { name: 'Env Settings', definedIn: 'environment', environment },
    { uuid: uuid(), account: true, ...(chance(0.5) ? { boundaries: [uuid()] } : {}) },
    { name: 'Account Viewer', account: true },
  ];
  return all.filter((_, index) => index === 0 || chance(0.5));
}

/**
 * `n` tenants; the same `n` and `seed` always give the same tenants. Every path of the model is taken:
 * both test apps and sign-on modes, the existing SSO app (by id and by label), the console step before
 * and after it is done and the API path, every kind of group, pushes with and without a Dynatrace name of
 * their own, and Dynatrace policy bindings (account and environment level; policies by name, defined
 * globally, in the account or in the environment, and by uuid; parameters and boundaries).
 */
export function generateTenants(n: number, seed = 42): BenchTenant[] {
  const rand = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const chance = (p: number): boolean => rand() < p;
  const tenants: BenchTenant[] = [];
  for (let i = 0; i < n; i++) {
    const id = String(i).padStart(4, '0');
    const env = `T${id}`;
    const groupCount = Math.floor(rand() * 6); // 0-5
    const groups: BenchGroup[] = [];
    for (let j = 0; j < groupCount; j++) {
      const kind = pick(['id', 'lookup', 'create'] as const);
      const name = `Dynatrace Group ${j} of ${id}`;
      const key = `g${j}-${kind}`;
      const push = chance(0.5);
      const priority = chance(0.6) ? j : undefined;
      groups.push({
        kind,
        key,
        name,
        ...(kind === 'id' ? { id: `00g${hex(rand, 17)}` } : {}),
        ...(kind === 'create' ? { create: true, ...(chance(0.5) ? { description: `Created for tenant ${id}` } : {}) } : {}),
        ...(priority !== undefined ? { priority } : {}),
        ...(push ? { push: true, pushAs: chance(0.3) ? `DT ${name}` : name, ...(chance(0.4) ? { policies: policies(rand, pick, chance) } : {}) } : {}),
      });
    }
    const privateKey = chance(0.3);
    const common: BenchIntegrationCommon = {
      scimBaseUrl: `https://api.sso.dynatrace.com/idm/public/scim/${hex(rand, 8)}-${hex(rand, 4)}-4${hex(rand, 3)}-a${hex(rand, 3)}-${hex(rand, 12)}/v2`,
      scimToken: { env: `${env}_DT_SCIM_TOKEN` },
      username: 'email',
      provisioning: {
        ...(chance(0.2) ? { setup: 'api' as const } : { setup: 'console' as const, enabled: chance(0.6) }),
        createUsers: chance(0.9),
        updateUserAttributes: chance(0.9),
        deactivateUsers: chance(0.9),
        syncPassword: chance(0.1),
      },
      groups,
      ...(groups.some((group) => group.policies) ? { dynatrace: { oauthClient: { clientId: { env: `${env}_DT_CLIENT_ID` }, clientSecret: { env: `${env}_DT_CLIENT_SECRET` } } } } : {}),
      removalPolicy: chance(0.8) ? 'retain' : 'destroy',
    };
    const sso = chance(0.2);
    tenants.push({
      name: `tenant-${id}`,
      okta: {
        orgName: `org${id}`,
        baseDomain: pick(DOMAINS),
        credentials: privateKey
          ? { type: 'privateKey', clientId: `0oa${hex(rand, 17)}`, privateKey: { env: `${env}_OKTA_PRIVATE_KEY` }, ...(chance(0.5) ? { privateKeyId: `kid${id}` } : {}), scopes: SCOPES }
          : { type: 'apiToken', token: { env: `${env}_OKTA_API_TOKEN` } },
      },
      integration: sso
        ? { ...common, ssoApp: chance(0.5) ? { id: `0oa${hex(rand, 17)}` } : { label: `Dynatrace SSO ${id}` } }
        : { ...common, label: `Dynatrace SCIM ${id}`, authMode: chance(0.5) ? 'header' : 'oauthBearer', signOn: chance(0.7) ? 'autoLogin' : 'saml', status: chance(0.9) ? 'ACTIVE' : 'INACTIVE' },
    });
  }
  return tenants;
}

/**
 * The tenant as a user would write it (what `resolveTenant` reads): the benchmark-only `kind` marker
 * removed from each group. Plain JSON-like data, like a parsed tenants file.
 */
export function toSpec(tenant: BenchTenant): TenantSpec {
  return {
    ...tenant,
    integration: { ...tenant.integration, groups: tenant.integration.groups.map(({ kind: _kind, ...group }) => group) },
  };
}
