/**
 * CDKTF renderer: the L2 construct. It validates the spec, compiles it to the neutral resource list and
 * maps each entry to its Terraform resource; nothing else.
 *
 * Terraform reads every JSON string as a template, so every literal from the plan passes through
 * {@link escapeTemplate} here, in one place: user text (labels, group names, descriptions, the base URL)
 * and Okta expressions such as `${source.email}` reach Okta exactly as written, as they do with Pulumi.
 */
import { TerraformLocal, TerraformProvider, TerraformVariable, type TerraformResource, type TerraformDataSource } from 'cdktf';
import { Construct } from 'constructs';
import { CREDENTIAL_RULE } from '../model/credential';
import { SpecError, type SpecIssue } from '../model/errors';
import { ensureResolved, type IntegrationInput, needsScimToken, type ResolvedIntegration } from '../model/resolve';
import { engineAttribute, snakeCase, terraformLogicalId, terraformTokenVariable } from '../resources/names';
import { planResources } from '../resources/plan';
import { type Role, roleName, ROLES } from '../resources/roles';
import { type DataCheck, dependsOnRoles, hasCredential, isCredential, isRef, type PlannedEntry, type PlannedResource, type ResourceKind, type DataSourceKind, type ScimCredential } from '../resources/types';
import { DataDynatraceIamGroup, DataDynatraceIamPolicy, DynatraceIamPolicyBindingsV2 } from './dynatrace-provider';
import { escapeTemplate, foundCondition, hclQuote } from './terraform-text';
import { AppAutoLogin, AppConnection, AppFeatures, AppGroupAssignment, AppSaml, DataOktaApp, DataOktaGroup, Group, PushGroup } from './okta-provider';

export interface DynatraceScimIntegrationOptions {
  /** Tenant name, added to error messages beside the construct path. @default none */
  readonly tenant?: string;
  /**
   * Prefix of every Terraform logical id (`<prefix>_app`, `<prefix>_connection`, …) and of the token
   * variable (`<prefix>_scim_token`, set with `TF_VAR_<prefix>_scim_token`). A Terraform identifier:
   * letters, digits, `_` and `-`, not starting with a digit. Changing it moves every address, so it is
   * fixed once. @default the construct id in snake_case
   */
  readonly logicalIdPrefix?: string;
  /** Okta provider to use (an `OktaProvider`, e.g. one with an `alias`). @default the stack's default `okta` provider */
  readonly provider?: TerraformProvider;
  /**
   * Dynatrace provider for the pushed groups' policies (see `DynatraceProvider`). @default the stack's
   * default `dynatrace` provider, which the stack must declare when a group has `policies`
   */
  readonly dynatraceProvider?: TerraformProvider;
}

/** The integration spec (or an already resolved one, e.g. from the tenants file) plus rendering options. */
export type DynatraceScimIntegrationProps = IntegrationInput & DynatraceScimIntegrationOptions;

type Rendered = TerraformResource | TerraformDataSource;

/** Terraform class per neutral kind. */
const RESOURCE_CLASSES = {
  okta_app_auto_login: AppAutoLogin,
  okta_app_saml: AppSaml,
  okta_app_connection: AppConnection,
  okta_app_features: AppFeatures,
  okta_group: Group,
  okta_app_group_assignment: AppGroupAssignment,
  okta_push_group: PushGroup,
  dynatrace_iam_policy_bindings_v2: DynatraceIamPolicyBindingsV2,
} satisfies Record<ResourceKind, unknown>;

const DATA_CLASSES = {
  okta_group: DataOktaGroup,
  okta_app: DataOktaApp,
  dynatrace_iam_group: DataDynatraceIamGroup,
  dynatrace_iam_policy: DataDynatraceIamPolicy,
} satisfies Record<DataSourceKind, unknown>;

/**
 * One tenant's Okta → Dynatrace SCIM integration as Terraform resources.
 *
 * @example
 * new DynatraceScimIntegration(stack, 'dynatrace', {
 *   label: 'Dynatrace SCIM',
 *   authMode: 'header',
 *   scimBaseUrl: 'https://api.sso.dynatrace.com/idm/public/scim/6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10/v2',
 *   scimToken: { env: 'ACME_DT_SCIM_TOKEN' },
 *   groups: [{ name: 'Dynatrace Admins', push: true }],
 * });
 */
export class DynatraceScimIntegration extends Construct {
  /** The validated spec with defaults applied. */
  readonly spec: ResolvedIntegration;
  /** The neutral resource list this construct rendered. */
  readonly plan: readonly PlannedEntry[];
  /** Sensitive variable holding the Dynatrace SCIM token (raw, or with a `Bearer ` prefix); only with `provisioning.setup: api`. */
  readonly tokenVariable?: TerraformVariable;
  /** Rendered Terraform objects by `<type>.<role name>` (`resource.app`, `data.group-admins`, …). */
  readonly resources: ReadonlyMap<string, Rendered>;
  private readonly prefix: string;
  private readonly providers: { readonly okta?: TerraformProvider; readonly dynatrace?: TerraformProvider };
  /** One token per referenced attribute, shared by every reference: tokens are cheap to share, not to make. */
  private readonly references = new Map<string, string>();
  /** Terraform references to the token check's locals, once the variable exists. */
  private token?: { readonly bare: string; readonly ok: string };

  /**
   * Validates `props` at once, like the rest of the construct tree's props: an invalid field throws a
   * `SpecError` naming this construct's path, each field and its fix.
   */
  constructor(scope: Construct, id: string, props: DynatraceScimIntegrationProps) {
    super(scope, id);
    const { tenant, logicalIdPrefix, provider, dynatraceProvider, ...spec } = props;
    const subject = `props of DynatraceScimIntegration at ${this.node.path}`;
    this.prefix = logicalIdPrefix ?? snakeCase(id);
    const issues = optionIssues(this.prefix, logicalIdPrefix === undefined ? id : undefined, { provider, dynatraceProvider });
    try {
      this.spec = ensureResolved(spec as IntegrationInput, tenant, subject);
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      throw new SpecError([...issues, ...error.issues], tenant, subject);
    }
    if (issues.length > 0) throw new SpecError(issues, tenant, subject);
    this.plan = planResources(this.spec);
    this.providers = { okta: provider, dynatrace: dynatraceProvider };
    if (needsScimToken(this.spec)) this.tokenVariable = this.createTokenVariable();

    const rendered = new Map<string, Rendered>();
    for (const entry of this.plan) rendered.set(`${entry.type}.${roleName(entry.role)}`, this.render(entry, rendered));
    this.resources = rendered;
  }

  /** The Okta app's id: of the app this construct created, or of the existing SSO app it read. */
  get appId(): string {
    return this.reference({ ref: ROLES.app, attribute: 'id' }, this.resources);
  }

  /** The Okta app's `name` (its OIN name, or the generated name of an App Integration Wizard app). */
  get appName(): string {
    return this.reference({ ref: ROLES.app, attribute: 'name' }, this.resources);
  }

  private render(entry: PlannedEntry, rendered: ReadonlyMap<string, Rendered>): Rendered {
    const value = (v: unknown): unknown => this.value(v, rendered);
    const id = terraformLogicalId(entry.role, { logicalIdPrefix: this.prefix });
    const provider = this.providerFor(entry.kind);
    if (entry.type === 'data') {
      const DataSource = DATA_CLASSES[entry.kind] as new (scope: Construct, id: string, config: object) => TerraformDataSource;
      const postcondition = entry.checks.map((check) => this.postcondition(check));
      const data = new DataSource(this, id, {
        ...(value(entry.props) as object),
        provider,
        ...(postcondition.length > 0 ? { lifecycle: { postcondition } } : {}),
        ...dependsOnRoles(entry.dependsOn, (role) => rendered.get(`resource.${roleName(role)}`)),
      });
      data.overrideLogicalId(id);
      return data;
    }
    const lifecycle = {
      ...(entry.options.protect ? { preventDestroy: true } : {}),
      ...(entry.options.ignoreChanges ? { ignoreChanges: entry.options.ignoreChanges.map((property) => engineAttribute('terraform', entry.kind, property)) } : {}),
      // The token is checked where it is used, by a condition over a non-sensitive boolean: a failing
      // variable validation would print the value (see README, SECURITY).
      ...(hasCredential(entry.props) ? { precondition: [{ condition: `\${${this.token!.ok}}`, errorMessage: TOKEN_ERROR }] } : {}),
    };
    const config = {
      ...(value(entry.props) as object),
      provider,
      ...(Object.keys(lifecycle).length > 0 ? { lifecycle } : {}),
      ...dependsOnRoles(entry.options.dependsOn, (role) => rendered.get(`resource.${roleName(role)}`)),
    };
    const resource = this.instantiate(entry, id, config);
    resource.overrideLogicalId(id);
    if (entry.options.importId) resource.importFrom(entry.options.importId.map((part) => value(part)).join(''), provider);
    return resource;
  }

  // The neutral props were built for these configs; `config` is them with refs resolved to tokens.
  private instantiate(entry: PlannedResource, id: string, config: object): TerraformResource {
    const Resource = RESOURCE_CLASSES[entry.kind] as new (scope: Construct, id: string, config: object) => TerraformResource;
    return new Resource(this, id, config);
  }

  /** Refs become Terraform references, the credential an expression over the variable, literals escaped text. */
  private value(v: unknown, rendered: ReadonlyMap<string, Rendered>): unknown {
    if (typeof v === 'string') return escapeTemplate(v);
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) return v.map((inner) => this.value(inner, rendered));
    if (isRef(v)) return this.reference(v, rendered);
    if (isCredential(v)) return this.credentialExpression(v);
    const converted: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(v)) converted[key] = this.value(inner, rendered);
    return converted;
  }

  private reference(ref: { ref: Role; attribute: string }, rendered: ReadonlyMap<string, Rendered>): string {
    const role = roleName(ref.ref);
    const key = `${role}.${ref.attribute}`;
    let token = this.references.get(key);
    if (token === undefined) {
      const target = rendered.get(`resource.${role}`) ?? rendered.get(`data.${role}`);
      if (!target) throw new Error(`internal: ${role} is referenced before it is rendered`);
      token = target.getStringAttribute(ref.attribute);
      this.references.set(key, token);
    }
    return token;
  }

  private providerFor(kind: string): TerraformProvider | undefined {
    return kind.startsWith('dynatrace_') ? this.providers.dynatrace : this.providers.okta;
  }

  private postcondition(check: DataCheck): { condition: string; errorMessage: string } {
    // A null attribute fails `==` as well: an all-null answer never passes either kind of check.
    const condition = 'equals' in check ? `self.${check.attribute} == ${hclQuote(check.equals)}` : foundCondition(check.attribute);
    return { condition: `\${${condition}}`, errorMessage: escapeTemplate(check.message) };
  }

  /** The credential rule as a Terraform expression: `<prefix><token without a pasted Bearer scheme>`. */
  private credentialExpression(credential: ScimCredential): string {
    return `${credential.prefix}\${${this.token!.bare}}`;
  }

  /**
   * The sensitive variable and the credential rule in HCL, with the same ASCII-only patterns as the
   * TypeScript rule (`CREDENTIAL_RULE`), so both engines accept and refuse the same tokens.
   */
  private createTokenVariable(): TerraformVariable {
    const name = terraformTokenVariable({ logicalIdPrefix: this.prefix });
    const source = this.spec.scimToken.env ? ` CI maps it from $${this.spec.scimToken.env}.` : '';
    const variable = new TerraformVariable(this, 'scim_token', {
      type: 'string',
      sensitive: true,
      nullable: false,
      description: `Dynatrace SCIM token (raw; a pasted "Bearer " prefix is accepted). Set TF_VAR_${name}.${source}`,
    });
    variable.overrideLogicalId(name);
    const trimmed = `replace(var.${name}, ${hclQuote(`/${CREDENTIAL_RULE.edges}/`)}, "")`;
    const bare = new TerraformLocal(this, 'scim_token_bare', `\${replace(${trimmed}, ${hclQuote(`/${CREDENTIAL_RULE.scheme}/`)}, "")}`);
    bare.overrideLogicalId(`${name}_bare`);
    const ok = new TerraformLocal(
      this,
      'scim_token_ok',
      `\${nonsensitive(!can(regex(${hclQuote(CREDENTIAL_RULE.doubledScheme)}, ${trimmed})) && can(regex(${hclQuote(CREDENTIAL_RULE.bareToken)}, local.${name}_bare)))}`,
    );
    ok.overrideLogicalId(`${name}_ok`);
    this.token = { bare: `local.${name}_bare`, ok: `local.${name}_ok` };
    return variable;
  }
}

/** Terraform identifiers: letters, digits, `_` and `-`, not starting with a digit. */
const TERRAFORM_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Problems of the rendering options: the logical id prefix (given, or derived from `id`) and the providers' types. */
function optionIssues(prefix: string, id: string | undefined, providers: { readonly provider?: TerraformProvider; readonly dynatraceProvider?: TerraformProvider }): SpecIssue[] {
  const issues: SpecIssue[] = [];
  if (!TERRAFORM_IDENTIFIER.test(prefix)) {
    issues.push(
      id === undefined
        ? { path: 'logicalIdPrefix', message: `"${prefix}" is not a Terraform identifier`, fix: 'use letters, digits, _ and -, starting with a letter or _' }
        : { path: 'logicalIdPrefix', message: `the construct id "${id}" gives "${prefix}", which is not a Terraform identifier`, fix: 'start the construct id with a letter, or pass logicalIdPrefix' },
    );
  }
  for (const [field, type, cls] of [['provider', 'okta', 'an OktaProvider'], ['dynatraceProvider', 'dynatrace', 'a DynatraceProvider']] as const) {
    const given: unknown = providers[field];
    if (given === undefined) continue;
    const givenType = TerraformProvider.isTerraformProvider(given) ? given.terraformResourceType : undefined;
    if (givenType !== type) {
      const what = givenType === undefined ? `a ${(given as object | null)?.constructor?.name ?? typeof given}, not a provider` : `the "${givenType}" provider`;
      issues.push({ path: field, message: `is ${what}`, fix: `pass ${cls} (okta-dynatrace-scim/cdktf)` });
    }
  }
  return issues;
}

/** Shown when the token check fails; it never quotes the token. */
export const TOKEN_ERROR =
  'The Dynatrace SCIM token is empty, starts with "Bearer Bearer", or contains spaces, control or non-ASCII characters (a copy-paste artefact such as a non-breaking space). Store the raw token as plain ASCII; a single "Bearer " prefix is accepted.';
