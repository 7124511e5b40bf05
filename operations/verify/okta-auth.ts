/**
 * How the read-only commands sign in to Okta, `verify` and `discover`:
 *
 * - an **API token** (`Authorization: SSWS <token>`), or
 * - an **API service app's private key**: OAuth 2.0 client credentials at the org authorization server
 *   (`POST https://<org>/oauth2/v1/token`) with a `private_key_jwt` client assertion (RFC 7523: `iss` = `sub`
 *   = the client id, `aud` = that exact token URL, a two-minute `exp`, a fresh `jti`, `kid` when given) and
 *   **DPoP** (RFC 9449), which Okta turns on by default for API service apps created since February 2024.
 *   The token request carries a DPoP proof (`htm`, `htu` without query, `iat`, `jti`, the public `jwk` in
 *   the header, `typ: dpop+jwt`); Okta answers the first one with `use_dpop_nonce` and a `DPoP-Nonce`, and
 *   the request is signed again once with it. A `DPoP` token is then sent as `Authorization: DPoP <token>`
 *   with a fresh proof bound to it (`ath`, the latest nonce) on every call; an answer with a new
 *   `DPoP-Nonce` and `use_dpop_nonce` is retried once. An app without DPoP gets a `Bearer` token, sent as
 *   `Authorization: Bearer <token>` without proofs.
 *
 * The DPoP key is an EC P-256 key made for the session and never stored: the token is bound to a key that
 * exists only in this process, so a token that leaked from a run is useless elsewhere. Okta's Terraform
 * provider does the same (a fresh key per token; okta/terraform-provider-okta `sdk/request_executor.go`).
 *
 * Signing uses `jose` (loaded only when a private-key session first needs a token, so the CLI starts without
 * it); PEM (PKCS#8, PKCS#1, SEC1) and JWK keys are read by Node's `crypto.createPrivateKey`.
 *
 * Secrets: the private key, each client assertion, each DPoP proof and the access token are handed to
 * `onSecret` (the command's last-line redaction) as they are made, are sent in headers or the form only, and
 * never appear in an error: text an error quotes from Okta is scrubbed of every one of them first.
 */
import { createHash, createPrivateKey, generateKeyPairSync, type JsonWebKey, type KeyObject, randomUUID } from 'node:crypto';
import type * as Jose from 'jose';
import { type EnvSetting, OKTA_PROVIDER_ENV, type ResolvedOktaOrg } from '../../constructs/model/tenant';
import { redactSecrets, secretVariants } from '../ci/redact';
import { httpGet, HttpError, type HttpPolicy, httpSend, oktaError } from './okta-client';

/**
 * The Okta API scopes the read-only commands request, in one place (README "Okta credentials and scopes").
 * `required`: verify reads apps (app, features, assignments, push mappings) and groups (lookups by name).
 * `optional`: asked for, and dropped when the app is not granted it — Okta refuses the whole token request
 * with `invalid_scope` if one requested scope is not granted (see {@link requestToken}); the check that
 * needs it then gets 403 and says which scope to grant.
 */
export const OKTA_READ_SCOPES = {
  required: ['okta.apps.read', 'okta.groups.read'],
  optional: ['okta.profileMappings.read'],
} as const;

/** A credential read from the environment, ready to sign in with. */
export type OktaCredential =
  | {
      readonly type: 'apiToken';
      readonly token: string;
      /** The environment variable it came from (named in messages; the value never is). */
      readonly source: string;
    }
  | {
      readonly type: 'privateKey';
      /** The API service app's client id (not a secret). */
      readonly clientId: string;
      readonly key: SigningKey;
      readonly source: string;
      /** The raw value read, and a JWK's private members: what redaction must know. */
      readonly secrets: readonly string[];
    };

/** A private key as the client assertion signs with it. */
export interface SigningKey {
  readonly keyObject: KeyObject;
  readonly alg: 'RS256' | 'ES256';
  /** `kid` of the assertion header: the tenant's `privateKeyId`, else the JWK's own `kid`. */
  readonly keyId?: string;
}

export type OktaCredentialResult =
  | { readonly credential: OktaCredential }
  | { readonly expected: string; readonly problem: string; readonly hint: string };

/**
 * The Okta credential of a tenant, from the environment — the one place that decides where it comes from:
 * - `apiToken`: the variable `okta.credentials.token.env` names, else `OKTA_API_TOKEN`;
 * - `privateKey`: the variable `okta.credentials.privateKey.env` names, else `OKTA_API_PRIVATE_KEY` (what
 *   the Okta provider reads, and what `batch` sets); the client id and key id come from the tenants file
 *   when it gives them literally, else from the variables it names (each CI environment supplies its own
 *   service app), else from `OKTA_API_CLIENT_ID` / `OKTA_API_PRIVATE_KEY_ID`.
 * `OKTA_ACCESS_TOKEN` is not read: a token minted elsewhere for a DPoP app is bound to a key verify does not
 * hold, and Okta refuses it.
 */
export function oktaCredentialFromEnv(okta: ResolvedOktaOrg, env: NodeJS.ProcessEnv): OktaCredentialResult {
  const fromEnv = (names: readonly (string | undefined)[]): { value: string; source: string } | undefined => {
    for (const name of names) {
      const value = name ? env[name]?.trim() : undefined;
      if (name && value) return { value, source: name };
    }
    return undefined;
  };
  const staleAccessToken = env.OKTA_ACCESS_TOKEN?.trim()
    ? '; OKTA_ACCESS_TOKEN is set but no longer read (verify signs in with the private key itself, and a DPoP-bound token minted elsewhere cannot be used)'
    : '';
  const creds = okta.credentials;
  if (creds.type === 'apiToken') {
    const named = creds.token.env;
    const found = fromEnv([named, OKTA_PROVIDER_ENV.apiToken]);
    if (found) return { credential: { type: 'apiToken', token: found.value.replace(/^SSWS\s+/i, ''), source: found.source } };
    return {
      expected: 'an Okta API token in the environment',
      problem: `no Okta API token: ${named ? `$${named} (or ${OKTA_PROVIDER_ENV.apiToken})` : OKTA_PROVIDER_ENV.apiToken} is not set${staleAccessToken}`,
      hint: named
        ? `export ${named} with a read-only admin's API token`
        : `the tenant names only a Pulumi secret (${creds.token.pulumiConfig ?? '?'}) for the Okta token; verify reads the environment only: export ${OKTA_PROVIDER_ENV.apiToken}`,
    };
  }
  const setting = (value: EnvSetting, fallback: string): string | undefined => (typeof value === 'string' ? value : fromEnv([value.env, fallback])?.value);
  const clientId = setting(creds.clientId, OKTA_PROVIDER_ENV.clientId);
  if (!clientId) {
    const name = (creds.clientId as { env: string }).env;
    return {
      expected: 'the Okta service app\'s client id in the environment',
      problem: `no client id for the Okta service app: $${name} (or ${OKTA_PROVIDER_ENV.clientId}) is not set`,
      hint: `export ${name} with the client id of the service app of this environment (a read-only app for verify and the drift check)`,
    };
  }
  const keyId = creds.privateKeyId === undefined ? undefined : setting(creds.privateKeyId, OKTA_PROVIDER_ENV.privateKeyId);
  const expected = `the private key of Okta service app ${clientId} in the environment`;
  const named = creds.privateKey.env;
  const where = named ? `$${named} (or ${OKTA_PROVIDER_ENV.privateKey})` : OKTA_PROVIDER_ENV.privateKey;
  const found = fromEnv([named, OKTA_PROVIDER_ENV.privateKey]);
  if (!found) {
    return {
      expected,
      problem: `no private key for Okta service app ${clientId}: ${where} is not set${staleAccessToken}`,
      hint: named
        ? `export ${named} with the app's private key (PEM or JWK; Okta API Services app → General → Public Keys)`
        : `the tenant names only a Pulumi secret (${creds.privateKey.pulumiConfig ?? '?'}) for the private key; verify reads the environment only: export ${OKTA_PROVIDER_ENV.privateKey}`,
    };
  }
  const parsed = signingKeyFrom(found.value, keyId);
  if ('problem' in parsed) {
    return {
      expected,
      problem: `the private key in $${found.source} ${parsed.problem}`,
      hint: `store the service app's private key in ${found.source} as PEM (PKCS#8 "BEGIN PRIVATE KEY", PKCS#1 "BEGIN RSA PRIVATE KEY" or "BEGIN EC PRIVATE KEY") or as the JSON Web Key Okta showed when it generated the key: RSA of 2048 bits or more, or EC P-256`,
    };
  }
  return { credential: { type: 'privateKey', clientId, key: parsed.key, source: found.source, secrets: [found.value, ...parsed.secrets] } };
}

/** The secret values of a credential, for the command's redaction. */
export function credentialSecrets(credential: OktaCredential): readonly string[] {
  return credential.type === 'apiToken' ? [credential.token] : credential.secrets;
}

const JWK_PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;

/**
 * Reads a PEM or JWK private key. A PEM stored on one line with literal `\n` (a common way to put it into a CI
 * secret) is accepted too. Problems are said in our own words: a parser's message is never passed on.
 */
function signingKeyFrom(raw: string, keyId: string | undefined): { key: SigningKey; secrets: string[] } | { problem: string } {
  const text = raw.includes('\n') ? raw : raw.replace(/\\n/g, '\n');
  let keyObject: KeyObject;
  let jwkKid: string | undefined;
  const secrets: string[] = [];
  if (text.startsWith('{')) {
    let jwk: JsonWebKey & { kid?: unknown };
    try {
      jwk = JSON.parse(text) as JsonWebKey & { kid?: unknown };
    } catch {
      return { problem: 'starts with "{" but is not valid JSON (a JSON Web Key was expected)' };
    }
    if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return { problem: 'is not a JSON Web Key object' };
    if (typeof jwk.d !== 'string') return { problem: 'is a public JSON Web Key (no "d"): verify signs with the private key' };
    for (const member of JWK_PRIVATE_MEMBERS) if (typeof jwk[member] === 'string') secrets.push(jwk[member]);
    if (typeof jwk.kid === 'string' && jwk.kid) jwkKid = jwk.kid;
    try {
      keyObject = createPrivateKey({ key: jwk, format: 'jwk' });
    } catch {
      return { problem: 'is a JSON Web Key that cannot be read as a private key (check kty, crv and the key members)' };
    }
  } else if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text)) {
    return { problem: 'is encrypted (BEGIN ENCRYPTED PRIVATE KEY); store it unencrypted in the secret store' };
  } else if (/-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/.test(text)) {
    try {
      keyObject = createPrivateKey(text);
    } catch {
      return { problem: 'has a PEM private-key header but cannot be read (cut off, or changed while copying?)' };
    }
  } else if (/-----BEGIN (?:RSA )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----/.test(text)) {
    return { problem: 'is a public key or certificate: verify signs with the private key' };
  } else {
    return { problem: 'is neither a PEM private key nor a JSON Web Key' };
  }
  const details = keyObject.asymmetricKeyDetails ?? {};
  const kid = keyId ?? jwkKid;
  if (keyObject.asymmetricKeyType === 'rsa') {
    if ((details.modulusLength ?? 0) < 2048) return { problem: `is an RSA key of ${details.modulusLength ?? '?'} bits; Okta and RS256 need 2048 or more` };
    return { key: { keyObject, alg: 'RS256', ...(kid ? { keyId: kid } : {}) }, secrets };
  }
  if (keyObject.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1') return { key: { keyObject, alg: 'ES256', ...(kid ? { keyId: kid } : {}) }, secrets };
  const kind = keyObject.asymmetricKeyType === 'ec' ? `an EC key on curve ${details.namedCurve ?? '?'}` : `a ${keyObject.asymmetricKeyType ?? 'unknown'} key`;
  return { problem: `is ${kind}; use an RSA key (RS256) or an EC P-256 key (ES256)` };
}

/** Signs requests in to one Okta org with one credential. */
export interface OktaSession {
  /**
   * GET `url` (on the org, or a stand-in for it) with `headers` plus this credential's `Authorization` (and
   * a DPoP proof). Resolves with a 2xx answer; any other answer is an {@link HttpError} built by `oktaError`,
   * whose `hint` says what to fix for this kind of credential. Network errors, timeouts and rate limits are
   * the HttpErrors of `httpGet`.
   */
  get(url: string, headers: Record<string, string>, what: string): Promise<Response>;
}

export interface OktaSessionOptions {
  readonly policy: HttpPolicy;
  /** Receives every secret value the session makes or obtains (assertions, proofs, tokens), for redaction. */
  readonly onSecret?: (value: string) => void;
  /** @default {@link OKTA_READ_SCOPES} */
  readonly scopes?: { readonly required: readonly string[]; readonly optional: readonly string[] };
}

/**
 * A session for `credential` on the org at `orgUrl` (`https://<org>`, or a stand-in): an API token is sent as
 * it is; a private key obtains an access token on the first request and reuses it until a minute before it
 * expires.
 */
export function oktaSession(credential: OktaCredential, orgUrl: string, options: OktaSessionOptions): OktaSession {
  if (credential.type === 'apiToken') {
    return {
      get: async (url, headers, what) => {
        const response = await httpGet(url, { ...headers, Authorization: `SSWS ${credential.token}` }, options.policy, what);
        return response.ok ? response : Promise.reject(oktaError(response.status, await bodyOf(response), what, apiTokenHint(credential, response.status)));
      },
    };
  }
  return new PrivateKeySession(credential, orgUrl, options);
}

/**
 * One session per org and credential for a whole run: tenants that share an org and a service app share its
 * access token. Call `for` as often as needed.
 */
export function oktaSessions(options: OktaSessionOptions): { for(credential: OktaCredential, orgUrl: string): OktaSession } {
  const sessions = new Map<string, OktaSession>();
  return {
    for(credential, orgUrl) {
      const id = credential.type === 'apiToken' ? credential.token : `${credential.clientId}\n${credential.key.keyId ?? ''}\n${credential.secrets[0]}`;
      const key = `${new URL(orgUrl).origin}\n${credential.type}\n${createHash('sha256').update(id).digest('hex')}`;
      let session = sessions.get(key);
      if (!session) sessions.set(key, (session = oktaSession(credential, orgUrl, options)));
      return session;
    },
  };
}

interface AccessToken {
  readonly value: string;
  readonly type: 'DPoP' | 'Bearer';
  /** Epoch ms after which a new token is requested (a minute before Okta's expiry). */
  readonly renewAt: number;
}

const ASSERTION_LIFETIME_S = 120;
const TOKEN_WHAT = 'POST /oauth2/v1/token';

class PrivateKeySession implements OktaSession {
  private readonly tokenUrl: string;
  private readonly policy: HttpPolicy;
  private readonly scopes: NonNullable<OktaSessionOptions['scopes']>;
  /** Every secret made or received, to scrub text quoted from Okta. */
  private readonly known: string[];
  private readonly dpopKey: { readonly privateKey: KeyObject; readonly jwk: JsonWebKey };
  private jose?: typeof Jose;
  private token?: AccessToken;
  private pending?: Promise<AccessToken>;
  /** The latest `DPoP-Nonce` Okta sent (the org's token endpoint and API share one origin). */
  private nonce?: string;

  constructor(
    private readonly credential: Extract<OktaCredential, { type: 'privateKey' }>,
    orgUrl: string,
    private readonly options: OktaSessionOptions,
  ) {
    this.tokenUrl = new URL('/oauth2/v1/token', orgUrl).toString();
    this.policy = options.policy;
    this.scopes = options.scopes ?? OKTA_READ_SCOPES;
    this.known = [...credential.secrets];
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
    this.dpopKey = { privateKey, jwk: { kty, crv, x, y } };
  }

  async get(url: string, headers: Record<string, string>, what: string): Promise<Response> {
    const token = await this.accessToken();
    for (let nonceRetried = false; ; nonceRetried = true) {
      const response = await httpSend(url, async () => ({ method: 'GET', headers: { ...headers, ...(await this.authorization(token, 'GET', url)) } }), this.policy, what);
      const newNonce = this.learnNonce(response);
      if (response.ok) return response;
      const challenge = challengeError(response);
      // RFC 9449 §9: a resource server may demand a fresh nonce; sign again once with the one it sent.
      if (token.type === 'DPoP' && response.status === 401 && challenge === 'use_dpop_nonce' && newNonce && !nonceRetried) continue;
      throw oktaError(response.status, this.scrub(await bodyOf(response)), what, this.apiHint(response.status, challenge, token));
    }
  }

  private async accessToken(): Promise<AccessToken> {
    if (this.token && this.policy.clock.now() < this.token.renewAt) return this.token;
    this.pending ??= this.requestToken().finally(() => (this.pending = undefined));
    return (this.token = await this.pending);
  }

  /**
   * Client credentials with a client assertion and a DPoP proof, each attempt signed afresh (Okta refuses a
   * `jti` it has seen). At most one retry for `use_dpop_nonce` and one without the optional scopes.
   *
   * Okta's org authorization server "validates all of the requested scopes in the … token request against
   * the app's grants collection. The scope is granted if it exists in the app's grants collection"
   * (developer.okta.com/docs/guides/implement-oauth-for-okta/define-allowed-scopes/). Okta documents no
   * partial grant; it answers a scope it will not issue with `invalid_scope` for the whole request (RFC 6749
   * §5.2; support.okta.com, "Error One or more scopes are not configured for the authorization server
   * resource", shows that answer for a scope the org server does not know). Not checked against a live org
   * here, so the fallback is built for exactly that answer: an optional scope is requested and, on
   * `invalid_scope`, the request is made once more without it.
   */
  private async requestToken(): Promise<AccessToken> {
    this.jose ??= await import('jose');
    let scopes = [...this.scopes.required, ...this.scopes.optional];
    let nonceRetried = false;
    let scopeRetried = false;
    for (;;) {
      const response = await httpSend(this.tokenUrl, () => this.tokenRequest(scopes), this.policy, TOKEN_WHAT);
      const newNonce = this.learnNonce(response);
      const body = parseJson(await bodyOf(response));
      if (response.ok) return this.tokenFrom(body);
      const error = typeof body?.error === 'string' && /^[a-z_]{1,64}$/.test(body.error) ? body.error : undefined;
      if (error === 'use_dpop_nonce' && newNonce && !nonceRetried) {
        nonceRetried = true;
        continue;
      }
      if (error === 'invalid_scope' && !scopeRetried && this.scopes.optional.length > 0) {
        scopeRetried = true;
        scopes = [...this.scopes.required];
        continue;
      }
      const description = typeof body?.error_description === 'string' ? this.scrub(body.error_description).slice(0, 200) : '';
      const detail = [error ?? '', description && `(${description})`].filter(Boolean).join(' ');
      const kind = response.status === 401 || response.status === 400 || response.status === 403 ? 'auth' : 'unexpected';
      throw new HttpError(kind, `${TOKEN_WHAT}: ${response.status}${detail ? ` ${detail}` : ''}`, response.status, error, this.tokenHint(error));
    }
  }

  private async tokenRequest(scopes: readonly string[]): Promise<{ method: 'POST'; headers: Record<string, string>; body: string }> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: scopes.join(' '),
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await this.clientAssertion(),
    });
    return {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', DPoP: await this.proof('POST', this.tokenUrl) },
      body: form.toString(),
    };
  }

  /** RFC 7523 §3 and Okta's rules for `private_key_jwt`: `aud` is the token endpoint's exact URL. */
  private async clientAssertion(): Promise<string> {
    const { clientId, key } = this.credential;
    const now = this.seconds();
    const assertion = await new this.jose!.SignJWT({})
      .setProtectedHeader({ alg: key.alg, ...(key.keyId ? { kid: key.keyId } : {}) })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(this.tokenUrl)
      .setIssuedAt(now)
      .setExpirationTime(now + ASSERTION_LIFETIME_S)
      .setJti(randomUUID())
      .sign(key.keyObject);
    return this.secret(assertion);
  }

  /** RFC 9449 §4.2: a proof for one request; `ath` binds it to the access token. */
  private async proof(htm: 'GET' | 'POST', url: string, accessToken?: string): Promise<string> {
    const target = new URL(url);
    const claims = {
      htm,
      htu: `${target.origin}${target.pathname}`,
      ...(this.nonce ? { nonce: this.nonce } : {}),
      ...(accessToken ? { ath: createHash('sha256').update(accessToken).digest('base64url') } : {}),
    };
    const proof = await new this.jose!.SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: this.dpopKey.jwk as Jose.JWK })
      .setIssuedAt(this.seconds())
      .setJti(randomUUID())
      .sign(this.dpopKey.privateKey);
    return this.secret(proof);
  }

  private async authorization(token: AccessToken, method: 'GET', url: string): Promise<Record<string, string>> {
    if (token.type === 'Bearer') return { Authorization: `Bearer ${token.value}` };
    return { Authorization: `DPoP ${token.value}`, DPoP: await this.proof(method, url, token.value) };
  }

  private tokenFrom(body: Record<string, unknown> | undefined): AccessToken {
    const value = body?.access_token;
    const type = typeof body?.token_type === 'string' ? body.token_type.toLowerCase() : undefined;
    if (typeof value !== 'string' || value === '' || (type !== 'dpop' && type !== 'bearer')) {
      throw new HttpError('unexpected', `${TOKEN_WHAT}: 200 without an access_token of token_type DPoP or Bearer`, 200);
    }
    this.secret(value);
    const expiresIn = typeof body?.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
    return { value, type: type === 'dpop' ? 'DPoP' : 'Bearer', renewAt: this.policy.clock.now() + Math.max(expiresIn - 60, 0) * 1000 };
  }

  /** Keeps the nonce an answer carries; true when it is a new one. */
  private learnNonce(response: Response): boolean {
    const nonce = response.headers.get('dpop-nonce')?.trim();
    if (!nonce || nonce === this.nonce) return false;
    this.nonce = nonce;
    return true;
  }

  private tokenHint(error: string | undefined): string {
    const { clientId, key, source } = this.credential;
    const required = this.scopes.required.join(' and ');
    switch (error) {
      case 'invalid_client':
        return `Okta did not accept the client assertion: check that okta.credentials.clientId (${clientId}) is the API service app's client id, that $${source} holds a private key whose public key is registered on that app (General → Public Keys) and that the app's client authentication is "Public key / Private key"${key.keyId ? `, that its key id is ${key.keyId}` : ', and set okta.credentials.privateKeyId when the app has several keys'}; an "expired" or "not yet valid" assertion means the runner's clock is off (sync it with NTP)`;
      case 'invalid_scope':
        return `grant the API service app the scopes ${required} (Okta API Scopes tab → Grant)`;
      case 'invalid_dpop_proof':
      case 'use_dpop_nonce':
        return "Okta did not accept the DPoP proof: check the runner's clock (sync it with NTP) and run again; if it persists, report it with the error above";
      case 'unauthorized_client':
      case 'unsupported_grant_type':
        return `client ${clientId} may not use the client credentials grant: use an API Services app (Client Credentials, Public key / Private key)`;
      default:
        return `Okta refused the token request of client ${clientId}: read the error above, check the app in the admin console, and report it if it persists`;
    }
  }

  private apiHint(status: number, challenge: string | undefined, token: AccessToken): string {
    const { clientId } = this.credential;
    if (status === 403) {
      return challenge === 'insufficient_scope'
        ? `the access token lacks a scope this call needs: grant the API service app ${this.scopes.required.join(' and ')} (Okta API Scopes tab → Grant)`
        : `the API service app (client ${clientId}) has no admin role that may read this: assign it Read-Only Administrator, or a custom role that reads this app and its groups (the app → Admin roles)`;
    }
    if (status === 401 && (challenge === 'invalid_dpop_proof' || challenge === 'use_dpop_nonce')) {
      return "Okta did not accept the DPoP proof of this call: check the runner's clock (sync it with NTP) and run again; if it persists, report it with the error above";
    }
    if (status === 401) return `Okta did not accept the ${token.type} access token of client ${clientId} (revoked or expired during the run?): run again`;
    return `unexpected answer from Okta to client ${clientId}: read the error above`;
  }

  private seconds(): number {
    return Math.floor(this.policy.clock.now() / 1000);
  }

  private secret(value: string): string {
    this.known.push(value);
    this.options.onSecret?.(value);
    return value;
  }

  private scrub(text: string): string {
    return redactSecrets(text, secretVariants(this.known));
  }
}

function apiTokenHint(credential: Extract<OktaCredential, { type: 'apiToken' }>, status: number): string | undefined {
  if (status === 401) return `Okta did not accept the API token in $${credential.source} (invalid, revoked, or expired: tokens expire after 30 days unused): create one as a read-only admin and store it there`;
  if (status === 403) return "an API token has its admin's permissions, and that admin may not read this: give the admin Read-Only Administrator (or a custom role that reads this app and its groups)";
  return undefined;
}

/** The `error` parameter of a `WWW-Authenticate` challenge (`DPoP error="use_dpop_nonce"`, `Bearer error="insufficient_scope"`). */
function challengeError(response: Response): string | undefined {
  return /\berror="([a-z_]{1,64})"/.exec(response.headers.get('www-authenticate') ?? '')?.[1];
}

async function bodyOf(response: Response): Promise<string> {
  return response.text().catch(() => '');
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
