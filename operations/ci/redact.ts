/**
 * The one redaction of text CI and `verify` keep or print (plan transcripts, results, verify's report):
 * every known secret value is replaced before anything is written, in the forms it can take on the way —
 * and credential-shaped text is replaced even when its value is not known. Terraform, for one, prints a
 * sensitive variable's value in validation diagnostics (../shared/FACTS.md); a provider with debug
 * logging prints request headers; a transcript goes into artifacts and the PR comment.
 *
 * Known values ({@link secretVariants}): as given, trimmed, without a `Bearer ` scheme, each line of a
 * multi-line value (PEM keys), JSON-escaped, URL-encoded, and base64 / base64url at each of the three
 * byte alignments (so a secret inside a longer encoded string — `Basic base64(user:secret)` — is found).
 * Shapes ({@link redactSecrets}): `Authorization:` / `Proxy-Authorization:` header values, `Bearer`,
 * `Basic`, `DPoP`, `SSWS` credentials, JWT-shaped strings (JWS and JWE compact form: access tokens,
 * client assertions, DPoP proofs), PEM private keys, and the values of token-named JSON or form fields.
 */
import { withoutScheme } from '../../constructs/model/credential';

export const REDACTED = '[redacted]';

/** Shorter fragments would shred ordinary text without protecting anything. */
const MIN_VARIANT = 8;
const PEM_BOUNDARY = /^-----(?:BEGIN|END) [A-Z0-9 ]+-----$/;

export function secretVariants(secrets: Iterable<string>): string[] {
  const variants = new Set<string>();
  for (const secret of secrets) {
    const bare = withoutScheme(secret).trim();
    const forms = [secret, secret.trim(), bare, ...secret.split(/\r?\n/).map((line) => line.trim())];
    for (const form of [secret, bare]) forms.push(JSON.stringify(form).slice(1, -1), encodeURIComponent(form), ...encodedAtEveryAlignment(form));
    // A PEM's "-----BEGIN/END …" lines are the same in every key: not worth redacting on their own.
    for (const form of forms) if (form.length >= MIN_VARIANT && !PEM_BOUNDARY.test(form)) variants.add(form);
  }
  // Longest first, so a value is never half-replaced through one of its own parts.
  return [...variants].sort((a, b) => b.length - a.length);
}

/**
 * The part of `value`'s base64 and base64url encodings that is the same wherever the value starts in a
 * longer encoded byte string: encoded behind 0, 1 and 2 bytes, minus the characters that share bits
 * with the bytes around it.
 */
function encodedAtEveryAlignment(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64').replace(/=+$/, '');
    const stable = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    out.push(stable, stable.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

const CREDENTIAL = '[A-Za-z0-9._~+/=-]{16,}';
const SHAPES: readonly [RegExp, string][] = [
  // PEM private keys, whole.
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g, `${REDACTED} private key`],
  // Header values, with or without a scheme.
  [new RegExp(`\\b((?:proxy-)?authorization"?\\s*[:=]\\s*"?)(?:(?:Bearer|Basic|DPoP|SSWS|Token|Digest|Negotiate)\\s+)?${CREDENTIAL}`, 'gi'), `$1${REDACTED}`],
  // A credential after its scheme, anywhere.
  [new RegExp(`\\b(Bearer|Basic|DPoP|SSWS)(\\s+)${CREDENTIAL}`, 'g'), `$1$2${REDACTED}`],
  // JWT-shaped: JWS (3 parts) or JWE (5 parts) compact serialization; the header is base64url JSON ("eyJ").
  [/\beyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){2,4}/g, REDACTED],
  // Token-named fields in JSON bodies and form posts (OAuth token responses, client assertions).
  [/((?:"|\b)(?:access_token|refresh_token|id_token|client_secret|client_assertion|private_key|api_token)"?\s*[:=]\s*"?)[^"\s&,}]{8,}/gi, `$1${REDACTED}`],
];

export function redactSecrets(text: string, variants: readonly string[]): string {
  let out = text;
  for (const variant of variants) out = out.split(variant).join(REDACTED);
  for (const [shape, replacement] of SHAPES) out = out.replace(shape, replacement);
  return out;
}
