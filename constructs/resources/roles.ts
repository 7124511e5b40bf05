/**
 * What each entry of the neutral plan is for: a typed value with the group key (and level) it belongs to,
 * so that the renderers, review, verify and discover read the key instead of parsing a name back.
 *
 * {@link roleName} renders a role, in this one place, as the stable name that becomes the Terraform
 * logical id (`dynatrace_<name in snake_case>`) and the Pulumi name (`<tenant>-<name>`). Those are the
 * addresses of live objects: a name never changes, and it depends only on the purpose and the keys,
 * never on labels or order.
 */

/** Where a bindings resource binds a group's policies: the account, or one environment. */
export type BindingScope = 'account' | { readonly environment: string };

/** Where a policy looked up by name is defined. */
export type PolicyScope = 'global' | BindingScope;

export type Role =
  /** The Okta app: created (a catalog app) or read (the existing SSO app). */
  | { readonly kind: 'app' }
  /** The API path's provisioning connection and features. */
  | { readonly kind: 'connection' }
  | { readonly kind: 'features' }
  /** The Okta group of the group with this key: created, or looked up by name. */
  | { readonly kind: 'group'; readonly key: string }
  | { readonly kind: 'assignment'; readonly key: string }
  | { readonly kind: 'push'; readonly key: string }
  /** The pushed group in Dynatrace, looked up by its pushed name. */
  | { readonly kind: 'iamGroup'; readonly key: string }
  /** Every policy the group's Dynatrace group has at one level. */
  | { readonly kind: 'iamBindings'; readonly key: string; readonly scope: BindingScope }
  /** A policy looked up by name; `policyKey` is the name's stable key. */
  | { readonly kind: 'iamPolicy'; readonly policyKey: string; readonly definedIn: PolicyScope };

export type RoleKind = Role['kind'];
export type RoleOf<K extends RoleKind> = Extract<Role, { readonly kind: K }>;

export const ROLES = {
  app: { kind: 'app' },
  connection: { kind: 'connection' },
  features: { kind: 'features' },
  group: (key: string): RoleOf<'group'> => ({ kind: 'group', key }),
  assignment: (key: string): RoleOf<'assignment'> => ({ kind: 'assignment', key }),
  push: (key: string): RoleOf<'push'> => ({ kind: 'push', key }),
  iamGroup: (key: string): RoleOf<'iamGroup'> => ({ kind: 'iamGroup', key }),
  iamBindings: (key: string, scope: BindingScope): RoleOf<'iamBindings'> => ({ kind: 'iamBindings', key, scope }),
  iamPolicy: (policyKey: string, definedIn: PolicyScope): RoleOf<'iamPolicy'> => ({ kind: 'iamPolicy', policyKey, definedIn }),
} as const satisfies Record<RoleKind, Role | ((...args: never[]) => Role)>;

/**
 * The stable name of a role: `app`, `connection`, `features`, `group-<key>`, `assignment-<key>`,
 * `push-<key>`, `iam-group-<key>`, `iam-bindings-<key>-account` / `iam-bindings-<key>-env-<id>`,
 * `iam-policy-<policy key>` (global) / `…-account` / `…-env-<id>`.
 */
export function roleName(role: Role): string {
  switch (role.kind) {
    case 'app':
    case 'connection':
    case 'features':
      return role.kind;
    case 'group':
    case 'assignment':
    case 'push':
      return `${role.kind}-${role.key}`;
    case 'iamGroup':
      return `iam-group-${role.key}`;
    case 'iamBindings':
      return `iam-bindings-${role.key}-${scopeSuffix(role.scope)}`;
    case 'iamPolicy':
      return `iam-policy-${role.policyKey}${role.definedIn === 'global' ? '' : `-${scopeSuffix(role.definedIn)}`}`;
  }
}

function scopeSuffix(scope: BindingScope): string {
  return scope === 'account' ? 'account' : `env-${scope.environment}`;
}

export function sameRole(a: Role, b: Role): boolean {
  return roleName(a) === roleName(b);
}
