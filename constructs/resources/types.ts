/**
 * The neutral resource list: what the model compiles to, one entry per provider object, with no engine
 * in sight. Kinds are the providers' Terraform type names, which the Terraform providers and Pulumi's
 * bridged packages share; property names are camelCase, as both engines' TypeScript bindings spell
 * them. What each entry is for is its role (`roles.ts`); how each engine names an entry and its
 * attributes lives in `names.ts`.
 */
import { type Role, type RoleOf, roleName } from './roles';

/** Reference to an attribute of another entry in the same list (by role). */
export interface Ref {
  readonly ref: Role;
  readonly attribute: 'id' | 'name' | 'uuid';
}

/**
 * The SCIM token as Okta must store it: the secret named by the spec, normalised by the credential rule
 * and prefixed with `prefix`. Renderers resolve it to a sensitive variable / secret; never a literal.
 */
export interface ScimCredential {
  readonly credential: 'scimToken';
  readonly prefix: '' | 'Bearer ';
}

export type Value<T> = T | Ref;

export function isRef(value: unknown): value is Ref {
  return typeof value === 'object' && value !== null && 'ref' in value && 'attribute' in value;
}

/** How reports print a reference: `<role name.attribute>` (`<group-admins.id>`). */
export function refText(ref: Ref): string {
  return `<${roleName(ref.ref)}.${ref.attribute}>`;
}

/** An import id as reports print it: its parts concatenated, references as {@link refText}. */
export function importIdText(parts: readonly Value<string>[]): string {
  return parts.map((part) => (isRef(part) ? refText(part) : part)).join('');
}

export function isCredential(value: unknown): value is ScimCredential {
  return typeof value === 'object' && value !== null && 'credential' in value;
}

/** Whether a props tree holds the SCIM credential anywhere. */
export function hasCredential(value: unknown): boolean {
  if (isCredential(value)) return true;
  return typeof value === 'object' && value !== null && Object.values(value).some(hasCredential);
}

/**
 * The engine option `dependsOn` (both engines spell it so) for the rendered objects that `roles` name, or
 * nothing when there are none. The plan lists every entry before those that wait for it.
 */
export function dependsOnRoles<T>(roles: readonly Role[] | undefined, rendered: (role: Role) => T | undefined): { dependsOn?: T[] } {
  if (!roles || roles.length === 0) return {};
  return {
    dependsOn: roles.map((role) => {
      const target = rendered(role);
      if (target === undefined) throw new Error(`internal: ${roleName(role)} is depended on before it is rendered`);
      return target;
    }),
  };
}

type Status = 'ENABLED' | 'DISABLED';

interface AppProps {
  label: string;
  preconfiguredApp: string;
  status: 'ACTIVE' | 'INACTIVE';
  /** Application username format; `${source.email}` is Okta expression syntax, kept literal by the renderers. */
  userNameTemplate: string;
  userNameTemplateType: 'BUILT_IN' | 'CUSTOM';
}

export interface ResourceProps {
  okta_app_auto_login: AppProps;
  okta_app_saml: AppProps;
  okta_app_connection: {
    /** The app id; Pulumi spells this input `idProperty`. */
    id: Ref;
    baseUrl: string;
    action: 'activate' | 'deactivate';
    profile: { authScheme: 'TOKEN'; token: ScimCredential };
  };
  okta_app_features: {
    appId: Ref;
    name: 'USER_PROVISIONING';
    status: Status;
    capabilities: {
      create: { lifecycleCreate: { status: Status } };
      update: {
        lifecycleDeactivate: { status: Status };
        profile: { status: Status };
        password: { status: Status; seed: 'RANDOM'; change: 'KEEP_EXISTING' };
      };
    };
  };
  okta_group: { name: string; description?: string };
  okta_app_group_assignment: { appId: Ref; groupId: Value<string>; priority?: number; retainAssignment: boolean };
  /** The target is named (a group created in the app) or an existing group in the app, never both (the API refuses both). */
  okta_push_group: {
    appId: Ref;
    sourceGroupId: Value<string>;
    status: 'ACTIVE';
    deleteTargetGroupOnDestroy: boolean;
  } & ({ targetGroupName: string } | { targetGroupId: string });
  /** Every policy bound to one group at one level (it replaces what else is bound there). */
  dynatrace_iam_policy_bindings_v2: {
    group: Ref & { readonly ref: RoleOf<'iamGroup'> };
    account?: string;
    environment?: string;
    /** Pulumi spells this block `policies`. */
    policy: { id: Value<string>; parameters?: Readonly<Record<string, string>>; boundaries?: readonly string[] }[];
  };
}

export interface DataSourceProps {
  /**
   * An Okta group by name, of type `OKTA_GROUP` only: an app that imports groups back (the SCIM apps offer
   * "Import Groups") creates an `APP_GROUP` of the same name, which a lookup by name alone may return.
   */
  okta_group: { name: string; type: 'OKTA_GROUP' };
  /** The existing SSO app, by id or by exact label. */
  okta_app: { id: string } | { label: string };
  /** A SCIM group in Dynatrace, by its exact (pushed) name; the id is empty when it is not there yet. */
  dynatrace_iam_group: { name: string };
  /** A policy by name and where it is defined (neither `account` nor `environment`: global). */
  dynatrace_iam_policy: { name: string; account?: string; environment?: string };
}

export type ResourceKind = keyof ResourceProps;
export type DataSourceKind = keyof DataSourceProps;

/** The role of each kind of entry: an assignment's role carries its group's key, a bindings resource's its level too. */
interface ResourceRoles {
  okta_app_auto_login: 'app';
  okta_app_saml: 'app';
  okta_app_connection: 'connection';
  okta_app_features: 'features';
  okta_group: 'group';
  okta_app_group_assignment: 'assignment';
  okta_push_group: 'push';
  dynatrace_iam_policy_bindings_v2: 'iamBindings';
}

interface DataSourceRoles {
  okta_group: 'group';
  okta_app: 'app';
  dynatrace_iam_group: 'iamGroup';
  dynatrace_iam_policy: 'iamPolicy';
}

export interface ResourceOptions {
  /** Refuse deletion (Terraform `lifecycle.prevent_destroy`, Pulumi `protect`). */
  readonly protect: boolean;
  /** Adopt an existing object instead of creating one: its import id, as parts concatenated (refs allowed). */
  readonly importId?: readonly Value<string>[];
  /** Roles that must be applied first although no attribute refers to them (e.g. provisioning before a push). */
  readonly dependsOn?: readonly Role[];
  /**
   * Properties whose later changes the engine leaves alone (Terraform `lifecycle.ignore_changes`, Pulumi
   * `ignoreChanges`): ones that only matter when the object is created and that the provider does not read back.
   */
  readonly ignoreChanges?: readonly string[];
}

/**
 * A condition on what a data source found, checked by the engine before anything depends on it
 * (Terraform `lifecycle.postcondition`, Pulumi an error in the lookup's result): lookups that match by
 * prefix must not silently return another object, and lookups that answer "nothing" with null or empty
 * attributes must not let them through (`present` rejects null and `""` alike).
 */
export type DataCheck =
  | { readonly attribute: 'name' | 'label'; readonly equals: string; readonly message: string }
  | { readonly attribute: 'id' | 'uuid'; readonly present: true; readonly message: string };

export type PlannedResource = {
  [K in ResourceKind]: {
    readonly type: 'resource';
    /** What the entry is for; its name (`roleName`) becomes the Terraform logical id and the Pulumi name suffix. */
    readonly role: RoleOf<ResourceRoles[K]>;
    readonly kind: K;
    readonly props: ResourceProps[K];
    readonly options: ResourceOptions;
  };
}[ResourceKind];

export type PlannedDataSource = {
  [K in DataSourceKind]: {
    readonly type: 'data';
    readonly role: RoleOf<DataSourceRoles[K]>;
    readonly kind: K;
    readonly props: DataSourceProps[K];
    readonly checks: readonly DataCheck[];
    /** Roles to wait for: the read is deferred until they are applied (a pushed group's push mapping). */
    readonly dependsOn?: readonly Role[];
  };
}[DataSourceKind];

export type PlannedEntry = PlannedResource | PlannedDataSource;
