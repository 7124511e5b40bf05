/**
 * A stand-in for the Okta Management API on 127.0.0.1, serving the documented response shapes of the
 * read endpoints `verify` uses (okta-management-openapi-spec / okta-sdk models: Application,
 * ProvisioningConnectionResponse, ApplicationFeature, ApplicationGroupAssignment, Group, GroupPushMapping,
 * Error), with `Link` pagination (one header per relation, cursor in `after`) and scripted 429s carrying the
 * `X-Rate-Limit-*` headers. State is a plain object the tests mutate.
 *
 * Groups are found as Okta finds them (okta-management-openapi-spec, listGroups): `search` takes a filter
 * expression — only `profile.name eq "<JSON string>"`, optionally `and type eq "<type>"`, here — and pages;
 * without the type clause it matches every type (an `APP_GROUP` imported from an app can share an
 * `OKTA_GROUP`'s name); `q` matches name prefixes, returns at most 300 groups and cannot be paged (no
 * `next` link).
 *
 * Apps are listed as Okta lists them (listApplications): without `includeNonDeleted=true` (default false:
 * "Specifies whether to include non-active, but not deleted apps in the results") only ACTIVE apps. An app
 * carries its read-only `features` list (Application.features: `PUSH_NEW_USERS`, `GROUP_PUSH`, …), empty
 * while provisioning is off ({@link toAppFeatures} builds it). Its USER_PROVISIONING feature is served when
 * the state holds one; otherwise the call answers as the spec's example for the features list does: 400
 * `E0000001` "Api validation failed: feature", cause "Provisioning is not enabled for the app instance.",
 * or, for an app in `featureRefusals`, with that status: Okta documents the call for six catalog apps
 * only, and for SCIM test apps and App Integration Wizard apps it may answer any 4xx, provisioning on or off.
 *
 * With `oauth`, it is also the org authorization server (`POST /oauth2/v1/token`: private_key_jwt, DPoP)
 * and accepts the access tokens it issued, as strictly as okta-oauth.ts describes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OktaOAuthServer, type OktaOAuthOptions, type Refusal } from './okta-oauth';

type Json = Record<string, unknown>;

export interface OktaStubState {
  apps: Json[];
  /** By app id; `null` answers 404. */
  connections: Record<string, Json | null>;
  /** USER_PROVISIONING feature by app id; absent or `null`: 400 E0000001 (or the app's `featureRefusals` status). */
  features: Record<string, Json | null>;
  /** By app id: the 4xx status `/features/USER_PROVISIONING` answers instead of a feature (an app Okta does not document it for). */
  featureRefusals?: Record<string, number>;
  appGroups: Record<string, Json[]>;
  groups: Json[];
  pushMappings: Record<string, Json[]>;
  /**
   * The Okta User → app profile mappings by app id (ProfileMapping objects). An app without an entry has the
   * one Okta creates with the app ({@link oktaProfileMapping} with its defaults).
   */
  profileMappings?: Record<string, Json[]>;
  /** The status both mappings endpoints answer instead (403: the credential cannot read profile mappings). */
  profileMappingRefusal?: number;
}

export interface OktaStubOptions {
  /** Accepted as `SSWS <apiToken>`. */
  apiToken: string;
  /** API service apps that sign in with a private key (and DPoP). */
  oauth?: OktaOAuthOptions;
  /** Items per page on list endpoints unless `limit` asks for fewer. @default 200 */
  pageSize?: number;
}

export interface OktaStub {
  readonly url: string;
  state: OktaStubState;
  /** Path (with query) → number of 429 answers to give before serving it; the count goes down per request. */
  rateLimits: Map<string, number>;
  /** Epoch seconds put into X-Rate-Limit-Reset on a 429. */
  resetAt: () => number;
  pageSize: number;
  /** Applied to each item of a list answer as it is sent: a test makes Okta leave a field out of its answer while the stand-in still matches on it. */
  rewriteListItem?: (path: string, item: Json) => Json;
  readonly requests: { method: string; path: string; status: number }[];
  /** The authorization server, when the stand-in was given `oauth`. */
  readonly oauth?: OktaOAuthServer;
  close(): Promise<void>;
}

export function emptyState(): OktaStubState {
  return { apps: [], connections: {}, features: {}, featureRefusals: {}, appGroups: {}, groups: [], pushMappings: {} };
}

export async function startOktaStub(options: OktaStubOptions): Promise<OktaStub> {
  const stub: OktaStub = {
    url: '',
    state: emptyState(),
    rateLimits: new Map(),
    resetAt: () => Math.floor(Date.now() / 1000) + 1,
    pageSize: options.pageSize ?? 200,
    requests: [],
    ...(options.oauth ? { oauth: new OktaOAuthServer(options.oauth) } : {}),
    close: async () => undefined,
  };

  const server = createServer((req, res) => {
    const record = (status: number) => stub.requests.push({ method: req.method ?? '', path: req.url ?? '', status });
    if (stub.oauth && req.method === 'POST' && new URL(req.url ?? '/', stub.url).pathname === '/oauth2/v1/token') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const answer = stub.oauth!.token(new URLSearchParams(body), req.headers);
        if (answer.nonce) res.setHeader('DPoP-Nonce', answer.nonce);
        record(json(res, answer.status, answer.body));
      });
      return;
    }
    record(handle(stub, options, req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  (stub as { url: string }).url = `http://127.0.0.1:${port}`;
  if (stub.oauth) stub.oauth.origin = stub.url;
  stub.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return stub;
}

function handle(stub: OktaStub, options: OktaStubOptions, req: IncomingMessage, res: ServerResponse): number {
  const url = new URL(req.url ?? '/', stub.url);
  const auth = req.headers.authorization ?? '';
  if (stub.oauth && /^(DPoP|Bearer) /.test(auth)) {
    const refused = stub.oauth.authorize(req.method ?? '', url, req.headers);
    if (refused) return refuse(res, refused);
  } else if (auth !== `SSWS ${options.apiToken}`) {
    return error(res, 401, 'E0000011', 'Invalid token provided');
  }
  if (req.method !== 'GET') return error(res, 405, 'E0000022', 'The endpoint does not support the provided HTTP method');

  const key = `${url.pathname}${url.search}`;
  const limited = stub.rateLimits.get(key) ?? 0;
  if (limited > 0) {
    stub.rateLimits.set(key, limited - 1);
    res.setHeader('X-Rate-Limit-Limit', '100');
    res.setHeader('X-Rate-Limit-Remaining', '0');
    res.setHeader('X-Rate-Limit-Reset', String(stub.resetAt()));
    return error(res, 429, 'E0000047', 'API call exceeded rate limit due to too many requests.');
  }

  const s = stub.state;
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  // /api/v1/apps
  if (parts.length === 3 && parts[2] === 'apps') {
    const q = (url.searchParams.get('q') ?? '').toLowerCase();
    const nonActiveToo = url.searchParams.get('includeNonDeleted') === 'true';
    const apps = s.apps.filter((a) => (nonActiveToo || a.status === 'ACTIVE') && (!q || String(a.label).toLowerCase().startsWith(q) || String(a.name).toLowerCase().startsWith(q)));
    return page(stub, url, res, apps);
  }
  // /api/v1/groups
  if (parts.length === 3 && parts[2] === 'groups') return listGroups(stub, url, res);
  if (parts[2] === 'mappings') return mappings(stub, parts, url, res);
  if (parts[2] !== 'apps' || parts.length < 4) return error(res, 404, 'E0000007', `Not found: Resource not found: ${url.pathname} (Path)`);
  const appId = parts[3]!;
  const app = s.apps.find((a) => a.id === appId);
  if (!app) return error(res, 404, 'E0000007', `Not found: Resource not found: ${appId} (AppInstance)`);
  const rest = parts.slice(4).join('/');
  switch (rest) {
    case '':
      return json(res, 200, app);
    case 'connections/default': {
      const connection = s.connections[appId];
      return connection ? json(res, 200, connection) : error(res, 404, 'E0000007', `Not found: Resource not found: ${appId} (AppInstance)`);
    }
    case 'features/USER_PROVISIONING': {
      const feature = s.features[appId];
      if (feature) return json(res, 200, feature);
      const refusal = s.featureRefusals?.[appId];
      return refusal ? error(res, refusal, REFUSALS[refusal]?.[0] ?? 'E0000001', REFUSALS[refusal]?.[1] ?? `HTTP ${refusal}`) : error(res, 400, 'E0000001', 'Api validation failed: feature', ['Provisioning is not enabled for the app instance.']);
    }
    case 'groups':
      return page(stub, url, res, s.appGroups[appId] ?? []);
    case 'group-push/mappings':
      return page(stub, url, res, s.pushMappings[appId] ?? []);
    default:
      return error(res, 404, 'E0000007', `Not found: Resource not found: ${url.pathname} (Path)`);
  }
}

/** Okta's error codes and summaries for the statuses a refused call may carry (Okta error codes reference). */
const REFUSALS: Record<number, [string, string]> = {
  401: ['E0000011', 'Invalid token provided'],
  403: ['E0000006', 'You do not have permission to perform the requested action'],
  404: ['E0000007', 'Not found: Resource not found: USER_PROVISIONING (AppInstanceFeature)'],
  405: ['E0000022', 'The endpoint does not support the provided HTTP method'],
};

/** The user → app mappings of every app, as stored or as Okta creates them. */
function allMappings(state: OktaStubState): Json[] {
  return state.apps.flatMap((app) => state.profileMappings?.[String(app.id)] ?? [oktaProfileMapping(`prm${String(app.id)}`, String(app.id), String(app.name))]);
}

/** ListProfileMappings (`sourceId`, `targetId`; items without `properties`) and getProfileMapping. */
function mappings(stub: OktaStub, parts: string[], url: URL, res: ServerResponse): number {
  const refusal = stub.state.profileMappingRefusal;
  if (refusal) return error(res, refusal, REFUSALS[refusal]?.[0] ?? 'E0000001', REFUSALS[refusal]?.[1] ?? `HTTP ${refusal}`);
  const all = allMappings(stub.state);
  if (parts.length === 4) {
    const found = all.find((m) => m.id === parts[3]);
    return found ? json(res, 200, found) : error(res, 404, 'E0000007', `Not found: Resource not found: ${parts[3]} (ProfileMapping)`);
  }
  const end = (m: Json, which: 'source' | 'target') => (m[which] as Json | undefined)?.id;
  const sourceId = url.searchParams.get('sourceId');
  const targetId = url.searchParams.get('targetId');
  const listed = all.filter((m) => (sourceId === null || end(m, 'source') === sourceId) && (targetId === null || end(m, 'target') === targetId)).map(({ properties: _properties, ...summary }) => summary);
  return page(stub, url, res, listed);
}

const GROUP_QUERY_CAP = 300;

function listGroups(stub: OktaStub, url: URL, res: ServerResponse): number {
  const groupName = (g: Json): unknown => (g.profile as Json | null | undefined)?.name;
  const search = url.searchParams.get('search');
  if (search !== null) {
    // Okta: string literals in filter expressions are JSON strings (developer.okta.com, Core Okta API → Filter).
    const match = /^profile\.name eq ("(?:[^"\\]|\\.)*")(?: and type eq "([A-Z_]+)")?$/.exec(search);
    if (!match) return error(res, 400, 'E0000001', `Api validation failed: search (this stand-in knows only profile.name eq "…" [and type eq "…"]; got ${search})`);
    const name = JSON.parse(match[1]!) as string;
    const type = match[2];
    return page(stub, url, res, stub.state.groups.filter((g) => groupName(g) === name && (type === undefined || g.type === type)));
  }
  const q = (url.searchParams.get('q') ?? '').toLowerCase();
  if (!q) return page(stub, url, res, stub.state.groups);
  const limit = Math.min(Number(url.searchParams.get('limit') ?? GROUP_QUERY_CAP) || GROUP_QUERY_CAP, GROUP_QUERY_CAP);
  return json(res, 200, stub.state.groups.filter((g) => String(groupName(g)).toLowerCase().startsWith(q)).slice(0, limit));
}

/** Okta-style cursor pagination: `after` is the offset here; `Link` carries self and, if more, next. */
function page(stub: OktaStub, url: URL, res: ServerResponse, items: Json[]): number {
  const limit = Math.min(Number(url.searchParams.get('limit') ?? stub.pageSize) || stub.pageSize, stub.pageSize);
  const after = Number(url.searchParams.get('after') ?? 0) || 0;
  const slice = items.slice(after, after + limit).map((item) => stub.rewriteListItem?.(url.pathname, item) ?? item);
  const self = new URL(url.toString());
  const links = [`<${self.toString()}>; rel="self"`];
  if (after + limit < items.length) {
    const next = new URL(url.toString());
    next.searchParams.set('after', String(after + limit));
    next.searchParams.set('limit', String(limit));
    links.push(`<${next.toString()}>; rel="next"`);
  }
  res.setHeader('Link', links);
  return json(res, 200, slice);
}

function json(res: ServerResponse, status: number, body: unknown): number {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
  return status;
}

/** An access token or DPoP proof refused: the challenge and nonce in headers, Okta's error in the body. */
function refuse(res: ServerResponse, refused: Refusal): number {
  if (refused.challenge) res.setHeader('WWW-Authenticate', refused.challenge);
  if (refused.nonce) res.setHeader('DPoP-Nonce', refused.nonce);
  return error(res, refused.status, refused.errorCode ?? 'E0000011', refused.description);
}

function error(res: ServerResponse, status: number, errorCode: string, errorSummary: string, causes: string[] = []): number {
  return json(res, status, { errorCode, errorSummary, errorLink: errorCode, errorId: 'oae-stub-0001', errorCauses: causes.map((cause) => ({ errorSummary: cause })) });
}

// ---- Fixture builders: the documented shapes ----

const ORG = 'http://org.invalid';

/** The application username format "Email", which every app of the model has by default. */
export const EMAIL_USERNAME = { template: '${source.email}', type: 'BUILT_IN' } as const;

/**
 * An app's `features` while provisioning is on: the "To App" switches that are ticked (Create Users,
 * Update User Attributes, Deactivate Users, Sync Password) and Push Groups.
 */
export function toAppFeatures(create = true, profile = true, deactivate = true, password = false): string[] {
  return [...(create ? ['PUSH_NEW_USERS'] : []), ...(profile ? ['PUSH_PROFILE_UPDATES'] : []), ...(deactivate ? ['PUSH_USER_DEACTIVATION'] : []), ...(password ? ['PUSH_PASSWORD_UPDATES'] : []), 'GROUP_PUSH'];
}

/** An app as Okta answers it; `features` empty: provisioning off (as a new app is). */
export function oktaApp(id: string, name: string, label: string, status: string, signOnMode: string, userNameTemplate: { template: string; type: string } = EMAIL_USERNAME, features: string[] = []): Json {
  return {
    id,
    name,
    label,
    status,
    signOnMode,
    credentials: { scheme: 'EDIT_USERNAME_AND_PASSWORD', userNameTemplate: { ...userNameTemplate, pushStatus: 'DONT_PUSH' }, signing: {} },
    created: '2024-01-01T00:00:00.000Z',
    lastUpdated: '2024-01-02T00:00:00.000Z',
    accessibility: { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null },
    visibility: { autoSubmitToolbar: false, hide: { iOS: false, web: false }, appLinks: {} },
    features,
    settings: { app: {}, notifications: { vpn: { network: { connection: 'DISABLED' } } } },
    _links: { self: { href: `${ORG}/api/v1/apps/${id}` }, groups: { href: `${ORG}/api/v1/apps/${id}/groups` } },
  };
}

/** A Header Auth app (AUTO_LOGIN) with its connection, features and USER_PROVISIONING feature as the model's defaults want them. */
export function oktaAppInSync(id: string, label: string, baseUrl: string): Pick<OktaStubState, 'apps' | 'connections' | 'features'> {
  return {
    apps: [oktaApp(id, 'scim2headerauth', label, 'ACTIVE', 'AUTO_LOGIN', EMAIL_USERNAME, toAppFeatures())],
    connections: { [id]: oktaConnection('ENABLED', baseUrl) },
    features: { [id]: oktaFeature('ENABLED', 'ENABLED', 'ENABLED', 'DISABLED') },
  };
}

export function oktaConnection(status: string, baseUrl?: string): Json {
  return {
    authScheme: 'TOKEN',
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    profile: { authScheme: 'TOKEN' },
    status,
    _links: { self: { href: `${ORG}/api/v1/apps/x/connections/default`, hints: { allow: ['GET', 'POST'] } } },
  };
}

export function oktaFeature(create: string, deactivate: string, profile: string, password: string, status = 'ENABLED'): Json {
  return {
    name: 'USER_PROVISIONING',
    status,
    description: 'User provisioning settings from Okta to a downstream app',
    capabilities: {
      create: { lifecycleCreate: { status: create } },
      update: {
        lifecycleDeactivate: { status: deactivate },
        profile: { status: profile },
        password: { status: password, seed: 'RANDOM', change: 'KEEP_EXISTING' },
      },
    },
    _links: { self: { href: `${ORG}/api/v1/apps/x/features/USER_PROVISIONING` } },
  };
}

/** The default user type's id in these fixtures. */
export const DEFAULT_USER_TYPE = 'otyfnjfba4ye7pgjB0g4';

/**
 * An Okta User → app profile mapping (ProfileMapping), with the properties Okta maps by default for its SCIM
 * apps; `properties` entries replace or (`null`) remove them.
 */
export function oktaProfileMapping(id: string, appId: string, appName: string, properties: Record<string, Json | null> = {}, userType = { id: DEFAULT_USER_TYPE, name: 'user' }): Json {
  const defaults: Record<string, Json> = {
    givenName: { expression: 'user.firstName', pushStatus: 'PUSH' },
    familyName: { expression: 'user.lastName', pushStatus: 'PUSH' },
    email: { expression: 'user.email', pushStatus: 'PUSH' },
    displayName: { expression: 'user.displayName', pushStatus: 'PUSH' },
  };
  const merged = Object.fromEntries(Object.entries({ ...defaults, ...properties }).filter((entry): entry is [string, Json] => entry[1] !== null));
  return {
    id,
    source: { id: userType.id, name: userType.name, type: 'user', _links: { self: { href: `${ORG}/api/v1/meta/types/user/${userType.id}` } } },
    target: { id: appId, name: appName, type: 'appuser', _links: { self: { href: `${ORG}/api/v1/apps/${appId}` } } },
    properties: merged,
    _links: { self: { href: `${ORG}/api/v1/mappings/${id}` } },
  };
}

export function oktaGroup(id: string, name: string, type = 'OKTA_GROUP'): Json {
  return { id, created: '2024-01-01T00:00:00.000Z', lastUpdated: '2024-01-01T00:00:00.000Z', objectClass: ['okta:user_group'], type, profile: { name, description: null }, _links: {} };
}

export function oktaAppGroup(id: string, priority: number): Json {
  return { id, lastUpdated: '2024-01-01T00:00:00.000Z', priority, profile: {}, _links: { group: { href: `${ORG}/api/v1/groups/${id}` } } };
}

export function oktaPushMapping(id: string, sourceGroupId: string, status: string, targetGroupId = `tg-${sourceGroupId}`): Json {
  return {
    id,
    sourceGroupId,
    targetGroupId,
    status,
    created: '2024-01-01T00:00:00.000Z',
    lastUpdated: '2024-01-01T00:00:00.000Z',
    lastPush: '2024-01-01T00:00:00.000Z',
    _links: { app: { href: `${ORG}/api/v1/apps/x` }, sourceGroup: { href: `${ORG}/api/v1/groups/${sourceGroupId}` }, targetGroup: { href: `${ORG}/api/v1/groups/${targetGroupId}` } },
  };
}
