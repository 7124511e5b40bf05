/**
 * Compiles a resolved integration into the neutral resource list. This is the only place that decides
 * which objects exist, their roles (addresses) and their attributes; renderers only translate.
 *
 * Stage 1 (always): the app (created, or the existing SSO app read), the created or looked-up groups and
 * the assignments. Stage 2 (provisioning enabled): the group push mappings, which Okta refuses while
 * provisioning is off. With `provisioning.setup: api` the connection and features come first, in the same
 * apply, and the pushes wait for them.
 */
import { CREDENTIAL_RULE } from '../model/credential';
import { credentialTarget, type ResolvedGroup, type ResolvedIntegration } from '../model/resolve';
import type { PlannedEntry, PlannedResource, Ref, Value } from './types';

/** Roles are stable: they depend on the resource's purpose and the group's key, never on labels or order. */
export const ROLES = {
  app: 'app',
  connection: 'connection',
  features: 'features',
  group: (key: string) => `group-${key}`,
  assignment: (key: string) => `assignment-${key}`,
  push: (key: string) => `push-${key}`,
} as const;

const appId: Ref = { ref: ROLES.app, attribute: 'id' };

interface GroupContext {
  readonly retain: boolean;
  /** Id of a hand-made test app being adopted; its assignments of existing groups are imported too. */
  readonly adopt?: string;
  readonly pushes: boolean;
  /** Roles the pushes must wait for (the API-path provisioning). */
  readonly pushAfter: readonly string[];
}

export function planResources(spec: ResolvedIntegration): PlannedEntry[] {
  const retain = spec.removalPolicy === 'retain';
  const app = spec.app;
  const adopt = app.type === 'catalog' ? app.existingAppId : undefined;
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
        : { type: 'resource', role: ROLES.app, kind: 'okta_app_auto_login', props, options },
    );
  }

  const api = spec.provisioning.setup === 'api';
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

  const context: GroupContext = { retain, ...(adopt ? { adopt } : {}), pushes: spec.stage === 2, pushAfter: api ? [ROLES.features] : [] };
  for (const group of spec.groups) entries.push(...planGroup(group, context));
  return entries;
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
        props: { name },
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
    entries.push({
      type: 'resource',
      role: ROLES.push(group.key),
      kind: 'okta_push_group',
      props: { appId, sourceGroupId: groupId, targetGroupName: group.pushAs, status: 'ACTIVE', deleteTargetGroupOnDestroy: !context.retain },
      options: { protect: false, ...(context.pushAfter.length > 0 ? { dependsOn: context.pushAfter } : {}) },
    });
  }
  return entries;
}

function enabled(on: boolean): 'ENABLED' | 'DISABLED' {
  return on ? 'ENABLED' : 'DISABLED';
}
