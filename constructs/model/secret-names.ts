/**
 * Names of secrets (environment variables, Pulumi config keys) end up in CI output: the workflow matrix,
 * `$GITHUB_OUTPUT`, logs. A secret pasted into one of these fields would be printed there, so every
 * name is checked for its shape *and* for looking like a secret value. Messages never echo the value.
 */

/** POSIX environment variable names (IEEE Std 1003.1, "Environment Variables"), with a sane length. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** Pulumi config keys: `key` or `namespace:key` (Pulumi's `config.ParseKey`), with a sane length. */
export const PULUMI_CONFIG_KEY = /^(?=.{1,128}$)(?:[A-Za-z][A-Za-z0-9_.-]*:)?[A-Za-z][A-Za-z0-9_.-]*$/;

/** Shapes of credentials people paste: Dynatrace tokens, Okta API tokens, auth schemes, PEM keys, JWTs. */
const SECRET_SHAPES: readonly RegExp[] = [
  /^dt0[a-z][0-9]{2}[._]/i, // Dynatrace tokens: dt0s01., dt0c01., dt0s02. …
  /^00[A-Za-z0-9_-]{40}$/, // Okta API (SSWS) tokens
  /^(bearer|ssws|basic)\s/i,
  /-----BEGIN [A-Z ]*(PRIVATE )?KEY-----/,
  /^eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./, // JWT
];

/** Shannon entropy of `text` in bits per character. */
export function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * True for values shaped like a credential rather than a name: a known token format, or a long run of
 * letters and digits with no word structure and high entropy (e.g. `A7F3K9Q2ZC81…`). Real names are
 * words joined by `_`, `.`, `-`, `:` or `/` (`ACME_DT_SCIM_TOKEN`, `dynatraceScimToken`, a file path),
 * which stay short per segment or low in entropy.
 */
export function looksLikeSecret(value: string): boolean {
  if (SECRET_SHAPES.some((shape) => shape.test(value))) return true;
  // Path separators split too: a path's components are names, and file paths are quoted in messages.
  return value.split(/[_.:/\\-]+/).some((segment) => segment.length >= 20 && /[0-9]/.test(segment) && /[A-Za-z]/.test(segment) && entropy(segment) >= 3.5);
}

export const LOOKS_LIKE_SECRET = {
  message: 'this looks like a token, not a name',
  fix: 'give the name of the variable that holds it, e.g. ACME_DT_SCIM_TOKEN (and rotate the token: it may have been shared)',
} as const;

/** An auth scheme in front of a name, as copied from a header: `Bearer ACME_DT_SCIM_TOKEN`. */
const SCHEME_PREFIX = /^(bearer|ssws|basic)\s+/i;

/**
 * Why `value` cannot be the name of a secret, when it is shaped like one: a name behind an auth scheme
 * (`Bearer ACME_DT_SCIM_TOKEN`: drop the prefix), or a token. `shape` is the name's pattern.
 */
export function secretNameProblem(value: string, shape: RegExp): { readonly message: string; readonly fix: string } | undefined {
  const scheme = SCHEME_PREFIX.exec(value);
  const name = scheme ? value.slice(scheme[0].length).trim() : undefined;
  if (scheme && name !== undefined && shape.test(name) && !looksLikeSecret(name)) {
    return {
      message: `starts with "${scheme[1]} ", the scheme a token is sent with, which is no part of a name`,
      fix: `drop the prefix and give the name alone: ${name}`,
    };
  }
  return looksLikeSecret(value) ? LOOKS_LIKE_SECRET : undefined;
}

/**
 * `text` with every word that looks like a secret replaced by `***` (for quoting user input in errors).
 * A word is also masked from any `.` on where the rest looks like one: a token pasted as a key ends a
 * dotted path (`groups[0].policies[0].parameters.dt0s01.…`).
 */
export function maskSecrets(text: string): string {
  return text.replace(/[^\s"'`:=,{}[\]]+/g, maskWord);
}

function maskWord(word: string): string {
  for (let start = 0; ; ) {
    if (looksLikeSecret(word.slice(start))) return `${word.slice(0, start)}***`;
    const dot = word.indexOf('.', start);
    if (dot === -1) return word;
    start = dot + 1;
  }
}

/**
 * The README's names for a tenant's secrets (`ACME_DT_SCIM_TOKEN`, Pulumi secret `dynatraceScimToken`, …)
 * and for the service app each CI environment chooses (`ACME_OKTA_CLIENT_ID`, `ACME_OKTA_KEY_ID`): what
 * `discover` writes into a new entry. Names only; the values stay in CI and Pulumi.
 */
export function conventionalSecretNames(tenant: string) {
  const prefix = tenant.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return {
    oktaApiToken: { env: `${prefix}_OKTA_API_TOKEN` },
    oktaPrivateKey: { env: `${prefix}_OKTA_PRIVATE_KEY` },
    // Not secrets, but set per CI environment: a read-only service app for plans and drift checks, the write app for apply.
    oktaClientId: { env: `${prefix}_OKTA_CLIENT_ID` },
    oktaPrivateKeyId: { env: `${prefix}_OKTA_KEY_ID` },
    scimToken: { env: `${prefix}_DT_SCIM_TOKEN`, pulumiConfig: 'dynatraceScimToken' },
    dynatraceClientId: { env: `${prefix}_DT_CLIENT_ID`, pulumiConfig: 'dynatraceClientId' },
    dynatraceClientSecret: { env: `${prefix}_DT_CLIENT_SECRET`, pulumiConfig: 'dynatraceClientSecret' },
  } as const;
}
