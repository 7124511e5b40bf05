/**
 * The review: what changes between two versions of the tenants file, computed offline from the neutral
 * resource plan (no engine, no credentials), and which changes can hurt people in plain words.
 *
 * Resources are matched by address (`okta_app_auto_login.app`, `data.okta_group.group-admins`), attributes
 * compared one by one. The SCIM token appears only as the name of its source, never as a value: the plan
 * holds no secret, and this module prints nothing else.
 */
import type { ResolvedTenant } from '../model/tenant';
import { planResources } from '../resources/plan';
import { isCredential, isRef, type PlannedEntry } from '../resources/types';

export type Severity = 'danger' | 'notice';

export interface Finding {
  readonly severity: Severity;
  /** Short headline, e.g. "The Okta app is replaced". */
  readonly title: string;
  /** What happens to people and objects, and what to do. */
  readonly detail: string;
}

export interface AttributeChange {
  readonly attribute: string;
  readonly before?: string;
  readonly after?: string;
}

export interface ResourceChange {
  readonly address: string;
  readonly change: 'added' | 'removed' | 'changed' | 'replaced';
  /** For `replaced`: the type before and after (the role is kept). */
  readonly kinds?: { readonly before: string; readonly after: string };
  readonly attributes: readonly AttributeChange[];
}

export interface TenantReview {
  readonly tenant: string;
  readonly status: 'added' | 'removed' | 'changed' | 'unchanged';
  /** Tenant settings outside the resource plan: org, credential sources, backends. */
  readonly settings: readonly AttributeChange[];
  readonly resources: readonly ResourceChange[];
  readonly findings: readonly Finding[];
}

export interface Review {
  readonly tenants: readonly TenantReview[];
  readonly dangerous: boolean;
}

export function reviewTenants(base: readonly ResolvedTenant[], head: readonly ResolvedTenant[]): Review {
  const baseByName = new Map(base.map((tenant) => [tenant.name, tenant]));
  const headByName = new Map(head.map((tenant) => [tenant.name, tenant]));
  const names = [...head.map((t) => t.name), ...base.map((t) => t.name).filter((name) => !headByName.has(name))];
  const tenants = names.map((name) => reviewTenant(name, baseByName.get(name), headByName.get(name)));
  return { tenants, dangerous: tenants.some((t) => t.findings.some((f) => f.severity === 'danger')) };
}

function reviewTenant(name: string, before: ResolvedTenant | undefined, after: ResolvedTenant | undefined): TenantReview {
  const resources = diffPlans(before ? planResources(before.integration) : [], after ? planResources(after.integration) : []);
  const settings = diffValues(flatten(before ? settingsOf(before) : {}), flatten(after ? settingsOf(after) : {}));
  const findings = !before || !after ? (before ? removedTenant(before) : []) : judge(before, after, resources);
  const status = !before ? 'added' : !after ? 'removed' : resources.length + settings.length > 0 ? 'changed' : 'unchanged';
  return { tenant: name, status, settings: before && after ? settings : [], resources, findings };
}

/** Tenant settings that are not resources but matter for review. Secret sources are names, not secrets. */
function settingsOf(tenant: ResolvedTenant): Record<string, unknown> {
  const { integration } = tenant;
  return {
    okta: tenant.okta,
    backend: tenant.backend,
    integration: {
      authMode: integration.authMode,
      signOn: integration.signOn,
      connection: integration.connection,
      scimToken: integration.scimToken,
      removalPolicy: integration.removalPolicy,
      provisioning: integration.provisioning,
      existingAppId: integration.existingAppId,
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Resource diff

export function addressOf(entry: PlannedEntry): string {
  return entry.type === 'data' ? `data.${entry.kind}.${entry.role}` : `${entry.kind}.${entry.role}`;
}

function diffPlans(before: readonly PlannedEntry[], after: readonly PlannedEntry[]): ResourceChange[] {
  // Matched by role (and data vs resource): a role whose type changes is a replacement, not two unrelated changes.
  const slot = (entry: PlannedEntry): string => `${entry.type}:${entry.role}`;
  const beforeBySlot = new Map(before.map((entry) => [slot(entry), entry]));
  const afterBySlot = new Map(after.map((entry) => [slot(entry), entry]));
  const changes: ResourceChange[] = [];
  for (const entry of after) {
    const old = beforeBySlot.get(slot(entry));
    const attributes = diffValues(old ? flatten(describe(old)) : {}, flatten(describe(entry)));
    if (!old) changes.push({ address: addressOf(entry), change: 'added', attributes });
    else if (old.kind !== entry.kind) changes.push({ address: addressOf(entry), change: 'replaced', kinds: { before: old.kind, after: entry.kind }, attributes });
    else if (attributes.length > 0) changes.push({ address: addressOf(entry), change: 'changed', attributes });
  }
  for (const entry of before) {
    if (!afterBySlot.has(slot(entry))) changes.push({ address: addressOf(entry), change: 'removed', attributes: diffValues(flatten(describe(entry)), {}) });
  }
  return changes;
}

function describe(entry: PlannedEntry): Record<string, unknown> {
  if (entry.type === 'data') return { ...entry.props };
  return { ...entry.props, 'lifecycle.protect': entry.options.protect, ...(entry.options.importId ? { import: entry.options.importId } : {}) };
}

/** Flattens to `a.b.c` → display string. Refs print as `<role.id>`, the credential as its source. */
export function flatten(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (value === undefined) return out;
  if (isRef(value)) out[prefix] = `<${value.ref}.${value.attribute}>`;
  else if (isCredential(value)) out[prefix] = `<secret ${value.credential}${value.prefix ? `, prefixed "${value.prefix.trim()} "` : ''}>`;
  else if (Array.isArray(value)) {
    // Import ids are parts concatenated; other arrays are lists.
    out[prefix] = prefix === 'import' ? value.map((part) => (isRef(part) ? `<${part.ref}.${part.attribute}>` : String(part))).join('') : JSON.stringify(value);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else out[prefix] = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return out;
}

function diffValues(before: Record<string, string>, after: Record<string, string>): AttributeChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys
    .filter((key) => before[key] !== after[key])
    .map((key) => ({ attribute: key, ...(key in before ? { before: before[key] } : {}), ...(key in after ? { after: after[key] } : {}) }));
}

// ---------------------------------------------------------------------------------------------------
// Dangerous changes, in plain words

function removedTenant(before: ResolvedTenant): Finding[] {
  const guarded = before.integration.removalPolicy === 'retain';
  return [
    {
      severity: 'danger',
      title: `Tenant "${before.name}" is removed from the tenants file`,
      detail:
        `Its CDKTF and Pulumi stacks are no longer generated, so CI stops planning and applying it. Nothing is deleted by that alone, ` +
        `but the Okta app "${before.integration.label}" in ${before.okta.orgName}.${before.okta.baseDomain} and its state are orphaned: ` +
        `it keeps provisioning users to Dynatrace with nobody managing it. ` +
        (guarded
          ? 'To retire the tenant for real, first set `removalPolicy: destroy` and apply, then run `terraform destroy` / `pulumi destroy --stack ' + before.name + '` (this deprovisions every assigned user from Dynatrace), then remove the entry.'
          : 'If you meant to tear it down, run `terraform destroy` / `pulumi destroy --stack ' + before.name + '` before removing the entry (this deprovisions every assigned user from Dynatrace).'),
    },
  ];
}

function judge(before: ResolvedTenant, after: ResolvedTenant, resources: readonly ResourceChange[]): Finding[] {
  const findings: Finding[] = [];
  const a = before.integration;
  const b = after.integration;
  const danger = (title: string, detail: string): void => void findings.push({ severity: 'danger', title, detail });
  const notice = (title: string, detail: string): void => void findings.push({ severity: 'notice', title, detail });
  const wasGuarded = a.removalPolicy === 'retain';
  const guardNote = wasGuarded
    ? ' With `removalPolicy: retain` the app is protected (Terraform `prevent_destroy`, Pulumi `protect`), so plan/apply stops with an error instead of replacing it; it goes through only after the guard is removed.'
    : '';

  if (before.okta.orgName !== after.okta.orgName || before.okta.baseDomain !== after.okta.baseDomain) {
    danger(
      'The tenant points at another Okta org',
      `${before.okta.orgName}.${before.okta.baseDomain} → ${after.okta.orgName}.${after.okta.baseDomain}. The state still holds the objects of the old org: ` +
        'Terraform/Pulumi will find them missing in the new org and create everything there, while the old app keeps provisioning unmanaged. Add a new tenant instead.',
    );
  }
  if (a.authMode !== b.authMode) {
    danger(
      `Switching auth mode ${a.authMode} → ${b.authMode} replaces the Okta app`,
      `The app becomes another catalog app (preconfigured_app changes), which Okta cannot change in place: the old app is deleted and a new one created. ` +
        `Every user provisioned through it is deprovisioned (deactivated) in Dynatrace and provisioned again only once the new app's connection works; ` +
        `the token format changes too (${a.authMode === 'header' ? '"Bearer <token>" → raw token' : 'raw token → "Bearer <token>"'}).${guardNote}`,
    );
  }
  if (a.signOn !== b.signOn) {
    danger(
      `Switching sign-on mode ${a.signOn} → ${b.signOn} replaces the Okta app`,
      `The sign-on mode decides the resource type (${a.signOn === 'saml' ? 'okta_app_saml' : 'okta_app_auto_login'} → ${b.signOn === 'saml' ? 'okta_app_saml' : 'okta_app_auto_login'}): the old app is deleted and a new one created, ` +
        `so every user provisioned through it is deprovisioned (deactivated) in Dynatrace until the new app provisions them again.${guardNote}`,
    );
  }
  if (a.existingAppId !== b.existingAppId) {
    if (a.existingAppId) {
      danger(
        `existingAppId changes (${a.existingAppId} → ${b.existingAppId ?? 'none'})`,
        b.existingAppId
          ? `The import now points at another Okta app. If the state already manages ${a.existingAppId}, the import conflicts and plan fails; on a fresh state the stack adopts ${b.existingAppId} and leaves ${a.existingAppId} provisioning unmanaged. Check which app should own this tenant.`
          : `The stack keeps managing the app already in its state; on a fresh state it would create a new app next to ${a.existingAppId}, so both provision the same users.`,
      );
    } else {
      notice(`Adopting the existing Okta app ${b.existingAppId}`, 'The next apply imports the app, its provisioning settings and its group assignments instead of creating them; nobody is deprovisioned. Check the plan shows imports, not creations.');
    }
  }
  if (a.provisioning.deactivateUsers && !b.provisioning.deactivateUsers) {
    danger(
      'Deactivate Users is turned off: leavers keep their Dynatrace accounts',
      'Users who are unassigned or deactivated in Okta stay active in Dynatrace (stale accounts, still able to sign in with any other method). Turn it back on unless you have another deprovisioning process.',
    );
  }
  if (a.provisioning.createUsers && !b.provisioning.createUsers) {
    notice('Create Users is turned off', 'Newly assigned users are no longer created in Dynatrace.');
  }
  if (a.removalPolicy === 'retain' && b.removalPolicy === 'destroy') {
    danger(
      'The removal guards are turned off (removalPolicy retain → destroy)',
      'The app and its connection lose `prevent_destroy`/`protect`, assignments lose `retain_assignment`, and pushed groups are deleted from Dynatrace (with their permissions) when their push goes. Any later removal then deprovisions users. Intended only for short-lived test tenants.',
    );
  }
  if (a.status === 'ACTIVE' && b.status === 'INACTIVE') {
    notice('The Okta app is deactivated', 'Provisioning to Dynatrace stops: new, changed and removed users are no longer synchronised until it is activated again.');
  }
  if (JSON.stringify(before.backend.terraform) !== JSON.stringify(after.backend.terraform)) {
    danger(
      'The Terraform state backend changes',
      'Run `terraform init -migrate-state` against the stack before the next apply, or Terraform starts from an empty state and tries to create every object again (a second Okta app provisioning the same users).',
    );
  }
  if (JSON.stringify(before.backend.pulumi) !== JSON.stringify(after.backend.pulumi)) {
    danger(
      'The Pulumi backend changes',
      `Move the stack first (\`pulumi stack export --stack ${after.name}\` from the old backend, \`pulumi stack import\` into the new one), or the next \`pulumi up\` starts from an empty stack and creates every object again.`,
    );
  }

  for (const change of resources) {
    const [kind, role] = splitAddress(change.address);
    const attr = (name: string): AttributeChange | undefined => change.attributes.find((x) => x.attribute === name);
    if (kind === 'okta_app_group_assignment') {
      const group = role.replace(/^assignment-/, '');
      const retained = attr('retainAssignment')?.before === 'true' || (change.change === 'changed' && a.removalPolicy === 'retain');
      if (change.change === 'removed') {
        if (retained) {
          notice(
            `Group "${group}" leaves the code, but its assignment stays in Okta`,
            'With `removalPolicy: retain` the assignment is kept in Okta (`retain_assignment`): its members stay provisioned in Dynatrace and the code no longer manages it. To deprovision them, remove the assignment in the Okta admin console.',
          );
        } else {
          danger(
            `Removing the assignment of group "${group}" deprovisions its members`,
            `Okta unassigns the app from every member of the group who has no other assignment, and ${b.provisioning.deactivateUsers ? 'deactivates them in Dynatrace' : 'stops updating them in Dynatrace (Deactivate Users is off, so their accounts stay)'}.`,
          );
        }
      } else if (change.change === 'changed' && (attr('groupId') || attr('appId'))) {
        const detail = retained
          ? 'The assignment is replaced: the old one is kept in Okta (`retain_assignment`) and a new one is created, so the old group\'s members stay provisioned; remove the old assignment by hand if that is not intended.'
          : 'The assignment is replaced: the old group is unassigned first, so its members who have no other assignment are deprovisioned (deactivated) in Dynatrace.';
        (retained ? notice : danger)(`The assignment "${group}" now points at another group (${attr('groupId')?.before ?? '?'} → ${attr('groupId')?.after ?? '?'})`, detail);
      }
    }
    if (kind === 'okta_push_group') {
      const group = role.replace(/^push-/, '');
      const deletes = attr('deleteTargetGroupOnDestroy')?.before === 'true';
      const target = attr('targetGroupName');
      if (change.change === 'removed') {
        (deletes ? danger : notice)(
          `Group "${group}" is no longer pushed to Dynatrace`,
          deletes
            ? `With \`removalPolicy: destroy\` the push mapping deletes its target: the Dynatrace group ${target?.before ?? ''} and every permission and policy bound to it are deleted.`
            : `With \`removalPolicy: retain\` the Dynatrace group ${target?.before ?? ''} stays (with its permissions) but is no longer updated: its memberships freeze as they are.`,
        );
      } else if (change.change === 'changed' && (target || attr('sourceGroupId'))) {
        const deletesNow = a.removalPolicy === 'destroy';
        (deletesNow ? danger : notice)(
          `The push of group "${group}" is replaced${target ? ` (Dynatrace group ${target.before} → ${target.after})` : ''}`,
          deletesNow
            ? 'Changing the target or source of a push mapping replaces it, and with `removalPolicy: destroy` that deletes the old Dynatrace group and its permissions; the new group starts without permissions.'
            : 'Changing the target or source of a push mapping replaces it. The old Dynatrace group stays (retain) but is no longer updated; the new group starts without permissions — assign them in Dynatrace.',
        );
      }
    }
    if (kind === 'okta_group' && !change.address.startsWith('data.') && change.change === 'removed') {
      const name = change.attributes.find((x) => x.attribute === 'name')?.before ?? role;
      danger(`The Okta group ${name}, created by this stack, is deleted`, 'Deleting it removes it from every app it is assigned to, not only Dynatrace: its members lose what the group gave them.');
    }
  }
  return findings;
}

function splitAddress(address: string): [string, string] {
  const parts = address.replace(/^data\./, '').split('.');
  return [parts[0], parts.slice(1).join('.')];
}
