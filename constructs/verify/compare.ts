/**
 * Compares a tenant's live Okta state with what the model says, field by field.
 *
 * Expectations come from the neutral plan ({@link planResources}), compiled as if the tenant were
 * `connection: managed`: for a managed tenant that is exactly what the stacks apply; for a `manual` tenant it
 * is what the admin checklist asks to click (same base URL, auth scheme, capabilities and pushed groups). So
 * both modes are checked against the same expectations; only the hints differ.
 *
 * Read-only: GETs through an {@link OktaReader}. Never sees a secret.
 */
import { CATALOG_APPS } from '../model/catalog';
import { consoleStep } from '../model/console-step';
import type { ResolvedGroup } from '../model/resolve';
import type { ResolvedTenant } from '../model/tenant';
import { planResources, ROLES } from '../resources/plan';
import type { PlannedEntry, PlannedResource } from '../resources/types';
import { HttpError, type OktaReader } from './okta-client';
import { type OktaApp, oktaAppGroupShape, oktaAppShape, oktaConnectionShape, oktaFeatureShape, oktaGroupShape, type OktaPushMapping, oktaPushMappingShape } from './okta-responses';

export type FindingStatus = 'ok' | 'drift' | 'unknown' | 'error';
export type FindingArea = 'okta' | 'app' | 'connection' | 'features' | 'assignments' | 'push' | 'credential';

/** One checked field. `expected` and `actual` are display strings; neither ever holds a secret. */
export interface Finding {
  readonly area: FindingArea;
  readonly field: string;
  readonly expected: string;
  readonly actual: string;
  /**
   * - `ok`: live value matches the model;
   * - `drift`: it does not (someone changed it, or apply did not run);
   * - `unknown`: Okta's public API does not expose it; `hint` says what to check by hand;
   * - `error`: could not check (credentials, network, rate limit, unexpected answer).
   */
  readonly status: FindingStatus;
  /** What to do or check; for `unknown`, the manual check. */
  readonly hint?: string;
}

export interface OktaComparison {
  readonly appId?: string;
  readonly findings: Finding[];
}

const SIGN_ON_MODE = { okta_app_auto_login: 'AUTO_LOGIN', okta_app_saml: 'SAML_2_0' } as const;

/** Thrown inside the comparison to stop after an error that makes further reads pointless. */
class Stop extends Error {}

export async function compareOkta(tenant: ResolvedTenant, okta: OktaReader): Promise<OktaComparison> {
  const findings: Finding[] = [];
  const state: { appId?: string } = {};
  try {
    await compare(tenant, okta, findings, state);
  } catch (error) {
    if (error instanceof Stop) return { ...state, findings };
    if (error instanceof HttpError) {
      findings.push(fatal(error));
      return { ...state, findings };
    }
    throw error;
  }
  return { ...state, findings };
}

/** An error that ends the Okta part: credentials, network, rate limit, or an answer we cannot read. */
function fatal(error: HttpError): Finding {
  const hint =
    error.kind === 'auth'
      ? 'the Okta credential is invalid, expired, or lacks okta.apps.read / okta.groups.read (an API token inherits its admin\'s role: give that admin read access to this app and its groups)'
      : error.kind === 'network'
        ? 'check the org URL (okta.orgName / okta.baseDomain), the runner\'s network and proxy; raise --timeout if the org is slow'
        : error.kind === 'rate-limited'
          ? 'Okta\'s rate limit did not lift in time; run again later or outside busy hours'
          : 'unexpected answer from Okta; run again, and report it if it persists';
  return { area: 'okta', field: 'api', expected: 'readable', actual: error.message, status: 'error', hint };
}

async function compare(tenant: ResolvedTenant, okta: OktaReader, findings: Finding[], state: { appId?: string }): Promise<void> {
  const spec = tenant.integration;
  // Expectations as the API path applies them, also for console-step tenants: see the module comment.
  const plan = planResources({ ...spec, provisioning: { ...spec.provisioning, setup: 'api', enabled: true }, stage: 2 });
  const manual = spec.provisioning.setup === 'console';

  const app = await findApp(tenant, okta, findings);
  if (!app) return;
  state.appId = app.id;
  const appPath = `/api/v1/apps/${encodeURIComponent(app.id)}`;

  const appEntry = plan.find((e) => e.role === ROLES.app);
  if (appEntry?.type === 'resource' && (appEntry.kind === 'okta_app_auto_login' || appEntry.kind === 'okta_app_saml')) {
    findings.push(same('app', 'status', appEntry.props.status, app.status));
    findings.push(same('app', 'signOnMode', SIGN_ON_MODE[appEntry.kind], app.signOnMode, 'the sign-on mode decides the resource type, so apply would replace the app and deprovision everyone: align `signOn` in the tenants file with the live app instead'));
  }

  const checklist = (consoleStep(tenant.name, spec, tenant.okta)?.steps ?? []).join(' | ');
  const byHand = `not readable through the public API; check by hand: ${checklist}`;

  // Provisioning connection.
  const connEntry = entry(plan, ROLES.connection) as Extract<PlannedResource, { kind: 'okta_app_connection' }>;
  const connection = await readOptional(() => okta.get(`${appPath}/connections/default`, oktaConnectionShape));
  // Okta answers UNKNOWN (or omits the status) when the app's provisioning is not exposed through the public API.
  if (connection === undefined || connection.status === undefined || connection.status === 'UNKNOWN') {
    findings.push({
      area: 'connection',
      field: 'status',
      expected: 'ENABLED',
      actual: connection === undefined ? 'not found' : (connection.status ?? NOT_RETURNED),
      status: 'unknown',
      hint: manual ? byHand : 'Okta did not accept the API path for this app; use the console step (`provisioning.setup: console`, README "What is code and what is the console step")',
    });
  } else {
    const fix = manual ? 'fix it in the Okta admin console (Provisioning → Integration)' : 'run apply for this tenant';
    findings.push(same('connection', 'status', 'ENABLED', connection.status, fix));
    const scheme = connection.profile?.authScheme ?? connection.authScheme;
    if (scheme === undefined || scheme === 'UNKNOWN') {
      findings.push({ area: 'connection', field: 'authScheme', expected: connEntry.props.profile.authScheme, actual: scheme ?? NOT_RETURNED, status: 'unknown', hint: `${byHand}` });
    } else {
      findings.push(same('connection', 'authScheme', connEntry.props.profile.authScheme, scheme, fix));
    }
    if (connection.baseUrl === undefined) {
      findings.push({ area: 'connection', field: 'baseUrl', expected: connEntry.props.baseUrl, actual: NOT_RETURNED, status: 'unknown', hint: `Okta did not return the base URL for this app; check by hand that Provisioning → Integration shows ${connEntry.props.baseUrl}` });
    } else {
      const ok = sameUrl(connEntry.props.baseUrl, connection.baseUrl);
      findings.push({ area: 'connection', field: 'baseUrl', expected: connEntry.props.baseUrl, actual: connection.baseUrl, status: ok ? 'ok' : 'drift', ...(ok ? {} : { hint: fix }) });
    }
  }

  // USER_PROVISIONING features.
  const featEntry = entry(plan, ROLES.features) as Extract<PlannedResource, { kind: 'okta_app_features' }>;
  const feature = await readOptional(() => okta.get(`${appPath}/features/USER_PROVISIONING`, oktaFeatureShape));
  if (feature === undefined) {
    findings.push({ area: 'features', field: 'USER_PROVISIONING', expected: 'ENABLED', actual: 'not found', status: 'unknown', hint: byHand });
  } else {
    const fix = manual ? 'fix it in Provisioning → To App' : 'run apply for this tenant';
    const want = featEntry.props;
    const caps = feature.capabilities;
    findings.push(same('features', 'status', want.status, feature.status, fix));
    findings.push(same('features', 'create.lifecycleCreate', want.capabilities.create.lifecycleCreate.status, caps?.create?.lifecycleCreate?.status, fix));
    findings.push(same('features', 'update.lifecycleDeactivate', want.capabilities.update.lifecycleDeactivate.status, caps?.update?.lifecycleDeactivate?.status, fix));
    findings.push(same('features', 'update.profile', want.capabilities.update.profile.status, caps?.update?.profile?.status, fix));
    findings.push(same('features', 'update.password', want.capabilities.update.password.status, caps?.update?.password?.status, fix));
  }

  // Groups: resolve ids, then assignments and push mappings.
  const groupIds = new Map<string, string>();
  for (const group of spec.groups) {
    const id = await resolveGroupId(group, plan, okta, findings);
    if (id) groupIds.set(group.key, id);
  }

  const assigned = await okta.list(`${appPath}/groups`, oktaAppGroupShape);
  const assignedById = new Map(assigned.map((a) => [a.id, a]));
  // An assignment listed without its group id could be any group's: unmatched groups are then unknown, not missing.
  const anonymousAssignment = assigned.some((a) => a.id === undefined);
  const fixAssign = 'run apply for this tenant (or assign the group in the Okta admin console)';
  for (const group of spec.groups) {
    const id = groupIds.get(group.key);
    if (!id) continue;
    const want = entry(plan, ROLES.assignment(group.key)) as Extract<PlannedResource, { kind: 'okta_app_group_assignment' }>;
    const live = assignedById.get(id);
    const label = groupLabel(group);
    findings.push(same('assignments', `${label}.assigned`, 'yes', live ? 'yes' : anonymousAssignment ? undefined : 'no', `${fixAssign}; until then its members are not provisioned`));
    if (!live) continue;
    if (want.props.priority === undefined) continue;
    findings.push(same('assignments', `${label}.priority`, String(want.props.priority), live.priority === undefined ? undefined : String(live.priority), fixAssign));
  }
  const expectedIds = new Set(groupIds.values());
  for (const extra of assigned.filter((a) => a.id === undefined || !expectedIds.has(a.id))) {
    if (extra.id === undefined) {
      findings.push(same('assignments', `(group id not returned).assigned`, 'no (not in the tenants file)', undefined));
      continue;
    }
    findings.push({
      area: 'assignments',
      field: `${extra.id}.assigned`,
      expected: 'no (not in the tenants file)',
      actual: `yes${extra.priority === undefined ? '' : `, priority ${extra.priority}`}`,
      status: 'drift',
      hint: 'assigned in Okta but not in the model (added by hand, or retained after removal from code): add it to the tenants file, or unassign it in Okta to deprovision its members',
    });
  }

  // Push mappings: every group with a push target, in both modes.
  const pushed = spec.groups.filter((group) => group.pushAs && groupIds.has(group.key));
  const mappings = await readOptional(() => okta.list(`${appPath}/group-push/mappings`, oktaPushMappingShape));
  if (mappings === undefined) {
    if (pushed.length > 0) findings.push({ area: 'push', field: 'mappings', expected: `${pushed.length} ACTIVE`, actual: 'not found', status: 'unknown', hint: byHand });
    return;
  }
  const fixPush = manual ? 'push the group in the Okta admin console (Push Groups)' : 'run apply for this tenant';
  const matched = new Set<OktaPushMapping>();
  // A mapping listed without its source group could be any group's: unmatched groups are then unknown, not missing.
  const anonymousMapping = mappings.some((m) => m.sourceGroupId === undefined);
  for (const group of pushed) {
    const id = groupIds.get(group.key)!;
    const label = groupLabel(group);
    const mapping = mappings.find((m) => m.sourceGroupId === id);
    if (!mapping) {
      const expected = `ACTIVE → "${group.pushAs}"`;
      findings.push(anonymousMapping ? same('push', `${label}.mapping`, expected, undefined) : { area: 'push', field: `${label}.mapping`, expected, actual: 'missing', status: 'drift', hint: `${fixPush}; until then the group does not exist in Dynatrace` });
      continue;
    }
    matched.add(mapping);
    const actual = mapping.status === 'ERROR' && mapping.errorSummary ? `ERROR: ${mapping.errorSummary.slice(0, 200)}` : mapping.status;
    findings.push(same('push', `${label}.mapping`, 'ACTIVE', actual, fixPush));
    const targetName = mapping.targetGroupName ?? mapping._links?.targetGroup?.name;
    if (targetName !== undefined) findings.push(same('push', `${label}.target`, group.pushAs!, targetName, fixPush));
  }
  // Mappings of groups the model does not push (their source group not pushed by the model).
  const pushedIds = new Set(pushed.map((group) => groupIds.get(group.key)));
  for (const extra of mappings.filter((m) => !matched.has(m) && !pushedIds.has(m.sourceGroupId ?? ''))) {
    if (extra.sourceGroupId === undefined) {
      findings.push(same('push', `${extra.id ?? '(id not returned)'}.mapping`, 'none (not pushed in the tenants file)', undefined));
      continue;
    }
    findings.push({
      area: 'push',
      field: `${extra.sourceGroupId}.mapping`,
      expected: 'none (not pushed in the tenants file)',
      actual: extra.status ?? NOT_RETURNED,
      status: 'drift',
      hint: 'pushed in Okta but not in the model: add `push: true` to the group, or remove the mapping in Okta (deleting the target group in Dynatrace removes its permissions)',
    });
  }
}

/**
 * The app: the SSO app by id or exact label; a created app by `existingAppId`, else by exact label among
 * `GET /api/v1/apps?q=<label>`, preferring the expected OIN name.
 */
async function findApp(tenant: ResolvedTenant, okta: OktaReader, findings: Finding[]): Promise<(OktaApp & { id: string }) | undefined> {
  const app = tenant.integration.app;
  const id = app.type === 'sso' ? app.id : app.existingAppId;
  const label = app.label;
  const oin = app.type === 'catalog' ? CATALOG_APPS[app.authMode] : undefined;
  const expectedName = app.type === 'catalog' ? app.oinAppName : undefined;
  const idField = app.type === 'sso' ? 'ssoApp.id' : 'existingAppId';
  if (id !== undefined) {
    const found = await readOptional(() => okta.get(`/api/v1/apps/${encodeURIComponent(id)}`, oktaAppShape));
    if (!found) {
      findings.push({ area: 'app', field: 'id', expected: id, actual: 'not found', status: 'drift', hint: `${idField} names no app in this org: check the id (Applications → the app → its URL) and the org` });
      return undefined;
    }
    findings.push(same('app', 'id', id, found.id));
    if (app.type === 'catalog') {
      findings.push(same('app', 'label', app.label, found.label, 'run apply (the label updates in place)'));
      findings.push(same('app', 'name', expectedName!, found.name, `the app is not the ${oin!.displayName}; authMode in the tenants file must match the app that exists`));
    }
    return { ...found, id };
  }
  const candidates = (await okta.list(`/api/v1/apps?q=${encodeURIComponent(label!)}`, oktaAppShape)).filter((candidate) => candidate.label === label);
  const exact = expectedName === undefined ? candidates : candidates.filter((candidate) => candidate.name === expectedName);
  const pick = exact.length > 0 ? exact : candidates;
  if (pick.length === 0) {
    findings.push({
      area: 'app',
      field: 'label',
      expected: `"${label}"${expectedName ? ` (${expectedName})` : ''}`,
      actual: 'no such app',
      status: 'drift',
      hint: app.type === 'sso' ? 'no app has exactly this label: fix ssoApp.label or give ssoApp.id' : 'the app does not exist (apply has not run, or it was renamed or deleted): run apply, or set existingAppId to adopt the app an admin made by hand',
    });
    return undefined;
  }
  if (pick.length > 1) {
    findings.push({ area: 'app', field: 'label', expected: `one app labelled "${label}"`, actual: `${pick.length} apps: ${pick.map((a) => a.id ?? NOT_RETURNED).join(', ')}`, status: 'error', hint: `set ${idField} to the id of the app this tenant owns` });
    throw new Stop();
  }
  const found = pick[0]!;
  const foundId = found.id;
  if (foundId === undefined) {
    findings.push({ area: 'app', field: 'id', expected: `the id of the app labelled "${label}"`, actual: NOT_RETURNED, status: 'error', hint: `Okta listed the app without its id, so nothing else can be read: set ${idField} (Applications → the app → its URL)` });
    throw new Stop();
  }
  findings.push({ area: 'app', field: 'label', expected: label!, actual: `${label} (${foundId})`, status: 'ok' });
  if (expectedName !== undefined) findings.push(same('app', 'name', expectedName, found.name, `an app with this label exists but is not the ${oin!.displayName}; authMode in the tenants file must match the app that exists`));
  return { ...found, id: foundId };
}

async function resolveGroupId(group: ResolvedGroup, plan: PlannedEntry[], okta: OktaReader, findings: Finding[]): Promise<string | undefined> {
  if (group.source.kind === 'id') return group.source.id;
  const groupEntry = plan.find((e) => e.role === ROLES.group(group.key));
  const name = groupEntry && groupEntry.kind === 'okta_group' ? groupEntry.props.name : group.source.name;
  // Exact and paged, unlike `q` (prefixes, at most 300, no paging). A group listed without its name matched the
  // search, so it counts; one with another name (were the org to compare case-insensitively) does not.
  const found = (await okta.list(`/api/v1/groups?search=${encodeURIComponent(groupNameSearch(name))}`, oktaGroupShape)).filter((g) => (g.profile?.name ?? name) === name);
  const label = groupLabel(group);
  if (found.length === 1) {
    const id = found[0]!.id;
    if (id === undefined) findings.push({ area: 'assignments', field: `${label}.group`, expected: `Okta group "${name}"`, actual: NOT_RETURNED, status: 'unknown', hint: 'Okta listed the group without its id: give the group `id` in the tenants file' });
    return id;
  }
  if (found.length === 0) {
    findings.push({
      area: 'assignments',
      field: `${label}.group`,
      expected: `Okta group "${name}"`,
      actual: 'not found',
      status: 'drift',
      hint: group.source.kind === 'create' ? 'the group this stack creates does not exist: run apply' : 'no Okta group has exactly this name: fix the name in the tenants file or give the group id',
    });
  } else {
    findings.push({ area: 'assignments', field: `${label}.group`, expected: `one Okta group "${name}"`, actual: `${found.length} groups: ${found.map((g) => g.id ?? NOT_RETURNED).join(', ')}`, status: 'error', hint: 'give the group `id` in the tenants file' });
  }
  return undefined;
}

/**
 * The search expression for one group name. Okta's filter string literals are JSON strings (developer.okta.com,
 * Core Okta API → Filter: "String literals must be valid JSON strings"), so `"` and `\` are escaped as JSON does.
 */
function groupNameSearch(name: string): string {
  return `profile.name eq ${JSON.stringify(name)}`;
}

/** A not-found (or 400: the app type does not support the endpoint) becomes `undefined`; other errors propagate. */
async function readOptional<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof HttpError && (error.kind === 'not-found' || error.status === 400)) return undefined;
    throw error;
  }
}

function entry(plan: PlannedEntry[], role: string): PlannedEntry {
  const found = plan.find((e) => e.role === role);
  if (!found) throw new Error(`verify: the plan has no "${role}" entry`);
  return found;
}

/** What the report shows for a field Okta's answer left out. */
const NOT_RETURNED = '(not returned)';

/**
 * `actual` undefined means Okta's answer left the field out (its spec allows that for nearly every field):
 * neither drift nor a match, but `unknown`, to be checked by hand.
 */
function same(area: FindingArea, field: string, expected: string, actual: string | undefined, hint?: string): Finding {
  if (actual === undefined) {
    return { area, field, expected, actual: NOT_RETURNED, status: 'unknown', hint: "Okta's answer did not include this field: check it by hand in the Okta admin console" };
  }
  const ok = expected === actual;
  return { area, field, expected, actual, status: ok ? 'ok' : 'drift', ...(!ok && hint ? { hint } : {}) };
}

function sameUrl(a: string, b: string): boolean {
  const norm = (u: string): string => {
    try {
      return new URL(u.trim()).toString().replace(/\/+$/, '');
    } catch {
      return u.trim().replace(/\/+$/, '');
    }
  };
  return norm(a) === norm(b);
}

/** The group's key, as the tenants file and the stacks' addresses name it. */
function groupLabel(group: ResolvedGroup): string {
  return group.key;
}
