/**
 * The one place that owns the Dynatrace Terraform provider (`dynatrace-oss/dynatrace`): its source and
 * version, the provider block, and typed classes for the IAM objects that close the loop after SCIM:
 * - data source `dynatrace_iam_group`: finds a group by exact name. When none matches, the provider
 *   answers **no error** and an object whose attributes are all null (it calls `SetId("")`), so pair it
 *   with {@link groupMustExist} (a postcondition that rejects null and "");
 * - data source `dynatrace_iam_policy`: finds a policy uuid by name and the level it is *defined* at
 *   (omit `account`/`environment` for Dynatrace's global policies such as "Standard User");
 * - resource `dynatrace_iam_policy_bindings_v2`: the complete list of policies bound to one group at one
 *   level (account or environment). It **replaces every binding** of that group at that level.
 * Never `dynatrace_iam_group` the resource: it creates LOCAL groups, not the SCIM-owned ones.
 *
 * No prebuilt CDKTF binding exists, so the argument types and their rendering come from the committed
 * schema fixture through dynatrace-provider.generated.ts (scripts/gen-dynatrace-bindings.ts).
 * Docs: docs/research/dynatrace-iam.md.
 */
import { TerraformDataSource, TerraformProvider, TerraformResource, type Postcondition, type TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { missingGroupMessage, missingPolicyMessage } from '../dynatrace/lookup-messages';
import { escapeTemplate, foundCondition } from './terraform-text';
import {
  DYNATRACE_ARGUMENT_SHAPES,
  DYNATRACE_TERRAFORM_RELEASE,
  type ArgumentShape,
  type DataDynatraceIamGroupConfig,
  type DataDynatraceIamPolicyConfig,
  type DynatraceIamPolicyBindingsV2Config,
  type DynatraceProviderArguments,
} from './dynatrace-provider.generated';

export type { DataDynatraceIamGroupConfig, DataDynatraceIamPolicyConfig, DynatraceIamPolicyBindingsV2Config, DynatraceIamPolicyBindingsV2Policy } from './dynatrace-provider.generated';

export const DYNATRACE_PROVIDER = {
  source: DYNATRACE_TERRAFORM_RELEASE.source,
  /**
   * Pinned to the release the schema fixture was generated from: the provider ships often, and a new
   * release gets a new fixture (scripts/gen-dynatrace-schema.ts) before the pin moves.
   */
  versionConstraint: DYNATRACE_TERRAFORM_RELEASE.version,
} as const;

const GENERATOR_METADATA = { providerName: 'dynatrace', providerVersionConstraint: DYNATRACE_PROVIDER.versionConstraint };

/**
 * The `dynatrace` provider block: IAM only (no `dt_env_url`, no API token; the provider asks for them only
 * when an environment resource is used). Holds no secret: the provider reads the OAuth client from its
 * environment, `DT_CLIENT_ID` and `DT_CLIENT_SECRET` (or `IAM_CLIENT_ID` / `IAM_CLIENT_SECRET`, which win),
 * and the account from `DT_ACCOUNT_ID` unless {@link iamAccountId} is set here.
 */
export interface DynatraceProviderConfig extends Pick<DynatraceProviderArguments, 'iamEndpointUrl' | 'iamTokenUrl'> {
  /**
   * The Dynatrace account UUID (as in the SCIM base URL). Setting it pins the stack to one account, so a
   * wrong `DT_ACCOUNT_ID` in CI cannot bind policies elsewhere. Not a secret, but the provider marks it
   * sensitive: plans print `(sensitive value)`. @default $DT_ACCOUNT_ID
   */
  readonly iamAccountId?: string;
  /** Provider alias, for more than one Dynatrace account in a stack. @default none (the default provider) */
  readonly alias?: string;
}

/** The provider arguments the config above may set; everything else (client id and secret) stays in the environment. */
const PROVIDER_KEYS = ['iamAccountId', 'iamEndpointUrl', 'iamTokenUrl'] as const satisfies readonly (keyof DynatraceProviderArguments)[];

export class DynatraceProvider extends TerraformProvider {
  private providerAlias?: string;
  private readonly arguments: Record<string, unknown>;

  constructor(scope: Construct, id: string, config: DynatraceProviderConfig = {}) {
    super(scope, id, { terraformResourceType: 'dynatrace', terraformGeneratorMetadata: GENERATOR_METADATA, terraformProviderSource: DYNATRACE_PROVIDER.source });
    const { alias, ...rest } = config;
    const unexpected = Object.keys(rest).filter((key) => !(PROVIDER_KEYS as readonly string[]).includes(key));
    if (unexpected.length > 0) {
      throw new Error(`DynatraceProvider ${id}: ${unexpected.join(', ')} cannot be set here; the OAuth client id and secret come from DT_CLIENT_ID / DT_CLIENT_SECRET in the environment`);
    }
    this.providerAlias = alias;
    this.arguments = rest;
  }

  override get alias(): string | undefined {
    return this.providerAlias;
  }

  override set alias(value: string | undefined) {
    this.providerAlias = value;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return terraformArguments(this.arguments, DYNATRACE_ARGUMENT_SHAPES.provider, `provider.dynatrace`);
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return hclArguments(this.arguments, DYNATRACE_ARGUMENT_SHAPES.provider, `provider.dynatrace`);
  }
}

/** `dynatrace_iam_policy_bindings_v2`: every policy of one group at one level; replaces what is bound there. */
export class DynatraceIamPolicyBindingsV2 extends TerraformResource {
  static readonly tfResourceType = 'dynatrace_iam_policy_bindings_v2';
  private readonly arguments: Record<string, unknown>;

  constructor(scope: Construct, id: string, config: DynatraceIamPolicyBindingsV2Config) {
    const { provider, dependsOn, lifecycle, count, forEach, connection, provisioners, ...rest } = config;
    super(scope, id, { terraformResourceType: DynatraceIamPolicyBindingsV2.tfResourceType, terraformGeneratorMetadata: GENERATOR_METADATA, provider, dependsOn, lifecycle, count, forEach, connection, provisioners });
    this.arguments = rest;
  }

  /** `<group-uuid>#-#<account|environment>#-#<level id>`, also the import id. */
  get id(): string {
    return this.getStringAttribute('id');
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return terraformArguments(this.arguments, DYNATRACE_ARGUMENT_SHAPES.dynatrace_iam_policy_bindings_v2, this.terraformResourceType);
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return hclArguments(this.arguments, DYNATRACE_ARGUMENT_SHAPES.dynatrace_iam_policy_bindings_v2, this.terraformResourceType);
  }

  override toHclTerraform(): Record<string, unknown> {
    return withHclLifecycle(super.toHclTerraform() as HclDocument, 'resource', this.terraformResourceType, this.friendlyUniqueId);
  }
}

/** A typed data source of the Dynatrace provider; `lifecycle` pre/postconditions render in JSON and HCL. */
abstract class DynatraceDataSource extends TerraformDataSource {
  private readonly arguments: Record<string, unknown>;

  protected constructor(scope: Construct, id: string, type: keyof typeof DYNATRACE_ARGUMENT_SHAPES & `data.${string}`, config: TerraformMetaArguments & Record<string, unknown>) {
    // Data sources take no provisioners or connection; they are dropped like the other meta-arguments.
    const { provider, dependsOn, lifecycle, count, forEach, connection: _connection, provisioners: _provisioners, ...rest } = config;
    super(scope, id, { terraformResourceType: type.slice('data.'.length), terraformGeneratorMetadata: GENERATOR_METADATA, provider, dependsOn, lifecycle, count, forEach });
    this.arguments = rest;
  }

  private get shape(): Readonly<Record<string, ArgumentShape>> {
    return DYNATRACE_ARGUMENT_SHAPES[`data.${this.terraformResourceType}` as keyof typeof DYNATRACE_ARGUMENT_SHAPES];
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return terraformArguments(this.arguments, this.shape, `data.${this.terraformResourceType}`);
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return hclArguments(this.arguments, this.shape, `data.${this.terraformResourceType}`);
  }

  override toHclTerraform(): Record<string, unknown> {
    return withHclLifecycle(super.toHclTerraform() as HclDocument, 'data', this.terraformResourceType, this.friendlyUniqueId);
  }
}

/** `data "dynatrace_iam_group"`: a group's uuid by exact name; every attribute is null when no group has that name. */
export class DataDynatraceIamGroup extends DynatraceDataSource {
  static readonly tfResourceType = 'dynatrace_iam_group';

  constructor(scope: Construct, id: string, config: DataDynatraceIamGroupConfig) {
    super(scope, id, 'data.dynatrace_iam_group', { ...config });
  }

  /** The group uuid (null when not found: see {@link groupMustExist}). */
  get id(): string {
    return this.getStringAttribute('id');
  }
}

/** `data "dynatrace_iam_policy"`: a policy's uuid by name and the level it is defined at; all null when not found. */
export class DataDynatraceIamPolicy extends DynatraceDataSource {
  static readonly tfResourceType = 'dynatrace_iam_policy';

  constructor(scope: Construct, id: string, config: DataDynatraceIamPolicyConfig) {
    super(scope, id, 'data.dynatrace_iam_policy', { ...config });
  }

  /** `<uuid>#-#<global|account|environment>#-#<level id>`. */
  get id(): string {
    return this.getStringAttribute('id');
  }

  /** The policy uuid: what `policy { id }` of a binding takes. */
  get uuid(): string {
    return this.getStringAttribute('uuid');
  }
}

/**
 * Stops the plan when `dynatrace_iam_group` found no group of that name (the provider answers null
 * attributes instead of an error). Use in `lifecycle: { postcondition: [groupMustExist(name)] }`.
 */
export function groupMustExist(groupName: string): Postcondition {
  return {
    condition: `\${${foundCondition('id')}}`,
    errorMessage: escapeTemplate(missingGroupMessage(groupName)),
  };
}

/**
 * Stops the plan when `dynatrace_iam_policy` found no policy of that name where it was looked for (null
 * attributes, no error). `definedAt`: `global`, `account <uuid>` or `environment <id>`, as in the lookup.
 */
export function policyMustExist(policyName: string, definedAt: string): Postcondition {
  return { condition: `\${${foundCondition('uuid')}}`, errorMessage: escapeTemplate(missingPolicyMessage(policyName, definedAt)) };
}

// ---------------------------------------------------------------------------------------------------------
// Rendering from the generated argument shapes
// ---------------------------------------------------------------------------------------------------------

type Shape = Readonly<Record<string, ArgumentShape>>;

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

function entries(config: Record<string, unknown>, shape: Shape, where: string): [ArgumentShape, unknown][] {
  return Object.entries(config)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const argument = shape[key];
      if (!argument) throw new Error(`${where}: ${key} is not an argument of the Dynatrace provider ${DYNATRACE_TERRAFORM_RELEASE.version} schema`);
      return [argument, value];
    });
}

/** camelCase config → Terraform JSON arguments (snake_case names; map keys and values untouched). */
function terraformArguments(config: Record<string, unknown>, shape: Shape, where: string): Record<string, unknown> {
  return Object.fromEntries(
    entries(config, shape, where).map(([argument, value]) => {
      if (argument.kind !== 'block' || !Array.isArray(value)) return [argument.name, value];
      return [argument.name, value.map((item) => (isPlainObject(item) ? terraformArguments(item, argument.block!, `${where}.${argument.name}`) : item))];
    }),
  );
}

const SIMPLE: Record<string, string> = { string: 'string', bool: 'boolean', number: 'number' };

/** The same arguments described the way cdktf's HCL renderer expects (maps stay attributes, blocks nest). */
function hclArguments(config: Record<string, unknown>, shape: Shape, where: string): Record<string, unknown> {
  return Object.fromEntries(
    entries(config, shape, where).map(([argument, value]) => {
      switch (argument.kind) {
        case 'block':
          return [
            argument.name,
            {
              value: Array.isArray(value) ? value.map((item) => (isPlainObject(item) ? hclArguments(item, argument.block!, `${where}.${argument.name}`) : item)) : value,
              isBlock: true,
              type: argument.nesting,
              storageClassType: `${argument.name}List`,
            },
          ];
        case 'map':
          return [argument.name, { value, isBlock: false, type: 'map', storageClassType: 'stringMap' }];
        case 'set':
        case 'list':
          return [argument.name, { value, isBlock: false, type: argument.kind, storageClassType: 'stringList' }];
        default:
          return [argument.name, { value, isBlock: false, type: 'simple', storageClassType: SIMPLE[argument.kind] }];
      }
    }),
  );
}

type HclDocument = Record<string, Record<string, Record<string, Record<string, unknown>>>>;

/**
 * cdktf's HCL renderer leaves quotes unescaped in any string containing `${` (it takes it for an
 * expression), which an escaped `$${` in a message is not: escape them here.
 */
function hclMessage(text: unknown): unknown {
  return typeof text === 'string' && text.includes('${') ? text.replace(/(?<!\\)"/g, '\\"') : text;
}

/**
 * cdktf 0.21 renders `lifecycle` in HCL as plain attributes (`postcondition = [...]`), which Terraform
 * rejects: conditions are blocks. This rewrites it as a block with `precondition` / `postcondition` blocks.
 * The JSON output needs no help (Terraform JSON accepts the arrays).
 */
function withHclLifecycle(document: HclDocument, kind: 'resource' | 'data', type: string, name: string): Record<string, unknown> {
  const body = document[kind]?.[type]?.[name];
  const lifecycle = body?.lifecycle;
  if (!body || !isPlainObject(lifecycle)) return document;
  const described = Object.fromEntries(
    Object.entries(lifecycle).map(([key, value]) => {
      if ((key === 'precondition' || key === 'postcondition') && Array.isArray(value)) {
        const conditions = value.map((condition: Record<string, unknown>) =>
          Object.fromEntries(Object.entries(condition).map(([field, text]) => [field, { value: field === 'error_message' ? hclMessage(text) : text, isBlock: false, type: 'simple', storageClassType: 'string' }])),
        );
        return [key, { value: conditions, isBlock: true, type: 'list', storageClassType: `${key}List` }];
      }
      return [key, { value, isBlock: false, type: typeof value === 'boolean' ? 'simple' : 'any', storageClassType: typeof value === 'boolean' ? 'boolean' : 'any' }];
    }),
  );
  body.lifecycle = { value: described, isBlock: true, type: 'struct' };
  return document;
}
