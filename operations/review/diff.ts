/**
 * The review: what changes between two versions of the tenants file, computed offline from the neutral
 * resource plan (no engine, no credentials), and which changes can hurt people, in plain words.
 *
 * Entries are matched by role (a role whose type changes is a replacement), attributes compared one by
 * one; then everything is named as the chosen engine names it (`okta_app_auto_login.dynatrace_app` and
 * `preconfigured_app` for Terraform, `okta:app/autoLogin:AutoLogin acme-app` and `preconfiguredApp` for
 * Pulumi), so each line can be matched to `terraform plan` / `pulumi preview`. The SCIM token appears
 * only as the name of its source, never as a value: the plan holds no secret.
 */
import { type ResolvedIntegration, usesApiPath } from '../../constructs/model/resolve';
import type { ResolvedTenant } from '../../constructs/model/tenant';
import { type Engine, engineAddress, engineAttribute, type Naming, tenantNaming } from '../../constructs/resources/names';
import { planResources } from '../../constructs/resources/plan';
import { roleName } from '../../constructs/resources/roles';
import { importIdText, isCredential, isRef, type PlannedEntry, refText, type Value } from '../../constructs/resources/types';

export type Severity = 'danger' | 'notice';

export interface Finding {
  readonly severity: Severity;
  /** Short headline, e.g. "The Okta app is replaced". */
  readonly title: string;
  /** What happens to people and objects, and what to do. */
  readonly detail: string;
}

export interface AttributeChange {
  /** Attribute path as the engine spells it (`capabilities.update.profile.status` / `lifecycle.prevent_destroy`). */
  readonly attribute: string;
  readonly before?: string;
  readonly after?: string;
}

export interface ResourceChange {
  /** The engine's address: Terraform `type.name` (`data.` for lookups), Pulumi `type-token name`. */
  readonly address: string;
  /** The address in each engine, for readers of the JSON who use the other one. */
  readonly addresses: Record<Engine, string>;
  readonly change: 'added' | 'removed' | 'changed' | 'replaced';
  /** For `replaced`: the type before and after (the role is kept). */
  readonly kinds?: { readonly before: string; readonly after: string };
  readonly attributes: readonly AttributeChange[];
}

export interface TenantReview {
  readonly tenant: string;
  readonly status: 'added' | 'removed' | 'changed' | 'unchanged';
  /** The rollout stage before and after (see README, "Staged rollout"); equal when unchanged. */
  readonly stage: { readonly before?: number; readonly after?: number };
  /** Tenant settings outside the resource plan, by their tenants-file path: org, sources, backends, modes. */
  readonly settings: readonly AttributeChange[];
  readonly resources: readonly ResourceChange[];
  readonly findings: readonly Finding[];
}

export interface Review {
  readonly engine: Engine;
  readonly tenants: readonly TenantReview[];
  readonly dangerous: boolean;
}

export function reviewTenants(base: readonly ResolvedTenant[], head: readonly ResolvedTenant[], engine: Engine = 'terraform'): Review {
  const baseByName = new Map(base.map((tenant) => [tenant.name, tenant]));
  const headByName = new Map(head.map((tenant) => [tenant.name, tenant]));
  const names = [...head.map((t) => t.name), ...base.map((t) => t.name).filter((name) => !headByName.has(name))];
  const tenants = names.map((name) => reviewTenant(name, baseByName.get(name), headByName.get(name), engine));
  return { engine, tenants, dangerous: tenants.some((t) => t.findings.some((f) => f.severity === 'danger')) };
}

/** A change between the two plans, by role, with neutral attribute paths (named per engine at the end). */
interface NeutralChange {
  readonly entry: PlannedEntry;
  readonly change: ResourceChange['change'];
  readonly kindBefore?: string;
  readonly attributes: readonly AttributeChange[];
}

function reviewTenant(name: string, before: ResolvedTenant | undefined, after: ResolvedTenant | undefined, engine: Engine): TenantReview {
  const naming = tenantNaming(name);
  const changes = diffPlans(before ? planResources(before.integration) : [], after ? planResources(after.integration) : []);
  const settings = diffValues(flatten(before ? settingsOf(before) : {}), flatten(after ? settingsOf(after) : {}));
  const findings = !after ? (before ? removedTenant(before) : []) : !before ? addedTenant(after, changes, naming, engine) : judge(before, after, changes, naming, engine);
  const status = !before ? 'added' : !after ? 'removed' : changes.length + settings.length > 0 ? 'changed' : 'unchanged';
  return {
    tenant: name,
    status,
    stage: { ...(before ? { before: before.integration.stage } : {}), ...(after ? { after: after.integration.stage } : {}) },
    settings: before && after ? settings : [],
    resources: changes.map((change) => named(change, naming, engine)),
    findings,
  };
}

function named(change: NeutralChange, naming: Naming, engine: Engine): ResourceChange {
  const addresses = { terraform: engineAddress('terraform', change.entry, naming), pulumi: engineAddress('pulumi', change.entry, naming) };
  return {
    address: addresses[engine],
    addresses,
    change: change.change,
    ...(change.kindBefore ? { kinds: { before: change.kindBefore, after: change.entry.kind } } : {}),
    attributes: change.attributes.map((a) => ({ ...a, attribute: engineAttribute(engine, change.entry.kind, a.attribute) })),
  };
}

/** Tenant settings that are not resources but matter for review. Secret sources are names, not secrets. */
function settingsOf(tenant: ResolvedTenant): Record<string, unknown> {
  const { integration } = tenant;
  const app = integration.app;
  return {
    okta: tenant.okta,
    backend: tenant.backend,
    integration: {
      ...(app.type === 'sso'
        ? { ssoApp: { id: app.id, label: app.label } }
        : { authMode: app.authMode, signOn: app.signOn, existingAppId: app.existingAppId }),
      username: app.username.template,
      scimToken: integration.scimToken,
      removalPolicy: integration.removalPolicy,
      provisioning: integration.provisioning,
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Resource diff

function diffPlans(before: readonly PlannedEntry[], after: readonly PlannedEntry[]): NeutralChange[] {
  const slot = (entry: PlannedEntry): string => `${entry.type}:${roleName(entry.role)}`;
  const beforeBySlot = new Map(before.map((entry) => [slot(entry), entry]));
  const afterBySlot = new Map(after.map((entry) => [slot(entry), entry]));
  const changes: NeutralChange[] = [];
  for (const entry of after) {
    const old = beforeBySlot.get(slot(entry));
    const attributes = diffValues(old ? flatten(describe(old)) : {}, flatten(describe(entry)));
    if (!old) changes.push({ entry, change: 'added', attributes });
    else if (old.kind !== entry.kind) changes.push({ entry, change: 'replaced', kindBefore: old.kind, attributes });
    else if (attributes.length > 0) changes.push({ entry, change: 'changed', attributes });
  }
  for (const entry of before) {
    if (!afterBySlot.has(slot(entry))) changes.push({ entry, change: 'removed', attributes: diffValues(flatten(describe(entry)), {}) });
  }
  return changes;
}

function describe(entry: PlannedEntry): Record<string, unknown> {
  if (entry.type === 'data') return { ...entry.props };
  return {
    ...entry.props,
    protect: entry.options.protect,
    ...(entry.options.importId ? { import: entry.options.importId } : {}),
    ...(entry.options.dependsOn ? { dependsOn: entry.options.dependsOn.map(roleName) } : {}),
  };
}

/** Flattens to `a.b.c` → display string. Refs print as `<role.id>`, the credential as its source. */
export function flatten(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (value === undefined) return out;
  if (isRef(value)) out[prefix] = refText(value);
  else if (isCredential(value)) out[prefix] = `<secret ${value.credential}${value.prefix ? `, prefixed "${value.prefix.trim()} "` : ''}>`;
  else if (Array.isArray(value)) {
    // Import ids are parts concatenated; other arrays are lists.
    out[prefix] = prefix === 'import' ? importIdText(value as Value<string>[]) : JSON.stringify(value);
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

function appDescription(tenant: ResolvedTenant): string {
  const app = tenant.integration.app;
  return app.type === 'sso' ? `SSO app ${app.label !== undefined ? `"${app.label}"` : app.id}` : `Okta app "${app.label}"`;
}

function removedTenant(before: ResolvedTenant): Finding[] {
  const guarded = before.integration.removalPolicy === 'retain';
  return [
    {
      severity: 'danger',
      title: `Tenant "${before.name}" is removed from the tenants file`,
      detail:
        `Its CDKTF and Pulumi stacks are no longer generated, so CI stops planning and applying it. Nothing is deleted by that alone, ` +
        `but the ${appDescription(before)} in ${before.okta.orgName}.${before.okta.baseDomain} and its state are orphaned: ` +
        `it keeps provisioning users to Dynatrace with nobody managing it. ` +
        (guarded
          ? 'To retire the tenant for real, first set `removalPolicy: destroy` and apply, then run `terraform destroy` / `pulumi destroy --stack ' + before.name + '` (this deprovisions every assigned user from Dynatrace), then remove the entry.'
          : 'If you meant to tear it down, run `terraform destroy` / `pulumi destroy --stack ' + before.name + '` before removing the entry (this deprovisions every assigned user from Dynatrace).'),
    },
  ];
}

/** A new tenant changes nothing that exists, unless it adopts what does: then it says what it imports. */
function addedTenant(after: ResolvedTenant, changes: readonly NeutralChange[], naming: Naming, engine: Engine): Finding[] {
  const findings: Finding[] = [];
  const notice = (title: string, detail: string): void => void findings.push({ severity: 'notice', title, detail });
  judgeAdoption(undefined, after.integration, changes, notice, (entry) => `\`${engineAddress(engine, entry, naming)}\``, engine);
  return findings;
}

function judge(before: ResolvedTenant, after: ResolvedTenant, changes: readonly NeutralChange[], naming: Naming, engine: Engine): Finding[] {
  const findings: Finding[] = [];
  const a = before.integration;
  const b = after.integration;
  const danger = (title: string, detail: string): void => void findings.push({ severity: 'danger', title, detail });
  const notice = (title: string, detail: string): void => void findings.push({ severity: 'notice', title, detail });
  const address = (entry: PlannedEntry): string => `\`${engineAddress(engine, entry, naming)}\``;
  const guardWord = engine === 'terraform' ? '`prevent_destroy`' : '`protect`';
  const guardNote =
    a.removalPolicy === 'retain' ? ` With \`removalPolicy: retain\` the app is protected (${guardWord}), so ${engine === 'terraform' ? 'plan/apply' : 'preview/up'} stops with an error instead of replacing it; it goes through only after the guard is removed.` : '';
  // The app's resource changes type or leaves the code: its address is gone from the configuration.
  const leavingNote =
    a.removalPolicy !== 'retain'
      ? ''
      : engine === 'terraform'
        ? ' `prevent_destroy` does not stop this: the old resource block leaves the configuration, guard included, and Terraform destroys what the configuration no longer declares.'
        : ' With `removalPolicy: retain` the old app is protected (`protect`): `pulumi up` stops before deleting it, after creating the new one.';

  if (before.okta.orgName !== after.okta.orgName || before.okta.baseDomain !== after.okta.baseDomain) {
    danger(
      'The tenant points at another Okta org',
      `${before.okta.orgName}.${before.okta.baseDomain} → ${after.okta.orgName}.${after.okta.baseDomain}. The state still holds the objects of the old org: ` +
        'Terraform/Pulumi will find them missing in the new org and create everything there, while the old app keeps provisioning unmanaged. Add a new tenant instead.',
    );
  }
  judgeApp(a, b, danger, notice, { replaced: guardNote, leaving: leavingNote });
  judgeAdoption(a, b, changes, notice, address, engine);
  judgeProvisioning(before, after, changes, danger, notice, address, engine);
  if (a.app.username.template !== b.app.username.template) {
    danger(
      `The application username format changes (${a.app.username.template} → ${b.app.username.template})`,
      'The username becomes the SCIM userName in Dynatrace, which Dynatrace cannot change: users already provisioned keep their old userName, and users whose new userName differs may be created again as duplicates or fail to sync. Change it only before the first users are provisioned.',
    );
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
      `The app and its connection lose ${guardWord}, assignments lose \`${engineAttribute(engine, 'okta_app_group_assignment', 'retainAssignment')}\`, and pushed groups are deleted from Dynatrace (with their permissions) when their push goes. Any later removal then deprovisions users. Intended only for short-lived test tenants.`,
    );
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
  judgeResources(a, b, changes, danger, notice, address, engine);
  return findings;
}

type Say = (title: string, detail: string) => void;

/** `guard.replaced`: what the guard does when the app is replaced at its address; `guard.leaving`: when its address leaves the configuration. */
function judgeApp(a: ResolvedTenant['integration'], b: ResolvedTenant['integration'], danger: Say, notice: Say, guard: { readonly replaced: string; readonly leaving: string }): void {
  const was = a.app;
  const now = b.app;
  if (was.type !== now.type) {
    danger(
      was.type === 'catalog' ? `The tenant moves from its own test app "${was.label}" to the existing SSO app` : 'The tenant moves from the existing SSO app to a new SCIM 2.0 test app',
      was.type === 'catalog'
        ? `The test app leaves the code and is destroyed (deprovisioning every user it provisioned).${guard.leaving} Users are provisioned again only once the SSO app's console step is done. Plan the switch: do the SSO app's console step first, then remove the test app deliberately.`
        : 'The stacks stop assigning groups to the SSO app (its assignments are kept or removed per removalPolicy) and create a new test app, which provisions nobody until its own console step is done.',
    );
    return;
  }
  if (was.type === 'sso' && now.type === 'sso') {
    if (was.id !== now.id || was.label !== now.label) {
      danger(
        `The SSO app reference changes (${was.id ?? `"${was.label}"`} → ${now.id ?? `"${now.label}"`})`,
        'Assignments and pushes now go to another app: the ones on the old app are replaced (kept in Okta with `removalPolicy: retain`). Make sure both name the same app (e.g. an id replacing a label) or that the move is intended.',
      );
    }
    return;
  }
  if (was.type !== 'catalog' || now.type !== 'catalog') return;
  if (was.authMode !== now.authMode) {
    danger(
      `Switching auth mode ${was.authMode} → ${now.authMode} replaces the Okta app`,
      'The app becomes another catalog app (preconfigured_app changes), which Okta cannot change in place: the old app is deleted and a new one created. ' +
        "Every user provisioned through it is deprovisioned (deactivated) in Dynatrace and provisioned again only once the new app's console step is done; " +
        `the token format changes too (${was.authMode === 'header' ? '"Bearer <token>" → raw token' : 'raw token → "Bearer <token>"'}).${guard.replaced}`,
    );
  }
  if (was.signOn !== now.signOn) {
    danger(
      `Switching sign-on mode ${was.signOn} → ${now.signOn} replaces the Okta app`,
      `The sign-on mode decides the resource type (${was.signOn === 'saml' ? 'okta_app_saml' : 'okta_app_auto_login'} → ${now.signOn === 'saml' ? 'okta_app_saml' : 'okta_app_auto_login'}): the old app is deleted and a new one created, ` +
        `so every user provisioned through it is deprovisioned (deactivated) in Dynatrace until the new app provisions them again.${guard.leaving}`,
    );
  }
  if (was.existingAppId && now.existingAppId && was.existingAppId !== now.existingAppId) {
    danger(
      `existingAppId changes (${was.existingAppId} → ${now.existingAppId})`,
      `The import now points at another Okta app. If the state already manages ${was.existingAppId}, the import conflicts and plan fails; on a fresh state the stack adopts ${now.existingAppId} and leaves ${was.existingAppId} provisioning unmanaged. Check which app should own this tenant.`,
    );
  } else if (was.existingAppId && !now.existingAppId) {
    // The README's last adoption step: fine once the import was applied, and the plan tells which case it is.
    notice(
      `existingAppId ${was.existingAppId} is dropped`,
      `Once the adoption is applied this changes nothing: the app is in the stack's state (Terraform ignores an import of an object it already manages; Pulumi wants the import option gone). ` +
        `If the adoption has not been applied yet, the plan shows the app created: a second app next to ${was.existingAppId}, provisioning the same users. Keep existingAppId until it is applied.`,
    );
  }
  if (was.status === 'ACTIVE' && now.status === 'INACTIVE') {
    notice('The Okta app is deactivated', 'Provisioning to Dynatrace stops: new, changed and removed users are no longer synchronised until it is activated again.');
  }
}

/**
 * Adoption (`existingAppId`, `ssoApp.importAssignments`, `existingPushId`, or an existing group added to an
 * adopted app): what the next plan imports instead of creating, named as the engine names it, with the id,
 * and what the first plan updates in place because the provider does not read it back on import.
 */
function judgeAdoption(a: ResolvedIntegration | undefined, b: ResolvedIntegration, changes: readonly NeutralChange[], notice: Say, address: (entry: PlannedEntry) => string, engine: Engine): void {
  // Imported by the next plan: entries added with an import id, or given one (another one) now.
  const newlyImported = changes.flatMap(({ entry, change, attributes }) =>
    entry.type === 'resource' && entry.options.importId && (change !== 'changed' || attributes.some((x) => x.attribute === 'import')) ? [{ entry, id: entry.options.importId }] : [],
  );
  // Pulumi imports literal ids only: an assignment of a group found by name is created instead.
  const byName = engine === 'pulumi' ? newlyImported.filter(({ id }) => id.some(isRef)) : [];
  const imported = newlyImported.filter((item) => !byName.includes(item));
  const how = engine === 'terraform' ? '(`import` blocks: `terraform plan` lists them as "will be imported")' : '(the `import` resource option: `pulumi preview` lists them as imports)';
  const list = (items: typeof imported): string => items.map(({ entry, id }) => `${address(entry)} ← \`${importIdText(id)}\``).join(', ');
  const inPlace = (attribute: string): string => `The first plan also updates \`${attribute}\` in place: the provider does not read it back on import (Okta receives the values it has).`;
  const after =
    'Each must exist in Okta (an id that names nothing fails the plan): check the plan shows these imports and no create or replace. Once applied, drop the import fields (' +
    (engine === 'terraform' ? 'Terraform ignores import blocks of objects already in its state' : 'Pulumi expects the `import` option gone once the object is adopted') +
    ').';

  const owned = imported.filter(({ entry }) => entry.role.kind !== 'push');
  if (owned.length + byName.length > 0) {
    const provisioning = owned.some(({ entry }) => entry.role.kind === 'connection' || entry.role.kind === 'features') ? ' and provisioning settings' : '';
    const title =
      b.app.type === 'catalog' && owned.some(({ entry }) => entry.role.kind === 'app')
        ? `Adopting the existing Okta app ${b.app.existingAppId}`
        : b.app.type === 'sso' && b.app.importAssignments && !(a?.app.type === 'sso' && a.app.importAssignments)
          ? `Adopting the existing assignments${provisioning} of the SSO app ${b.app.id}`
          : `Importing existing objects instead of creating them`;
    const assignments = owned.some(({ entry }) => entry.role.kind === 'assignment') && b.removalPolicy === 'retain';
    const parts = [
      owned.length > 0 ? `The next apply imports ${list(owned)} ${how} instead of creating ${owned.length === 1 ? 'it' : 'them'}: nobody is deprovisioned or provisioned again. ${after}` : '',
      assignments ? inPlace(engineAttribute(engine, 'okta_app_group_assignment', 'retainAssignment')) : '',
      byName.length > 0
        ? `Pulumi imports literal ids only: ${byName.map(({ entry }) => address(entry)).join(', ')} ${byName.length === 1 ? 'is' : 'are'} created instead (the group is found by name), which Okta treats as writing the assignment anew (its priority and app profile replaced); give the group's \`id\` to import it.`
        : '',
    ];
    notice(title, parts.filter(Boolean).join(' '));
  }
  const pushes = imported.flatMap(({ entry, id }) => (entry.role.kind === 'push' ? [{ entry, id, key: entry.role.key }] : []));
  if (pushes.length > 0) {
    const one = pushes.length === 1;
    notice(
      `Adopting the existing push mapping${one ? '' : 's'} of group${one ? '' : 's'} ${pushes.map(({ key }) => `"${key}"`).join(', ')}`,
      `The next apply imports ${list(pushes)} ${how}, keeping ${one ? 'its' : 'each'} target group by id (\`${engineAttribute(engine, 'okta_push_group', 'targetGroupId')}\`) instead of creating a mapping: Okta does not push the group to Dynatrace again, and its permissions there stay. ${after} ${inPlace(engineAttribute(engine, 'okta_push_group', 'deleteTargetGroupOnDestroy'))}`,
    );
  }
}

function judgeProvisioning(before: ResolvedTenant, after: ResolvedTenant, changes: readonly NeutralChange[], danger: Say, notice: Say, address: (entry: PlannedEntry) => string, engine: Engine): void {
  const a = before.integration;
  const b = after.integration;
  const pushes = (kind: NeutralChange['change']): string[] => changes.filter((c) => c.change === kind && c.entry.kind === 'okta_push_group').map((c) => address(c.entry));
  if (usesApiPath(a) && !usesApiPath(b)) {
    const unmanaged = changes.filter((c) => c.change === 'removed' && (c.entry.kind === 'okta_app_connection' || c.entry.kind === 'okta_app_features')).map((c) => address(c.entry));
    danger(
      'Provisioning moves from the API path to the console step',
      `${unmanaged.join(' and ')} stop being managed. Okta keeps the live connection and features as they are (the provider cannot delete them; it only warns), so provisioning goes on, ` +
        'but the token and the "To App" switches are now whatever the console shows: do the console step (synth prints it) to own them again. ' +
        (engine === 'pulumi'
          ? `The connection is protected with \`removalPolicy: retain\`: run \`pulumi state unprotect\` on it first, or \`pulumi up\` refuses to remove it from the stack.`
          : 'Terraform removes them from state (destroy only warns).') +
        (b.stage === 1 ? ' The tenant is now at stage 1 until `provisioning.enabled: true` is declared, so its push mappings leave the code as well (see below).' : ''),
    );
  } else if (!usesApiPath(a) && usesApiPath(b)) {
    notice(
      'Provisioning moves to the API path',
      `The apply creates the connection and features through Okta's API, which Okta is likely to refuse for this app (validation warns with the evidence). Run \`okta-dynatrace-scim verify --tenant ${after.name}\` after apply: a connection status UNKNOWN means go back to the console step.`,
    );
  }
  if (a.stage === 1 && b.stage === 2) {
    const added = pushes('added');
    notice(
      `Stage 1 → 2: provisioning is declared enabled${added.length > 0 ? `, adding the push mappings ${added.join(', ')}` : ''}`,
      `Okta refuses group push mappings while provisioning is off: apply only once the console step is done (\`okta-dynatrace-scim verify --tenant ${after.name}\` reports the stage). Pushed groups are created in Dynatrace with owner SCIM and no permissions until they are granted.`,
    );
  } else if (a.stage === 2 && b.stage === 1) {
    const removed = pushes('removed');
    danger(
      `Stage 2 → 1: provisioning is no longer declared enabled${removed.length > 0 ? `, removing the push mappings ${removed.join(', ')}` : ''}`,
      a.removalPolicy === 'destroy'
        ? 'With `removalPolicy: destroy` removing a push mapping deletes its Dynatrace group and every permission bound to it. Keep `provisioning.enabled: true` unless provisioning really was turned off in Okta.'
        : 'The Dynatrace groups stay (with their permissions) but their memberships are no longer updated. Keep `provisioning.enabled: true` unless provisioning really was turned off in Okta.',
    );
  }
}

/** Policy names that grant administration: bound anywhere, they are flagged. */
const ADMIN_POLICY = /admin/i;

/** The policies (name or uuid) a group binds at a bindings resource's level. */
function boundPolicies(integration: ResolvedTenant['integration'], groupKey: string, props: { account?: string; environment?: string }): string[] {
  const group = integration.groups.find((g) => g.key === groupKey);
  return (group?.policies ?? [])
    .filter((binding) => (props.account !== undefined ? binding.level === 'account' : binding.level === 'environment' && binding.environment === props.environment))
    .map((binding) => ('name' in binding.policy ? binding.policy.name : binding.policy.uuid));
}

/**
 * Dynatrace bindings: a bindings resource owns every binding of its group at its level (the provider
 * replaces what is there), so a new one takes over what was set by hand, and a removed one unbinds.
 */
function judgeBindings(change: NeutralChange, a: ResolvedTenant['integration'], b: ResolvedTenant['integration'], danger: Say, notice: Say, where: string): void {
  if (change.entry.type !== 'resource' || change.entry.kind !== 'dynatrace_iam_policy_bindings_v2') return;
  const { props, role } = change.entry;
  const level = props.account !== undefined ? `account level (${props.account})` : `environment ${props.environment}`;
  const key = role.key;
  const pushed = [...b.groups, ...a.groups].find((g) => g.key === key)?.pushAs ?? key;
  const quote = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');
  if (change.change === 'removed') {
    danger(
      `The Dynatrace group "${pushed}" loses its policy bindings at ${level} (${where})`,
      `The bindings resource is destroyed, which unbinds ${quote(boundPolicies(a, key, props))} from the group: its members lose that access in Dynatrace.`,
    );
    return;
  }
  const before = change.change === 'added' ? [] : boundPolicies(a, key, props);
  const after = boundPolicies(b, key, props);
  const added = after.filter((name) => !before.includes(name));
  if (change.change === 'added') {
    notice(
      `The code now owns every policy binding of "${pushed}" at ${level} (${where})`,
      `The provider replaces whatever is bound to the group there with exactly ${quote(after)}: bindings added by hand in Account Management at that level are removed.`,
    );
  }
  if (props.account !== undefined && added.length > 0) {
    danger(`A new account-level binding for "${pushed}": ${quote(added)}`, 'An account-level binding applies to every environment of the account. Bind per environment unless the whole account is meant.');
  }
  const admin = added.filter((name) => ADMIN_POLICY.test(name));
  if (admin.length > 0) {
    danger(`An admin-type policy is bound to "${pushed}" at ${level}: ${quote(admin)}`, 'Every member of the Okta group gets it through SCIM. Check the group is meant to administer Dynatrace, and who can add members to it in Okta.');
  }
  const removed = before.filter((name) => !after.includes(name));
  if (removed.length > 0) {
    danger(`"${pushed}" loses ${quote(removed)} at ${level} (${where})`, 'The binding is removed from the group in Dynatrace at the next apply: its members lose that access.');
  }
}

function judgeResources(a: ResolvedTenant['integration'], b: ResolvedTenant['integration'], changes: readonly NeutralChange[], danger: Say, notice: Say, address: (entry: PlannedEntry) => string, engine: Engine): void {
  const sso = b.app.type === 'sso';
  for (const change of changes) {
    const { entry } = change;
    const attr = (name: string): AttributeChange | undefined => change.attributes.find((x) => x.attribute === name);
    const where = address(entry);
    if (entry.kind === 'okta_app_group_assignment') {
      const group = entry.role.key;
      const retained = attr('retainAssignment')?.before === 'true' || (change.change === 'changed' && a.removalPolicy === 'retain');
      if (change.change === 'added' && sso) {
        notice(
          `${where}: group "${group}" is assigned to the SSO app`,
          'Its members are provisioned to Dynatrace and can sign in to it through this app. If the group is already assigned to the SSO app, Okta replaces that assignment with this one (its priority, and the app profile set on it in the console), since the assignment is written, not merged.',
        );
      } else if (change.change === 'removed') {
        if (retained) {
          notice(
            `Group "${group}" leaves the code, but its assignment stays in Okta`,
            `With \`removalPolicy: retain\` the assignment is kept in Okta (\`${engineAttribute(engine, 'okta_app_group_assignment', 'retainAssignment')}\`): its members stay provisioned in Dynatrace and the code no longer manages it. To deprovision them, remove the assignment in the Okta admin console.`,
          );
        } else {
          danger(
            `Removing the assignment of group "${group}" deprovisions its members (${where})`,
            `Okta unassigns the app from every member of the group who has no other assignment, and ${b.provisioning.deactivateUsers ? 'deactivates them in Dynatrace' : 'stops updating them in Dynatrace (Deactivate Users is off, so their accounts stay)'}` +
              `${sso ? '; on the SSO app they also lose sign-in to Dynatrace' : ''}.`,
          );
        }
      } else if (change.change === 'changed' && (attr('groupId') || attr('appId'))) {
        const detail = retained
          ? "The assignment is replaced: the old one is kept in Okta (retained) and a new one is created, so the old group's members stay provisioned; remove the old assignment by hand if that is not intended."
          : 'The assignment is replaced: the old group is unassigned first, so its members who have no other assignment are deprovisioned (deactivated) in Dynatrace.';
        (retained ? notice : danger)(`${where} now points at another group (${attr('groupId')?.before ?? '?'} → ${attr('groupId')?.after ?? '?'})`, detail);
      }
    }
    if (entry.kind === 'okta_push_group') {
      const group = entry.role.key;
      const deletes = attr('deleteTargetGroupOnDestroy')?.before === 'true';
      const target = attr('targetGroupName');
      if (change.change === 'removed') {
        (deletes ? danger : notice)(
          `Group "${group}" is no longer pushed to Dynatrace (${where})`,
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
    if (entry.kind === 'dynatrace_iam_policy_bindings_v2') judgeBindings(change, a, b, danger, notice, where);
    if (entry.kind === 'okta_group' && entry.type === 'resource' && change.change === 'removed') {
      const name = change.attributes.find((x) => x.attribute === 'name')?.before ?? `"${entry.role.key}"`;
      danger(`The Okta group ${name}, created by this stack, is deleted (${where})`, 'Deleting it removes it from every app it is assigned to, not only Dynatrace: its members lose what the group gave them.');
    }
  }
}
