/**
 * Signing in to Okta as an API service app: private_key_jwt (RFC 7523) and DPoP (RFC 9449), against a
 * loopback authorization + resource server (support/okta-oauth.ts) that is as strict as Okta. First the
 * stand-in itself is shown to refuse what Okta refuses (so a client that passes it is right), then the
 * session (okta-auth.ts) for every key form, app kind and error, then `verify` end to end — in this process
 * and in a child process that loads `jose` as the CLI does. Every output is checked for key material,
 * tokens, assertions and proofs.
 */
import { spawn } from 'node:child_process';
import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import * as jose from 'jose';
import type { ResolvedOktaOrg } from '../constructs/model/tenant';
import { OKTA_READ_SCOPES, type OktaCredential, oktaCredentialFromEnv, oktaSession, oktaSessions } from '../operations/verify/okta-auth';
import { DEFAULT_POLICY, HttpError, type HttpPolicy } from '../operations/verify/okta-client';
import type { OAuthClientRegistration } from './support/okta-oauth';
import { emptyState, oktaApp, oktaAppGroup, oktaGroup, type OktaStub, startOktaStub } from './support/okta-stub';
import { JWT_SHAPED, serviceApp, type ServiceAppKey, serviceAppKey } from './support/service-app';
import { SCIM_URL, TEST_TOKEN } from './support/specs';
import { hintOf, NOW, useVerifyHarness } from './support/verify-harness';

const CLIENT = '0oaservice0000000001';
const RSA = serviceAppKey('rsa');
const EC = serviceAppKey('ec');
const OTHER = serviceAppKey('rsa', 'kid-other');
const SMALL_RSA = serviceAppKey('rsa', 'kid-small', 1024);

/** The clock both sides read; tests move it. */
let now = NOW;
const policy: HttpPolicy = { ...DEFAULT_POLICY, timeoutMs: 2000, clock: { now: () => now, sleep: async () => undefined } };

/** Each test registers the service app it needs under CLIENT. */
const clients: Record<string, OAuthClientRegistration> = {};
let stub: OktaStub;
let serverNow: (() => number) | undefined;
/** Every message, hint and output this file produced: checked for secrets at the end. */
const outputs: string[] = [];

beforeAll(async () => {
  stub = await startOktaStub({ apiToken: 'unused-ssws-token-0000', oauth: { clients, now: () => (serverNow ?? (() => now))() } });
});
afterAll(() => stub.close());
beforeEach(() => {
  now = NOW;
  serverNow = undefined;
  for (const id of Object.keys(clients)) delete clients[id];
  stub.state = { ...emptyState(), apps: [oktaApp('0oaapp00000000000001', 'scim2testapp', 'Dynatrace', 'ACTIVE', 'SAML_2_0')], groups: [oktaGroup('00ggroup000000000001', 'Observability Team')] };
  stub.requests.length = 0;
  stub.oauth!.tokenRequests.length = 0;
  delete stub.oauth!.rotateNonceBefore;
});

function org(privateKeyId?: string): ResolvedOktaOrg {
  return { orgName: 'globex', baseDomain: 'okta.com', credentials: { type: 'privateKey', clientId: CLIENT, privateKey: { env: 'GLOBEX_OKTA_PRIVATE_KEY' }, ...(privateKeyId ? { privateKeyId } : {}), scopes: ['okta.apps.read'] } };
}

function credential(value: string, privateKeyId?: string): OktaCredential {
  const result = oktaCredentialFromEnv(org(privateKeyId), { GLOBEX_OKTA_PRIVATE_KEY: value });
  if (!('credential' in result)) throw new Error(`unexpected problem: ${result.problem}`);
  return result.credential;
}

async function get(session: ReturnType<typeof oktaSession>, path: string): Promise<unknown> {
  const response = await session.get(`${stub.url}${path}`, { Accept: 'application/json' }, `GET ${path}`);
  return response.json();
}

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(error)}`);
  outputs.push(error.message, error.hint ?? '');
  return error;
}

describe('the stand-in refuses what Okta refuses', () => {
  /** A hand-made client: it signs whatever a test asks for, right or wrong. */
  const dpopKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const dpopJwk = (() => {
    const { kty, crv, x, y } = dpopKeys.publicKey.export({ format: 'jwk' });
    return { kty, crv, x, y } as jose.JWK;
  })();
  const seconds = () => Math.floor(now / 1000);
  const assertion = (claims: jose.JWTPayload = {}, key: KeyObject = createKey(RSA)) =>
    new jose.SignJWT({ iss: CLIENT, sub: CLIENT, aud: stub.oauth!.tokenUrl, iat: seconds(), exp: seconds() + 60, jti: randomUUID(), ...claims }).setProtectedHeader({ alg: 'RS256' }).sign(key);
  const proof = (claims: jose.JWTPayload = {}) =>
    new jose.SignJWT({ htm: 'POST', htu: stub.oauth!.tokenUrl, iat: seconds(), jti: randomUUID(), nonce: stub.oauth!.nonce, ...claims }).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: dpopJwk }).sign(dpopKeys.privateKey);
  const tokenRequest = async (form: Record<string, string>, dpop?: string) => {
    const response = await fetch(stub.oauth!.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(dpop ? { DPoP: dpop } : {}) },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'okta.apps.read', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', ...form }).toString(),
    });
    return { status: response.status, nonce: response.headers.get('dpop-nonce'), body: (await response.json()) as { error?: string; error_description?: string; access_token?: string; token_type?: string } };
  };
  const createKey = (key: ServiceAppKey): KeyObject => createPrivateKey(key.pkcs8);
  const apiCall = async (token: string, dpop: string | undefined, scheme = 'DPoP', path = '/api/v1/apps') => {
    const response = await fetch(`${stub.url}${path}`, { headers: { Authorization: `${scheme} ${token}`, ...(dpop ? { DPoP: dpop } : {}) } });
    return { status: response.status, challenge: response.headers.get('www-authenticate'), nonce: response.headers.get('dpop-nonce') };
  };
  const ath = (token: string) => createHash('sha256').update(token).digest('base64url');

  beforeEach(() => (clients[CLIENT] = serviceApp(RSA)));

  it('token endpoint: the assertion must be signed by the registered key, for this exact token URL, unexpired, with a new jti', async () => {
    const expectRefused = async (form: Record<string, string>, description: string) => {
      const answer = await tokenRequest(form, await proof());
      expect(answer).toMatchObject({ status: 401, body: { error: 'invalid_client', error_description: description } });
    };
    await expectRefused({ client_assertion: await assertion({}, createKey(OTHER)) }, 'The client_assertion signature is invalid.');
    await expectRefused({ client_assertion: await assertion({ aud: stub.url }) }, 'The audience claim for client_assertion must be the endpoint invoked for the request.');
    await expectRefused({ client_assertion: await assertion({ aud: `${stub.oauth!.tokenUrl}?x=1` }) }, 'The audience claim for client_assertion must be the endpoint invoked for the request.');
    await expectRefused({ client_assertion: await assertion({ exp: seconds() - 1 }) }, 'The client_assertion token is expired.');
    await expectRefused({ client_assertion: await assertion({ exp: seconds() + 7200 }) }, 'The client_assertion token has an expiration too far into the future.');
    await expectRefused({ client_assertion: await assertion({ sub: 'someone-else' }) }, "The 'sub' claim must equal the client id.");
    const once = await assertion();
    expect((await tokenRequest({ client_assertion: once }, await proof())).status).toBe(200);
    await expectRefused({ client_assertion: once }, 'The client_assertion token has already been used (jti).');
  });

  it('token endpoint: DPoP proof required, with the right htm/htu, a fresh iat, a new jti, and the nonce it hands out', async () => {
    const refused = async (dpop: string | undefined, error: string, description: string) => {
      const answer = await tokenRequest({ client_assertion: await assertion() }, dpop);
      expect(answer).toMatchObject({ status: 400, body: { error, error_description: description } });
      return answer;
    };
    await refused(undefined, 'invalid_dpop_proof', 'The DPoP proof JWT header is missing.');
    await refused(await proof({ htm: 'GET' }), 'invalid_dpop_proof', "The DPoP proof 'htm' does not match the request method.");
    await refused(await proof({ htu: `${stub.oauth!.tokenUrl}?q=1` }), 'invalid_dpop_proof', "The DPoP proof 'htu' does not match the request URI.");
    await refused(await proof({ iat: seconds() - 120 }), 'invalid_dpop_proof', "The DPoP proof 'iat' is too far from the server's time.");
    const first = await refused(await proof({ nonce: undefined }), 'use_dpop_nonce', 'Authorization server requires nonce in DPoP proof.');
    expect(first.nonce).toBe(stub.oauth!.nonce);
    const reused = await proof();
    expect((await tokenRequest({ client_assertion: await assertion() }, reused)).status).toBe(200);
    await refused(reused, 'invalid_dpop_proof', "The DPoP proof 'jti' has already been used.");
  });

  it('API: a bound token needs the DPoP scheme and a proof for this request with ath and the current nonce', async () => {
    const { body } = await tokenRequest({ client_assertion: await assertion() }, await proof());
    expect(body.token_type).toBe('DPoP');
    const token = body.access_token!;
    const api = (claims: jose.JWTPayload = {}) => proof({ htm: 'GET', htu: `${stub.url}/api/v1/apps`, ath: ath(token), ...claims });
    expect(await apiCall(token, undefined, 'Bearer')).toMatchObject({ status: 401, challenge: expect.stringContaining('error="invalid_token"') });
    expect(await apiCall(token, undefined)).toMatchObject({ status: 401, challenge: 'DPoP error="invalid_dpop_proof"' });
    expect(await apiCall(token, await api({ ath: undefined }))).toMatchObject({ status: 401, challenge: expect.stringContaining("no 'ath' claim") });
    expect(await apiCall(token, await api({ ath: ath(`${token}x`) }))).toMatchObject({ status: 401, challenge: expect.stringContaining("'ath' does not match") });
    expect(await apiCall(token, await api({ htm: 'POST' }))).toMatchObject({ status: 401, challenge: expect.stringContaining("'htm' does not match") });
    expect(await apiCall(token, await api({ htu: `${stub.url}/api/v1/groups` }))).toMatchObject({ status: 401, challenge: expect.stringContaining("'htu' does not match") });
    const stale = await apiCall(token, await api({ nonce: 'old-nonce' }));
    expect(stale).toMatchObject({ status: 401, challenge: expect.stringContaining('error="use_dpop_nonce"'), nonce: stub.oauth!.nonce });
    const reused = await api();
    expect((await apiCall(token, reused)).status).toBe(200);
    expect(await apiCall(token, reused)).toMatchObject({ status: 401, challenge: expect.stringContaining("'jti' has already been used") });
    expect(await apiCall(token, await api({ htu: `${stub.url}/api/v1/groups` }), 'DPoP', '/api/v1/groups')).toMatchObject({ status: 403, challenge: expect.stringContaining('insufficient_scope') });
  });
});

describe('oktaSession: private_key_jwt and DPoP', () => {
  it.each([
    ['RSA, PKCS#8 PEM', () => RSA, () => RSA.pkcs8, 'RS256'],
    ['RSA, PKCS#1 PEM', () => RSA, () => RSA.traditional, 'RS256'],
    ['EC P-256, PKCS#8 PEM', () => EC, () => EC.pkcs8, 'ES256'],
    ['EC P-256, SEC1 PEM', () => EC, () => EC.traditional, 'ES256'],
    ['RSA, JWK (its kid is sent)', () => RSA, () => RSA.jwk, 'RS256'],
    ['EC P-256, JWK', () => EC, () => EC.jwk, 'ES256'],
    ['RSA, PEM stored on one line with \\n', () => RSA, () => RSA.pkcs8.trim().replace(/\n/g, '\\n'), 'RS256'],
  ])('%s: nonce retry at the token endpoint, then DPoP on every call', async (_name, key, value, alg) => {
    clients[CLIENT] = serviceApp(key(), { kid: key() === RSA ? 'kid-rsa' : 'kid-ec' });
    const session = oktaSession(credential(value()), stub.url, { policy });
    expect(await get(session, '/api/v1/apps')).toHaveLength(1);
    expect(await get(session, '/api/v1/groups?search=profile.name%20eq%20%22Observability%20Team%22')).toHaveLength(1);
    expect(stub.oauth!.tokenRequests).toEqual([
      { scope: 'okta.apps.read okta.groups.read okta.profileMappings.read', status: 400, error: 'invalid_scope' },
      { scope: 'okta.apps.read okta.groups.read', status: 400, error: 'use_dpop_nonce' },
      { scope: 'okta.apps.read okta.groups.read', status: 200 },
    ]);
    expect(stub.requests.map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`)).toEqual(['POST /oauth2/v1/token 400', 'POST /oauth2/v1/token 400', 'POST /oauth2/v1/token 200', 'GET /api/v1/apps 200', 'GET /api/v1/groups 200']);
    const assertions = stub.oauth!.received.filter((jwt) => jose.decodeProtectedHeader(jwt).typ !== 'dpop+jwt').slice(-3);
    expect(assertions.map((jwt) => jose.decodeProtectedHeader(jwt).alg)).toEqual([alg, alg, alg]);
    const claims = jose.decodeJwt(assertions[2]!);
    expect(claims).toMatchObject({ iss: CLIENT, sub: CLIENT, aud: `${stub.url}/oauth2/v1/token`, iat: NOW / 1000, exp: NOW / 1000 + 120 });
    expect(new Set(assertions.map((jwt) => jose.decodeJwt(jwt).jti)).size).toBe(3);
    if (value().startsWith('{')) expect(jose.decodeProtectedHeader(assertions[2]!).kid).toBe(key() === RSA ? 'kid-rsa' : 'kid-ec');
  });

  it('sends the tenant\'s privateKeyId as kid; a kid the app does not have is refused with the fix', async () => {
    clients[CLIENT] = serviceApp(RSA, { kid: 'kid-rsa', scopes: [...OKTA_READ_SCOPES.required, ...OKTA_READ_SCOPES.optional] });
    const before = stub.oauth!.received.length;
    await get(oktaSession(credential(RSA.pkcs8, 'kid-rsa'), stub.url, { policy }), '/api/v1/apps');
    expect(jose.decodeProtectedHeader(stub.oauth!.received.slice(before).find((jwt) => jose.decodeProtectedHeader(jwt).typ !== 'dpop+jwt')!).kid).toBe('kid-rsa');
    const error = await failure(get(oktaSession(credential(RSA.pkcs8, 'kid-wrong'), stub.url, { policy }), '/api/v1/apps'));
    expect(error.message).toBe('POST /oauth2/v1/token: 401 invalid_client (The client_assertion kid does not match a registered key.)');
    expect(error.hint).toContain(`check that okta.credentials.clientId (${CLIENT}) is the API service app's client id, that $GLOBEX_OKTA_PRIVATE_KEY holds a private key whose public key is registered on that app`);
    expect(error.hint).toContain('that its key id is kid-wrong');
  });

  it('a service app without DPoP gets a Bearer token, sent as Bearer without proofs', async () => {
    clients[CLIENT] = serviceApp(EC, { dpop: false, scopes: [...OKTA_READ_SCOPES.required, ...OKTA_READ_SCOPES.optional] });
    const session = oktaSession(credential(EC.pkcs8), stub.url, { policy });
    await get(session, '/api/v1/apps');
    const proofsAtToken = stub.oauth!.received.length;
    await get(session, '/api/v1/groups');
    expect(stub.oauth!.tokenRequests).toEqual([{ scope: 'okta.apps.read okta.groups.read okta.profileMappings.read', status: 200 }]);
    expect(stub.oauth!.received.length).toBe(proofsAtToken);
    expect(stub.requests.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('asks for the optional scope and, refused (invalid_scope), asks once more without it; the check that needs it then gets 403 insufficient_scope', async () => {
    clients[CLIENT] = serviceApp(RSA);
    const session = oktaSession(credential(RSA.pkcs8), stub.url, { policy });
    await get(session, '/api/v1/apps');
    expect(stub.oauth!.tokenRequests.map((r) => [r.scope, r.error ?? 'ok'])).toEqual([
      ['okta.apps.read okta.groups.read okta.profileMappings.read', 'invalid_scope'],
      ['okta.apps.read okta.groups.read', 'use_dpop_nonce'],
      ['okta.apps.read okta.groups.read', 'ok'],
    ]);
    const error = await failure(get(session, '/api/v1/mappings?sourceId=x'));
    expect(error).toMatchObject({ kind: 'auth', status: 403, errorCode: 'E0000006' });
    expect(error.message).toBe('GET /api/v1/mappings?sourceId=x: 403 E0000006 The access token provided does not contain the required scopes.');
  });

  it('a required scope not granted: invalid_scope after the fallback, with the scopes to grant', async () => {
    clients[CLIENT] = serviceApp(RSA, { scopes: ['okta.apps.read'] });
    const error = await failure(get(oktaSession(credential(RSA.pkcs8), stub.url, { policy }), '/api/v1/apps'));
    expect(error.message).toBe('POST /oauth2/v1/token: 400 invalid_scope (The following scopes are not allowed: okta.groups.read)');
    expect(error.hint).toBe('grant the API service app the scopes okta.apps.read and okta.groups.read (Okta API Scopes tab → Grant)');
    expect(stub.oauth!.tokenRequests).toHaveLength(2);
  });

  it('requests the token once and reuses it until a minute before it expires; one session per org and app for a run', async () => {
    clients[CLIENT] = serviceApp(RSA);
    const sessions = oktaSessions({ policy });
    const cred = credential(RSA.pkcs8);
    expect(sessions.for(cred, stub.url)).toBe(sessions.for(credential(RSA.pkcs8), `${stub.url}/`));
    const session = sessions.for(cred, stub.url);
    for (let i = 0; i < 3; i++) await get(session, '/api/v1/apps');
    expect(stub.oauth!.tokenRequests.filter((r) => r.status === 200)).toHaveLength(1);
    now += (3600 - 61) * 1000;
    await get(session, '/api/v1/apps');
    expect(stub.oauth!.tokenRequests.filter((r) => r.status === 200)).toHaveLength(1);
    now += 2000;
    await get(session, '/api/v1/apps');
    expect(stub.oauth!.tokenRequests.filter((r) => r.status === 200)).toHaveLength(2);
  });

  it('an API answer with a new nonce (use_dpop_nonce) is signed again once; a nonce that keeps changing is an error', async () => {
    clients[CLIENT] = serviceApp(RSA);
    const session = oktaSession(credential(RSA.pkcs8), stub.url, { policy });
    await get(session, '/api/v1/apps');
    let rotations = 1;
    stub.oauth!.rotateNonceBefore = () => rotations-- > 0;
    expect(await get(session, '/api/v1/groups')).toHaveLength(1);
    expect(stub.requests.slice(-2).map((r) => `${r.path} ${r.status}`)).toEqual(['/api/v1/groups 401', '/api/v1/groups 200']);
    stub.oauth!.rotateNonceBefore = () => true;
    const error = await failure(get(session, '/api/v1/groups'));
    expect(error.message).toBe('GET /api/v1/groups: 401 E0000011 Authorization server requires nonce in DPoP proof.');
    expect(error.hint).toBe("Okta did not accept the DPoP proof of this call: check the runner's clock (sync it with NTP) and run again; if it persists, report it with the error above");
  });

  it('errors say what to fix: unknown key, unknown client, clocks, admin role', async () => {
    clients[CLIENT] = serviceApp(RSA);
    const wrongKey = await failure(get(oktaSession(credential(OTHER.pkcs8), stub.url, { policy }), '/api/v1/apps'));
    expect(wrongKey.message).toBe('POST /oauth2/v1/token: 401 invalid_client (The client_assertion signature is invalid.)');
    expect(wrongKey.hint).toContain('and set okta.credentials.privateKeyId when the app has several keys');

    delete clients[CLIENT];
    clients['0oasomeoneelse000001'] = serviceApp(RSA);
    const unknownClient = await failure(get(oktaSession(credential(RSA.pkcs8), stub.url, { policy }), '/api/v1/apps'));
    expect(unknownClient.message).toBe('POST /oauth2/v1/token: 401 invalid_client (Invalid value for client_id parameter.)');

    clients[CLIENT] = serviceApp(RSA);
    serverNow = () => now + 10 * 60_000;
    const expired = await failure(get(oktaSession(credential(RSA.pkcs8), stub.url, { policy }), '/api/v1/apps'));
    expect(expired.message).toBe('POST /oauth2/v1/token: 401 invalid_client (The client_assertion token is expired.)');
    expect(expired.hint).toContain("an \"expired\" or \"not yet valid\" assertion means the runner's clock is off (sync it with NTP)");

    serverNow = () => now + 90_000;
    const staleProof = await failure(get(oktaSession(credential(RSA.pkcs8), stub.url, { policy }), '/api/v1/apps'));
    expect(staleProof.message).toBe("POST /oauth2/v1/token: 400 invalid_dpop_proof (The DPoP proof 'iat' is too far from the server's time.)");
    expect(staleProof.hint).toBe("Okta did not accept the DPoP proof: check the runner's clock (sync it with NTP) and run again; if it persists, report it with the error above");

    serverNow = undefined;
    clients[CLIENT] = serviceApp(RSA, { adminRole: false });
    const noRole = await failure(get(oktaSession(credential(RSA.pkcs8), stub.url, { policy }), '/api/v1/apps'));
    expect(noRole.message).toBe('GET /api/v1/apps: 403 E0000006 You do not have permission to perform the requested action');
    expect(noRole.hint).toBe(`the API service app (client ${CLIENT}) has no admin role that may read this: assign it Read-Only Administrator, or a custom role that reads this app and its groups (the app → Admin roles)`);
  });

  it('text Okta sends back is scrubbed of the assertion and proof it may echo', async () => {
    const { createServer } = await import('node:http');
    const echo = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_client', error_description: `bad ${new URLSearchParams(body).get('client_assertion')} with ${String(req.headers.dpop)}` }));
      });
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(echo.address() as { port: number }).port}`;
      const error = await failure(oktaSession(credential(RSA.pkcs8), url, { policy }).get(`${url}/api/v1/apps`, {}, 'GET /api/v1/apps'));
      expect(error.message).toBe('POST /oauth2/v1/token: 401 invalid_client (bad [redacted] with [redacted])');
    } finally {
      await new Promise((resolve) => echo.close(resolve));
    }
  });

  it('hands every assertion, proof and token to onSecret as it is made', async () => {
    clients[CLIENT] = serviceApp(RSA);
    const seen = new Set<string>();
    const before = stub.oauth!.received.length;
    await get(oktaSession(credential(RSA.pkcs8), stub.url, { policy, onSecret: (value) => seen.add(value) }), '/api/v1/apps');
    const made = [...stub.oauth!.received.slice(before), stub.oauth!.issued.at(-1)!];
    expect(made).toHaveLength(7);
    for (const value of made) expect(seen.has(value)).toBe(true);
  });
});

describe('oktaCredentialFromEnv: where the key comes from, and keys verify cannot use', () => {
  const problem = (value: string | undefined, env: NodeJS.ProcessEnv = {}) => {
    const result = oktaCredentialFromEnv(org(), { ...(value === undefined ? {} : { GLOBEX_OKTA_PRIVATE_KEY: value }), ...env });
    if ('credential' in result) throw new Error('expected a problem');
    outputs.push(result.problem, result.hint);
    return result.problem;
  };

  it('reads the variable the tenant names, else OKTA_API_PRIVATE_KEY (what batch and the provider use)', () => {
    expect(oktaCredentialFromEnv(org(), { OKTA_API_PRIVATE_KEY: RSA.pkcs8 })).toMatchObject({ credential: { type: 'privateKey', source: 'OKTA_API_PRIVATE_KEY', clientId: CLIENT } });
    expect(oktaCredentialFromEnv(org(), { OKTA_API_PRIVATE_KEY: EC.pkcs8, GLOBEX_OKTA_PRIVATE_KEY: RSA.pkcs8 })).toMatchObject({ credential: { source: 'GLOBEX_OKTA_PRIVATE_KEY', key: { alg: 'RS256' } } });
    expect(problem(undefined, { OKTA_ACCESS_TOKEN: 'eyJ.left.over' })).toBe(
      `no private key for Okta service app ${CLIENT}: $GLOBEX_OKTA_PRIVATE_KEY (or OKTA_API_PRIVATE_KEY) is not set; OKTA_ACCESS_TOKEN is set but no longer read (verify signs in with the private key itself, and a DPoP-bound token minted elsewhere cannot be used)`,
    );
  });

  it('a service app chosen by the environment (clientId/privateKeyId as { env }): its client id and key id come from those variables, as batch sets them', () => {
    const fromEnvironment: ResolvedOktaOrg = { ...org(), credentials: { type: 'privateKey', clientId: { env: 'GLOBEX_OKTA_CLIENT_ID' }, privateKeyId: { env: 'GLOBEX_OKTA_KEY_ID' }, privateKey: { env: 'GLOBEX_OKTA_PRIVATE_KEY' }, scopes: ['okta.apps.manage'] } };
    const result = oktaCredentialFromEnv(fromEnvironment, { GLOBEX_OKTA_PRIVATE_KEY: RSA.pkcs8, GLOBEX_OKTA_CLIENT_ID: '0oareadonly000000001', GLOBEX_OKTA_KEY_ID: 'read-key' });
    expect(result).toMatchObject({ credential: { type: 'privateKey', clientId: '0oareadonly000000001', key: { keyId: 'read-key' } } });
    expect(oktaCredentialFromEnv(fromEnvironment, { GLOBEX_OKTA_PRIVATE_KEY: RSA.pkcs8, OKTA_API_CLIENT_ID: '0oaprovider000000001' })).toMatchObject({ credential: { clientId: '0oaprovider000000001' } });
    const missing = oktaCredentialFromEnv(fromEnvironment, { GLOBEX_OKTA_PRIVATE_KEY: RSA.pkcs8 });
    expect(missing).toEqual({
      expected: "the Okta service app's client id in the environment",
      problem: 'no client id for the Okta service app: $GLOBEX_OKTA_CLIENT_ID (or OKTA_API_CLIENT_ID) is not set',
      hint: 'export GLOBEX_OKTA_CLIENT_ID with the client id of the service app of this environment (a read-only app for verify and the drift check)',
    });
  });

  it.each([
    ['an RSA key under 2048 bits', () => SMALL_RSA.pkcs8, 'is an RSA key of 1024 bits; Okta and RS256 need 2048 or more'],
    ['an EC key on P-384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'is an EC key on curve secp384r1; use an RSA key (RS256) or an EC P-256 key (ES256)'],
    ['an Ed25519 key', () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'is a ed25519 key; use an RSA key (RS256) or an EC P-256 key (ES256)'],
    ['an encrypted PEM', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString(), 'is encrypted (BEGIN ENCRYPTED PRIVATE KEY); store it unencrypted in the secret store'],
    ['a public key', () => RSA.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'is a public key or certificate: verify signs with the private key'],
    ['a public JWK', () => JSON.stringify(RSA.publicKey.export({ format: 'jwk' })), 'is a public JSON Web Key (no "d"): verify signs with the private key'],
    ['broken JSON', () => '{"kty": "RSA", ', 'starts with "{" but is not valid JSON (a JSON Web Key was expected)'],
    ['a cut-off PEM', () => RSA.pkcs8.slice(0, 200), 'has a PEM private-key header but cannot be read (cut off, or changed while copying?)'],
    ['something else', () => 'not-a-key-at-all', 'is neither a PEM private key nor a JSON Web Key'],
  ])('%s', (_name, value, message) => {
    expect(problem(value())).toBe(`the private key in $GLOBEX_OKTA_PRIVATE_KEY ${message}`);
  });
});

describe('verify on a privateKey tenant, end to end', () => {
  const TENANT = (name: string, app: string) => `
  - name: ${name}
    okta:
      orgName: globex
      credentials: { type: privateKey, clientId: ${CLIENT}, privateKey: { env: GLOBEX_OKTA_PRIVATE_KEY } }
    integration:
      label: ${app}
      authMode: oauthBearer
      signOn: saml
      scimBaseUrl: ${SCIM_URL}
      scimToken: { env: GLOBEX_DT_SCIM_TOKEN }
      groups:
        - { name: Observability Team, push: true }`;
  const APP = '0oaglobex00000000001';
  const GROUP = '00gobs00000000000001';
  const harness = useVerifyHarness({
    tenants: `tenants:${TENANT('globex', 'Dynatrace')}${TENANT('globex-two', 'Dynatrace Two')}\n`,
    env: () => ({ GLOBEX_OKTA_PRIVATE_KEY: RSA.pkcs8, GLOBEX_DT_SCIM_TOKEN: TEST_TOKEN }),
    okta: { apiToken: 'unused-ssws-token-0000', oauth: { clients: { [CLIENT]: serviceApp(RSA, { scopes: [...OKTA_READ_SCOPES.required, ...OKTA_READ_SCOPES.optional] }) }, now: () => NOW } },
  });
  beforeEach(() => {
    harness.okta.state = {
      ...emptyState(),
      apps: [oktaApp(APP, 'scim2testapp', 'Dynatrace', 'ACTIVE', 'SAML_2_0'), oktaApp('0oaglobex00000000002', 'scim2testapp', 'Dynatrace Two', 'ACTIVE', 'SAML_2_0')],
      appGroups: { [APP]: [oktaAppGroup(GROUP, 0)], '0oaglobex00000000002': [oktaAppGroup(GROUP, 0)] },
      groups: [oktaGroup(GROUP, 'Observability Team')],
    };
    harness.okta.oauth!.tokenRequests.length = 0;
  });

  it('reports in sync as with an API token, both tenants on one access token', async () => {
    const run = await harness.run(undefined);
    expect(run.report.tenants.map((t) => [t.tenant, t.result])).toEqual([
      ['globex', 'in-sync'],
      ['globex-two', 'in-sync'],
    ]);
    expect(run.code).toBe(0);
    // The nonce retry, then the token (the app is granted the optional scope too).
    expect(harness.okta.oauth!.tokenRequests.map((r) => r.status)).toEqual([400, 200]);
    // Every read signed in (the features call answers 400 while provisioning is off, as Okta does).
    const reads = harness.okta.requests.filter((r) => r.method === 'GET');
    expect(reads.length).toBeGreaterThan(6);
    expect(reads.filter((r) => r.status === 401 || r.status === 403)).toEqual([]);
  });

  it('reports drift as with an API token', async () => {
    harness.okta.state.apps[0] = { ...harness.okta.state.apps[0]!, status: 'INACTIVE' };
    const run = await harness.run('globex');
    expect(run.findings).toContainEqual({ area: 'app', field: 'status', address: 'okta_app_saml.dynatrace_app', attribute: 'status', expected: 'ACTIVE', actual: 'INACTIVE', status: 'drift' });
    expect(run.code).toBe(1);
  });

  it('a refused sign-in is "could not check" (exit 2) with the fix, and the SCIM probe still runs', async () => {
    const run = await harness.run('globex', {}, { GLOBEX_OKTA_PRIVATE_KEY: OTHER.pkcs8 });
    expect(run.findings).toEqual([
      { area: 'okta', field: 'api', expected: 'readable', actual: 'POST /oauth2/v1/token: 401 invalid_client (The client_assertion signature is invalid.)', status: 'error' },
      expect.objectContaining({ area: 'credential', field: 'scim token accepted', status: 'ok' }),
    ]);
    expect(hintOf(run, 'okta.api')).toContain('that $GLOBEX_OKTA_PRIVATE_KEY holds a private key whose public key is registered on that app');
    expect(run.code).toBe(2);
    const human = await harness.run('globex', { json: false }, { GLOBEX_OKTA_PRIVATE_KEY: 'garbage' });
    expect(human.stdout).toContain('the private key in $GLOBEX_OKTA_PRIVATE_KEY is neither a PEM private key nor a JSON Web Key');
    expect(human.code).toBe(2);
  });

  it('runs in a plain Node process as the CLI does, jose loaded natively (require of ES modules, Node ≥ 20.19)', async () => {
    const script = [
      "const { runVerify } = require('./cli/commands/verify.ts');",
      'const [tenantsFile, oktaBaseUrl, scimBaseUrl] = process.argv.slice(1);',
      "runVerify({ tenantsFile, tenant: 'globex', json: true, oktaBaseUrl, scimBaseUrl, timeoutMs: 5000, retry: { clock: { now: () => " + NOW + ', sleep: async () => {} } } })',
      '  .then((code) => { process.exitCode = code; });',
    ].join('\n');
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script, harness.tenantsFile, harness.okta.url, harness.scim.baseUrl], {
      cwd: join(__dirname, '..'),
      env: { PATH: process.env.PATH, GLOBEX_OKTA_PRIVATE_KEY: RSA.pkcs8, GLOBEX_DT_SCIM_TOKEN: TEST_TOKEN },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    harness.outputs.push(stdout, stderr);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toMatchObject({ result: 'in-sync', tenants: [{ tenant: 'globex', result: 'in-sync' }] });
    expect(code).toBe(0);
    expect(harness.okta.oauth!.tokenRequests.map((r) => r.status)).toEqual([400, 200]);
  }, 30_000);

  it('no output of any run in this file holds key material, a token, an assertion, a proof, or anything JWT-shaped', () => {
    const secrets = [...RSA.secrets, ...EC.secrets, ...OTHER.secrets, ...harness.okta.oauth!.issued, ...harness.okta.oauth!.received, ...stub.oauth!.issued, ...stub.oauth!.received];
    expect(harness.okta.oauth!.issued.length).toBeGreaterThan(0);
    const all = [...harness.outputs, ...outputs];
    expect(all.length).toBeGreaterThan(30);
    for (const output of all) {
      for (const secret of secrets) expect(output).not.toContain(secret);
      expect(output).not.toMatch(JWT_SHAPED);
    }
  });
});
