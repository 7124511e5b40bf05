/**
 * CDKTF renderer: the L2 construct. It validates the spec, compiles it to the neutral resource list and
 * maps each entry to its Terraform resource; nothing else.
 */
import { TerraformVariable, type TerraformProvider, type TerraformResource, type TerraformDataSource } from 'cdktf';
import { Construct } from 'constructs';
import { CREDENTIAL_RULE } from '../model/credential';
import { ensureResolved, type IntegrationInput, type ResolvedIntegration } from '../model/resolve';
import { planResources } from '../resources/plan';
import { isCredential, isRef, type PlannedEntry, type PlannedResource, type ResourceKind, type ScimCredential } from '../resources/types';
import { AppAutoLogin, AppConnection, AppFeatures, AppGroupAssignment, AppSaml, DataOktaGroup, Group, PushGroup } from './okta-provider';

export interface DynatraceScimIntegrationOptions {
  /** Tenant name, used in error messages. @default the construct id */
  readonly tenant?: string;
  /**
   * Prefix of every Terraform logical id (`<prefix>_app`, `<prefix>_connection`, …) and of the token
   * variable (`<prefix>_scim_token`, set with `TF_VAR_<prefix>_scim_token`). Changing it moves every
   * address, so it is fixed once. @default the construct id in snake_case
   */
  readonly logicalIdPrefix?: string;
  /** Okta provider to use. @default the stack's default `okta` provider */
  readonly provider?: TerraformProvider;
}

/** The integration spec (or an already resolved one, e.g. from the tenants file) plus rendering options. */
export type DynatraceScimIntegrationProps = IntegrationInput & DynatraceScimIntegrationOptions;

type Rendered = TerraformResource | TerraformDataSource;

/** Terraform class per neutral kind. */
const CLASSES = {
  okta_app_auto_login: AppAutoLogin,
  okta_app_saml: AppSaml,
  okta_app_connection: AppConnection,
  okta_app_features: AppFeatures,
  okta_group: Group,
  okta_app_group_assignment: AppGroupAssignment,
  okta_push_group: PushGroup,
} satisfies Record<ResourceKind, unknown>;

/**
 * One tenant's Okta → Dynatrace SCIM integration as Terraform resources.
 *
 * @example
 * new DynatraceScimIntegration(stack, 'dynatrace', {
 *   label: 'Dynatrace SCIM',
 *   authMode: 'header',
 *   scimBaseUrl: 'https://api.sso.dynatrace.com/idm/public/scim/<account-uuid>/v2',
 *   scimToken: { env: 'ACME_DT_SCIM_TOKEN' },
 *   groups: [{ name: 'Dynatrace Admins', push: true }],
 * });
 */
export class DynatraceScimIntegration extends Construct {
  /** The validated spec with defaults applied. */
  readonly spec: ResolvedIntegration;
  /** The neutral resource list this construct rendered. */
  readonly plan: readonly PlannedEntry[];
  /** Sensitive variable holding the Dynatrace SCIM token (raw, or with a `Bearer ` prefix). */
  readonly tokenVariable?: TerraformVariable;
  /** Rendered Terraform objects by role (`app`, `connection`, `assignment-<key>`, …). */
  readonly resources: ReadonlyMap<string, Rendered>;
  private readonly prefix: string;
  private readonly provider?: TerraformProvider;
  /** One token per referenced attribute, shared by every reference: tokens are cheap to share, not to make. */
  private readonly references = new Map<string, string>();

  constructor(scope: Construct, id: string, props: DynatraceScimIntegrationProps) {
    super(scope, id);
    const { tenant, logicalIdPrefix, provider, ...spec } = props;
    this.spec = ensureResolved(spec as IntegrationInput, tenant ?? id);
    this.plan = planResources(this.spec);
    this.prefix = logicalIdPrefix ?? toSnake(id);
    this.provider = provider;
    if (this.plan.some((entry) => entry.kind === 'okta_app_connection')) this.tokenVariable = this.createTokenVariable();

    const rendered = new Map<string, Rendered>();
    for (const entry of this.plan) rendered.set(this.key(entry), this.render(entry, rendered));
    this.resources = rendered;
  }

  /** The Okta app. */
  get app(): TerraformResource {
    return this.resources.get('resource.app') as TerraformResource;
  }

  private key(entry: PlannedEntry): string {
    return `${entry.type}.${entry.role}`;
  }

  private render(entry: PlannedEntry, rendered: ReadonlyMap<string, Rendered>): Rendered {
    const value = (v: unknown): unknown => this.value(v, rendered);
    const id = `${this.prefix}_${toSnake(entry.role)}`;
    if (entry.type === 'data') {
      const data = new DataOktaGroup(this, id, { ...entry.props, provider: this.provider });
      data.overrideLogicalId(id);
      return data;
    }
    const config = { ...(value(entry.props) as object), provider: this.provider, lifecycle: entry.options.protect ? { preventDestroy: true } : undefined };
    const resource = this.instantiate(entry, id, config);
    resource.overrideLogicalId(id);
    if (entry.options.importId) resource.importFrom(entry.options.importId.map((part) => value(part)).join(''), this.provider);
    return resource;
  }

  // The neutral props were built for these configs; `config` is them with refs resolved to tokens.
  private instantiate(entry: PlannedResource, id: string, config: object): TerraformResource {
    const Resource = CLASSES[entry.kind] as new (scope: Construct, id: string, config: object) => TerraformResource;
    return new Resource(this, id, config);
  }

  /** Resolves refs to Terraform references and the credential to an expression over the variable. */
  private value(v: unknown, rendered: ReadonlyMap<string, Rendered>): unknown {
    if (isRef(v)) {
      const key = `${v.ref}.${v.attribute}`;
      let token = this.references.get(key);
      if (token === undefined) {
        const target = rendered.get(`resource.${v.ref}`) ?? rendered.get(`data.${v.ref}`);
        if (!target) throw new Error(`internal: ${v.ref} is referenced before it is rendered`);
        token = target.getStringAttribute(v.attribute);
        this.references.set(key, token);
      }
      return token;
    }
    if (isCredential(v)) return this.credentialExpression(v);
    if (Array.isArray(v)) return v.map((inner) => this.value(inner, rendered));
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([key, inner]) => [key, this.value(inner, rendered)]));
    }
    return v;
  }

  /** The credential rule as a Terraform expression: `<prefix><token without a pasted Bearer scheme>`. */
  private credentialExpression(credential: ScimCredential): string {
    return `${credential.prefix}\${${this.bareTokenHcl()}}`;
  }

  private tokenVariableName(): string {
    return `${this.prefix}_scim_token`;
  }

  /** The token trimmed and without a pasted scheme: the credential rule's strip step, in HCL, used by both
   * the connection's value and the variable's validation. */
  private bareTokenHcl(): string {
    return `trimspace(replace(trimspace(var.${this.tokenVariableName()}), "/${CREDENTIAL_RULE.scheme.re2}/", ""))`;
  }

  private createTokenVariable(): TerraformVariable {
    const name = this.tokenVariableName();
    const token = `trimspace(var.${name})`;
    const source = this.spec.scimToken.env ? ` CI maps it from $${this.spec.scimToken.env}.` : '';
    const variable = new TerraformVariable(this, 'scim_token', {
      type: 'string',
      sensitive: true,
      nullable: false,
      description: `Dynatrace SCIM token (raw; a pasted "Bearer " prefix is accepted). Set TF_VAR_${name}.${source}`,
      validation: [
        {
          condition: `\${length(${token}) > 0 && length(regexall("${CREDENTIAL_RULE.doubledScheme.re2}", ${token})) == 0 && length(${this.bareTokenHcl()}) > 0}`,
          errorMessage: 'The Dynatrace SCIM token is empty or starts with "Bearer Bearer". Store the raw token (a single "Bearer " prefix is accepted).',
        },
      ],
    });
    variable.overrideLogicalId(name);
    return variable;
  }
}

function toSnake(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}
