/**
 * Compiles a resolved integration into the neutral resource list. This is the only place that decides
 * which objects exist, their roles (hence addresses, `roles.ts`) and their attributes; renderers only translate.
 *
 * Stage 1 (always): the app (created, or the existing SSO app read), the created or looked-up groups and
 * the assignments. Stage 2 (provisioning enabled): the group push mappings, which Okta refuses while
 * provisioning is off. With `provisioning.setup: api` the connection and features come first, in the same
 * apply, and the pushes wait for them.
 */
import { missingGroupMessage, missingPolicyMessage } from '../dynatrace/lookup-messages';
import { CREDENTIAL_RULE } from '../model/credential';
import { credentialTarget, knownAppId, type PolicyRef, usesApiPath, type ResolvedDynatraceAccount, type ResolvedGroup, type ResolvedIntegration, type ResolvedPolicyBinding, stableKey } from '../model/resolve';
import { type PolicyScope, type Role, type RoleOf, roleName, ROLES } from './roles';
import type { PlannedDataSource, PlannedEntry, PlannedResource, Ref, ResourceProps, Value } from './types';

const appId: Ref = { ref: ROLES.app, attribute: 'id' };

interface GroupContext {
  readonly retain: boolean;
  /** Id of the app whose existing assignments are imported: an adopted test app, or the SSO app with `importAssignments`. */
  readonly adopt?: string;
  /** The app's id when known literally, for the import ids of existing push mappings. */
  readonly appId?: string;
  readonly pushes: boolean;
  /** Roles the pushes must wait for (the API-path provisioning). */
  readonly pushAfter: readonly Role[];
}

export function planResources(spec: ResolvedIntegration): PlannedEntry[] {
  const retain = spec.removalPolicy === 'retain';
  const app = spec.app;
  const adopt = app.type === 'catalog' ? app.existingAppId : app.importAssignments ? app.id : undefined;
  // Import ids of push mappings name the app literally.
  const appIdLiteral = knownAppId(app);
  const entries: PlannedEntry[] = [];

  if (app.type === 'sso') {
    // Read, never managed: nothing here can create, import, replace or destroy the SSO app.
    entries.push(
      app.id !== undefined
        ? { type: 'data', role: ROLES.app, kind: 'okta_app', props: { id: app.id }, checks: [] }
        : {
            type: 'data',
            role: ROLES.app,
            kind: 'okta_app',
            props: { label: app.label! },
            checks: [{ attribute: 'label', equals: app.label!, message: `No Okta app is labelled exactly "${app.label!}" (the provider falls back to the first app whose label starts with it). Fix ssoApp.label, or give ssoApp.id.` }],
          },
    );
  } else {
    const props = { label: app.label, preconfiguredApp: app.oinAppName, status: app.status, userNameTemplate: app.username.template, userNameTemplateType: app.username.type };
    const options = { protect: retain, ...(adopt ? { importId: [adopt] } : {}) };
    entries.push(
      app.signOn === 'saml'
        ? { type: 'resource', role: ROLES.app, kind: 'okta_app_saml', props, options }
        : // okta_app_auto_login uses `preconfigured_app` only to create the app and never reads it back (okta_app_saml
          // does, and replaces the app on a change): without this, every imported app would show an in-place update.
          { type: 'resource', role: ROLES.app, kind: 'okta_app_auto_login', props, options: { ...options, ignoreChanges: ['preconfiguredApp'] } },
    );
  }

  const api = usesApiPath(spec);
  if (api) {
    const p = spec.provisioning;
    entries.push(
      {
        type: 'resource',
        role: ROLES.connection,
        kind: 'okta_app_connection',
        props: {
          id: appId,
          baseUrl: spec.scimBaseUrl,
          action: 'activate',
          profile: { authScheme: 'TOKEN', token: { credential: 'scimToken', prefix: CREDENTIAL_RULE.prefix[credentialTarget(app)] } },
        },
        options: { protect: retain, ...(adopt ? { importId: [adopt] } : {}) },
      },
      {
        type: 'resource',
        role: ROLES.features,
        kind: 'okta_app_features',
        props: {
          appId,
          name: 'USER_PROVISIONING',
          status: 'ENABLED',
          // All four capability blocks are declared: the API returns them all, so omitting one drifts.
          capabilities: {
            create: { lifecycleCreate: { status: enabled(p.createUsers) } },
            update: {
              lifecycleDeactivate: { status: enabled(p.deactivateUsers) },
              profile: { status: enabled(p.updateUserAttributes) },
              password: { status: enabled(p.syncPassword), seed: 'RANDOM', change: 'KEEP_EXISTING' },
            },
          },
        },
        // Okta cannot delete features (destroy only warns), so there is nothing to protect.
        options: { protect: false, ...(adopt ? { importId: [adopt, '/', 'USER_PROVISIONING'] } : {}) },
      },
    );
  }

  const context: GroupContext = { retain, ...(adopt ? { adopt } : {}), ...(appIdLiteral ? { appId: appIdLiteral } : {}), pushes: spec.stage === 2, pushAfter: api ? [ROLES.features] : [] };
  for (const group of spec.groups) entries.push(...planGroup(group, context));
  if (usesDynatrace(spec)) entries.push(...planPermissions(spec.groups, spec.dynatrace, retain));
  return entries;
}

/**
 * Dynatrace permissions of the pushed groups (stage 2): each group is looked up by its pushed name after
 * its push mapping exists (the read waits for it; a null or empty id stops the plan with the next step), each
 * policy named by name is looked up once, and each group gets one bindings resource per level, holding
 * all its policies there.
 */
function planPermissions(groups: readonly ResolvedGroup[], account: ResolvedDynatraceAccount, retain: boolean): PlannedEntry[] {
  const entries: PlannedEntry[] = [];
  const policyLookups = new Map<string, PlannedDataSource>();
  for (const group of groups) {
    if (!group.pushAs || !group.policies) continue;
    entries.push({
      type: 'data',
      role: ROLES.iamGroup(group.key),
      kind: 'dynatrace_iam_group',
      props: { name: group.pushAs },
      checks: [{ attribute: 'id', present: true, message: missingGroupMessage(group.pushAs) }],
      dependsOn: [ROLES.push(group.key)],
    });
    // One bindings resource per level, by its role's name.
    const byLevel = new Map<string, { role: RoleOf<'iamBindings'>; bindings: ResolvedPolicyBinding[] }>();
    for (const binding of group.policies) {
      const role = ROLES.iamBindings(group.key, binding.level === 'account' ? 'account' : { environment: binding.environment });
      const slot = byLevel.get(roleName(role)) ?? { role, bindings: [] };
      slot.bindings.push(binding);
      byLevel.set(roleName(role), slot);
    }
    for (const { role, bindings } of byLevel.values()) {
      const policy = bindings.map((binding) => ({
        id: policyId(binding, account, policyLookups),
        ...(binding.parameters ? { parameters: binding.parameters } : {}),
        ...(binding.boundaries ? { boundaries: binding.boundaries } : {}),
      }));
      const props: ResourceProps['dynatrace_iam_policy_bindings_v2'] = {
        group: { ref: ROLES.iamGroup(group.key), attribute: 'id' },
        ...(role.scope === 'account' ? { account: account.accountUuid } : { environment: role.scope.environment }),
        policy,
      };
      entries.push({ type: 'resource', role, kind: 'dynatrace_iam_policy_bindings_v2', props, options: { protect: retain } });
    }
  }
  // Lookups first, so that every reference points backwards.
  return [...policyLookups.values(), ...entries];
}

/** A policy's uuid: literal, or a reference to its lookup (one per name and place of definition). */
function policyId(binding: ResolvedPolicyBinding, account: ResolvedDynatraceAccount, lookups: Map<string, PlannedDataSource>): Value<string> {
  const policy: PolicyRef = binding.policy;
  if ('uuid' in policy) return policy.uuid;
  // The model allows `definedIn: environment` only on an environment binding: the policy is defined there.
  const environment = binding.level === 'environment' ? binding.environment : '';
  const definedAt: { where: string; scope: PolicyScope; props: { account?: string; environment?: string } } = {
    global: { where: 'global', scope: 'global' as const, props: {} },
    account: { where: `account ${account.accountUuid}`, scope: 'account' as const, props: { account: account.accountUuid } },
    environment: { where: `environment ${environment}`, scope: { environment }, props: { environment } },
  }[policy.definedIn];
  const role = ROLES.iamPolicy(stableKey(policy.name), definedAt.scope);
  if (!lookups.has(roleName(role))) {
    lookups.set(roleName(role), {
      type: 'data',
      role,
      kind: 'dynatrace_iam_policy',
      props: { name: policy.name, ...definedAt.props },
      checks: [{ attribute: 'uuid', present: true, message: missingPolicyMessage(policy.name, definedAt.where) }],
    });
  }
  return { ref: role, attribute: 'uuid' };
}

function planGroup(group: ResolvedGroup, context: GroupContext): PlannedEntry[] {
  const entries: PlannedEntry[] = [];
  let groupId: Value<string>;
  switch (group.source.kind) {
    case 'id':
      groupId = group.source.id;
      break;
    case 'lookup': {
      const name = group.source.name;
      entries.push({
        type: 'data',
        role: ROLES.group(group.key),
        kind: 'okta_group',
        // The provider adds `type eq "OKTA_GROUP"` to its search: never the APP_GROUP an import made of the pushed group.
        props: { name, type: 'OKTA_GROUP' },
        checks: [{ attribute: 'name', equals: name, message: `No Okta group is named exactly "${name}" (the provider accepts a group whose name starts with it). Fix the name in the tenants file, or give the group's id.` }],
      });
      groupId = { ref: ROLES.group(group.key), attribute: 'id' };
      break;
    }
    case 'create':
      entries.push({
        type: 'resource',
        role: ROLES.group(group.key),
        kind: 'okta_group',
        props: { name: group.source.name, ...(group.source.description ? { description: group.source.description } : {}) },
        options: { protect: false },
      });
      groupId = { ref: ROLES.group(group.key), attribute: 'id' };
      break;
  }

  const assignment: PlannedResource = {
    type: 'resource',
    role: ROLES.assignment(group.key),
    kind: 'okta_app_group_assignment',
    props: { appId, groupId, ...(group.priority !== undefined ? { priority: group.priority } : {}), retainAssignment: context.retain },
    // A created group cannot have a prior assignment, so only existing groups are adopted.
    options: { protect: false, ...(context.adopt && group.source.kind !== 'create' ? { importId: [context.adopt, '/', groupId] } : {}) },
  };
  entries.push(assignment);

  if (group.pushAs && context.pushes) {
    // An existing target is linked by id: the provider never reads `target_group_name` back, so an imported
    // mapping configured by name would be replaced (resource_okta_push_group.go, v6.12.0).
    const target = group.pushTargetId ? { targetGroupId: group.pushTargetId } : { targetGroupName: group.pushAs };
    // The model validates that an imported mapping comes with the app's id (context.appId).
    const importId = group.existingPushId && context.appId ? { importId: [context.appId, '/', group.existingPushId] } : {};
    entries.push({
      type: 'resource',
      role: ROLES.push(group.key),
      kind: 'okta_push_group',
      props: { appId, sourceGroupId: groupId, ...target, status: 'ACTIVE', deleteTargetGroupOnDestroy: !context.retain },
      options: { protect: false, ...importId, ...(context.pushAfter.length > 0 ? { dependsOn: context.pushAfter } : {}) },
    });
  }
  return entries;
}

/**
 * Whether the tenant's plan holds Dynatrace objects, so its stacks need the Dynatrace provider: at stage 2,
 * when a pushed group declares policies. Decided from the spec, so callers need not compile the plan.
 */
export function usesDynatrace(spec: ResolvedIntegration): spec is ResolvedIntegration & { readonly dynatrace: ResolvedDynatraceAccount } {
  return spec.stage === 2 && spec.dynatrace !== undefined && spec.groups.some((group) => group.pushAs !== undefined && group.policies !== undefined);
}

function enabled(on: boolean): 'ENABLED' | 'DISABLED' {
  return on ? 'ENABLED' : 'DISABLED';
}
