/**
 * The org authorization server and the resource-server checks of the Okta stand-in (okta-stub.ts), as strict
 * as Okta is documented or known to be — stricter where Okta is silent, so a client that passes here does
 * what Okta needs:
 *
 * - `POST /oauth2/v1/token`, client credentials with `private_key_jwt` (RFC 7523; developer.okta.com,
 *   "Implement OAuth for Okta with a service app"): the client assertion's signature is checked with the
 *   public key registered for the client, `iss` = `sub` = client id, `aud` = this exact token URL, `exp` in
 *   the future and at most an hour away, a `jti` never seen before, `kid` (when sent) the registered one;
 *   every requested scope must be granted, or the whole request is refused with `invalid_scope`.
 * - DPoP (RFC 9449) for clients that require it: a proof (`typ` dpop+jwt, ES256/RS256, a public `jwk`,
 *   `htm`, `htu` = the URL without query, `iat` within a minute, an unused `jti`) and the server's current
 *   nonce: without it Okta answers 400 `use_dpop_nonce` with a `DPoP-Nonce` header. The token is then
 *   `token_type: DPoP`, bound to the proof key's thumbprint (`cnf.jkt`). A client without DPoP gets a
 *   Bearer token; a DPoP header it sends is ignored (assumed: Okta documents no error for it).
 * - API calls with `Authorization: DPoP <token>`: a proof as above for this request, with `ath` = SHA-256 of
 *   the token, signed by the bound key, and the current nonce (else 401 `WWW-Authenticate: DPoP
 *   error="use_dpop_nonce"` with a new `DPoP-Nonce`). A bound token sent as `Bearer` is refused (401), as is
 *   an expired token; a token without the scope of the endpoint gets 403 `insufficient_scope`, a client
 *   without an admin role 403 E0000006.
 *
 * Signatures are verified with `node:crypto` here, independently of the library the client signs with.
 */
import { createHash, createPublicKey, type KeyObject, randomBytes, verify } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface OAuthClientRegistration {
  /** The public key registered on the API service app. */
  readonly publicKey: KeyObject;
  /** Its key id, when the app names one. */
  readonly kid?: string;
  /** "Require Demonstrating Proof of Possession (DPoP) header in token requests". */
  readonly dpop: boolean;
  /** Okta API scopes granted to the app. */
  readonly scopes: readonly string[];
  /** Whether the app has an admin role that may read apps and groups. @default true */
  readonly adminRole?: boolean;
}

export interface OktaOAuthOptions {
  readonly clients: Record<string, OAuthClientRegistration>;
  /** The server's clock (epoch ms). @default Date.now */
  readonly now?: () => number;
  /** Access token lifetime in seconds. @default 3600 */
  readonly tokenLifetimeS?: number;
}

/** What a request was refused with: the status, the OAuth or Okta error, and a `WWW-Authenticate` challenge for the API. */
export interface Refusal {
  readonly status: number;
  readonly error: string;
  readonly description: string;
  readonly challenge?: string;
  readonly nonce?: string;
  /** Okta's errorCode, for Management API refusals. */
  readonly errorCode?: string;
}

interface IssuedToken {
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly jkt?: string;
  readonly expiresAt: number;
}

const DPOP_IAT_WINDOW_S = 60;
const ASSERTION_MAX_LIFETIME_S = 3600;
const ENDPOINT_SCOPES: [RegExp, string][] = [
  [/^\/api\/v1\/apps(\/|$)/, 'okta.apps.read'],
  [/^\/api\/v1\/groups(\/|$)/, 'okta.groups.read'],
  [/^\/api\/v1\/mappings(\/|$)/, 'okta.profileMappings.read'],
];

export class OktaOAuthServer {
  /** The stand-in's origin, set when it listens. */
  origin = '';
  /** The nonce the server demands now. */
  nonce = fresh();
  /** Called before each API request is checked: return true to rotate the nonce first (a nonce that expired). */
  rotateNonceBefore?: (path: string) => boolean;
  /** Every token request: the scopes asked for and the outcome. */
  readonly tokenRequests: { scope: string; status: number; error?: string }[] = [];
  /** Every access token issued, assertion and proof received: what must never reach an output. */
  readonly issued: string[] = [];
  readonly received: string[] = [];
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly seenJti = new Set<string>();

  constructor(private readonly options: OktaOAuthOptions) {}

  get tokenUrl(): string {
    return `${this.origin}/oauth2/v1/token`;
  }

  rotateNonce(): string {
    return (this.nonce = fresh());
  }

  /** Answers a token request: the JSON body to send, and the status. */
  token(form: URLSearchParams, headers: IncomingHttpHeaders): { status: number; body: Record<string, unknown>; nonce?: string } {
    const scope = form.get('scope') ?? '';
    const outcome = this.tokenOutcome(form, headers);
    const status = 'refused' in outcome ? outcome.refused.status : 200;
    this.tokenRequests.push({ scope, status, ...('refused' in outcome ? { error: outcome.refused.error } : {}) });
    if ('refused' in outcome) {
      return { status, body: { error: outcome.refused.error, error_description: outcome.refused.description }, ...(outcome.refused.nonce ? { nonce: outcome.refused.nonce } : {}) };
    }
    return { status, body: outcome.body };
  }

  private tokenOutcome(form: URLSearchParams, headers: IncomingHttpHeaders): { refused: Refusal } | { body: Record<string, unknown> } {
    const refuse = (status: number, error: string, description: string, nonce?: string) => ({ refused: { status, error, description, ...(nonce ? { nonce } : {}) } });
    if (form.get('grant_type') !== 'client_credentials') return refuse(400, 'unsupported_grant_type', 'The authorization grant type is not supported.');
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return refuse(401, 'invalid_client', 'client_assertion_type is missing or wrong.');
    const assertion = form.get('client_assertion') ?? '';
    this.received.push(assertion);
    const jwt = decodeJwt(assertion);
    if (!jwt) return refuse(401, 'invalid_client', 'The client_assertion is not a JWT.');
    const clientId = typeof jwt.payload.iss === 'string' ? jwt.payload.iss : '';
    const client = this.options.clients[clientId];
    if (!client) return refuse(401, 'invalid_client', 'Invalid value for client_id parameter.');
    if (jwt.payload.sub !== clientId) return refuse(401, 'invalid_client', "The 'sub' claim must equal the client id.");
    if (jwt.header.kid !== undefined && jwt.header.kid !== client.kid) return refuse(401, 'invalid_client', 'The client_assertion kid does not match a registered key.');
    if (!verifies(jwt, client.publicKey)) return refuse(401, 'invalid_client', 'The client_assertion signature is invalid.');
    if (jwt.payload.aud !== this.tokenUrl) return refuse(401, 'invalid_client', "The audience claim for client_assertion must be the endpoint invoked for the request.");
    const now = this.seconds();
    const exp = jwt.payload.exp;
    if (typeof exp !== 'number') return refuse(401, 'invalid_client', 'The client_assertion token must have an exp claim.');
    if (exp <= now) return refuse(401, 'invalid_client', 'The client_assertion token is expired.');
    if (exp > now + ASSERTION_MAX_LIFETIME_S) return refuse(401, 'invalid_client', 'The client_assertion token has an expiration too far into the future.');
    if (!this.unusedJti(jwt.payload.jti)) return refuse(401, 'invalid_client', 'The client_assertion token has already been used (jti).');

    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    if (scopes.length === 0) return refuse(400, 'invalid_scope', "The authorization server resource does not have any configured default scopes, 'scope' must be provided.");
    const denied = scopes.filter((s) => !client.scopes.includes(s));
    if (denied.length > 0) return refuse(400, 'invalid_scope', `The following scopes are not allowed: ${denied.join(', ')}`);

    let jkt: string | undefined;
    if (client.dpop) {
      const header = headers.dpop;
      if (typeof header !== 'string') return refuse(400, 'invalid_dpop_proof', 'The DPoP proof JWT header is missing.');
      const proof = this.checkProof(header, 'POST', this.tokenUrl);
      if ('refused' in proof) return refuse(400, proof.refused.error, proof.refused.description, proof.refused.nonce);
      jkt = proof.jkt;
    }
    const value = accessTokenJwt(clientId, scopes, jkt, now + this.lifetime());
    this.tokens.set(value, { clientId, scopes, ...(jkt ? { jkt } : {}), expiresAt: now + this.lifetime() });
    this.issued.push(value);
    return { body: { token_type: jkt ? 'DPoP' : 'Bearer', expires_in: this.lifetime(), access_token: value, scope: scopes.join(' ') } };
  }

  /**
   * Checks the credentials of a Management API request made with an access token (`DPoP` or `Bearer`);
   * undefined when it may proceed.
   */
  authorize(method: string, url: URL, headers: IncomingHttpHeaders): Refusal | undefined {
    if (this.rotateNonceBefore?.(url.pathname)) this.rotateNonce();
    const [scheme = '', value = ''] = (headers.authorization ?? '').split(' ', 2);
    const token = this.tokens.get(value);
    const invalid = (description: string, challengeScheme = scheme): Refusal => ({ status: 401, error: 'invalid_token', description, challenge: `${challengeScheme} error="invalid_token", error_description="${description}"`, errorCode: 'E0000011' });
    if (!token) return invalid('The access token is invalid.');
    if (token.expiresAt <= this.seconds()) return invalid('The access token is expired.');
    if (scheme === 'Bearer' && token.jkt) return invalid('The access token is DPoP-bound: use the DPoP authorization scheme with a DPoP proof.', 'DPoP');
    if (scheme === 'DPoP') {
      if (!token.jkt) return invalid('The access token is not DPoP-bound.');
      const header = headers.dpop;
      if (typeof header !== 'string') return { status: 401, error: 'invalid_dpop_proof', description: 'The DPoP proof JWT header is missing.', challenge: 'DPoP error="invalid_dpop_proof"' };
      const target = `${url.origin}${url.pathname}`;
      const proof = this.checkProof(header, method, target, value);
      if ('refused' in proof) return { ...proof.refused, status: 401, challenge: `DPoP error="${proof.refused.error}", error_description="${proof.refused.description}"` };
      if (proof.jkt !== token.jkt) return { status: 401, error: 'invalid_dpop_proof', description: 'The DPoP proof key is not the key the token is bound to.', challenge: 'DPoP error="invalid_dpop_proof"' };
    } else if (scheme !== 'Bearer') {
      return invalid('Unknown authorization scheme.');
    }
    const needed = ENDPOINT_SCOPES.find(([path]) => path.test(url.pathname))?.[1];
    if (needed && !token.scopes.includes(needed)) {
      return { status: 403, error: 'insufficient_scope', description: 'The access token provided does not contain the required scopes.', challenge: `${scheme} error="insufficient_scope", error_description="The access token provided does not contain the required scopes."`, errorCode: 'E0000006' };
    }
    if (this.options.clients[token.clientId]?.adminRole === false) {
      return { status: 403, error: 'access_denied', description: 'You do not have permission to perform the requested action', errorCode: 'E0000006' };
    }
    return undefined;
  }

  /** A DPoP proof for `htm` `htu` (and `accessToken`, on an API call): its key's thumbprint, or why not. */
  private checkProof(proof: string, htm: string, htu: string, accessToken?: string): { jkt: string } | { refused: Refusal } {
    const refuse = (description: string, error = 'invalid_dpop_proof', nonce?: string) => ({ refused: { status: 400, error, description, ...(nonce ? { nonce } : {}) } });
    this.received.push(proof);
    const jwt = decodeJwt(proof);
    if (!jwt) return refuse('The DPoP proof is not a JWT.');
    if (jwt.header.typ !== 'dpop+jwt') return refuse("The DPoP proof 'typ' must be dpop+jwt.");
    const jwk = jwt.header.jwk as Record<string, unknown> | undefined;
    if (!jwk || typeof jwk !== 'object') return refuse("The DPoP proof has no 'jwk' header.");
    if ('d' in jwk) return refuse("The DPoP proof 'jwk' must be a public key.");
    let key: KeyObject;
    try {
      key = createPublicKey({ key: jwk as never, format: 'jwk' });
    } catch {
      return refuse("The DPoP proof 'jwk' is not a key.");
    }
    if (!verifies(jwt, key)) return refuse('The DPoP proof signature is invalid.');
    if (jwt.payload.htm !== htm) return refuse("The DPoP proof 'htm' does not match the request method.");
    if (jwt.payload.htu !== htu) return refuse("The DPoP proof 'htu' does not match the request URI.");
    const iat = jwt.payload.iat;
    if (typeof iat !== 'number' || Math.abs(iat - this.seconds()) > DPOP_IAT_WINDOW_S) return refuse("The DPoP proof 'iat' is too far from the server's time.");
    if (!this.unusedJti(jwt.payload.jti)) return refuse("The DPoP proof 'jti' has already been used.");
    if (accessToken !== undefined) {
      const ath = createHash('sha256').update(accessToken).digest('base64url');
      if (jwt.payload.ath === undefined) return refuse("The DPoP proof has no 'ath' claim.");
      if (jwt.payload.ath !== ath) return refuse("The DPoP proof 'ath' does not match the access token.");
    }
    if (jwt.payload.nonce !== this.nonce) return refuse('Authorization server requires nonce in DPoP proof.', 'use_dpop_nonce', this.nonce);
    return { jkt: thumbprint(jwk) };
  }

  private unusedJti(jti: unknown): boolean {
    if (typeof jti !== 'string' || jti === '' || this.seenJti.has(jti)) return false;
    this.seenJti.add(jti);
    return true;
  }

  private seconds(): number {
    return Math.floor((this.options.now ?? Date.now)() / 1000);
  }

  private lifetime(): number {
    return this.options.tokenLifetimeS ?? 3600;
  }
}

interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  readonly input: string;
  readonly signature: Buffer;
}

function decodeJwt(value: string): DecodedJwt | undefined {
  const parts = value.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    return { header, payload, input: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2]!, 'base64url') };
  } catch {
    return undefined;
  }
}

/** RS256 or ES256 (JWS's raw r‖s signature), and only with a key of that type. */
function verifies(jwt: DecodedJwt, key: KeyObject): boolean {
  if (jwt.header.alg === 'RS256' && key.asymmetricKeyType === 'rsa') return verify('sha256', Buffer.from(jwt.input), key, jwt.signature);
  if (jwt.header.alg === 'ES256' && key.asymmetricKeyType === 'ec') return verify('sha256', Buffer.from(jwt.input), { key, dsaEncoding: 'ieee-p1363' }, jwt.signature);
  return false;
}

/** RFC 7638 JWK thumbprint. */
function thumbprint(jwk: Record<string, unknown>): string {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/** A JWT-shaped access token, as Okta issues them (the stand-in never verifies its signature: it knows its tokens). */
function accessTokenJwt(clientId: string, scopes: readonly string[], jkt: string | undefined, exp: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ kid: 'stand-in', alg: 'RS256' })}.${part({ cid: clientId, scp: scopes, exp, jti: `AT.${fresh()}`, ...(jkt ? { cnf: { jkt } } : {}) })}.${randomBytes(32).toString('base64url')}`;
}

function fresh(): string {
  return randomBytes(12).toString('base64url');
}
