/**
 * Compares a tenant's live Okta state with what the tenants file says, field by field, and tells which
 * rollout stage the live tenant is in.
 *
 * - Objects the stacks apply come from the tenant's own plan ({@link planResources}, at its declared
 *   stage) and are named as the chosen engine names them.
 * - What the console step sets (base URL, token, "To App" switches; the SSO app's username format) is
 *   compared where Okta lets it be read, in the console step's words: no resource holds it.
 * - The provisioning connection is read only on the API path. For console-step apps Okta answers
 *   `UNKNOWN`; the Dynatrace SCIM probe proves the token instead.
 * - Whether provisioning is on, and the "To App" switches, come from the app's `features` (documented
 *   for every app); `/features/USER_PROVISIONING` (answered for a few catalog apps only) and push
 *   mappings are further evidence where Okta gives them.
 * - The profile mapping of what Dynatrace requires of a user is compared in `profile-mapping.ts`.
 *
 * Read-only: GETs through an {@link OktaReader}. Never sees a secret.
 */
import { CATALOG_APPS } from '../../constructs/model/catalog';
import { TO_APP_SWITCHES, type ToAppSwitch, toAppInstruction, usernameInstruction } from '../../constructs/model/console-step';
import { knownAppId, type ResolvedGroup, type ResolvedIntegration, usesApiPath } from '../../constructs/model/resolve';
import type { SignOnMode } from '../../constructs/model/spec';
import type { ResolvedTenant } from '../../constructs/model/tenant';
import type { Engine } from '../../constructs/resources/names';
import { planResources } from '../../constructs/resources/plan';
import { ROLES, sameRole } from '../../constructs/resources/roles';
import type { PlannedEntry } from '../../constructs/resources/types';
import { type Finding, NOT_RETURNED, type ObjectNamer, objectNamer, same } from './findings';
import { HttpError, isRefusal, type OktaReader, readOptional } from './okta-client';
import { type AppProvisioning, appProvisioning, type OktaApp, oktaAppGroupShape, oktaAppShape, oktaConnectionShape, type OktaFeature, oktaFeatureShape, oktaGroupShape, type OktaPushMapping, oktaPushMappingShape } from './okta-responses';
import { compareProfileMapping, PROFILE_MAPPING_NOTE } from './profile-mapping';
import { consoleStepPointer, DECLARE_STAGE_2, type LiveStage } from './stage';

export interface OktaComparison {
  readonly appId?: string;
  readonly findings: Finding[];
  readonly live: LiveStage;
  /** Said once per tenant: what verify deliberately does not read, and why. */
  readonly notes: string[];
}

/** The hint for an API-path tenant whose app Okta does not provision through the API. */
export const API_PATH_REFUSED = 'Okta did not accept the API path for this app; use the console step';
const API_PATH_HINT = `${API_PATH_REFUSED} (provisioning: { setup: console }; README "What is code and what is the console step")`;

const SIGN_ON_MODE = { okta_app_auto_login: 'AUTO_LOGIN', okta_app_saml: 'SAML_2_0' } as const;
/** The tenants file's `signOn` for a live sign-on mode the model can create. */
const SIGN_ON_SETTING: Readonly<Record<string, SignOnMode>> = { AUTO_LOGIN: 'autoLogin', SAML_2_0: 'saml' };

/** Thrown inside the comparison to stop after an error that makes further reads pointless. */
class Stop extends Error {}

interface Context {
  readonly tenant: ResolvedTenant;
  readonly spec: ResolvedIntegration;
  readonly okta: OktaReader;
  readonly plan: readonly PlannedEntry[];
  readonly at: ObjectNamer;
  /** Lines of the tenant's console step (empty on the API path). */
  readonly findings: Finding[];
  readonly notes: string[];
  appId?: string;
}

export async function compareOkta(tenant: ResolvedTenant, okta: OktaReader, engine: Engine = 'terraform'): Promise<OktaComparison> {
  const spec = tenant.integration;
  const plan = planResources(spec);
  const context: Context = {
    tenant,
    spec,
    okta,
    plan,
    at: objectNamer(plan, tenant.name, engine),
    findings: [],
    notes: [],
  };
  let live: LiveStage;
  try {
    live = await compare(context);
  } catch (error) {
    if (error instanceof HttpError) context.findings.push(fatal(error));
    else if (!(error instanceof Stop)) throw error;
    live = 'unknown';
  }
  return { ...(context.appId ? { appId: context.appId } : {}), findings: context.findings, live, notes: context.notes };
}

/** An error that ends the Okta part: credentials, network, rate limit, or an answer we cannot read. */
function fatal(error: HttpError): Finding {
  const hint =
    error.hint ??
    (error.kind === 'auth'
      ? 'the Okta credential may not read this app and its groups: see README, "Okta credentials and scopes"'
      : error.kind === 'network'
        ? 'check the org URL (okta.orgName / okta.baseDomain), the runner\'s network and proxy; raise --timeout if the org is slow'
        : error.kind === 'rate-limited'
          ? 'Okta\'s rate limit did not lift in time; run again later or outside busy hours'
          : 'unexpected answer from Okta; run again, and report it if it persists');
  return { area: 'okta', field: 'api', expected: 'readable', actual: error.message, status: 'error', hint };
}

async function compare(ctx: Context): Promise<LiveStage> {
  const { spec, okta, findings } = ctx;
  const app = await findApp(ctx);
  if (!app) return 'no-app';
  ctx.appId = app.id;
  const appPath = `/api/v1/apps/${encodeURIComponent(app.id)}`;
  compareApp(ctx, app);

  if (usesApiPath(spec)) await compareConnection(ctx, appPath);
  else ctx.notes.push(CONSOLE_CONNECTION_NOTE);

  const detail = await readFeature(okta, appPath);
  // The "To App" findings depend on whether provisioning is on, known only once the push mappings are read.
  const featureSlot = findings.length;

  const groupIds = new Map<string, string>();
  for (const group of spec.groups) {
    const id = await resolveGroupId(ctx, group);
    if (id) groupIds.set(group.key, id);
  }
  await compareAssignments(ctx, appPath, groupIds);

  const mappings = await readOptional(() => okta.list(`${appPath}/group-push/mappings`, oktaPushMappingShape));
  const fromApp = appProvisioning(app);
  const provisioning = provisioningState(fromApp, detail, mappings);
  findings.splice(featureSlot, 0, ...compareProvisioning(ctx, provisioning, fromApp, detail));
  comparePushes(ctx, groupIds, mappings, provisioning !== 'off');
  const profile = await compareProfileMapping(okta, app.id, app.label, spec.provisioning);
  findings.push(...profile.findings);
  if (profile.read) ctx.notes.push(PROFILE_MAPPING_NOTE);

  if (provisioning === 'unknown') return 'unknown';
  if (provisioning === 'off') return 'provisioning-off';
  const pushed = spec.groups.filter((group) => group.pushAs);
  if (mappings === undefined) return pushed.length > 0 ? 'unknown' : 'pushed';
  const mapped = (group: ResolvedGroup): boolean => mappings.some((m) => m.sourceGroupId !== undefined && m.sourceGroupId === groupIds.get(group.key));
  return pushed.every(mapped) ? 'pushed' : 'push-pending';
}

const CONSOLE_CONNECTION_NOTE =
  'the provisioning connection (base URL, token) is set in the console step and not read: Okta\'s API answers UNKNOWN for these apps. The Dynatrace SCIM probe proves the token instead, and ACTIVE push mappings show that Okta reaches Dynatrace with it.';

/**
 * The app: the SSO app by id or exact label; a created app by `existingAppId`, else by exact label among
 * `GET /api/v1/apps?q=<label>&includeNonDeleted=true` (without it Okta leaves deactivated apps out, and an
 * INACTIVE app would look deleted), preferring the expected OIN name.
 */
async function findApp(ctx: Context): Promise<(OktaApp & { id: string }) | undefined> {
  const { okta, findings } = ctx;
  const app = ctx.spec.app;
  const id = knownAppId(app);
  const label = app.label;
  const oin = app.type === 'catalog' ? CATALOG_APPS[app.authMode] : undefined;
  const expectedName = app.type === 'catalog' ? app.oinAppName : undefined;
  const idField = app.type === 'sso' ? 'ssoApp.id' : 'existingAppId';
  const nameCheck = (found: OktaApp, why: string): void => {
    if (expectedName !== undefined) findings.push(same({ area: 'app', field: 'name', at: ctx.at(ROLES.app, 'preconfiguredApp'), expected: expectedName, actual: found.name, hint: `${why} is not the ${oin!.displayName}; authMode in the tenants file must match the app that exists` }));
  };
  if (id !== undefined) {
    // The SSO app's data source reads it by id; an adopted test app is imported by it.
    const idAt = ctx.at(ROLES.app, app.type === 'sso' ? 'id' : 'import');
    const found = await readOptional(() => okta.get(`/api/v1/apps/${encodeURIComponent(id)}`, oktaAppShape));
    if (!found) {
      findings.push({ area: 'app', field: 'id', ...idAt, expected: id, actual: 'not found', status: 'drift', hint: `${idField} names no app in this org: check the id (Applications → the app → its URL) and the org` });
      return undefined;
    }
    findings.push(same({ area: 'app', field: 'id', at: idAt, expected: id, actual: found.id }));
    if (app.type === 'catalog') {
      findings.push(same({ area: 'app', field: 'label', at: ctx.at(ROLES.app, 'label'), expected: app.label, actual: found.label, hint: 'run apply (the label updates in place)' }));
      nameCheck(found, 'the app');
    }
    return { ...found, id };
  }
  const labelAt = ctx.at(ROLES.app, 'label');
  const search = `/api/v1/apps?q=${encodeURIComponent(label!)}&includeNonDeleted=true`;
  const candidates = (await okta.list(search, oktaAppShape)).filter((candidate) => candidate.label === label);
  const exact = expectedName === undefined ? candidates : candidates.filter((candidate) => candidate.name === expectedName);
  const pick = exact.length > 0 ? exact : candidates;
  if (pick.length === 0) {
    findings.push({
      area: 'app',
      field: 'label',
      ...labelAt,
      expected: `"${label}"${expectedName ? ` (${expectedName})` : ''}`,
      actual: 'no such app',
      status: 'drift',
      hint: app.type === 'sso' ? 'no app has exactly this label: fix ssoApp.label or give ssoApp.id' : 'the app does not exist (apply has not run, or it was renamed or deleted): run apply, or set existingAppId to adopt the app an admin made by hand',
    });
    return undefined;
  }
  if (pick.length > 1) {
    findings.push({ area: 'app', field: 'label', ...labelAt, expected: `one app labelled "${label}"`, actual: `${pick.length} apps: ${pick.map((a) => a.id ?? NOT_RETURNED).join(', ')}`, status: 'error', hint: `set ${idField} to the id of the app this tenant owns` });
    throw new Stop();
  }
  const found = pick[0]!;
  const foundId = found.id;
  if (foundId === undefined) {
    findings.push({ area: 'app', field: 'id', expected: `the id of the app labelled "${label}"`, actual: NOT_RETURNED, status: 'error', hint: `Okta listed the app without its id, so nothing else can be read: set ${idField} (Applications → the app → its URL)` });
    throw new Stop();
  }
  findings.push({ area: 'app', field: 'label', ...labelAt, expected: label!, actual: `${label} (${foundId})`, status: 'ok' });
  nameCheck(found, 'an app with this label exists but');
  return { ...found, id: foundId };
}

/**
 * A created app: status, sign-on mode and username format, as the stacks apply them. The SSO app: only its
 * username format, which the console step sets (the stacks never change that app).
 */
function compareApp(ctx: Context, app: OktaApp): void {
  const { findings, spec } = ctx;
  const live = app.credentials?.userNameTemplate;
  const want = spec.app.username;
  if (spec.app.type === 'catalog') {
    const entry = ctx.plan.find((e) => sameRole(e.role, ROLES.app));
    const kind = entry?.kind === 'okta_app_saml' ? 'okta_app_saml' : 'okta_app_auto_login';
    findings.push(same({ area: 'app', field: 'status', at: ctx.at(ROLES.app, 'status'), expected: spec.app.status, actual: app.status, hint: 'run apply for this tenant (the status updates in place); while the app is INACTIVE, Okta provisions nobody' }));
    findings.push(
      same({
        area: 'app',
        field: 'signOnMode',
        at: ctx.at(ROLES.app),
        expected: SIGN_ON_MODE[kind],
        actual: app.signOnMode,
        hint: signOnHint(app.signOnMode),
      }),
    );
    const fix = 'run apply for this tenant (the username format updates in place)';
    findings.push(same({ area: 'app', field: 'userNameTemplate', at: ctx.at(ROLES.app, 'userNameTemplate'), expected: want.template, actual: live?.template, hint: fix }));
    findings.push(same({ area: 'app', field: 'userNameTemplateType', at: ctx.at(ROLES.app, 'userNameTemplateType'), expected: want.type, actual: live?.type, hint: fix }));
    return;
  }
  const fix = `set in the console step, not by the stacks: ${usernameInstruction(want.template)}`;
  findings.push(same({ area: 'app', field: 'userNameTemplate', expected: want.template, actual: live?.template, hint: fix }));
  findings.push(same({ area: 'app', field: 'userNameTemplateType', expected: want.type, actual: live?.type, hint: fix }));
}

/** The sign-on mode decides the resource type: a mismatch is fixed in the tenants file, never by replacing the app. */
function signOnHint(live: string | undefined): string {
  const replace = 'the sign-on mode decides the resource type, so apply would replace the app and deprovision everyone';
  const setting = live === undefined ? undefined : SIGN_ON_SETTING[live];
  return setting ? `${replace}: set \`signOn: ${setting}\` in the tenants file to match the live app` : `${replace}; the stacks create AUTO_LOGIN or SAML_2_0 apps only: adopt an app of one of those modes (existingAppId), or replace this one deliberately`;
}

/** API path only: the connection the stacks apply. */
async function compareConnection(ctx: Context, appPath: string): Promise<void> {
  const { findings, spec } = ctx;
  const statusAt = ctx.at(ROLES.connection, 'action');
  const connection = await readOptional(() => ctx.okta.get(`${appPath}/connections/default`, oktaConnectionShape));
  // UNKNOWN (or no connection) is certain: this app's provisioning is not applied through the API, and the
  // engine shows a change on every plan. A status left out of the answer is not certain.
  if (connection === undefined || connection.status === 'UNKNOWN') {
    findings.push({ area: 'connection', field: 'status', ...statusAt, expected: 'ENABLED', actual: connection === undefined ? 'not found' : 'UNKNOWN', status: 'drift', hint: API_PATH_HINT });
    return;
  }
  if (connection.status === undefined) {
    findings.push({ area: 'connection', field: 'status', ...statusAt, expected: 'ENABLED', actual: NOT_RETURNED, status: 'unknown', hint: API_PATH_HINT });
    return;
  }
  const fix = 'run apply for this tenant';
  findings.push(same({ area: 'connection', field: 'status', at: statusAt, expected: 'ENABLED', actual: connection.status, hint: fix }));
  findings.push(same({ area: 'connection', field: 'authScheme', at: ctx.at(ROLES.connection, 'profile.authScheme'), expected: 'TOKEN', actual: connection.profile?.authScheme ?? connection.authScheme, hint: fix }));
  const baseUrlAt = ctx.at(ROLES.connection, 'baseUrl');
  if (connection.baseUrl === undefined) {
    findings.push({ area: 'connection', field: 'baseUrl', ...baseUrlAt, expected: spec.scimBaseUrl, actual: NOT_RETURNED, status: 'unknown', hint: `Okta did not return the base URL for this app; check by hand that Provisioning → Integration shows ${spec.scimBaseUrl}` });
  } else {
    const ok = sameUrl(spec.scimBaseUrl, connection.baseUrl);
    findings.push({ area: 'connection', field: 'baseUrl', ...baseUrlAt, expected: spec.scimBaseUrl, actual: connection.baseUrl, status: ok ? 'ok' : 'drift', ...(ok ? {} : { hint: fix }) });
  }
}

type FeatureRead = { readonly readable: true; readonly feature: OktaFeature } | { readonly readable: false; readonly answer: string };

/**
 * `USER_PROVISIONING`, or Okta's answer when it refuses. Okta's spec documents this call for six catalog
 * apps (Google, Office 365, Org2Org, Slack, Zoom, Zscaler); for the SCIM test apps and App Integration
 * Wizard apps it may answer any 4xx even while provisioning is on. So any 4xx is "not readable", never an
 * error and never proof that provisioning is off (a 429 that did not lift stays an error).
 */
async function readFeature(okta: OktaReader, appPath: string): Promise<FeatureRead> {
  const path = `${appPath}/features/USER_PROVISIONING`;
  try {
    return { readable: true, feature: await okta.get(path, oktaFeatureShape) };
  } catch (error) {
    if (isRefusal(error)) {
      return { readable: false, answer: error.message.replace(`GET ${path}: `, '') };
    }
    throw error;
  }
}

type ProvisioningState = 'on' | 'off' | 'unknown';

/**
 * Whether provisioning to the app is on. The app's `features` decide (documented, read-only, answered for
 * every app); where an answer leaves them out, `USER_PROVISIONING` where Okta answers it, then push
 * mappings (Okta refuses them while provisioning is off) are the evidence.
 */
function provisioningState(fromApp: AppProvisioning | undefined, detail: FeatureRead, mappings: readonly OktaPushMapping[] | undefined): ProvisioningState {
  if (fromApp) return fromApp.on ? 'on' : 'off';
  if (detail.readable && detail.feature.status !== undefined) return detail.feature.status === 'ENABLED' ? 'on' : 'off';
  return (mappings?.length ?? 0) > 0 ? 'on' : 'unknown';
}

/** Where each "To App" switch lives in `okta_app_features` (API path) and in `USER_PROVISIONING`. */
const FEATURE_CAPABILITY: Record<ToAppSwitch, { readonly field: string; readonly read: (feature: OktaFeature) => string | undefined }> = {
  createUsers: { field: 'create.lifecycleCreate', read: (f) => f.capabilities?.create?.lifecycleCreate?.status },
  updateUserAttributes: { field: 'update.profile', read: (f) => f.capabilities?.update?.profile?.status },
  deactivateUsers: { field: 'update.lifecycleDeactivate', read: (f) => f.capabilities?.update?.lifecycleDeactivate?.status },
  syncPassword: { field: 'update.password', read: (f) => f.capabilities?.update?.password?.status },
};

/**
 * Provisioning and the "To App" switches, compared with the tenants file. On the API path they are the
 * `okta_app_features` resource, named as the engine names it (`ENABLED`/`DISABLED`); on the console path
 * they are the console step's switches, in its words (`Provisioning → To App → Create Users`: on/off).
 * The switches come from the app's `features`, else from `USER_PROVISIONING` where Okta answers it.
 */
function compareProvisioning(ctx: Context, state: ProvisioningState, fromApp: AppProvisioning | undefined, detail: FeatureRead): Finding[] {
  const { spec, tenant } = ctx;
  const p = spec.provisioning;
  const api = usesApiPath(spec);
  const out: Finding[] = [];
  const unreadable = `Okta listed the app without its features and does not answer USER_PROVISIONING for it; check by hand: ${toAppInstruction(p)}`;
  if (api) {
    // The provider manages okta_app_features through USER_PROVISIONING: a refusal is the API path not in effect.
    const statusAt = ctx.at(ROLES.features, 'status');
    if (!detail.readable) out.push({ area: 'features', field: 'USER_PROVISIONING', ...statusAt, expected: 'ENABLED', actual: `refused: ${detail.answer}`, status: 'drift', hint: API_PATH_HINT });
    else out.push(same({ area: 'features', field: 'status', at: statusAt, expected: 'ENABLED', actual: detail.feature.status, hint: 'run apply for this tenant' }));
  } else if (state === 'unknown') {
    out.push({ area: 'features', field: 'provisioning', expected: spec.stage === 2 ? 'on' : 'on or off', actual: NOT_RETURNED, status: 'unknown', hint: unreadable });
  } else if (spec.stage === 2) {
    out.push({
      area: 'features',
      field: 'provisioning',
      expected: 'on (provisioning.enabled: true declares the console step done)',
      actual: state === 'on' ? 'on' : "off (the app's features list no To App switch and no Push Groups)",
      status: state === 'on' ? 'ok' : 'drift',
      ...(state === 'on' ? {} : { hint: `the tenants file says the console step is done, but Okta has provisioning off: do the console step (${consoleStepPointer(tenant.name)}), or set provisioning.enabled: false until it is done` }),
    });
  }
  if (state !== 'on') return out;

  const fix = api ? 'run apply for this tenant' : `fix it in the Okta admin console: ${toAppInstruction(p)}`;
  for (const { setting, label } of TO_APP_SWITCHES) {
    const capability = FEATURE_CAPABILITY[setting];
    const live = fromApp ? fromApp.switches[setting] : detail.readable ? onOff(capability.read(detail.feature)) : undefined;
    const want = p[setting];
    if (api) {
      const at = ctx.at(ROLES.features, `capabilities.${capability.field}.status`);
      out.push(same({ area: 'features', field: capability.field, at, expected: enabledWord(want), actual: live === undefined ? undefined : enabledWord(live), hint: fix }));
    } else {
      const field = `Provisioning → To App → ${label}`;
      const unread = !fromApp && !detail.readable;
      out.push(
        unread
          ? { area: 'features', field, expected: onWord(want), actual: 'not readable', status: 'unknown', hint: unreadable }
          : same({ area: 'features', field, expected: onWord(want), actual: live === undefined ? undefined : onWord(live), hint: fix }),
      );
    }
  }
  return out;
}

function onOff(status: string | undefined): boolean | undefined {
  return status === 'ENABLED' ? true : status === 'DISABLED' ? false : undefined;
}

function enabledWord(on: boolean): string {
  return on ? 'ENABLED' : 'DISABLED';
}

function onWord(on: boolean): string {
  return on ? 'on' : 'off';
}

async function resolveGroupId(ctx: Context, group: ResolvedGroup): Promise<string | undefined> {
  if (group.source.kind === 'id') return group.source.id;
  const { findings } = ctx;
  const name = group.source.name;
  const at = ctx.at(ROLES.group(group.key));
  // Exact and paged, unlike `q` (prefixes, at most 300, no paging). A group listed without its name or type
  // matched the search, so it counts; one with another name (were the org to compare case-insensitively) or
  // another type does not.
  const found = (await ctx.okta.list(`/api/v1/groups?search=${encodeURIComponent(groupNameSearch(name))}`, oktaGroupShape)).filter(
    (g) => (g.profile?.name ?? name) === name && (g.type ?? OKTA_GROUP) === OKTA_GROUP,
  );
  const field = `${group.key}.group`;
  if (found.length === 1) {
    const id = found[0]!.id;
    if (id === undefined) findings.push({ area: 'assignments', field, ...at, expected: `Okta group "${name}"`, actual: NOT_RETURNED, status: 'unknown', hint: 'Okta listed the group without its id: give the group `id` in the tenants file' });
    return id;
  }
  if (found.length === 0) {
    findings.push({
      area: 'assignments',
      field,
      ...at,
      expected: `Okta group "${name}"`,
      actual: 'not found',
      status: 'drift',
      hint: group.source.kind === 'create' ? 'the group this stack creates does not exist: run apply' : 'no Okta group (type OKTA_GROUP: groups imported from apps do not count) has exactly this name: fix the name in the tenants file or give the group id',
    });
  } else {
    findings.push({ area: 'assignments', field, ...at, expected: `one Okta group "${name}"`, actual: `${found.length} groups: ${found.map((g) => g.id ?? NOT_RETURNED).join(', ')}`, status: 'error', hint: 'give the group `id` in the tenants file' });
  }
  return undefined;
}

async function compareAssignments(ctx: Context, appPath: string, groupIds: ReadonlyMap<string, string>): Promise<void> {
  const { findings, spec } = ctx;
  const assigned = await ctx.okta.list(`${appPath}/groups`, oktaAppGroupShape);
  const assignedById = new Map(assigned.map((a) => [a.id, a]));
  // An assignment listed without its group id could be any group's: unmatched groups are then unknown, not missing.
  const anonymous = assigned.some((a) => a.id === undefined);
  const fix = 'run apply for this tenant (or assign the group in the Okta admin console)';
  for (const group of spec.groups) {
    const id = groupIds.get(group.key);
    if (!id) continue;
    const live = assignedById.get(id);
    findings.push(same({ area: 'assignments', field: `${group.key}.assigned`, at: ctx.at(ROLES.assignment(group.key)), expected: 'yes', actual: live ? 'yes' : anonymous ? undefined : 'no', hint: `${fix}; until then its members are not provisioned` }));
    if (!live || group.priority === undefined) continue;
    findings.push(same({ area: 'assignments', field: `${group.key}.priority`, at: ctx.at(ROLES.assignment(group.key), 'priority'), expected: String(group.priority), actual: live.priority === undefined ? undefined : String(live.priority), hint: fix }));
  }
  const expectedIds = new Set(groupIds.values());
  for (const extra of assigned.filter((a) => a.id === undefined || !expectedIds.has(a.id))) {
    if (extra.id === undefined) {
      findings.push(same({ area: 'assignments', field: '(group id not returned).assigned', expected: 'no (not in the tenants file)', actual: undefined }));
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
}

/**
 * Push mappings: at stage 2 one per pushed group; at stage 1 none (the stacks do not push yet). Mappings the
 * stacks do not make are drift either way.
 */
function comparePushes(ctx: Context, groupIds: ReadonlyMap<string, string>, mappings: readonly OktaPushMapping[] | undefined, provisioningOn: boolean): void {
  const { findings, spec } = ctx;
  const stage2 = spec.stage === 2;
  const pushed = stage2 ? spec.groups.filter((group) => group.pushAs && groupIds.has(group.key)) : [];
  if (mappings === undefined) {
    if (pushed.length > 0 && provisioningOn) {
      findings.push({ area: 'push', field: 'mappings', expected: `${pushed.length} ACTIVE`, actual: 'not readable', status: 'unknown', hint: 'Okta did not answer the push mappings of this app: check Push Groups in the admin console by hand' });
    }
    return;
  }
  const fix = !provisioningOn
    ? 'Okta refuses push mappings while provisioning is off: do the console step first, then run apply'
    : !usesApiPath(spec)
      ? 'run apply for this tenant (or push the group in the Okta admin console: Push Groups)'
      : 'run apply for this tenant';
  const matched = new Set<OktaPushMapping>();
  // A mapping listed without its source group could be any group's: unmatched groups are then unknown, not missing.
  const anonymous = mappings.some((m) => m.sourceGroupId === undefined);
  for (const group of pushed) {
    const field = `${group.key}.mapping`;
    const mapping = mappings.find((m) => m.sourceGroupId === groupIds.get(group.key));
    if (!mapping) {
      const expected = `ACTIVE → "${group.pushAs}"`;
      const at = ctx.at(ROLES.push(group.key));
      findings.push(anonymous ? same({ area: 'push', field, at, expected, actual: undefined }) : { area: 'push', field, ...at, expected, actual: 'missing', status: 'drift', hint: `${fix}; until then the group does not exist in Dynatrace` });
      continue;
    }
    matched.add(mapping);
    const actual = mapping.status === 'ERROR' && mapping.errorSummary ? `ERROR: ${mapping.errorSummary.slice(0, 200)}` : mapping.status;
    findings.push(same({ area: 'push', field, at: ctx.at(ROLES.push(group.key), 'status'), expected: 'ACTIVE', actual, hint: fix }));
    if (group.pushTargetId !== undefined) {
      const hint = 'the mapping pushes to another group in the app, and a changed target replaces the mapping: set pushTargetId to the mapping\'s targetGroupId (okta-dynatrace-scim discover reads it)';
      findings.push(same({ area: 'push', field: `${group.key}.targetGroupId`, at: ctx.at(ROLES.push(group.key), 'targetGroupId'), expected: group.pushTargetId, actual: mapping.targetGroupId, hint }));
    }
    const targetName = mapping.targetGroupName ?? mapping._links?.targetGroup?.name;
    if (targetName !== undefined) findings.push(same({ area: 'push', field: `${group.key}.target`, at: ctx.at(ROLES.push(group.key), 'targetGroupName'), expected: group.pushAs!, actual: targetName, hint: fix }));
  }
  const pushedIds = new Set(pushed.map((group) => groupIds.get(group.key)));
  const keyById = new Map([...groupIds].map(([key, id]) => [id, key]));
  for (const extra of mappings.filter((m) => !matched.has(m) && !pushedIds.has(m.sourceGroupId ?? ''))) {
    if (extra.sourceGroupId === undefined) {
      findings.push(same({ area: 'push', field: `${extra.id ?? '(id not returned)'}.mapping`, expected: 'none (not pushed in the tenants file)', actual: undefined }));
      continue;
    }
    const key = keyById.get(extra.sourceGroupId);
    const early = !stage2 && key !== undefined && spec.groups.some((group) => group.key === key && group.pushAs);
    findings.push({
      area: 'push',
      field: `${early ? key : extra.sourceGroupId}.mapping`,
      expected: early ? 'none before stage 2 (provisioning.enabled: true)' : 'none (not pushed in the tenants file)',
      actual: extra.status ?? NOT_RETURNED,
      status: 'drift',
      hint: early
        ? `pushed in Okta, but the tenants file has not declared stage 2, so the stacks do not manage this push yet: ${DECLARE_STAGE_2}, or remove the mapping in Okta`
        : 'pushed in Okta but not in the model: add `push: true` to the group, or remove the mapping in Okta (deleting the target group in Dynatrace removes its permissions)',
    });
  }
}

/** The only group type a name lookup may find, as in the stacks' lookups (see `DataSourceProps.okta_group`). */
const OKTA_GROUP = 'OKTA_GROUP';

/**
 * The search expression for one group name, among groups of type `OKTA_GROUP` only: an app that imports
 * groups back holds an `APP_GROUP` of the same name (listGroups documents `type eq "…"` and `and` in
 * `search`). Okta's filter string literals are JSON strings (developer.okta.com, Core Okta API → Filter:
 * "String literals must be valid JSON strings"), so `"` and `\` are escaped as JSON does.
 */
function groupNameSearch(name: string): string {
  return `profile.name eq ${JSON.stringify(name)} and type eq "${OKTA_GROUP}"`;
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
