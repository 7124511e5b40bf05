/**
 * Compiles a resolved integration into the neutral resource list. This is the only place that decides
 * which Okta objects exist, their roles (addresses) and their attributes; renderers only translate.
 */
import { CREDENTIAL_RULE } from '../model/credential';
import type { ResolvedGroup, ResolvedIntegration } from '../model/resolve';
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

export function planResources(spec: ResolvedIntegration): PlannedEntry[] {
  const retain = spec.removalPolicy === 'retain';
  const adopt = spec.existingAppId;
  const entries: PlannedEntry[] = [];

  const appProps = { label: spec.label, preconfiguredApp: spec.oinAppName, status: spec.status };
  const appOptions = { protect: retain, ...(adopt ? { importId: [adopt] } : {}) };
  entries.push(
    spec.signOn === 'saml'
      ? { type: 'resource', role: ROLES.app, kind: 'okta_app_saml', props: appProps, options: appOptions }
      : { type: 'resource', role: ROLES.app, kind: 'okta_app_auto_login', props: appProps, options: appOptions },
  );

  if (spec.connection === 'managed') {
    entries.push(
      {
        type: 'resource',
        role: ROLES.connection,
        kind: 'okta_app_connection',
        props: {
          id: appId,
          baseUrl: spec.scimBaseUrl,
          action: 'activate',
          profile: { authScheme: 'TOKEN', token: { credential: 'scimToken', prefix: CREDENTIAL_RULE.prefix[spec.authMode] } },
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
            create: { lifecycleCreate: { status: enabled(spec.provisioning.createUsers) } },
            update: {
              lifecycleDeactivate: { status: enabled(spec.provisioning.deactivateUsers) },
              profile: { status: enabled(spec.provisioning.updateUserAttributes) },
              password: { status: enabled(spec.provisioning.syncPassword), seed: 'RANDOM', change: 'KEEP_EXISTING' },
            },
          },
        },
        // Okta cannot delete features (destroy only warns), so there is nothing to protect.
        options: { protect: false, ...(adopt ? { importId: [adopt, '/', 'USER_PROVISIONING'] } : {}) },
      },
    );
  }

  // Group push needs provisioning; in manual mode the checklist tells the admin which groups to push.
  const pushes = spec.connection === 'managed';
  for (const group of spec.groups) entries.push(...planGroup(group, retain, adopt, pushes));
  return entries;
}

function planGroup(group: ResolvedGroup, retain: boolean, adopt: string | undefined, pushes: boolean): PlannedEntry[] {
  const entries: PlannedEntry[] = [];
  let groupId: Value<string>;
  switch (group.source.kind) {
    case 'id':
      groupId = group.source.id;
      break;
    case 'lookup':
      entries.push({ type: 'data', role: ROLES.group(group.key), kind: 'okta_group', props: { name: group.source.name } });
      groupId = { ref: ROLES.group(group.key), attribute: 'id' };
      break;
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
    props: { appId, groupId, ...(group.priority !== undefined ? { priority: group.priority } : {}), retainAssignment: retain },
    // A created group cannot have a prior assignment, so only existing groups are adopted.
    options: { protect: false, ...(adopt && group.source.kind !== 'create' ? { importId: [adopt, '/', groupId] } : {}) },
  };
  entries.push(assignment);

  if (group.pushAs && pushes) {
    entries.push({
      type: 'resource',
      role: ROLES.push(group.key),
      kind: 'okta_push_group',
      props: { appId, sourceGroupId: groupId, targetGroupName: group.pushAs, status: 'ACTIVE', deleteTargetGroupOnDestroy: !retain },
      options: { protect: false },
    });
  }
  return entries;
}

function enabled(on: boolean): 'ENABLED' | 'DISABLED' {
  return on ? 'ENABLED' : 'DISABLED';
}
