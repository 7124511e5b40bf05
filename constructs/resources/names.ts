/**
 * How each engine names a neutral entry and its attributes, in one place: the renderers take their
 * logical ids and resource names from here, and every report (synth, review, verify) prints these
 * names, so a reader can match each line to `terraform plan` or `pulumi preview`.
 *
 * - Terraform: address `<type>.<prefix>_<role>` (`data.` for data sources), snake_case attributes,
 *   `lifecycle.prevent_destroy` for the guard.
 * - Pulumi: type token and `<component>-<role>`, camelCase inputs (`id` of a connection is
 *   `idProperty`), `protect` for the guard. Data sources are invokes (function tokens).
 *
 * `<role>` is the role's stable name ({@link roleName}).
 */
import { type Role, roleName } from './roles';
import type { DataSourceKind, PlannedEntry, ResourceKind } from './types';

/** The two engines the model renders for (CDK for Terraform, Pulumi); reports name objects as the chosen one does. */
export const ENGINES = ['terraform', 'pulumi'] as const;
export type Engine = (typeof ENGINES)[number];

export interface Naming {
  /** Prefix of Terraform logical ids (`<prefix>_<role>`). The tenant stacks use `dynatrace`. */
  readonly logicalIdPrefix: string;
  /** Name of the Pulumi component; children are `<component>-<role>`. The tenant programs use the tenant name. */
  readonly componentName: string;
}

/** Pulumi type tokens of `@pulumi/okta` 7 and the dynatrace package, per kind (checked against the classes by a test). */
export const PULUMI_TYPES: Record<ResourceKind, string> = {
  okta_app_auto_login: 'okta:app/autoLogin:AutoLogin',
  okta_app_saml: 'okta:app/saml:Saml',
  okta_app_connection: 'okta:app/connection:Connection',
  okta_app_features: 'okta:app/features:Features',
  okta_group: 'okta:group/group:Group',
  okta_app_group_assignment: 'okta:app/groupAssignment:GroupAssignment',
  okta_push_group: 'okta:index/pushGroup:PushGroup',
  dynatrace_iam_policy_bindings_v2: 'dynatrace:index/iamPolicyBindingsV2:IamPolicyBindingsV2',
};

/** Pulumi function tokens of the data sources' invokes. */
export const PULUMI_INVOKES: Record<DataSourceKind, string> = {
  okta_group: 'okta:group/getGroup:getGroup',
  okta_app: 'okta:app/getApp:getApp',
  dynatrace_iam_group: 'dynatrace:index/getIamGroup:getIamGroup',
  dynatrace_iam_policy: 'dynatrace:index/getIamPolicy:getIamPolicy',
};

/** Pulumi inputs spelled differently from the provider's attribute (Pulumi reserves `id`). */
const PULUMI_RENAMED: Partial<Record<ResourceKind, Record<string, string>>> = {
  okta_app_connection: { id: 'idProperty' },
  dynatrace_iam_policy_bindings_v2: { policy: 'policies' },
};

/** Names of the tenant stacks' objects: `dynatrace_<role>` in Terraform, `<tenant>-<role>` in Pulumi. */
export function tenantNaming(tenant: string): Naming {
  return { logicalIdPrefix: 'dynatrace', componentName: tenant };
}

/** Words of lowercase letters and digits joined by single dashes: what role names are, almost always. */
const DASHED_WORDS = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function snakeCase(text: string): string {
  if (DASHED_WORDS.test(text)) return text.replaceAll('-', '_'); // the general rules below give the same
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

export function terraformLogicalId(role: Role, naming: Pick<Naming, 'logicalIdPrefix'>): string {
  return `${naming.logicalIdPrefix}_${snakeCase(roleName(role))}`;
}

/** The sensitive Terraform variable holding the SCIM token (`dynatrace_scim_token`; CI sets `TF_VAR_<it>`). */
export function terraformTokenVariable(naming: Pick<Naming, 'logicalIdPrefix'>): string {
  return `${naming.logicalIdPrefix}_scim_token`;
}

/** `okta_app_auto_login.dynatrace_app`, `data.okta_group.dynatrace_group_admins`. */
export function terraformAddress(entry: Pick<PlannedEntry, 'type' | 'kind' | 'role'>, naming: Pick<Naming, 'logicalIdPrefix'>): string {
  return `${entry.type === 'data' ? 'data.' : ''}${entry.kind}.${terraformLogicalId(entry.role, naming)}`;
}

export function pulumiName(role: Role, naming: Pick<Naming, 'componentName'>): string {
  return `${naming.componentName}-${roleName(role)}`;
}

/** `okta:app/autoLogin:AutoLogin acme-app`; for a data source, its invoke and what it looks up. */
export function pulumiAddress(entry: PlannedEntry, naming: Pick<Naming, 'componentName'>): string {
  if (entry.type === 'data') return `${PULUMI_INVOKES[entry.kind]} (${Object.entries(entry.props).map(([key, value]) => `${key} ${JSON.stringify(value)}`).join(', ')})`;
  return `${PULUMI_TYPES[entry.kind]} ${pulumiName(entry.role, naming)}`;
}

export function engineAddress(engine: Engine, entry: PlannedEntry, naming: Naming): string {
  return engine === 'terraform' ? terraformAddress(entry, naming) : pulumiAddress(entry, naming);
}

/**
 * An attribute path of the neutral plan (`preconfiguredApp`, `capabilities.update.profile.status`,
 * `protect`, `import`, `dependsOn`) as the engine spells it.
 */
export function engineAttribute(engine: Engine, kind: ResourceKind | DataSourceKind, path: string): string {
  if (engine === 'terraform') {
    if (path === 'protect') return 'lifecycle.prevent_destroy';
    if (path === 'import') return 'import.id';
    if (path === 'dependsOn') return 'depends_on';
    return path.split('.').map(snakeCase).join('.');
  }
  if (path === 'import') return 'import (resource option)';
  if (path === 'protect' || path === 'dependsOn') return path;
  const [first, ...rest] = path.split('.');
  const renamed = PULUMI_RENAMED[kind as ResourceKind]?.[first!] ?? first;
  return [renamed, ...rest].join('.');
}

/** The Pulumi input name of a top-level property (for the renderer). */
export function pulumiInput(kind: ResourceKind, property: string): string {
  return PULUMI_RENAMED[kind]?.[property] ?? property;
}
