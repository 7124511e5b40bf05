/**
 * The public, engine-neutral description of one tenant's Okta → Dynatrace SCIM integration.
 *
 * These interfaces are what users write (in TypeScript or in the tenants YAML file). Every optional
 * property documents its `@default`: the decision this library makes when the user says nothing.
 * Nothing here imports CDKTF or Pulumi.
 */

/**
 * Which SCIM 2.0 test app the stack creates, and therefore how Okta authenticates to Dynatrace SCIM
 * (Dynatrace accepts only `Authorization: Bearer <token>`).
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
 * Who enters the SCIM base URL, the token and the "Provisioning to App" switches.
 * - `console`: an admin, once per tenant, in the Okta admin console (the *console step*, rendered by
 *   `synth` for each tenant). Okta's management API does not accept provisioning connections or
 *   features for the SCIM 2.0 test apps or for App Integration Wizard apps (see README, "What is code
 *   and what is the console step"), so this is the path that works on the first apply.
 * - `api`: `okta_app_connection` + `okta_app_features` through Okta's API. Only for orgs where `verify`
 *   showed Okta accepts it for this app; validation warns and names the evidence.
 */
export type ProvisioningSetup = 'console' | 'api';

/** Okta application status. */
export type AppStatus = 'ACTIVE' | 'INACTIVE';

/**
 * Where a secret comes from at plan/apply time. The secret itself never appears in configuration.
 * At least one of the two must be given.
 */
export interface SecretSource {
  /** Name of the environment variable that holds the secret in CI (e.g. `ACME_DT_SCIM_TOKEN`). @default none */
  readonly env?: string;
  /** Pulumi config key holding the secret (`pulumi config set --secret <key>`). @default none */
  readonly pulumiConfig?: string;
}

/**
 * Provisioning to Dynatrace: who sets it up, whether that is done, and the "Provisioning → To App"
 * switches.
 */
export interface ProvisioningSpec {
  /** @default 'console' */
  readonly setup?: ProvisioningSetup;
  /**
   * The console step is done: provisioning is on in Okta for this app. Declaring it moves the tenant to
   * stage 2, which adds the group push mappings (Okta refuses them while provisioning is off).
   * Only with `setup: console`; with `setup: api` the apply itself turns provisioning on.
   * @default false
   */
  readonly enabled?: boolean;
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
 * The Okta app's *Application username format*, which becomes the SCIM `userName` in Dynatrace.
 * Dynatrace needs `userName` to be a persistent e-mail address (it cannot change it later, and only
 * users whose e-mail domain is verified in Dynatrace are provisioned).
 * - `email`: the user's e-mail (`${source.email}`, built in).
 * - `oktaUsername`: the Okta username (`${source.login}`, built in); fine only when logins are e-mails.
 * - `{ template }`: an Okta expression, e.g. `${String.toLowerCase(source.email)}` (custom; `type:
 *   BUILT_IN` for one of the console's other built-in formats, as `discover` writes them).
 */
export type UsernameFormat =
  | 'email'
  | 'oktaUsername'
  | {
      /** The Okta expression Okta evaluates per user, e.g. `${String.toLowerCase(source.email)}`. */
      readonly template: string;
      /** How Okta stores the template: `BUILT_IN` for one of the console's listed formats. @default 'CUSTOM' */
      readonly type?: UsernameTemplateType;
    };

/**
 * How Okta stores a username template: `BUILT_IN` for the formats the console offers in its list (Email,
 * Okta username, Okta username prefix, …), `CUSTOM` for an expression typed in. An adopted app keeps its own.
 */
export type UsernameTemplateType = 'BUILT_IN' | 'CUSTOM';

/**
 * The existing Dynatrace SSO app (a SAML app made with Okta's App Integration Wizard) that gets SCIM
 * provisioning added to it. The stacks only read it: they never create, import, replace or destroy it.
 * Exactly one of `id` and `label`.
 */
export interface SsoAppRef {
  /** Okta app id, e.g. `0oa1a2b3c4d5e6f7g8h9` (Applications → the app → its URL). @default none */
  readonly id?: string;
  /** The app's exact label; it must name exactly one app in the org. @default none */
  readonly label?: string;
  /**
   * The groups' assignments to this app already exist: import them (Terraform `import` blocks, Pulumi
   * `import` options, id `<app id>/<group id>`) instead of writing them, so that adopting an integration
   * made by hand replaces nothing. Only with `id`; groups with `create: true` are new and not imported.
   * @default false
   */
  readonly importAssignments?: boolean;
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
  /** Okta group id of an existing group (e.g. `00g1a2b3c4d5e6f7g8h9`). @default none */
  readonly id?: string;
  /** Okta group name: looked up, or created when `create` is true. @default none */
  readonly name?: string;
  /** Create the group in Okta (requires `name`). @default false */
  readonly create?: boolean;
  /** Description of a created group. Only with `create: true`. @default none */
  readonly description?: string;
  /** Assignment priority (0 is highest); decides which group's app profile wins. @default none (Okta's order) */
  readonly priority?: number;
  /** Push this group to Dynatrace (once provisioning is enabled: stage 2). @default false */
  readonly push?: boolean;
  /** Name of the pushed group in Dynatrace. @default the group's `name` */
  readonly pushAs?: string;
  /**
   * The pushed group already exists in the app (an Okta group of type `APP_GROUP`, the push mapping's
   * `targetGroupId`): the push links to it (`target_group_id`) instead of creating a group named `pushAs`.
   * `pushAs` then only names it for `policies` and `verify`. Only for pushed groups. @default none
   */
  readonly pushTargetId?: string;
  /**
   * Id of the push mapping an admin already made for this group: the stacks import it (id
   * `<app id>/<mapping id>`) instead of creating it. Needs `pushTargetId` (the provider never reads a
   * mapping's target name back, so a target given by name would replace the mapping), an app known by id
   * (`existingAppId` or `ssoApp.id`) and stage 2. @default none (the push mapping is created)
   */
  readonly existingPushId?: string;
  /**
   * The Dynatrace access this pushed group grants: policies bound to it in Dynatrace (account level or
   * per environment), at stage 2. The code then owns every binding of the group at those levels.
   * Only for pushed groups. @default none (permissions stay as they are in Dynatrace)
   */
  readonly policies?: readonly PolicyBindingSpec[];
}

/**
 * One Dynatrace policy bound to a pushed group (`dynatrace_iam_policy_bindings_v2`). The policy is named
 * by exactly one of `name` and `uuid`; the binding is at exactly one level: `account: true` or
 * `environment: <environment id>`.
 */
export interface PolicyBindingSpec {
  /** Policy name as Account Management shows it, e.g. `Standard User`. @default none */
  readonly name?: string;
  /** Policy uuid. @default none */
  readonly uuid?: string;
  /**
   * Where a policy given by `name` is defined (not where it is bound): Dynatrace's own policies are
   * `global`; custom ones are defined in the `account` or in an `environment` (the binding's).
   * @default 'global'
   */
  readonly definedIn?: 'global' | 'account' | 'environment';
  /** Bind at account level (applies to every environment: review flags it). @default false */
  readonly account?: boolean;
  /** Bind in this environment, e.g. `abc12345`. @default none */
  readonly environment?: string;
  /** Values for the policy's `${bindParam:…}` parameters. @default none */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Uuids of policy boundaries that restrict the binding. @default none */
  readonly boundaries?: readonly string[];
}

/**
 * The Dynatrace account whose IAM binds the pushed groups' policies, and where the OAuth client comes
 * from. Needed only when a group declares `policies`.
 */
export interface DynatraceAccountSpec {
  /**
   * Account uuid: which account binds the policies. Needed when the SCIM base URL's account id is not a
   * uuid (validation warns about such an id until this is set). @default the uuid in the SCIM base URL
   */
  readonly accountUuid?: string;
  /**
   * The OAuth client (Account Management → Identity & access management → OAuth clients) with scopes
   * `account-idm-read`, `iam-policies-management` and `account-env-read`. Sources, never values.
   */
  readonly oauthClient: {
    /** Where the OAuth client id comes from. */
    readonly clientId: SecretSource;
    /** Where the OAuth client secret comes from. */
    readonly clientSecret: SecretSource;
  };
}

/** Everything needed to provision one Dynatrace account from one Okta org. */
export interface ScimIntegrationSpec {
  /**
   * Label of the Okta app the stack creates, as admins see it in the Okta dashboard (e.g.
   * `Dynatrace SCIM`). Required unless `ssoApp` is given; not with `ssoApp`. @default none
   */
  readonly label?: string;
  /**
   * Which SCIM 2.0 test app to create, and therefore which token format. See {@link AuthMode}. Required
   * unless `ssoApp` is given; not with `ssoApp`. @default none
   */
  readonly authMode?: AuthMode;
  /**
   * Add SCIM provisioning to the existing Dynatrace SSO app instead of creating a SCIM 2.0 test app.
   * See {@link SsoAppRef}. @default none (create a test app)
   */
  readonly ssoApp?: SsoAppRef;
  /**
   * Dynatrace SCIM Base URL, as shown in Account Management → Identity & access management →
   * SCIM configuration: `https://api.sso.dynatrace.com/idm/public/scim/<account id>/v2`. The account id
   * is very likely the account uuid: any single path segment is accepted, and one that is no uuid warns
   * until `dynatrace.accountUuid` says which account it is. Must be https, without credentials, query or
   * fragment.
   */
  readonly scimBaseUrl: string;
  /**
   * The SCIM base URL is deliberately not Dynatrace's public endpoint (a proxy or a test server): skip
   * the check that it has the shape `https://api.sso.dynatrace.com/idm/public/scim/<uuid>/v2`.
   * @default false
   */
  readonly customScimEndpoint?: boolean;
  /** Where the Dynatrace SCIM token comes from. Never the token itself. */
  readonly scimToken: SecretSource;
  /**
   * How users sign in through the created app; decides its resource type. Not with `ssoApp`.
   * @default per app, as public evidence shows each created: `autoLogin` for `header`, `saml` for
   * `oauthBearer` (which warns while unset: its default used to be `autoLogin`)
   */
  readonly signOn?: SignOnMode;
  /** @default 'email' */
  readonly username?: UsernameFormat;
  /** @default `{ setup: 'console', enabled: false }`, all switches on except `syncPassword` */
  readonly provisioning?: ProvisioningSpec;
  /**
   * @deprecated replaced by `provisioning.setup` (`managed` → `api`, `manual` → `console`); still read,
   * with a warning. @default none
   */
  readonly connection?: 'managed' | 'manual';
  /** Groups assigned to the app (and optionally pushed). @default none */
  readonly groups?: readonly GroupSpec[];
  /** The Dynatrace account and OAuth client for the groups' `policies`. @default none */
  readonly dynatrace?: DynatraceAccountSpec;
  /** @default 'ACTIVE'. Not with `ssoApp`. */
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
   * Id of a SCIM 2.0 test app that an admin already set up by hand (e.g. `0oa1a2b3c4d5e6f7g8h9`). The
   * stacks then import it, its provisioning settings and the assignments of existing groups instead of
   * creating new ones, so the tenant comes under code without deprovisioning anybody.
   * Not with `ssoApp` (that app is only read, never imported). @default none (create a new app)
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
