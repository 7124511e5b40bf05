/**
 * A stateful stand-in for one Okta org's Management API on 127.0.0.1: an org model (apps, groups, group
 * assignments, group push mappings, profile mappings) that tests build with the methods of {@link OktaFakeOrg},
 * served read-only in the shapes of Okta's management API spec (okta/okta-management-openapi-spec,
 * `dist/current/management-minimal.yaml`, 2026.06.3). Unlike `okta-stub.ts` (whose state is the raw answers
 * verify's tests script), the objects here are consistent with each other the way an org is: pushing a group
 * creates the target group in the app (type `APP_GROUP`), an app's `features` array follows its provisioning
 * switches, Okta refuses a push mapping while provisioning is off.
 *
 * Served (GET only; anything else 405):
 * - `/api/v1/apps` (listApplications): `q` (label or name prefix), `filter` (`id`, `name`, `status` with `eq`,
 *   joined by `and`), `includeNonDeleted` (default false: "Specifies whether to include non-active, but not
 *   deleted apps": without it and without a status filter only ACTIVE apps are listed), `limit` (max 200), `after`.
 * - `/api/v1/apps/{appId}` (getApplication): the Application, with the read-only `features` array ("Enabled app
 *   features": PUSH_NEW_USERS, PUSH_PROFILE_UPDATES, PUSH_USER_DEACTIVATION, PUSH_PASSWORD_UPDATES, GROUP_PUSH,
 *   IMPORT_NEW_USERS, …) and, for SAML apps, `settings.signOn` (SamlApplicationSettingsSignOn: `ssoAcsUrl`,
 *   `audience`, `recipient`, `destination`, …).
 * - `/api/v1/apps/{appId}/groups` (listApplicationGroupAssignments: `limit` default 20, min 20, max 200; `q`;
 *   `after`) and `/groups/{groupId}` (getApplicationGroupAssignment).
 * - `/api/v1/apps/{appId}/group-push/mappings` (listGroupPushMappings: `limit` default 100, max 1000;
 *   `sourceGroupId`, `status`, `after`) and `/group-push/mappings/{mappingId}`.
 * - `/api/v1/apps/{appId}/features[/USER_PROVISIONING]`: for these apps (SCIM test apps, App Integration Wizard
 *   apps) 400 `E0000001` "Api validation failed: feature" ("Provisioning is not enabled for the app instance"),
 *   as the spec's example answers, whatever the console shows: Okta does not expose their provisioning
 *   features (FACTS.md, "Reading provisioning state through the API").
 * - `/api/v1/apps/{appId}/connections/default`: 200 with `status`/`authScheme` `UNKNOWN`, as Okta answers for
 *   apps whose connection it does not manage (okta/okta-mcp-server PR #72).
 * - `/api/v1/groups` (listGroups): `search` (`profile.name eq|sw "…"`, `type eq "…"`, `id eq "…"` joined by
 *   `and`; string literals are JSON strings), `filter` (the same expressions), `q` (name prefix, at most 300,
 *   not paged), `limit`, `after`; `/api/v1/groups/{groupId}`.
 * - `/api/v1/mappings` (listProfileMappings: `sourceId`, `targetId`, `limit` default 20, max 200, `after`;
 *   items without `properties`) and `/api/v1/mappings/{mappingId}` (with `properties`).
 *
 * Lists page with Okta's cursor: `after` is the id of the last item of the previous page (opaque to clients,
 * which follow the `Link: <…>; rel="next"` header; one header per relation, `self` always).
 * Authentication: `Authorization: SSWS <apiToken>`, else 401 `E0000011`; with `oauth`, also API service apps
 * signing in with a private key (and DPoP), as strictly as okta-oauth.ts describes: its token endpoint
 * `POST /oauth2/v1/token` and its checks of every API call.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OktaOAuthServer, type OktaOAuthOptions } from './okta-oauth';

type Json = Record<string, unknown>;

/** Okta's own formats: Dynatrace's SAML docs have admins pick "Email" (`${source.email}`, built in). */
export const USERNAME = {
  email: { template: '${source.email}', type: 'BUILT_IN' },
  oktaUsername: { template: '${source.login}', type: 'BUILT_IN' },
} as const;

/** The "Provisioning → To App" switches and Push Groups; `false`: provisioning is off. */
export interface FakeProvisioning {
  readonly createUsers: boolean;
  readonly updateUserAttributes: boolean;
  readonly deactivateUsers: boolean;
  readonly syncPassword: boolean;
  readonly pushGroups: boolean;
}

export const PROVISIONING_DEFAULTS: FakeProvisioning = { createUsers: true, updateUserAttributes: true, deactivateUsers: true, syncPassword: false, pushGroups: true };

/**
 * Dynatrace's Okta SAML settings (docs.dynatrace.com, "Okta SAML configuration for Dynatrace", manual
 * configuration): Single sign on URL `https://sso.dynatrace.com:443/saml2/sp/consumer`, also the Recipient and
 * Destination; Audience URI (SP Entity ID) `https://sso.dynatrace.com:443/saml2/login`.
 */
export const DYNATRACE_SAML = {
  ssoAcsUrl: 'https://sso.dynatrace.com:443/saml2/sp/consumer',
  audience: 'https://sso.dynatrace.com:443/saml2/login',
} as const;

interface AppOptions {
  readonly label: string;
  /** @default 'ACTIVE' */
  readonly status?: 'ACTIVE' | 'INACTIVE';
  /** @default e-mail */
  readonly username?: { readonly template: string; readonly type: string };
  /** @default provisioning off */
  readonly provisioning?: Partial<FakeProvisioning> | false;
  readonly id?: string;
}

export interface TestAppOptions extends AppOptions {
  /** The OIN name (`scim2headerauth`, `scim2testapp`, …). */
  readonly oinName: string;
  /** @default 'AUTO_LOGIN' */
  readonly signOnMode?: string;
}

export interface SamlAppOptions extends AppOptions {
  /** `settings.signOn` fields; @default Dynatrace's ({@link DYNATRACE_SAML}) */
  readonly signOn?: { readonly ssoAcsUrl?: string; readonly audience?: string; readonly recipient?: string; readonly destination?: string };
}

export interface PushOptions {
  /** Name of the group created in the app. @default the source group's name */
  readonly targetName?: string;
  /** @default 'ACTIVE' */
  readonly status?: 'ACTIVE' | 'INACTIVE' | 'ERROR';
  readonly errorSummary?: string;
}

const ORG = 'https://fake-org.okta.invalid';
const CREATED = '2024-03-01T10:00:00.000Z';

/** The org: build it with the methods, read it through the server. Ids are stable per call order. */
export class OktaFakeOrg {
  readonly apps: Json[] = [];
  readonly groups: Json[] = [];
  /** Assignments by app id, in assignment order. */
  readonly assignments = new Map<string, Json[]>();
  /** Push mappings by app id. */
  readonly pushMappings = new Map<string, Json[]>();
  readonly profileMappings: Json[] = [];
  private counter = 0;

  /** A 20-character Okta id with the given 3-character prefix. */
  nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}${String(this.counter).padStart(17, '0')}`;
  }

  addGroup(name: string, options: { readonly type?: 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN'; readonly id?: string; readonly description?: string } = {}): string {
    const id = options.id ?? this.nextId('00g');
    const type = options.type ?? 'OKTA_GROUP';
    this.groups.push({
      id,
      created: CREATED,
      lastUpdated: CREATED,
      lastMembershipUpdated: CREATED,
      objectClass: [type === 'APP_GROUP' ? 'okta:app_group' : 'okta:user_group'],
      type,
      profile: { name, description: options.description ?? null },
      _links: { self: { href: `${ORG}/api/v1/groups/${id}` }, users: { href: `${ORG}/api/v1/groups/${id}/users` }, apps: { href: `${ORG}/api/v1/groups/${id}/apps` } },
    });
    return id;
  }

  /** A catalog (OIN) app such as a SCIM 2.0 test app. */
  addTestApp(options: TestAppOptions): string {
    const id = options.id ?? this.nextId('0oa');
    const signOnMode = options.signOnMode ?? 'AUTO_LOGIN';
    const settings: Json = { app: {}, notifications: { vpn: { network: { connection: 'DISABLED' }, message: null, helpUrl: null } }, manualProvisioning: false, implicitAssignment: false, notes: { admin: null, enduser: null } };
    if (signOnMode === 'SAML_2_0') settings.signOn = { defaultRelayState: null, ssoAcsUrlOverride: null, audienceOverride: null, recipientOverride: null, destinationOverride: null, attributeStatements: [] };
    this.addApp(id, options.oinName, signOnMode, settings, options);
    return id;
  }

  /** A custom SAML 2.0 app made with the App Integration Wizard (its `name` is generated, as Okta does). */
  addSamlApp(options: SamlAppOptions): string {
    const id = options.id ?? this.nextId('0oa');
    const signOn = { ...DYNATRACE_SAML, ...options.signOn };
    const settings: Json = {
      app: {},
      notifications: { vpn: { network: { connection: 'DISABLED' }, message: null, helpUrl: null } },
      manualProvisioning: false,
      implicitAssignment: false,
      signOn: {
        defaultRelayState: '',
        ssoAcsUrl: signOn.ssoAcsUrl,
        idpIssuer: 'http://www.okta.com/${org.externalKey}',
        audience: signOn.audience,
        recipient: signOn.recipient ?? signOn.ssoAcsUrl,
        destination: signOn.destination ?? signOn.ssoAcsUrl,
        subjectNameIdTemplate: '${user.userName}',
        subjectNameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        responseSigned: true,
        assertionSigned: true,
        signatureAlgorithm: 'RSA_SHA256',
        digestAlgorithm: 'SHA256',
        honorForceAuthn: true,
        authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
        spIssuer: null,
        requestCompressed: false,
        attributeStatements: [],
        inlineHooks: [],
      },
    };
    const name = `fakeorg_${options.label.toLowerCase().replace(/[^a-z0-9]+/g, '')}_${this.apps.length + 1}`;
    this.addApp(id, name, 'SAML_2_0', settings, options);
    return id;
  }

  /** Turns provisioning on (with the switches) or off; the app's `features` follow. */
  setProvisioning(appId: string, provisioning: Partial<FakeProvisioning> | false): void {
    const app = this.app(appId);
    app.features = featuresOf(provisioning === false ? false : { ...PROVISIONING_DEFAULTS, ...provisioning });
    if (provisioning !== false && !this.profileMappings.some((m) => (m.target as Json).id === appId)) this.addProfileMappings(app);
  }

  assign(appId: string, groupId: string, priority?: number, profile: Json = {}): void {
    this.app(appId);
    const list = this.assignments.get(appId) ?? [];
    // Okta: "If a priority value isn't specified, then the next highest priority is assigned by default."
    const next = priority ?? list.reduce((max, a) => Math.max(max, Number(a.priority) + 1), 0);
    list.push({
      id: groupId,
      lastUpdated: CREATED,
      priority: next,
      profile,
      _links: { app: { href: `${ORG}/api/v1/apps/${appId}` }, self: { href: `${ORG}/api/v1/apps/${appId}/groups/${groupId}` }, group: { href: `${ORG}/api/v1/groups/${groupId}` } },
    });
    this.assignments.set(appId, list);
  }

  /** Pushes a group: the target group is created in the app (type APP_GROUP) and the mapping links the two. */
  push(appId: string, sourceGroupId: string, options: PushOptions = {}): { readonly mappingId: string; readonly targetGroupId: string } {
    const app = this.app(appId);
    if (!(app.features as string[]).includes('GROUP_PUSH')) throw new Error(`fake org: Okta refuses a push mapping while provisioning (Push Groups) is off for ${appId}`);
    const source = this.group(sourceGroupId);
    const targetGroupId = this.addGroup(options.targetName ?? String((source.profile as Json).name), { type: 'APP_GROUP' });
    const mappingId = this.nextId('gPm');
    const list = this.pushMappings.get(appId) ?? [];
    list.push({
      created: CREATED,
      errorSummary: options.errorSummary ?? '',
      id: mappingId,
      lastPush: CREATED,
      lastUpdated: CREATED,
      sourceGroupId,
      status: options.status ?? 'ACTIVE',
      targetGroupId,
      _links: { app: { href: `${ORG}/api/v1/apps/${appId}` }, sourceGroup: { href: `${ORG}/api/v1/groups/${sourceGroupId}` }, targetGroup: { href: `${ORG}/api/v1/groups/${targetGroupId}` } },
    });
    this.pushMappings.set(appId, list);
    return { mappingId, targetGroupId };
  }

  app(appId: string): Json {
    const app = this.apps.find((a) => a.id === appId);
    if (!app) throw new Error(`fake org: no app ${appId}`);
    return app;
  }

  group(groupId: string): Json {
    const group = this.groups.find((g) => g.id === groupId);
    if (!group) throw new Error(`fake org: no group ${groupId}`);
    return group;
  }

  private addApp(id: string, name: string, signOnMode: string, settings: Json, options: AppOptions): void {
    const username = options.username ?? USERNAME.email;
    this.apps.push({
      id,
      orgId: '00o00000000000000001',
      name,
      label: options.label,
      status: options.status ?? 'ACTIVE',
      lastUpdated: CREATED,
      created: CREATED,
      accessibility: { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null },
      visibility: { autoLaunch: false, autoSubmitToolbar: false, hide: { iOS: false, web: false }, appLinks: {} },
      features: [],
      signOnMode,
      credentials: {
        userNameTemplate: { template: username.template, type: username.type, pushStatus: 'DONT_PUSH' },
        signing: signOnMode === 'SAML_2_0' ? { kid: `kid-${id}` } : {},
        ...(signOnMode === 'AUTO_LOGIN' || signOnMode === 'BROWSER_PLUGIN' ? { scheme: 'EDIT_USERNAME_AND_PASSWORD', revealPassword: false } : {}),
      },
      settings,
      _links: {
        self: { href: `${ORG}/api/v1/apps/${id}` },
        groups: { href: `${ORG}/api/v1/apps/${id}/groups` },
        users: { href: `${ORG}/api/v1/apps/${id}/users` },
        deactivate: { href: `${ORG}/api/v1/apps/${id}/lifecycle/deactivate` },
      },
    });
    if (options.provisioning) this.setProvisioning(id, options.provisioning);
  }

  /** Okta creates the two profile mappings of a provisioning app: Okta user → app user (To App) and back. */
  private addProfileMappings(app: Json): void {
    const user = { id: 'oty00000000000000001', name: 'user', type: 'user', _links: { self: { href: `${ORG}/api/v1/meta/types/user/oty00000000000000001` } } };
    const appUser = { id: app.id, name: app.name, type: 'appuser', _links: { self: { href: `${ORG}/api/v1/apps/${String(app.id)}` } } };
    const toApp = this.nextId('prm');
    const toOkta = this.nextId('prm');
    this.profileMappings.push(
      {
        id: toApp,
        source: user,
        target: appUser,
        // Okta's default SCIM mappings: what Dynatrace reads as name.givenName / name.familyName.
        properties: {
          userName: { expression: 'appuser.userName', pushStatus: 'PUSH' },
          givenName: { expression: 'user.firstName', pushStatus: 'PUSH' },
          familyName: { expression: 'user.lastName', pushStatus: 'PUSH' },
          email: { expression: 'user.email', pushStatus: 'PUSH' },
        },
        _links: { self: { href: `${ORG}/api/v1/mappings/${toApp}` } },
      },
      {
        id: toOkta,
        source: appUser,
        target: user,
        properties: { firstName: { expression: 'appuser.givenName', pushStatus: 'DONT_PUSH' }, lastName: { expression: 'appuser.familyName', pushStatus: 'DONT_PUSH' } },
        _links: { self: { href: `${ORG}/api/v1/mappings/${toOkta}` } },
      },
    );
  }
}

/** The `features` array a console admin's switches produce. */
function featuresOf(provisioning: FakeProvisioning | false): string[] {
  if (!provisioning) return [];
  return [
    'IMPORT_NEW_USERS',
    'IMPORT_PROFILE_UPDATES',
    ...(provisioning.pushGroups ? ['GROUP_PUSH'] : []),
    ...(provisioning.createUsers ? ['PUSH_NEW_USERS'] : []),
    ...(provisioning.updateUserAttributes ? ['PUSH_PROFILE_UPDATES'] : []),
    ...(provisioning.deactivateUsers ? ['PUSH_USER_DEACTIVATION'] : []),
    ...(provisioning.syncPassword ? ['PUSH_PASSWORD_UPDATES'] : []),
  ];
}

export interface OktaFakeOptions {
  /** Accepted as `SSWS <apiToken>`. */
  readonly apiToken: string;
  /** API service apps that sign in with a private key (and DPoP). */
  readonly oauth?: OktaOAuthOptions;
}

export interface OktaFake {
  readonly url: string;
  readonly org: OktaFakeOrg;
  /** Replace the org (e.g. in a `beforeEach`). */
  reset(org?: OktaFakeOrg): void;
  /** Every request, in order, with its answer's status. */
  readonly requests: { readonly method: string; readonly path: string; readonly status: number }[];
  /** The authorization server, when the org was given `oauth`. */
  readonly oauth?: OktaOAuthServer;
  close(): Promise<void>;
}

export async function startOktaFake(options: OktaFakeOptions): Promise<OktaFake> {
  const state = { org: new OktaFakeOrg() };
  const requests: { method: string; path: string; status: number }[] = [];
  const oauth = options.oauth ? new OktaOAuthServer(options.oauth) : undefined;
  const server = createServer((req, res) => {
    void answer(state.org, options, oauth, req, res).then((status) => requests.push({ method: req.method ?? '', path: req.url ?? '', status }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  if (oauth) oauth.origin = `http://127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}`,
    ...(oauth ? { oauth } : {}),
    get org() {
      return state.org;
    },
    reset(org = new OktaFakeOrg()) {
      state.org = org;
      requests.length = 0;
    },
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One request: the token endpoint, or an API call signed in with the API token or an access token. */
async function answer(org: OktaFakeOrg, options: OktaFakeOptions, oauth: OktaOAuthServer | undefined, req: IncomingMessage, res: ServerResponse): Promise<number> {
  const host = `http://${req.headers.host ?? 'fake.invalid'}`;
  const url = new URL(req.url ?? '/', host);
  if (oauth && req.method === 'POST' && url.pathname === '/oauth2/v1/token') {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const form = new URLSearchParams(body);
    const token = oauth.token(form, req.headers);
    if (token.nonce) res.setHeader('DPoP-Nonce', token.nonce);
    return json(res, token.status, token.body);
  }
  const auth = req.headers.authorization ?? '';
  const refused = oauth && /^(DPoP|Bearer) /.test(auth) ? oauth.authorize(req.method ?? '', url, req.headers) : auth === `SSWS ${options.apiToken}` ? undefined : { status: 401, description: 'Invalid token provided' };
  if (refused) {
    if ('challenge' in refused && refused.challenge) res.setHeader('WWW-Authenticate', refused.challenge);
    if ('nonce' in refused && refused.nonce) res.setHeader('DPoP-Nonce', refused.nonce);
    return error(res, refused.status, ('errorCode' in refused && refused.errorCode) || 'E0000011', refused.description);
  }
  if (req.method !== 'GET') return error(res, 405, 'E0000022', 'The endpoint does not support the provided HTTP method');
  return handle(org, url, host, res);
}

function handle(org: OktaFakeOrg, url: URL, host: string, res: ServerResponse): number {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'api' || parts[1] !== 'v1') return notFound(res, url.pathname);
  const [, , collection, id, ...rest] = parts;
  switch (collection) {
    case 'apps':
      return id === undefined ? listApps(org, url, host, res) : appResource(org, id, rest, url, host, res);
    case 'groups':
      if (id === undefined) return listGroups(org, url, host, res);
      return rest.length === 0 ? found(res, org.groups.find((g) => g.id === id), `${id} (UserGroup)`) : notFound(res, url.pathname);
    case 'mappings':
      if (id !== undefined) return rest.length === 0 ? found(res, org.profileMappings.find((m) => m.id === id), `${id} (Mapping)`) : notFound(res, url.pathname);
      return page(url, host, res, org.profileMappings
        .filter((m) => (!url.searchParams.get('sourceId') || (m.source as Json).id === url.searchParams.get('sourceId')) && (!url.searchParams.get('targetId') || (m.target as Json).id === url.searchParams.get('targetId')))
        .map(({ properties: _properties, ...listed }) => listed), { default: 20, max: 200 });
    default:
      return notFound(res, url.pathname);
  }
}

function listApps(org: OktaFakeOrg, url: URL, host: string, res: ServerResponse): number {
  const filter = parseFilter(url.searchParams.get('filter'), ['id', 'name', 'status']);
  if (filter === undefined) return error(res, 400, 'E0000031', 'Invalid search criteria.');
  const q = (url.searchParams.get('q') ?? '').toLowerCase();
  const byStatus = filter.some((clause) => clause.field === 'status');
  const nonActiveToo = url.searchParams.get('includeNonDeleted') === 'true';
  const apps = org.apps.filter(
    (app) =>
      (nonActiveToo || byStatus || app.status === 'ACTIVE') &&
      (!q || String(app.label).toLowerCase().startsWith(q) || String(app.name).toLowerCase().startsWith(q)) &&
      filter.every((clause) => matches(String(app[clause.field]), clause)),
  );
  return page(url, host, res, apps, { default: 20, max: 200 });
}

function appResource(org: OktaFakeOrg, appId: string, rest: string[], url: URL, host: string, res: ServerResponse): number {
  const app = org.apps.find((a) => a.id === appId);
  if (!app) return error(res, 404, 'E0000007', `Not found: Resource not found: ${appId} (AppInstance)`);
  const [sub, subId, ...more] = rest;
  if (sub === undefined) return json(res, 200, app);
  if (sub === 'groups') {
    const assigned = org.assignments.get(appId) ?? [];
    if (subId !== undefined) return more.length === 0 ? found(res, assigned.find((a) => a.id === subId), `${subId} (ApplicationGroupAssignment)`) : notFound(res, url.pathname);
    const q = (url.searchParams.get('q') ?? '').toLowerCase();
    const named = assigned.filter((a) => !q || String(((org.groups.find((g) => g.id === a.id)?.profile as Json | undefined) ?? {}).name ?? '').toLowerCase().startsWith(q));
    return page(url, host, res, named, { default: 20, min: 20, max: 200 });
  }
  if (sub === 'group-push' && subId === 'mappings') {
    const mappings = org.pushMappings.get(appId) ?? [];
    if (more.length === 1) return found(res, mappings.find((m) => m.id === more[0]), `${more[0]!} (GroupPushMapping)`);
    if (more.length > 1) return notFound(res, url.pathname);
    const source = url.searchParams.get('sourceGroupId');
    const status = url.searchParams.get('status');
    return page(url, host, res, mappings.filter((m) => (!source || m.sourceGroupId === source) && (!status || m.status === status)), { default: 100, max: 1000 });
  }
  if (sub === 'features' && more.length === 0) {
    return error(res, 400, 'E0000001', 'Api validation failed: feature', ['Provisioning is not enabled for the app instance.']);
  }
  if (sub === 'connections' && subId === 'default' && more.length === 0) {
    return json(res, 200, { authScheme: 'UNKNOWN', status: 'UNKNOWN', profile: { authScheme: 'UNKNOWN' }, _links: { self: { href: `${ORG}/api/v1/apps/${appId}/connections/default` } } });
  }
  return notFound(res, url.pathname);
}

const GROUP_QUERY_CAP = 300;

function listGroups(org: OktaFakeOrg, url: URL, host: string, res: ServerResponse): number {
  const expression = url.searchParams.get('search') ?? url.searchParams.get('filter');
  const clauses = parseFilter(expression, ['id', 'type', 'profile.name']);
  if (clauses === undefined) return error(res, 400, 'E0000031', 'Invalid search criteria.');
  const value = (group: Json, field: string): string => String(field === 'profile.name' ? (group.profile as Json).name : group[field]);
  const selected = org.groups.filter((group) => clauses.every((clause) => matches(value(group, clause.field), clause)));
  const q = url.searchParams.get('q');
  if (q !== null) {
    // Name prefixes, at most 300, one page (listGroups: "q … returns at most 300 results and cannot be paged").
    const limit = Math.min(Number(url.searchParams.get('limit') ?? GROUP_QUERY_CAP) || GROUP_QUERY_CAP, GROUP_QUERY_CAP);
    return json(res, 200, selected.filter((g) => value(g, 'profile.name').toLowerCase().startsWith(q.toLowerCase())).slice(0, limit));
  }
  return page(url, host, res, selected, { default: 200, max: 10000 });
}

interface Clause {
  readonly field: string;
  readonly op: 'eq' | 'sw';
  readonly value: string;
}

/**
 * `field op "value"` clauses joined by `and`: the subset of Okta's filter language these endpoints document.
 * String literals are JSON strings (developer.okta.com, Core Okta API → Filter). `undefined` when the
 * expression uses anything else (Okta answers 400 E0000031 "Invalid search criteria").
 */
function parseFilter(expression: string | null, fields: readonly string[]): Clause[] | undefined {
  if (expression === null || expression.trim() === '') return [];
  const clause = /\s*([A-Za-z.]+)\s+(eq|sw)\s+("(?:[^"\\]|\\.)*")\s*(and\s+|$)/y;
  const clauses: Clause[] = [];
  for (let match = clause.exec(expression); match; match = clause.exec(expression)) {
    if (!fields.includes(match[1]!)) return undefined;
    clauses.push({ field: match[1]!, op: match[2] as Clause['op'], value: JSON.parse(match[3]!) as string });
    if (match[4] === '') return clauses;
  }
  return undefined;
}

function matches(actual: string, clause: Clause): boolean {
  return clause.op === 'eq' ? actual === clause.value : actual.startsWith(clause.value);
}

/** Okta's cursor pagination: `after` = id of the last item served; `Link` carries `self` and, if more, `next`. */
function page(url: URL, host: string, res: ServerResponse, items: Json[], limits: { readonly default: number; readonly min?: number; readonly max: number }): number {
  const asked = Number(url.searchParams.get('limit') ?? limits.default) || limits.default;
  const limit = Math.min(Math.max(asked, limits.min ?? 1), limits.max);
  const after = url.searchParams.get('after');
  const start = after === null ? 0 : items.findIndex((item) => item.id === after) + 1;
  const slice = items.slice(start, start + limit);
  const self = new URL(`${url.pathname}${url.search}`, host);
  const links = [`<${self.toString()}>; rel="self"`];
  if (start + limit < items.length) {
    const next = new URL(self.toString());
    next.searchParams.set('after', String(slice[slice.length - 1]!.id));
    next.searchParams.set('limit', String(limit));
    links.push(`<${next.toString()}>; rel="next"`);
  }
  res.setHeader('Link', links);
  return json(res, 200, slice);
}

function found(res: ServerResponse, item: Json | undefined, what: string): number {
  return item ? json(res, 200, item) : error(res, 404, 'E0000007', `Not found: Resource not found: ${what}`);
}

function notFound(res: ServerResponse, path: string): number {
  return error(res, 404, 'E0000007', `Not found: Resource not found: ${path} (Path)`);
}

function json(res: ServerResponse, status: number, body: unknown): number {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
  return status;
}

function error(res: ServerResponse, status: number, errorCode: string, errorSummary: string, causes: string[] = []): number {
  return json(res, status, { errorCode, errorSummary, errorLink: errorCode, errorId: 'oae-fake-0001', errorCauses: causes.map((cause) => ({ errorSummary: cause })) });
}
