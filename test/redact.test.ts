/**
 * The one redaction (operations/ci/redact.ts): a secret is replaced in every form it takes on its way to
 * a log — encoded, escaped, inside a Basic credential, as an Authorization header — and credential-shaped
 * text (JWTs such as access tokens, client assertions and DPoP proofs; PEM keys; token fields of OAuth
 * answers) is replaced even when the value was never handed to us. Ordinary plan text stays readable.
 */
import { createSign, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { REDACTED, redactSecrets, secretVariants } from '../operations/ci/redact';
import { TEST_TOKEN } from './support/specs';

const SECRET = `${TEST_TOKEN}-okta`;
const redact = (text: string, secrets: string[] = [SECRET]): string => redactSecrets(text, secretVariants(secrets));
const b64 = (text: string): string => Buffer.from(text).toString('base64');
const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** A real RS256 JWT, as a client assertion or DPoP proof looks on the wire. */
function signedJwt(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'dpop+jwt', jwk: { kty: 'RSA', n: 'x', e: 'AQAB' } }));
  const payload = b64url(JSON.stringify({ htm: 'POST', htu: 'https://acme.okta.com/oauth2/v1/token', iat: 1764900000, jti: 'a1b2c3' }));
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(privateKey);
  return `${header}.${payload}.${b64url(signature)}`;
}

describe('known secrets, in every form', () => {
  it.each([
    ['as given', (s: string) => `token is "${s}"`],
    ['with a Bearer scheme pasted', (s: string) => `var.dynatrace_scim_token is "Bearer Bearer ${s}"`],
    ['JSON-escaped', (s: string) => JSON.stringify({ value: `${s}\n${s}` })],
    ['URL-encoded', (s: string) => `POST /token?x=${encodeURIComponent(`${s}&/+`)}`],
    ['base64', (s: string) => `payload ${b64(s)}`],
    ['base64url', (s: string) => `payload ${b64url(`${s}??>>`)}`],
    ['inside a Basic credential (user:secret)', (s: string) => `curl -u "${b64(`0oa9z8y7x6w5v4u3t2s1:${s}`)}"`],
  ])('%s', (_name, form) => {
    const secret = `${SECRET}/+?>`;
    const out = redact(form(secret), [secret]);
    expect(out).toContain(REDACTED);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(b64(secret).slice(4, -4));
  });

  it('property: a secret base64-encoded anywhere inside a longer value is found, at every byte alignment', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 12, maxLength: 60 }), fc.string({ maxLength: 7 }), fc.string({ maxLength: 7 }), (secret, before, after) => {
        for (const encode of [b64, (t: string) => b64url(t)]) {
          const encoded = encode(`${before}${secret}${after}`);
          const out = redact(`header ${encoded} trailer`, [secret]);
          expect(out).not.toContain(encoded);
          expect(out).toContain(REDACTED);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('every line of a PEM key, and the whole key', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const body = privateKey.split('\n').filter((line) => line && !line.startsWith('-----'));
    expect(redact(`key ${privateKey} end`, [privateKey])).toBe(`key ${REDACTED} end`);
    for (const line of body) expect(redact(`line: ${line}`, [privateKey])).toBe(`line: ${REDACTED}`);
    // A key nobody handed us (another tenant's, a provider's debug output) goes by its shape.
    expect(redact(`key ${privateKey.trim()} end`, [])).toBe(`key ${REDACTED} private key end`);
  });
});

describe('credential shapes, value unknown', () => {
  const jwt = signedJwt();

  it.each([
    ['an Authorization header', `> Authorization: SSWS 00abcDEFghiJKLmnoPQRstuVWXyz0123456789`, '> Authorization: [redacted]'],
    ['a Proxy-Authorization header', 'proxy-authorization: Basic dXNlcjpwYXNzd29yZDEyMzQ1Ng==', 'proxy-authorization: [redacted]'],
    ['an Authorization header in JSON', `{"Authorization":"DPoP ${jwt}"}`, `{"Authorization":"${REDACTED}"}`],
    ['a Bearer credential in prose', 'sent Bearer abcdefghijklmnopqrstuvwxyz012345 to the API', `sent Bearer ${REDACTED} to the API`],
    ['a DPoP-bound token and its proof', `Authorization: DPoP abcdefghijklmnopqrstuvwxyz012345\nDPoP: ${jwt}`, `Authorization: ${REDACTED}\nDPoP: ${REDACTED}`],
    ['a client assertion in a form body', `grant_type=client_credentials&client_assertion=${jwt}&scope=okta.apps.read`, `grant_type=client_credentials&client_assertion=${REDACTED}&scope=okta.apps.read`],
    ['an OAuth token answer', '{"token_type":"DPoP","access_token":"eyJraWQiOiJ4In0.eyJzdWIiOiIwb2EifQ.c2ln","expires_in":3600}', `{"token_type":"DPoP","access_token":"${REDACTED}","expires_in":3600}`],
    ['a JWT on its own', `token ${jwt} end`, `token ${REDACTED} end`],
    ['a JWE (five parts)', 'x eyJhbGciOiJSU0EtT0FFUCJ9.ZW5jcnlwdGVka2V5.aXY.Y2lwaGVydGV4dA.dGFn y', `x ${REDACTED} y`],
  ])('%s', (_name, text, expected) => {
    expect(redact(text, [])).toBe(expected);
  });

  it('leaves plan and console text readable: short words after a scheme, sensitive markers, prose about headers', () => {
    const text = [
      '  ~ profile { ~ token = (sensitive value) }',
      'API Token: "Bearer " followed by the Dynatrace SCIM token',
      'Authorization: the raw Dynatrace SCIM token, without "Bearer "',
      'Plan: 1 to add, 0 to change, 0 to destroy.',
      'okta_app_connection.dynatrace_connection: Modifying... [id=0oa1b2c3d4e5f6g7h8i9]',
    ].join('\n');
    expect(redact(text, [])).toBe(text);
  });
});
