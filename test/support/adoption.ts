/**
 * What adopting an org's objects would change, without a provider: for every object a stack imports, the
 * state terraform-provider-okta (v6.12.0 source, the same provider `@pulumi/okta` bridges) writes when it
 * imports it, built from the Okta fake's objects; then every attribute the stack sets compared with it.
 *
 * Import and read-back, per resource (okta/services/idaas/…):
 * - `okta_app_auto_login` (`resource_okta_app_auto_login.go`, import `<app_id>`): `label`, `status`
 *   (`appRead`), `user_name_template`, `user_name_template_type` (`credentials.userNameTemplate`); it never
 *   reads `preconfigured_app` back.
 * - `okta_app_saml` (`resource_okta_app_saml.go`): the same, and `preconfigured_app` = the app's `name`.
 * - `okta_app_group_assignment` (`resource_okta_app_group_assignment.go`, import `<app_id>/<group_id>`): the
 *   importer sets `app_id`, `group_id` and `retain_assignment = false`; Read sets `priority` when Okta returns
 *   one, and `profile`.
 * - `okta_push_group` (`resource_okta_push_group.go`, import `<app_id>/<mapping_id>`): ImportState sets
 *   `app_id` and `id`; Read sets `source_group_id`, `target_group_id`, `status`; `target_group_name` and
 *   `delete_target_group_on_destroy` stay unset.
 * An import of an object that does not exist fails the plan: reported as `missing`.
 */
import type { OfflineRun } from '../../constructs/pulumi/offline';
import type { OktaFakeOrg } from './okta-fake';
import type { TerraformJson } from './render';

type Json = Record<string, unknown>;

/** One difference between what a stack sets and what the provider reads back after importing. */
export interface AdoptionDifference {
  readonly object: string;
  readonly attribute: string;
  readonly configured?: unknown;
  readonly imported?: unknown;
}

export interface AdoptionCheck {
  /** Objects the stack creates (no import). */
  readonly created: string[];
  /** Imports of objects that do not exist in the org. */
  readonly missing: string[];
  readonly differences: AdoptionDifference[];
  /** `<object> ← <import id>` for every import. */
  readonly imports: string[];
}

/** The state after importing `importId` as a `kind`, or undefined when the org has no such object. */
export function importedState(kind: string, importId: string, org: OktaFakeOrg): Json | undefined {
  const [appId, second] = importId.split('/') as [string, string | undefined];
  const app = org.apps.find((a) => a.id === appId);
  if (!app) return undefined;
  switch (kind) {
    case 'okta_app_auto_login':
    case 'okta_app_saml': {
      const username = (app.credentials as { userNameTemplate: Json }).userNameTemplate;
      return {
        id: app.id,
        label: app.label,
        status: app.status,
        user_name_template: username.template,
        user_name_template_type: username.type,
        ...(kind === 'okta_app_saml' ? { preconfigured_app: app.name } : {}),
      };
    }
    case 'okta_app_group_assignment': {
      const assignment = org.assignments.get(appId)?.find((a) => a.id === second);
      if (!assignment) return undefined;
      return { app_id: appId, group_id: second, retain_assignment: false, ...(assignment.priority !== undefined ? { priority: assignment.priority } : {}), profile: JSON.stringify(assignment.profile ?? {}) };
    }
    case 'okta_push_group': {
      const mapping = org.pushMappings.get(appId)?.find((m) => m.id === second);
      if (!mapping) return undefined;
      return { id: mapping.id, app_id: appId, source_group_id: mapping.sourceGroupId, target_group_id: mapping.targetGroupId, status: mapping.status };
    }
    default:
      throw new Error(`adoption check: no import read-back for ${kind}`);
  }
}

/** Every resource of a synthesized Terraform stack against the org. */
export function terraformAdoption(json: TerraformJson, org: OktaFakeOrg): AdoptionCheck {
  const imports = new Map((json.import ?? []).map((block) => [block.to, block.id]));
  const resources: { object: string; kind: string; attributes: Json; importId?: string; ignored: string[] }[] = [];
  for (const [kind, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const { '//': _meta, lifecycle, provider: _provider, depends_on: _dependsOn, ...attributes } = body as Json & { lifecycle?: { ignore_changes?: string[] } };
      const object = `${kind}.${name}`;
      resources.push({ object, kind, attributes, ...(imports.has(object) ? { importId: imports.get(object) } : {}), ignored: lifecycle?.ignore_changes ?? [] });
    }
  }
  // A reference to a resource's id is its imported id; to a lookup's, what the lookup finds in the org.
  const idOf = new Map<string, string | undefined>(resources.map((r) => [`\${${r.object}.id}`, r.importId]));
  for (const [kind, byName] of Object.entries(json.data ?? {})) {
    for (const [name, body] of Object.entries(byName)) idOf.set(`\${data.${kind}.${name}.id}`, lookup(kind, body, org));
  }
  // Other strings are literals escaped for Terraform's templates (`$${` and `%%{`): compare the text Terraform makes of them.
  const resolve = (value: unknown): unknown => (typeof value !== 'string' ? value : idOf.has(value) ? idOf.get(value) : value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{'));
  return check(resources.map((r) => ({ ...r, attributes: Object.fromEntries(Object.entries(r.attributes).map(([k, v]) => [k, resolve(v)])) })), org);
}

/** What `data.okta_app` (by id or label) and `data.okta_group` (by name, groups managed in Okta) find in the org. */
function lookup(kind: string, args: Json, org: OktaFakeOrg): string | undefined {
  if (kind === 'okta_app') return typeof args.id === 'string' ? args.id : (org.apps.find((a) => a.label === args.label)?.id as string | undefined);
  if (kind === 'okta_group') return org.groups.find((g) => g.type === 'OKTA_GROUP' && (g.profile as Json).name === args.name)?.id as string | undefined;
  return undefined;
}

const TERRAFORM_KIND: Record<string, string> = {
  'okta:app/autoLogin:AutoLogin': 'okta_app_auto_login',
  'okta:app/saml:Saml': 'okta_app_saml',
  'okta:app/groupAssignment:GroupAssignment': 'okta_app_group_assignment',
  'okta:index/pushGroup:PushGroup': 'okta_push_group',
  'okta:group/group:Group': 'okta_group',
};

/** Every resource a Pulumi program registered (under mocks) against the org; inputs in Terraform's spelling. */
export function pulumiAdoption(run: OfflineRun, org: OktaFakeOrg): AdoptionCheck {
  const custom = run.resources.filter((r) => TERRAFORM_KIND[r.type] !== undefined);
  // Under mocks a resource's id is `<name>-id`: a reference to it is its imported id.
  const idOf = new Map(custom.map((r) => [`${r.name}-id`, r.importId]));
  const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return check(
    custom.map((r) => ({
      object: `${r.type} ${r.name}`,
      kind: TERRAFORM_KIND[r.type]!,
      attributes: Object.fromEntries(Object.entries(r.inputs).map(([k, v]) => [snake(k), typeof v === 'string' && idOf.has(v) ? idOf.get(v) : v])),
      ...(r.importId ? { importId: r.importId } : {}),
      ignored: (r.ignoreChanges ?? []).map(snake),
    })),
    org,
  );
}

function check(resources: readonly { object: string; kind: string; attributes: Json; importId?: string; ignored: readonly string[] }[], org: OktaFakeOrg): AdoptionCheck {
  const result: AdoptionCheck = { created: [], missing: [], differences: [], imports: [] };
  for (const resource of resources) {
    if (resource.importId === undefined) {
      result.created.push(resource.object);
      continue;
    }
    result.imports.push(`${resource.object} ← ${resource.importId}`);
    const state = importedState(resource.kind, resource.importId, org);
    if (!state) {
      result.missing.push(resource.object);
      continue;
    }
    for (const [attribute, configured] of Object.entries(resource.attributes)) {
      if (resource.ignored.includes(attribute)) continue;
      const imported = state[attribute];
      if (JSON.stringify(imported) !== JSON.stringify(configured)) result.differences.push({ object: resource.object, attribute, configured, ...(imported !== undefined ? { imported } : {}) });
    }
  }
  return result;
}
