/**
 * The credential rule, in one place.
 *
 * Dynatrace SCIM accepts only `Authorization: Bearer <token>`. The Header Auth app sends the configured
 * value verbatim, so it needs `Bearer <token>`; the OAuth Bearer Token app adds `Bearer ` itself, so it
 * needs the raw token. A token pasted with its `Bearer ` prefix is normalised, never doubled.
 *
 * The token is usually unknown while synthesizing (it arrives at plan/apply time), so the rule is also
 * exported as data ({@link CREDENTIAL_RULE}) that each renderer expresses in its own engine.
 */
import type { AuthMode } from './spec';
import { SpecError } from './errors';

export const CREDENTIAL_RULE = {
  /** Prefix Okta must store, per app type. */
  prefix: { header: 'Bearer ', oauthBearer: '' } as const satisfies Record<AuthMode, string>,
  /** A leading auth scheme, stripped before the prefix is added. `re2` is the same pattern for Terraform. */
  scheme: { js: /^bearer(\s+|$)/i, re2: '(?i)^bearer([[:space:]]+|$)' },
  /** A value pasted as `Bearer Bearer …`: rejected rather than guessed at. */
  doubledScheme: { js: /^bearer\s+bearer(\s|$)/i, re2: '(?i)^bearer[[:space:]]+bearer([[:space:]]|$)' },
} as const;

/**
 * The token without whitespace or a pasted `Bearer ` scheme. Throws (without echoing the token) when it
 * is empty or doubled.
 */
export function normaliseToken(rawToken: string): string {
  const token = rawToken.trim();
  if (CREDENTIAL_RULE.doubledScheme.js.test(token)) {
    throw new SpecError([
      {
        path: 'scimToken',
        message: 'the token starts with "Bearer Bearer"',
        fix: 'store the raw token (or "Bearer <token>" once); the prefix the app needs is added for you',
      },
    ]);
  }
  const bare = token.replace(CREDENTIAL_RULE.scheme.js, '').trim();
  if (bare.length === 0) {
    throw new SpecError([
      {
        path: 'scimToken',
        message: 'the token is empty or whitespace',
        fix: 'generate a token in Dynatrace Account Management → Identity & access management → SCIM configuration',
      },
    ]);
  }
  return bare;
}

/** What Okta must be configured with for a given raw token. */
export function credentialValue(authMode: AuthMode, rawToken: string): string {
  return `${CREDENTIAL_RULE.prefix[authMode]}${normaliseToken(rawToken)}`;
}

/** Human wording of the rule, for checklists and docs. */
export function credentialInstruction(authMode: AuthMode): string {
  return authMode === 'header'
    ? 'API Token field: "Bearer " followed by the Dynatrace SCIM token (Okta sends it verbatim as the Authorization header)'
    : 'Bearer token field: the raw Dynatrace SCIM token, without "Bearer " (Okta adds the prefix itself)';
}
