/**
 * Pulumi renderer: a ComponentResource that validates the spec, compiles it to the neutral resource list
 * and maps each entry to its `@pulumi/okta` resource as a child; nothing else.
 */
import * as pulumi from '@pulumi/pulumi';
import { AutoLogin } from '@pulumi/okta/app/autoLogin';
import { Connection } from '@pulumi/okta/app/connection';
import { Features } from '@pulumi/okta/app/features';
import { getAppOutput } from '@pulumi/okta/app/getApp';
import { GroupAssignment } from '@pulumi/okta/app/groupAssignment';
import { Saml } from '@pulumi/okta/app/saml';
import { getGroupOutput } from '@pulumi/okta/group/getGroup';
import { Group } from '@pulumi/okta/group/group';
import { PushGroup } from '@pulumi/okta/pushGroup';
import { normaliseToken } from '../model/credential';
import { getIamGroupOutput, getIamPolicyOutput, IamPolicyBindingsV2 } from './dynatrace-package';
import { readSecret } from './secret-source';
import { SpecError } from '../model/errors';
import { ensureResolved, type IntegrationInput, needsScimToken, type ResolvedIntegration } from '../model/resolve';
import { pulumiInput, pulumiName } from '../resources/names';
import { planResources } from '../resources/plan';
import { roleName, ROLES } from '../resources/roles';
import { type DataCheck, dependsOnRoles, isCredential, isRef, type PlannedDataSource, type PlannedEntry, type PlannedResource, type ResourceKind } from '../resources/types';

export interface DynatraceScimIntegrationOptions {
  /** Tenant name, added to error messages beside the component name. @default none */
  readonly tenant?: string;
  /**
   * The Dynatrace SCIM token (raw, or with one `Bearer ` prefix). It is wrapped as a Pulumi secret.
   * Needed only with `provisioning.setup: api`.
   * @default the secret config key `scimToken.pulumiConfig`, else the environment variable `scimToken.env`
   */
  readonly scimTokenValue?: pulumi.Input<string>;
}

/** The integration spec (or an already resolved one, e.g. from the tenants file) plus the token. */
export type DynatraceScimIntegrationArgs = IntegrationInput & DynatraceScimIntegrationOptions;

/** Pulumi class per neutral kind; `@pulumi/okta` is bridged from the same Terraform provider. */
const CLASSES = {
  okta_app_auto_login: AutoLogin,
  okta_app_saml: Saml,
  okta_app_connection: Connection,
  okta_app_features: Features,
  okta_group: Group,
  okta_app_group_assignment: GroupAssignment,
  okta_push_group: PushGroup,
  dynatrace_iam_policy_bindings_v2: IamPolicyBindingsV2,
} satisfies Record<ResourceKind, unknown>;

/** What other entries may refer to, by role. */
interface Referable {
  readonly id: pulumi.Output<string>;
  readonly name?: pulumi.Output<string>;
  readonly uuid?: pulumi.Output<string>;
}

/**
 * One tenant's Okta → Dynatrace SCIM integration as Pulumi resources. Children are named
 * `<name>-<role>` (`acme-app`, `acme-assignment-dt-admins`), so names depend only on the component
 * name and each resource's role.
 */
export class DynatraceScimIntegration extends pulumi.ComponentResource {
  static readonly TYPE = 'okta-dynatrace-scim:index:DynatraceScimIntegration';

  readonly spec: ResolvedIntegration;
  readonly plan: readonly PlannedEntry[];
  /** Child resources by role name (`app`, `assignment-admins`, …). */
  readonly resources: ReadonlyMap<string, pulumi.CustomResource>;
  /** The Okta app's id: of the app this component created, or of the existing SSO app it read. */
  readonly appId: pulumi.Output<string>;
  /** The Okta app's `name` (its OIN name, or the generated name of an App Integration Wizard app). */
  readonly appName: pulumi.Output<string>;

  /**
   * Validates `args` at once: an invalid field throws a `SpecError` naming this component, each field and
   * its fix.
   */
  constructor(name: string, args: DynatraceScimIntegrationArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super(DynatraceScimIntegration.TYPE, name, {}, opts);
    const { tenant, scimTokenValue, ...spec } = args;
    const subject = `args of DynatraceScimIntegration "${name}"`;
    this.spec = ensureResolved(spec as IntegrationInput, tenant, subject);
    this.plan = planResources(this.spec);

    const referable = new Map<string, Referable>();
    const resources = new Map<string, pulumi.CustomResource>();
    const token = needsScimToken(this.spec) ? this.token(scimTokenValue, tenant, subject) : undefined;
    for (const entry of this.plan) {
      if (entry.type === 'data') {
        referable.set(roleName(entry.role), this.lookup(entry, resources));
        continue;
      }
      const resource = this.render(name, entry, referable, resources, token);
      resources.set(roleName(entry.role), resource);
      referable.set(roleName(entry.role), { id: resource.id, ...('name' in resource ? { name: resource.name as pulumi.Output<string> } : {}) });
    }
    this.resources = resources;
    const app = referable.get(roleName(ROLES.app))!;
    this.appId = app.id;
    this.appName = app.name!;
    this.registerOutputs({ appId: this.appId, appName: this.appName });
  }

  /** A data source as an invoke (after the resources it waits for), its checks failing the deployment with their message. */
  private lookup(entry: PlannedDataSource, resources: ReadonlyMap<string, pulumi.CustomResource>): Referable {
    const opts: pulumi.InvokeOutputOptions = { parent: this, ...dependsOnRoles(entry.dependsOn, (role) => resources.get(roleName(role))) };
    let found: pulumi.Output<{ id?: string; name?: string; label?: string; uuid?: string }>;
    switch (entry.kind) {
      case 'okta_group':
        found = getGroupOutput(entry.props, opts);
        break;
      case 'okta_app':
        found = getAppOutput(entry.props, opts);
        break;
      case 'dynatrace_iam_group':
        found = getIamGroupOutput(entry.props, opts);
        break;
      case 'dynatrace_iam_policy':
        found = getIamPolicyOutput(entry.props, opts);
        break;
    }
    const checked = found.apply((result) => {
      for (const check of entry.checks) failUnless(check, result[check.attribute]);
      return result;
    });
    return { id: checked.apply((result) => result.id!), name: checked.apply((result) => result.name!), uuid: checked.apply((result) => result.uuid!) };
  }

  private render(
    name: string,
    entry: PlannedResource,
    referable: ReadonlyMap<string, Referable>,
    resources: ReadonlyMap<string, pulumi.CustomResource>,
    token: pulumi.Output<string> | undefined,
  ): pulumi.CustomResource {
    const value = (v: unknown): unknown => {
      if (isRef(v)) return referable.get(roleName(v.ref))![v.attribute]!;
      // `token` is a secret Output; what is derived from it stays secret.
      if (isCredential(v)) return token!.apply((raw) => `${v.prefix}${normaliseToken(raw)}`);
      if (Array.isArray(v)) return v.map(value);
      if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, value(inner)]));
      return v;
    };
    const inputs = Object.fromEntries(Object.entries(entry.props).map(([key, v]) => [pulumiInput(entry.kind, key), value(v)]));
    const importId = this.importId(entry);
    const options: pulumi.CustomResourceOptions = {
      parent: this,
      protect: entry.options.protect,
      ...(importId ? { import: importId } : {}),
      ...(entry.options.ignoreChanges ? { ignoreChanges: entry.options.ignoreChanges.map((property) => pulumiInput(entry.kind, property)) } : {}),
      ...dependsOnRoles(entry.options.dependsOn, (role) => resources.get(roleName(role))),
    };
    const Resource = CLASSES[entry.kind] as new (name: string, args: object, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource;
    return new Resource(pulumiName(entry.role, { componentName: name }), inputs, options);
  }

  /** Pulumi imports need a literal id; adoption of groups found by name is left to `pulumi import`. */
  private importId(entry: PlannedResource): string | undefined {
    const parts = entry.options.importId;
    if (!parts) return undefined;
    if (parts.some(isRef)) {
      pulumi.log.warn(`${roleName(entry.role)}: cannot import an assignment of a group found by name; give the group's id to adopt it`, this);
      return undefined;
    }
    return parts.join('');
  }

  private token(explicit: pulumi.Input<string> | undefined, tenant: string | undefined, subject: string): pulumi.Output<string> {
    if (explicit !== undefined) return pulumi.secret(explicit);
    const source = this.spec.scimToken;
    const read = readSecret(source);
    if (read) return read;
    const where = [source.pulumiConfig && `pulumi config set --secret ${source.pulumiConfig}`, source.env && `export ${source.env}`].filter(Boolean).join(' or ');
    throw new SpecError([{ path: 'scimToken', message: 'the Dynatrace SCIM token is not set', fix: where }], tenant, subject);
  }
}

/** Fails the deployment, as Terraform's postcondition does, when a lookup found another object or nothing. */
function failUnless(check: DataCheck, actual: unknown): void {
  const holds = 'equals' in check ? actual === check.equals : typeof actual === 'string' && actual !== '';
  if (!holds) throw new pulumi.RunError(check.message);
}
