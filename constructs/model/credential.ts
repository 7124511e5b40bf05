/**
 * The credential rule, in one place.
 *
 * Dynatrace SCIM accepts only `Authorization: Bearer <token>`. Which value Okta must store depends on the
 * app's field:
 * - SCIM 2.0 Test App (Header Auth): Okta sends the value verbatim, so it stores `Bearer <token>`;
 * - SCIM 2.0 Test App (OAuth Bearer Token): Okta prepends `Bearer ` itself, so it stores the raw token;
 * - the existing SSO app (App Integration Wizard, Authentication Mode "HTTP Header"): Okta sends
 *   `Authorization: Bearer <value>`, so it stores the raw token.
 * A token pasted with its `Bearer ` prefix is normalised, never doubled.
 *
 * Both engines must reach the same verdict on every input, and they do not share whitespace semantics
 * (JavaScript's `\s`/`trim` include NBSP and BOM; RE2's `[[:space:]]` and Terraform's `trimspace` differ
 * again). So the rule uses only explicit ASCII classes, identical in JavaScript and RE2, and a token must
 * be printable ASCII: anything else (NBSP, BOM, zero-width or control characters, inner spaces) is
 * rejected with a clear error by both. The token is usually unknown while synthesizing, so the rule is
 * also exported as data ({@link CREDENTIAL_RULE}) that each renderer expresses in its own engine.
 */
import type { AuthMode } from './spec';
import { CATALOG_APPS } from './catalog';
import { SpecError, type SpecIssue } from './errors';

/** The Okta field the token goes into: one of the two test apps, or the existing SSO app. */
export type CredentialTarget = AuthMode | 'ssoApp';

/** Leading/trailing characters stripped from a pasted token: ASCII space, tab, CR, LF. */
const EDGE = '[ \\t\\r\\n]';

export const CREDENTIAL_RULE = {
  /** Prefix Okta must store, per target. */
  prefix: { header: 'Bearer ', oauthBearer: '', ssoApp: '' } as const satisfies Record<CredentialTarget, string>,
  /** Surrounding ASCII whitespace, removed first. */
  edges: `^${EDGE}+|${EDGE}+$`,
  /** A leading auth scheme, stripped before the prefix is added. */
  scheme: '(?i)^bearer([ \\t]+|$)',
  /** A value pasted as `Bearer Bearer …`: rejected rather than guessed at. */
  doubledScheme: '(?i)^bearer[ \\t]+bearer([ \\t]|$)',
  /** What is left must be one run of printable ASCII (Dynatrace tokens are `dt0s02.XXXX.YYYY`). */
  bareToken: '^[!-~]+$',
} as const;

/** The RE2 patterns as JavaScript regexps: `(?i)` becomes the `i` flag; the classes are ASCII in both. */
function js(pattern: string, flags = ''): RegExp {
  return pattern.startsWith('(?i)') ? new RegExp(pattern.slice(4), `${flags}i`) : new RegExp(pattern, flags);
}

const RULE_JS = {
  edges: js(CREDENTIAL_RULE.edges, 'g'),
  scheme: js(CREDENTIAL_RULE.scheme),
  doubledScheme: js(CREDENTIAL_RULE.doubledScheme),
  bareToken: js(CREDENTIAL_RULE.bareToken),
};

/** The value without surrounding ASCII whitespace and a `Bearer ` scheme, unchecked (for redaction). */
export function withoutScheme(value: string): string {
  return value.replace(RULE_JS.edges, '').replace(RULE_JS.scheme, '');
}

/** Whether a value starts with a `Bearer ` scheme (after the rule's edge trimming). */
export function hasBearerScheme(value: string): boolean {
  return RULE_JS.scheme.test(value.replace(RULE_JS.edges, ''));
}

/** Why a token is refused, or undefined when it is fine. Never quotes the token. */
export function tokenProblem(rawToken: string): SpecIssue | undefined {
  const token = rawToken.replace(RULE_JS.edges, '');
  if (RULE_JS.doubledScheme.test(token)) {
    return { path: 'scimToken', message: 'the token starts with "Bearer Bearer"', fix: 'store the raw token (or "Bearer <token>" once); the prefix the app needs is added for you' };
  }
  const bare = token.replace(RULE_JS.scheme, '');
  if (bare.length === 0) {
    return { path: 'scimToken', message: 'the token is empty or whitespace', fix: 'generate a token in Dynatrace Account Management → Identity & access management → SCIM configuration' };
  }
  if (!RULE_JS.bareToken.test(bare)) {
    return {
      path: 'scimToken',
      message: 'the token contains spaces, control characters or non-ASCII characters (such as a non-breaking space or a byte-order mark from a copy-paste)',
      fix: 'copy the token again as plain text; Dynatrace tokens are printable ASCII without spaces',
    };
  }
  return undefined;
}

/** The token without surrounding whitespace or a pasted `Bearer ` scheme. Throws (without echoing it) when refused. */
export function normaliseToken(rawToken: string): string {
  const problem = tokenProblem(rawToken);
  if (problem) throw new SpecError([problem]);
  return withoutScheme(rawToken);
}

/** What Okta must be configured with for a given raw token. */
export function credentialValue(target: CredentialTarget, rawToken: string): string {
  return `${CREDENTIAL_RULE.prefix[target]}${normaliseToken(rawToken)}`;
}

/** The field and the value format an admin enters in the console, for the console step and docs. */
export function credentialInstruction(target: CredentialTarget): string {
  switch (target) {
    case 'header':
      return `${CATALOG_APPS.header.fields.token}: "Bearer " followed by the Dynatrace SCIM token (Okta sends this field verbatim as the Authorization header)`;
    case 'oauthBearer':
      return `${CATALOG_APPS.oauthBearer.fields.token}: the raw Dynatrace SCIM token, without "Bearer " (Okta adds the prefix itself)`;
    case 'ssoApp':
      return 'Authorization: the raw Dynatrace SCIM token, without "Bearer " (with Authentication Mode HTTP Header Okta sends "Bearer <token>" itself)';
  }
}
