/**
 * A stand-in for Dynatrace SSO and the Account Management API on 127.0.0.1, serving the documented shapes
 * of the read calls `verify` makes (see docs/research/dynatrace-iam.md for sources):
 * - `POST /sso/oauth2/token` (form: grant_type=client_credentials, client_id, client_secret, scope,
 *   resource=urn:dtaccount:<uuid>) → `{ token_type, access_token, expires_in, scope, resource }`; bad client →
 *   401 `{ error: "invalid_client", error_description }`; a scope the client lacks → 400 `invalid_scope`.
 * - `GET /iam/v1/accounts/{accountUuid}/groups` (scope account-idm-read) → `{ count, items: [GetGroupDto] }`,
 *   `GetGroupDto = { uuid, name, description, federatedAttributeValues, owner, createdAt, updatedAt }`. Paged
 *   with `nextPageKey` only when `pageSize` is set (undocumented for this endpoint; the client follows it).
 * - `GET /iam/v1/repo/{levelType}/{levelId}/bindings/groups/{groupUuid}[?details=true]`
 *   (iam-policies-management) → `{ policyUuids }`, plus `bindingsDetails: [{ policyUuid, groups, parameters,
 *   metadata, boundaries, levelType, levelId }]` with details (shape as the Terraform provider reads it).
 * - `GET /env/v2/accounts/{accountUuid}/environments` (account-env-read) → `{ data: [{ id, name, active, url }] }`.
 * - `GET /iam/v1/repo/{levelType}/{levelId}/policies/aggregate` (iam-policies-management) →
 *   `{ policyOverviewList: [{ uuid, name, description, levelType, levelId }] }`: global + account (+ environment).
 * Unknown levels answer 404 `ErrorDto { code, message }`; a missing or expired token 401.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

export interface StubGroup {
  uuid: string;
  name: string;
  owner: 'LOCAL' | 'SCIM' | 'SAML' | 'DCS' | 'ALL_USERS';
  description?: string;
}

export interface StubPolicy {
  uuid: string;
  name: string;
  levelType: 'global' | 'account' | 'environment';
  levelId: string;
}

export interface StubBinding {
  policyUuid: string;
  parameters?: Record<string, string>;
  metadata?: Record<string, string>;
  boundaries?: string[];
}

export interface DynatraceIamStubState {
  groups: StubGroup[];
  policies: StubPolicy[];
  /** By `<levelType>/<levelId>/<groupUuid>`. */
  bindings: Record<string, StubBinding[]>;
  /** Environment ids of the account (others answer 404). */
  environments: string[];
}

export interface DynatraceIamStubOptions {
  accountUuid: string;
  clientId: string;
  clientSecret: string;
  /** Scopes the OAuth client has. @default account-idm-read iam-policies-management */
  clientScopes?: string[];
}

export interface DynatraceIamStub {
  readonly url: string;
  readonly tokenUrl: string;
  state: DynatraceIamStubState;
  /** Groups per page; 0 = one page without `nextPageKey`. */
  pageSize: number;
  /** Seconds in `expires_in`. */
  expiresIn: number;
  /** Tokens the server no longer accepts (as if expired early). */
  readonly revoked: Set<string>;
  /** 429 answers (with `Retry-After: 0`) the token endpoint gives before serving. */
  tokenRateLimits: number;
  /** A hostile server: echo the posted form (secret included) in token error descriptions. */
  echoFormInErrors: boolean;
  readonly issued: string[];
  readonly requests: { method: string; path: string; status: number; body?: string }[];
  close(): Promise<void>;
}

export async function startDynatraceIamStub(options: DynatraceIamStubOptions): Promise<DynatraceIamStub> {
  const stub: DynatraceIamStub = {
    url: '',
    tokenUrl: '',
    state: { groups: [], policies: [], bindings: {}, environments: [] },
    pageSize: 0,
    expiresIn: 300,
    revoked: new Set(),
    tokenRateLimits: 0,
    echoFormInErrors: false,
    issued: [],
    requests: [],
    close: async () => undefined,
  };
  const tokens = new Map<string, string[]>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const status = handle(stub, options, tokens, req, body, res);
      stub.requests.push({ method: req.method ?? '', path: req.url ?? '', status, ...(body ? { body } : {}) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(stub, { url: `http://127.0.0.1:${port}`, tokenUrl: `http://127.0.0.1:${port}/sso/oauth2/token` });
  stub.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return stub;
}

function handle(stub: DynatraceIamStub, options: DynatraceIamStubOptions, tokens: Map<string, string[]>, req: IncomingMessage, body: string, res: ServerResponse): number {
  const url = new URL(req.url ?? '/', stub.url);
  if (url.pathname === '/sso/oauth2/token') {
    if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return json(res, 400, { error: 'invalid_request' });
    if (stub.tokenRateLimits > 0) {
      stub.tokenRateLimits--;
      res.setHeader('Retry-After', '0');
      return json(res, 429, { error: 'too_many_requests' });
    }
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials') return json(res, 400, { error: 'unsupported_grant_type' });
    if (form.get('client_id') !== options.clientId || form.get('client_secret') !== options.clientSecret) {
      return json(res, 401, { error: 'invalid_client', error_description: stub.echoFormInErrors ? `Client authentication failed for ${body}` : 'Client authentication failed' });
    }
    if (form.get('resource') !== `urn:dtaccount:${options.accountUuid}`) return json(res, 400, { error: 'invalid_target', error_description: 'Unknown resource' });
    const allowed = options.clientScopes ?? ['account-idm-read', 'iam-policies-management'];
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const missing = scopes.filter((scope) => !allowed.includes(scope));
    if (missing.length > 0) return json(res, 400, { error: 'invalid_scope', error_description: `Scope not allowed: ${missing.join(' ')}` });
    const token = `dt0s02.stub-access-${stub.issued.length + 1}`;
    stub.issued.push(token);
    tokens.set(token, scopes);
    return json(res, 200, { token_type: 'Bearer', access_token: token, expires_in: stub.expiresIn, scope: scopes.join(' '), resource: `urn:dtaccount:${options.accountUuid}` });
  }

  const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const granted = auth && !stub.revoked.has(auth) ? tokens.get(auth) : undefined;
  if (!granted) return json(res, 401, { error: { code: 401, message: 'Token is not valid' } });
  if (req.method !== 'GET') return json(res, 405, { code: 405, message: 'Method not allowed' });
  const needs = (scope: string): boolean => granted.includes(scope);
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);

  // /iam/v1/accounts/{accountUuid}/groups
  if (parts.length === 5 && parts[0] === 'iam' && parts[2] === 'accounts' && parts[4] === 'groups') {
    if (parts[3] !== options.accountUuid) return json(res, 403, { code: 403, message: 'Forbidden' });
    if (!needs('account-idm-read')) return json(res, 403, { code: 403, message: 'Missing scope account-idm-read' });
    const items = stub.state.groups.map((g) => ({ uuid: g.uuid, name: g.name, description: g.description ?? '', federatedAttributeValues: [], owner: g.owner, createdAt: '2026-05-01T10:00:00Z', updatedAt: '2026-05-01T10:00:00Z' }));
    if (!stub.pageSize) return json(res, 200, { count: items.length, items });
    const start = Number(url.searchParams.get('nextPageKey') ?? '0');
    const page = items.slice(start, start + stub.pageSize);
    const next = start + stub.pageSize < items.length ? String(start + stub.pageSize) : undefined;
    return json(res, 200, { count: page.length, items: page, ...(next ? { nextPageKey: next } : {}) });
  }

  // /env/v2/accounts/{accountUuid}/environments (account-env-read): `{ data: [{ id, name, … }] }`, as the provider reads it.
  if (parts.length === 5 && parts[0] === 'env' && parts[1] === 'v2' && parts[2] === 'accounts' && parts[4] === 'environments') {
    if (parts[3] !== options.accountUuid) return json(res, 403, { code: 403, message: 'Forbidden' });
    if (!needs('account-env-read')) return json(res, 403, { code: 403, message: 'Missing scope account-env-read' });
    return json(res, 200, { data: stub.state.environments.map((id) => ({ id, name: `Environment ${id}`, active: true, url: `https://${id}.live.dynatrace.com` })) });
  }

  // /iam/v1/repo/{levelType}/{levelId}/…
  if (parts.length >= 5 && parts[0] === 'iam' && parts[2] === 'repo') {
    if (!needs('iam-policies-management')) return json(res, 403, { code: 403, message: 'Missing scope iam-policies-management' });
    const [levelType, levelId] = [parts[3]!, parts[4]!];
    const known = (levelType === 'account' && levelId === options.accountUuid) || (levelType === 'environment' && stub.state.environments.includes(levelId)) || (levelType === 'global' && levelId === 'global');
    if (!known) return json(res, 404, { code: 404, message: `Level ${levelType}/${levelId} not found` });
    const rest = parts.slice(5).join('/');
    if (rest === 'policies/aggregate') {
      const visible = stub.state.policies.filter((p) => p.levelType === 'global' || (p.levelType === 'account' && levelType !== 'global') || (p.levelType === levelType && p.levelId === levelId));
      return json(res, 200, { policyOverviewList: visible.map((p) => ({ uuid: p.uuid, name: p.name, description: `${p.name} policy`, levelType: p.levelType, levelId: p.levelId })) });
    }
    const bindingsMatch = /^bindings\/groups\/([^/]+)$/.exec(rest);
    if (bindingsMatch) {
      const bindings = stub.state.bindings[`${levelType}/${levelId}/${bindingsMatch[1]}`] ?? [];
      const policyUuids = [...new Set(bindings.map((b) => b.policyUuid))];
      if (url.searchParams.get('details') !== 'true') return json(res, 200, { policyUuids });
      const bindingsDetails = bindings.map((b) => ({ policyUuid: b.policyUuid, groups: [bindingsMatch[1]], parameters: b.parameters ?? {}, metadata: b.metadata ?? {}, boundaries: b.boundaries ?? [], levelType, levelId }));
      return json(res, 200, { policyUuids, bindingsDetails });
    }
  }
  return json(res, 404, { code: 404, message: `Not found: ${url.pathname}` });
}

function json(res: ServerResponse, status: number, body: Json): number {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
  return status;
}
