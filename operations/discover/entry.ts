/**
 * The tenant entry for a discovered integration, in the model's own terms: `existingAppId` for a test app
 * (adopted by import), `ssoApp: { id, importAssignments }` for the SSO app; each assigned group by id with
 * its name, a stable key and its priority; each push mapping as `push`/`pushAs` with the ids that import it
 * exactly (`pushTargetId`, `existingPushId`); `provisioning` from what the app's `features` prove; secrets as
 * names only. What the entry cannot say as Okta has it comes back as a note, never as a silent change.
 */
import type { ToAppSwitch } from '../../constructs/model/console-step';
import { USERNAME_TEMPLATES, stableKey } from '../../constructs/model/resolve';
import type { GroupSpec, PolicyBindingSpec, ProvisioningSpec, ScimIntegrationSpec, SecretSource, UsernameFormat } from '../../constructs/model/spec';
import type { OktaCredentials, TenantSpec } from '../../constructs/model/tenant';
import { appProvisioning } from '../verify/okta-responses';
import type { LiveAssignment, LiveIntegration, LivePush } from './find';

export interface EntryOptions {
  readonly tenant: string;
  readonly orgName: string;
  /** Written only when it is not Okta's default (`okta.com`). */
  readonly baseDomain: string;
  readonly credentials: OktaCredentials;
  readonly scimBaseUrl: string;
  readonly customScimEndpoint: boolean;
  readonly scimToken: SecretSource;
  /** The pushed groups' policy bindings by pushed (Dynatrace) name, and the account's OAuth client sources. */
  readonly dynatrace?: {
    readonly oauthClient: { readonly clientId: SecretSource; readonly clientSecret: SecretSource };
    /** Written when the SCIM base URL does not carry it. */
    readonly accountUuid?: string;
    readonly policies: ReadonlyMap<string, readonly PolicyBindingSpec[]>;
  };
}

/**
 * Something the entry could not say as Okta has it, or cannot know:
 * - `warning`: written as it is, but risky (a non-e-mail username, an INACTIVE app);
 * - `change`: the first apply would change what exists (said here, never done silently);
 * - `left-out`: not in the entry, because the model cannot describe it;
 * - `console`: a fact of the console step that Okta's API does not return: check it by hand.
 */
export interface DiscoveryNote {
  readonly kind: 'warning' | 'change' | 'left-out' | 'console';
  readonly subject: string;
  readonly message: string;
}

/** The model's defaults for the switches (spec.ts `ProvisioningSpec`). */
const SWITCH_DEFAULTS: Record<ToAppSwitch, boolean> = { createUsers: true, updateUserAttributes: true, deactivateUsers: true, syncPassword: false };

export function tenantEntry(live: LiveIntegration, options: EntryOptions): { readonly entry: TenantSpec; readonly notes: DiscoveryNote[] } {
  const notes: DiscoveryNote[] = [];
  const app = live.candidate.app;
  const kind = live.candidate.kind;
  const provisioning = provisioningOf(live, notes);
  const groups = groupsOf(live, options, notes);
  const username = usernameOf(live, notes);

  const appFields: Partial<ScimIntegrationSpec> =
    kind.type === 'catalog'
      ? {
          existingAppId: app.id,
          label: app.label ?? '',
          authMode: kind.authMode,
          // Always written: each test app has its own default, and a tenant relying on one warns.
          signOn: app.signOnMode === 'SAML_2_0' ? ('saml' as const) : ('autoLogin' as const),
          ...(app.status === 'INACTIVE' ? { status: 'INACTIVE' as const } : {}),
        }
      : { ssoApp: { id: app.id, ...(live.assignments.length > 0 ? { importAssignments: true } : {}) } };
  if (kind.type === 'catalog' && app.label !== undefined && app.label !== app.label.trim()) {
    notes.push({ kind: 'change', subject: 'label', message: `Okta has the label ${JSON.stringify(app.label)}; the model trims labels, so the first apply updates it to ${JSON.stringify(app.label.trim())}` });
  }
  if (app.status === 'INACTIVE') {
    notes.push({
      kind: 'warning',
      subject: 'status',
      message: kind.type === 'catalog'
        ? 'the app is INACTIVE: written as `status: INACTIVE`, so adoption keeps it so; Okta provisions nobody until it is ACTIVE (then set status: ACTIVE in a reviewed change)'
        : 'the SSO app is INACTIVE: nobody signs in to Dynatrace or is provisioned through it until an admin activates it (the stacks never change this app)',
    });
  }

  const dynatrace = options.dynatrace && groups.some((group) => group.policies) ? { dynatrace: { ...(options.dynatrace.accountUuid ? { accountUuid: options.dynatrace.accountUuid } : {}), oauthClient: options.dynatrace.oauthClient } } : {};
  const integration: ScimIntegrationSpec = {
    ...appFields,
    scimBaseUrl: options.scimBaseUrl,
    ...(options.customScimEndpoint ? { customScimEndpoint: true } : {}),
    scimToken: options.scimToken,
    ...(username !== undefined ? { username } : {}),
    ...(provisioning ? { provisioning } : {}),
    ...(groups.length > 0 ? { groups } : {}),
    ...dynatrace,
  };
  const entry: TenantSpec = {
    name: options.tenant,
    okta: { orgName: options.orgName, ...(options.baseDomain !== 'okta.com' ? { baseDomain: options.baseDomain } : {}), credentials: options.credentials },
    integration,
  };
  return { entry, notes };
}

/** `provisioning` as the app's `features` prove it (verify's reading of them); undefined while provisioning is off (stage 1). */
function provisioningOf(live: LiveIntegration, notes: DiscoveryNote[]): ProvisioningSpec | undefined {
  const fromApp = appProvisioning(live.candidate.app);
  const mapped = (live.pushes?.length ?? 0) > 0;
  if (fromApp === undefined) {
    notes.push({ kind: 'console', subject: 'provisioning.createUsers … syncPassword', message: 'Okta did not return the app\'s features, so the "To App" switches were not read; the entry keeps the defaults (Create Users, Update User Attributes, Deactivate Users on; Sync Password off): check Provisioning → To App' });
    return mapped ? { enabled: true } : undefined;
  }
  if (!fromApp.on && !mapped) return undefined;
  // Okta refuses push mappings while provisioning is off: a mapping proves it on, whatever the features say.
  if (!fromApp.on) notes.push({ kind: 'console', subject: 'provisioning', message: 'the app\'s features show no "To App" switch although it has push mappings; the entry declares provisioning enabled with every switch as Okta lists it (off): check Provisioning → To App' });
  const switches = Object.fromEntries((Object.entries(fromApp.switches) as [ToAppSwitch, boolean][]).filter(([name, on]) => on !== SWITCH_DEFAULTS[name]));
  return { enabled: true, ...switches };
}

function usernameOf(live: LiveIntegration, notes: DiscoveryNote[]): UsernameFormat | undefined {
  const format = live.candidate.app.credentials?.userNameTemplate;
  if (format?.template === undefined) {
    notes.push({ kind: 'console', subject: 'username', message: 'Okta did not return the app\'s username format; the entry assumes e-mail (the model\'s default): check Sign On → Application username format before the first apply, which would set it' });
    return undefined;
  }
  const { template, type, suffix } = format;
  if (suffix) notes.push({ kind: 'change', subject: 'username', message: `the username template has the suffix "${suffix}", which the model does not describe: the first apply would remove it` });
  if (template === USERNAME_TEMPLATES.email.template && type !== 'CUSTOM') return undefined;
  notes.push({ kind: 'warning', subject: 'username', message: `the app's username format is ${template} (${type ?? 'type not returned'}), not the e-mail Dynatrace needs as a persistent userName: written as it is, so adoption changes nothing; switch to username: email in a reviewed change once Dynatrace users match` });
  if (template === USERNAME_TEMPLATES.oktaUsername.template && type !== 'CUSTOM') return 'oktaUsername';
  return type === 'BUILT_IN' ? { template, type } : { template };
}

function groupsOf(live: LiveIntegration, options: EntryOptions, notes: DiscoveryNote[]): GroupSpec[] {
  const pushes = live.pushes ?? [];
  const keys = new Set<string>();
  const uniqueKey = (text: string): string => {
    const base = stableKey(text).slice(0, 60).replace(/-+$/, '') || 'group';
    let key = base;
    for (let n = 2; keys.has(key); n++) key = `${base}-${n}`;
    keys.add(key);
    return key;
  };
  if (live.anonymousAssignments > 0) {
    notes.push({ kind: 'left-out', subject: 'groups', message: `Okta listed ${live.anonymousAssignments} assignment(s) without a group id; they cannot be written: check Assignments in the admin console` });
  }
  for (const push of pushes) {
    if (push.unassignedSource === undefined && (push.sourceGroupId === undefined || live.assignments.some((a) => a.id === push.sourceGroupId))) continue;
    const name = push.unassignedSource?.profile?.name ?? push.sourceGroupId ?? '(source not returned)';
    notes.push({ kind: 'left-out', subject: `push mapping ${push.id ?? '(id not returned)'}`, message: `pushes "${name}", which is not assigned to the app; the model pushes only groups it assigns (and assigning provisions their members): assign the group in Okta and run discover again, or remove the mapping` });
  }
  // By priority (Okta's order of precedence), then name: how a reader scans them. Order never changes an address.
  const ordered = [...live.assignments].sort((a, b) => (a.priority ?? Number.MAX_SAFE_INTEGER) - (b.priority ?? Number.MAX_SAFE_INTEGER) || (a.group?.profile?.name ?? a.id).localeCompare(b.group?.profile?.name ?? b.id));
  return ordered.map((assignment) => groupOf(assignment, pushes.filter((push) => push.sourceGroupId === assignment.id), uniqueKey, options, notes));
}

function groupOf(assignment: LiveAssignment, mappings: readonly LivePush[], uniqueKey: (text: string) => string, options: EntryOptions, notes: DiscoveryNote[]): GroupSpec {
  const name = assignment.group?.profile?.name;
  const subject = `group ${name === undefined ? assignment.id : `"${name}"`}`;
  if (name === undefined) notes.push({ kind: 'console', subject, message: `Okta did not return group ${assignment.id}; written by id without a name` });
  if (assignment.priority === undefined) notes.push({ kind: 'console', subject, message: 'Okta did not return the assignment\'s priority; the entry leaves it to Okta' });
  if (assignment.profile && Object.keys(assignment.profile).length > 0) {
    notes.push({ kind: 'warning', subject, message: 'the assignment has an app profile, which the model does not describe: the stacks keep it (the provider suppresses the difference) but a reviewer will not see it in the tenants file' });
  }
  const group: GroupSpec = {
    id: assignment.id,
    key: uniqueKey(name ?? assignment.id),
    ...(name !== undefined ? { name } : {}),
    ...(assignment.priority !== undefined ? { priority: assignment.priority } : {}),
  };
  const mapping = mappings.find((m) => m.status === 'ACTIVE') ?? mappings[0];
  if (!mapping) return group;
  if (mappings.length > 1) notes.push({ kind: 'left-out', subject, message: `${mappings.length} push mappings push this group; the model has one per group: only ${mapping.id ?? 'the first'} is written, the others remain unmanaged` });
  const targetName = mapping.target?.profile?.name;
  const pushAs = targetName ?? name;
  if (pushAs === undefined) {
    notes.push({ kind: 'left-out', subject, message: `Okta returned neither the group's name nor its push target's (${mapping.targetGroupId ?? 'id not returned'}), so the push cannot be written: check Push Groups in the admin console` });
    return group;
  }
  if (targetName === undefined) notes.push({ kind: 'console', subject, message: `Okta did not return the push mapping's target group ${mapping.targetGroupId ?? '(id not returned)'}; pushAs assumes the group's own name` });
  if (mapping.status === 'INACTIVE') notes.push({ kind: 'change', subject, message: 'its push mapping is INACTIVE; the model pushes ACTIVE only, so the first apply activates it and Okta pushes the group again' });
  if (mapping.status === 'ERROR') notes.push({ kind: 'change', subject, message: `its push mapping is in ERROR (${(mapping.errorSummary ?? 'no summary').slice(0, 200)}); the provider refuses to update such a mapping: fix it in Okta (Push Groups → retry) before the first apply` });
  const policies = options.dynatrace?.policies.get(pushAs);
  return {
    ...group,
    push: true,
    ...(pushAs !== name ? { pushAs } : {}),
    ...(mapping.targetGroupId !== undefined ? { pushTargetId: mapping.targetGroupId } : {}),
    ...(mapping.id !== undefined && mapping.targetGroupId !== undefined ? { existingPushId: mapping.id } : {}),
    ...(policies && policies.length > 0 ? { policies } : {}),
  };
}
