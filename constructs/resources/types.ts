/**
 * The neutral resource list: what the model compiles to, one entry per Okta object, with no engine in
 * sight. Kinds are the Okta provider's type names, which the Terraform provider and Pulumi's bridged
 * `@pulumi/okta` share; property names are camelCase, as both engines' TypeScript bindings spell them.
 */

/** Reference to an attribute of another entry in the same list (by role). */
export interface Ref {
  readonly ref: string;
  readonly attribute: 'id' | 'name';
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

export function isCredential(value: unknown): value is ScimCredential {
  return typeof value === 'object' && value !== null && 'credential' in value;
}

type Status = 'ENABLED' | 'DISABLED';

export interface ResourceProps {
  okta_app_auto_login: { label: string; preconfiguredApp: string; status: 'ACTIVE' | 'INACTIVE' };
  okta_app_saml: { label: string; preconfiguredApp: string; status: 'ACTIVE' | 'INACTIVE' };
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
  okta_push_group: {
    appId: Ref;
    sourceGroupId: Value<string>;
    targetGroupName: string;
    status: 'ACTIVE';
    deleteTargetGroupOnDestroy: boolean;
  };
}

export interface DataSourceProps {
  okta_group: { name: string };
}

export type ResourceKind = keyof ResourceProps;
export type DataSourceKind = keyof DataSourceProps;

export interface ResourceOptions {
  /** Refuse deletion (Terraform `lifecycle.prevent_destroy`, Pulumi `protect`). */
  readonly protect: boolean;
  /** Adopt an existing object instead of creating one: its import id, as parts concatenated (refs allowed). */
  readonly importId?: readonly Value<string>[];
}

export type PlannedResource = {
  [K in ResourceKind]: {
    readonly type: 'resource';
    /** Stable role name: becomes the Terraform logical id and the Pulumi name suffix. */
    readonly role: string;
    readonly kind: K;
    readonly props: ResourceProps[K];
    readonly options: ResourceOptions;
  };
}[ResourceKind];

export type PlannedDataSource = {
  [K in DataSourceKind]: { readonly type: 'data'; readonly role: string; readonly kind: K; readonly props: DataSourceProps[K] };
}[DataSourceKind];

export type PlannedEntry = PlannedResource | PlannedDataSource;
