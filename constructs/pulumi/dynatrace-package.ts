/**
 * Typed bindings to the Pulumi package `dynatrace` (npm `@pulumiverse/dynatrace`, bridged from
 * terraform-provider-dynatrace), written against its resource types because the npm package does not
 * install here. Only what closes the loop after SCIM:
 * - {@link DynatraceProvider}: `pulumi:providers:dynatrace`, IAM only;
 * - {@link IamPolicyBindingsV2}: every policy of one group at one level (account or environment); it
 *   **replaces every binding** of that group at that level;
 * - {@link getIamGroupOutput} / {@link getIamPolicyOutput}: lookups by name. Both answer **no error** and
 *   null (or empty) attributes when nothing matches: use {@link existingGroupId} / {@link existingPolicyUuid},
 *   which fail the preview instead.
 *
 * Every registration and invoke carries the package `version` and `pluginDownloadURL`, so `pulumi up`
 * downloads that plugin (from GitHub releases of pulumiverse/pulumi-dynatrace) without the npm package.
 * Type tokens, argument names and the version come from dynatrace-package.generated.ts, generated from the
 * committed schema fixture (scripts/gen-dynatrace-bindings.ts). Docs: docs/research/dynatrace-iam.md.
 */
import * as pulumi from '@pulumi/pulumi';
import { missingGroupMessage, missingPolicyMessage } from '../dynatrace/lookup-messages';
import {
  DYNATRACE_PULUMI_PACKAGE,
  DYNATRACE_PULUMI_SECRET_PROVIDER_ARGUMENTS,
  DYNATRACE_PULUMI_TOKENS,
  type DynatraceProviderArguments,
  type GetIamGroupArgs,
  type GetIamGroupResult,
  type GetIamPolicyArgs,
  type GetIamPolicyResult,
  type IamPolicyBindingsV2Args,
  type IamPolicyBindingsV2Policy,
} from './dynatrace-package.generated';

export type { GetIamGroupArgs, GetIamGroupResult, GetIamPolicyArgs, GetIamPolicyResult, IamPolicyBindingsV2Args, IamPolicyBindingsV2Policy, IamPolicyBindingsV2PolicyArgs } from './dynatrace-package.generated';
export { DYNATRACE_PULUMI_PACKAGE, DYNATRACE_PULUMI_TOKENS } from './dynatrace-package.generated';

/** Added to every resource option and invoke option: which plugin the engine loads, and from where. */
export const DYNATRACE_PACKAGE_OPTIONS = { version: DYNATRACE_PULUMI_PACKAGE.version, pluginDownloadURL: DYNATRACE_PULUMI_PACKAGE.pluginDownloadURL } as const;

/**
 * Provider arguments for IAM. Without `iamClientId` / `iamClientSecret` the provider reads its environment
 * (`DT_CLIENT_ID` / `DT_CLIENT_SECRET`, or `IAM_CLIENT_ID` / `IAM_CLIENT_SECRET`, which win), and without
 * `iamAccountId` it reads `DT_ACCOUNT_ID`.
 */
export interface DynatraceProviderArgs extends Pick<DynatraceProviderArguments, 'iamAccountId' | 'iamEndpointUrl' | 'iamTokenUrl'> {
  /**
   * The OAuth client id from a Pulumi config secret (`config.requireSecret(key)`). An `Output`, never a plain
   * string, so it cannot be written into the program; registered as a secret. @default $DT_CLIENT_ID
   */
  readonly iamClientId?: pulumi.Output<string>;
  /**
   * The OAuth client secret from a Pulumi config secret (`config.requireSecret(key)`); registered as a secret.
   * @default $DT_CLIENT_SECRET
   */
  readonly iamClientSecret?: pulumi.Output<string>;
}

const PROVIDER_ARGUMENTS = ['iamAccountId', 'iamEndpointUrl', 'iamTokenUrl', 'iamClientId', 'iamClientSecret'] as const satisfies readonly (keyof DynatraceProviderArguments)[];
const SECRET_ARGUMENTS: ReadonlySet<string> = new Set(DYNATRACE_PULUMI_SECRET_PROVIDER_ARGUMENTS);

/** `pulumi:providers:dynatrace` at the package version, IAM only (no `dtEnvUrl`, no API token needed). */
export class DynatraceProvider extends pulumi.ProviderResource {
  constructor(name: string, args: DynatraceProviderArgs = {}, opts: pulumi.ResourceOptions = {}) {
    const unexpected = Object.keys(args).filter((key) => !(PROVIDER_ARGUMENTS as readonly string[]).includes(key));
    if (unexpected.length > 0) throw new Error(`DynatraceProvider ${name}: ${unexpected.join(', ')} cannot be set here`);
    for (const key of ['iamClientId', 'iamClientSecret'] as const) {
      if (args[key] !== undefined && !pulumi.Output.isInstance(args[key])) {
        throw new Error(`DynatraceProvider ${name}: ${key} must come from a Pulumi config secret (config.requireSecret), not a plain string`);
      }
    }
    // As the package's own SDK does: the arguments the schema marks secret are registered as secrets.
    const inputs: pulumi.Inputs = {};
    for (const key of PROVIDER_ARGUMENTS) {
      const value = args[key];
      if (value !== undefined) inputs[key] = SECRET_ARGUMENTS.has(key) ? pulumi.secret(value) : value;
    }
    const secretOutputs = { additionalSecretOutputs: PROVIDER_ARGUMENTS.filter((key) => SECRET_ARGUMENTS.has(key)) };
    super(DYNATRACE_PULUMI_PACKAGE.name, name, inputs, pulumi.mergeOptions(pulumi.mergeOptions({ ...DYNATRACE_PACKAGE_OPTIONS }, opts), secretOutputs));
  }
}

/** `dynatrace:index/iamPolicyBindingsV2:IamPolicyBindingsV2` (Terraform `dynatrace_iam_policy_bindings_v2`). */
export class IamPolicyBindingsV2 extends pulumi.CustomResource {
  static readonly __pulumiType = DYNATRACE_PULUMI_TOKENS.iamPolicyBindingsV2;

  /** The account uuid, when bound at account level. */
  declare readonly account: pulumi.Output<string | undefined>;
  /** The environment id, when bound at environment level. */
  declare readonly environment: pulumi.Output<string | undefined>;
  /** The group uuid. */
  declare readonly group: pulumi.Output<string>;
  declare readonly policies: pulumi.Output<IamPolicyBindingsV2Policy[] | undefined>;

  constructor(name: string, args: IamPolicyBindingsV2Args, opts: pulumi.CustomResourceOptions = {}) {
    // The schema's AtLeastOneOf / ConflictsWith on account and environment, checked before the engine does.
    if ((args.account === undefined) === (args.environment === undefined)) {
      throw new Error(`IamPolicyBindingsV2 ${name}: set exactly one of account (account uuid) or environment (environment id)`);
    }
    const inputs: pulumi.Inputs = { account: args.account, environment: args.environment, group: args.group, policies: args.policies };
    super(IamPolicyBindingsV2.__pulumiType, name, inputs, pulumi.mergeOptions({ ...DYNATRACE_PACKAGE_OPTIONS }, opts));
  }
}

/** Invoke `dynatrace:index/getIamGroup:getIamGroup`: a group by exact name. `id` is null or `""` when none matches. */
export function getIamGroupOutput(args: GetIamGroupArgs, opts: pulumi.InvokeOutputOptions = {}): pulumi.Output<GetIamGroupResult> {
  return pulumi.runtime.invokeOutput(DYNATRACE_PULUMI_TOKENS.getIamGroup, { name: args.name }, { ...DYNATRACE_PACKAGE_OPTIONS, ...opts });
}

/**
 * Invoke `dynatrace:index/getIamPolicy:getIamPolicy`: a policy by name and the level it is defined at (no
 * account/environment: global). `uuid` is null or `""` when none matches.
 */
export function getIamPolicyOutput(args: GetIamPolicyArgs, opts: pulumi.InvokeOutputOptions = {}): pulumi.Output<GetIamPolicyResult> {
  const inputs = { account: args.account, environment: args.environment, name: args.name, uuid: args.uuid };
  return pulumi.runtime.invokeOutput(DYNATRACE_PULUMI_TOKENS.getIamPolicy, inputs, { ...DYNATRACE_PACKAGE_OPTIONS, ...opts });
}

/** The uuid of the group named `name`; fails the preview (not just the apply) when Dynatrace has no such group. */
export function existingGroupId(name: string, opts: pulumi.InvokeOutputOptions = {}): pulumi.Output<string> {
  return getIamGroupOutput({ name }, opts).apply((group) => {
    if (!group.id) throw new pulumi.RunError(missingGroupMessage(name));
    return group.id;
  });
}

/** The uuid of a policy (see {@link getIamPolicyOutput}); fails the preview when there is none. */
export function existingPolicyUuid(args: { name: string; account?: string; environment?: string }, opts: pulumi.InvokeOutputOptions = {}): pulumi.Output<string> {
  const definedAt = args.account ? `account ${args.account}` : args.environment ? `environment ${args.environment}` : 'global';
  return getIamPolicyOutput(args, opts).apply((policy) => {
    if (!policy.uuid) throw new pulumi.RunError(missingPolicyMessage(args.name, definedAt));
    return policy.uuid;
  });
}
