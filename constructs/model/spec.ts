/**
 * The public, engine-neutral description of one tenant's Okta → Dynatrace SCIM integration.
 *
 * These interfaces are what users write (in TypeScript or in the tenants YAML file). Every optional
 * property documents its `@default`: the decision this library makes when the user says nothing.
 * Nothing here imports CDKTF or Pulumi.
 */

/**
 * How Okta authenticates to Dynatrace SCIM. Dynatrace accepts only `Authorization: Bearer <token>`.
 * - `header`: *SCIM 2.0 Test App (Header Auth)*; Okta sends the configured value verbatim, so the
 *   value must be `Bearer <token>`.
 * - `oauthBearer`: *SCIM 2.0 Test App (OAuth Bearer Token)*; Okta prepends `Bearer ` itself, so the
 *   value is the raw token.
 */
export type AuthMode = 'header' | 'oauthBearer';

/**
 * The Okta sign-on mode the catalog app is created with; it decides the Terraform resource type.
 * - `autoLogin`: `okta_app_auto_login` (AUTO_LOGIN). Users never sign in through this app; it only
 *   provisions. This is also what `okta_app_swa` sends once `preconfigured_app` is set.
 * - `saml`: `okta_app_saml` (SAML_2_0), for tenants that sign in to Dynatrace through this same app.
 */
export type SignOnMode = 'autoLogin' | 'saml';

/**
 * Whether the provisioning connection and features are managed through Okta's API.
 * - `managed`: emit `okta_app_connection` + `okta_app_features`.
 * - `manual`: emit neither; the main job prints a checklist of the clicks an admin makes once.
 *   Use it when Okta answers the connection with status `UNKNOWN` (the app's provisioning is not
 *   reachable through the public API).
 */
export type ConnectionMode = 'managed' | 'manual';

/** Okta application status. */
export type AppStatus = 'ACTIVE' | 'INACTIVE';

/**
 * Where a secret comes from at plan/apply time. The secret itself never appears in configuration.
 * At least one of the two must be given.
 */
export interface SecretSource {
  /** Name of the environment variable that holds the secret in CI (e.g. `ACME_DT_SCIM_TOKEN`). */
  readonly env?: string;
  /** Pulumi config key holding the secret (`pulumi config set --secret <key>`). */
  readonly pulumiConfig?: string;
}

/** What Okta does in Dynatrace on the tenant's behalf ("Provisioning to App" in the Okta admin UI). */
export interface ProvisioningFeatures {
  /** Create users in Dynatrace when they are assigned. @default true */
  readonly createUsers?: boolean;
  /** Push changes of given name, family name and e-mail to Dynatrace. @default true */
  readonly updateUserAttributes?: boolean;
  /**
   * Deactivate users in Dynatrace when they are unassigned or deactivated in Okta. Turning this off
   * leaves stale Dynatrace accounts behind. @default true
   */
  readonly deactivateUsers?: boolean;
  /** Push Okta passwords. Dynatrace signs users in through SSO, so this stays off. @default false */
  readonly syncPassword?: boolean;
}

/**
 * One Okta group assigned to the app (its members are provisioned to Dynatrace), and optionally pushed
 * (the group itself, with its memberships, is created in Dynatrace with owner `SCIM`).
 *
 * Exactly one way of naming the group:
 * - `id`: an existing group, by its Okta id (`name` may be given too: it is then only the push target name);
 * - `name`: an existing group, looked up by name (`data.okta_group`);
 * - `name` + `create: true`: a group created and owned by this stack (`okta_group`).
 */
export interface GroupSpec {
  /**
   * Stable key of this group inside the tenant: it becomes part of the Terraform address and the
   * Pulumi resource name, so renaming or reordering groups never replaces anything.
   * Lowercase letters, digits and dashes. @default derived from `name` (or `id`)
   */
  readonly key?: string;
  /** Okta group id of an existing group (e.g. `00g1a2b3c4d5e6f7g8h9`). */
  readonly id?: string;
  /** Okta group name: looked up, or created when `create` is true. */
  readonly name?: string;
  /** Create the group in Okta (requires `name`). @default false */
  readonly create?: boolean;
  /** Description of a created group. Only with `create: true`. @default none */
  readonly description?: string;
  /** Assignment priority (0 is highest); decides which group's app profile wins. @default none (Okta's order) */
  readonly priority?: number;
  /** Push this group to Dynatrace. @default false */
  readonly push?: boolean;
  /** Name of the pushed group in Dynatrace. @default the group's `name` */
  readonly pushAs?: string;
}

/** Everything needed to provision one Dynatrace account from one Okta org. */
export interface ScimIntegrationSpec {
  /** Label of the Okta app, as admins see it in the Okta dashboard (e.g. `Dynatrace SCIM`). */
  readonly label: string;
  /** Which SCIM 2.0 test app, and therefore which token format. See {@link AuthMode}. */
  readonly authMode: AuthMode;
  /**
   * Dynatrace SCIM Base URL, as shown in Account Management → Identity & access management →
   * SCIM configuration: `https://api.sso.dynatrace.com/idm/public/scim/<account-uuid>/v2`.
   * Must be https, without credentials, query or fragment.
   */
  readonly scimBaseUrl: string;
  /** Where the Dynatrace SCIM token comes from. Never the token itself. */
  readonly scimToken: SecretSource;
  /** @default 'autoLogin' */
  readonly signOn?: SignOnMode;
  /** @default 'managed' */
  readonly connection?: ConnectionMode;
  /** @default all on except `syncPassword` */
  readonly provisioning?: ProvisioningFeatures;
  /** Groups assigned to the app (and optionally pushed). @default none */
  readonly groups?: readonly GroupSpec[];
  /** @default 'ACTIVE' */
  readonly status?: AppStatus;
  /**
   * Escape hatch: the OIN catalog name (`preconfigured_app`) to create, when your org's catalog differs.
   * @default `scim2headerauth` for `header`, `scim2testapp` for `oauthBearer` (see `CATALOG_APPS`)
   */
  readonly oinAppName?: string;
  /**
   * What happens to live objects when they leave the code. See {@link RemovalPolicy}.
   * @default 'retain'
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Id of an Okta app that an admin already set up by hand (e.g. `0oa1a2b3c4d5e6f7g8h9`). The stacks
   * then import it, its provisioning settings and its group assignments instead of creating new ones,
   * so the tenant comes under code without deprovisioning anybody. @default none (create a new app)
   */
  readonly existingAppId?: string;
}

/**
 * - `retain`: the Okta app and its provisioning connection refuse to be destroyed (Terraform
 *   `prevent_destroy`, Pulumi `protect`); group assignments are kept in Okta when the code stops managing
 *   them (`retain_assignment`); pushed groups stay in Dynatrace when their push mapping goes
 *   (`delete_target_group_on_destroy = false`), so their permissions survive.
 * - `destroy`: everything this integration created may be deleted (for short-lived test tenants).
 */
export type RemovalPolicy = 'retain' | 'destroy';
