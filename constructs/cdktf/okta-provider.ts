/**
 * The one place that owns the Okta Terraform provider: its source and version constraint, the provider
 * block, and typed escape hatches for the resources the prebuilt `@cdktf/provider-okta` lacks.
 *
 * Why: `@cdktf/provider-okta` 14.1.1 is the last prebuilt binding (HashiCorp archived them) and wraps
 * provider 4.20.0, which predates `okta_app_connection`, `okta_app_features` (6.5.0) and `okta_push_group`
 * (6.6.0). We keep its generated classes for resources whose schema did not change since 4.20.0
 * (app, group, group assignment, group and app data sources) and declare the provider ourselves, so the
 * synthesized `required_providers` asks for the current major instead of pinning 4.20.0.
 */
import { TerraformProvider, TerraformResource, type TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';

export const OKTA_PROVIDER = {
  source: 'okta/okta',
  /** Everything used here exists since 6.6.0; 7.x is what `@pulumi/okta` 7 is built from. */
  versionConstraint: '~> 7.0',
} as const;

const GENERATOR_METADATA = { providerName: 'okta', providerVersionConstraint: OKTA_PROVIDER.versionConstraint };

export interface OktaProviderConfig {
  /** Org subdomain (`acme` for acme.okta.com). */
  readonly orgName: string;
  /** e.g. `okta.com`. */
  readonly baseUrl: string;
  /**
   * Only for OAuth private-key clients: the client id (not secret). Keys come from `OKTA_API_PRIVATE_KEY`.
   * @default none (the provider authenticates with `OKTA_API_TOKEN`)
   */
  readonly clientId?: string;
  /** Key id (`kid`) of the private key, when the service app has several. @default none */
  readonly privateKeyId?: string;
  /** OAuth scopes of a private-key client (`REQUIRED_OKTA_SCOPES` covers what the stacks manage). @default none */
  readonly scopes?: readonly string[];
}

/**
 * The `okta` provider block. Credentials are deliberately not properties: the provider reads
 * `OKTA_API_TOKEN` or `OKTA_API_PRIVATE_KEY` from its environment, so they never reach `cdk.tf.json`.
 */
export class OktaProvider extends TerraformProvider {
  constructor(scope: Construct, id: string, private readonly config: OktaProviderConfig) {
    super(scope, id, { terraformResourceType: 'okta', terraformGeneratorMetadata: GENERATOR_METADATA, terraformProviderSource: OKTA_PROVIDER.source });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return snakeCaseKeys({ ...this.config, ...(this.config.scopes ? { scopes: [...this.config.scopes] } : {}) });
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return hclAttributes(this.synthesizeAttributes());
  }
}

/** `okta_app_connection` (provider ≥ 6.5.0): the app's provisioning connection. */
export interface AppConnectionConfig extends TerraformMetaArguments {
  /** App id. */
  readonly id: string;
  readonly baseUrl: string;
  readonly action: 'activate' | 'deactivate';
  readonly profile: { readonly authScheme: 'TOKEN' | 'OAUTH2'; readonly token?: string; readonly clientId?: string };
}

type FeatureStatus = 'ENABLED' | 'DISABLED';

/** `okta_app_features` (provider ≥ 6.5.0): provisioning features; cannot be deleted, only disabled. */
export interface AppFeaturesConfig extends TerraformMetaArguments {
  readonly appId: string;
  readonly name: 'USER_PROVISIONING' | 'INBOUND_PROVISIONING';
  readonly status?: FeatureStatus;
  readonly capabilities?: {
    readonly create?: { readonly lifecycleCreate?: { readonly status: FeatureStatus } };
    readonly update?: {
      readonly lifecycleDeactivate?: { readonly status: FeatureStatus };
      readonly profile?: { readonly status: FeatureStatus };
      readonly password?: { readonly status: FeatureStatus; readonly seed?: 'OKTA' | 'RANDOM'; readonly change?: 'CHANGE' | 'KEEP_EXISTING' };
    };
  };
}

/** `okta_push_group` (provider ≥ 6.6.0): a group push mapping. */
export interface PushGroupConfig extends TerraformMetaArguments {
  readonly appId: string;
  readonly sourceGroupId: string;
  readonly targetGroupName?: string;
  readonly targetGroupId?: string;
  readonly status?: 'ACTIVE' | 'INACTIVE';
  /** The provider defaults this to true, which deletes the Dynatrace group (and its permissions). */
  readonly deleteTargetGroupOnDestroy?: boolean;
}

/** A typed resource of the current Okta provider that has no prebuilt binding. */
class OktaResource<Config extends TerraformMetaArguments> extends TerraformResource {
  constructor(scope: Construct, id: string, type: string, private readonly config: Config) {
    super(scope, id, {
      terraformResourceType: type,
      terraformGeneratorMetadata: GENERATOR_METADATA,
      provider: config.provider,
      dependsOn: config.dependsOn,
      lifecycle: config.lifecycle,
      count: config.count,
      forEach: config.forEach,
    });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    const { provider, dependsOn, lifecycle, count, forEach, connection, provisioners, ...attributes } = this.config;
    return snakeCaseKeys(attributes);
  }

  /** For `cdktf synth --hcl`: the same attributes, described the way cdktf's HCL renderer expects. */
  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return hclAttributes(this.synthesizeAttributes());
  }
}

export class AppConnection extends OktaResource<AppConnectionConfig> {
  constructor(scope: Construct, id: string, config: AppConnectionConfig) {
    super(scope, id, 'okta_app_connection', config);
  }
}

export class AppFeatures extends OktaResource<AppFeaturesConfig> {
  constructor(scope: Construct, id: string, config: AppFeaturesConfig) {
    super(scope, id, 'okta_app_features', config);
  }
}

export class PushGroup extends OktaResource<PushGroupConfig> {
  constructor(scope: Construct, id: string, config: PushGroupConfig) {
    super(scope, id, 'okta_push_group', config);
  }
}

/** Nested objects are blocks, everything else a simple attribute (strings may be tokens). */
function hclAttributes(attributes: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(attributes).map(([key, value]) => {
      const block = typeof value === 'object' && value !== null && !Array.isArray(value);
      const storageClassType = Array.isArray(value) ? 'stringList' : block ? 'block' : typeof value === 'boolean' ? 'boolean' : typeof value === 'number' ? 'number' : 'string';
      return [key, { value: block ? hclAttributes(value as Record<string, unknown>) : value, isBlock: block, type: block ? 'struct' : Array.isArray(value) ? 'list' : 'simple', storageClassType }];
    }),
  );
}

/** `{ baseUrl: { authScheme } }` → `{ base_url: { auth_scheme } }`; values (including tokens) untouched. */
function snakeCaseKeys(value: unknown): Record<string, unknown> {
  const convert = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(convert);
    if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return v;
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, inner]) => inner !== undefined)
        .map(([key, inner]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), convert(inner)]),
    );
  };
  return convert(value) as Record<string, unknown>;
}

// Prebuilt bindings whose resource schemas are unchanged from 4.20.0 to 7.x (names compared); they emit
// only the attributes we set. Deep imports: the package index costs ~430 ms to load, these ~15 ms.
export { AppAutoLogin } from '@cdktf/provider-okta/lib/app-auto-login';
export { AppSaml } from '@cdktf/provider-okta/lib/app-saml';
export { AppGroupAssignment } from '@cdktf/provider-okta/lib/app-group-assignment';
export { Group } from '@cdktf/provider-okta/lib/group';
export { DataOktaGroup } from '@cdktf/provider-okta/lib/data-okta-group';
export { DataOktaApp } from '@cdktf/provider-okta/lib/data-okta-app';
