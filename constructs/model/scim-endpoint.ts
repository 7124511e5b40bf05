/**
 * The Dynatrace SCIM base URL: checked for safety (https, no credentials, query, fragment or leftover
 * placeholder) and, unless the tenant declares a custom endpoint, for the shape Dynatrace documents,
 * `https://api.sso.dynatrace.com/idm/public/scim/<account-uuid>/v2`, whose uuid names the account.
 */
import type { SpecIssue } from './errors';

export const DYNATRACE_SCIM_HOST = 'api.sso.dynatrace.com';
const DYNATRACE_SCIM_PATH = /^\/idm\/public\/scim\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/v2$/i;
/** Placeholders left from docs and examples: `<account-uuid>`, its URL-encoded form, `{id}`, `your-…`, `xxxx`. */
const PLACEHOLDER = /[<>{}]|%3[ce]|%7[bd]|your[-_]|x{4,}/i;

const FIX = `copy the SCIM Base URL from Dynatrace Account Management → Identity & access management → SCIM configuration (https://${DYNATRACE_SCIM_HOST}/idm/public/scim/<account-uuid>/v2, with your account's uuid)`;

export interface ScimEndpoint {
  /** The URL without a trailing slash. */
  readonly url: string;
  /** The Dynatrace account uuid named by the URL; undefined for a custom endpoint. */
  readonly accountUuid?: string;
}

/**
 * Validates the URL; issues go under `path`. Never echoes a URL that carries credentials.
 * @param custom the tenant declared `customScimEndpoint: true` (a proxy or a test server)
 */
export function checkScimEndpoint(raw: string, custom: boolean, issues: SpecIssue[], path = 'scimBaseUrl'): ScimEndpoint | undefined {
  const text = raw.trim();
  if (PLACEHOLDER.test(text)) {
    issues.push({ path, message: 'still contains a placeholder (such as <account-uuid>)', fix: FIX });
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    issues.push({ path, message: 'is not a URL', fix: FIX });
    return undefined;
  }
  const problems: string[] = [];
  if (url.username || url.password) problems.push('must not contain credentials (user:password@)');
  if (url.protocol !== 'https:') problems.push(`must use https, not ${url.protocol.replace(':', '')}`);
  if (url.search) problems.push('must not have a query string');
  if (url.hash) problems.push('must not have a fragment');
  if (problems.length > 0) {
    issues.push({ path, message: problems.join('; '), fix: FIX });
    return undefined;
  }
  const normalised = url.toString().replace(/\/+$/, '');
  if (custom) return { url: normalised };
  const match = DYNATRACE_SCIM_PATH.exec(url.pathname.replace(/\/+$/, ''));
  if (url.hostname !== DYNATRACE_SCIM_HOST || url.port !== '' || !match) {
    issues.push({
      path,
      message: `is not a Dynatrace SCIM endpoint (expected https://${DYNATRACE_SCIM_HOST}/idm/public/scim/<account-uuid>/v2)`,
      fix: `${FIX}; for a proxy or a test server set \`customScimEndpoint: true\``,
    });
    return undefined;
  }
  return { url: normalised, accountUuid: match[1]!.toLowerCase() };
}

/** The SCIM base URL Dynatrace documents for an account (the id in it is the account uuid: very likely, unverified). */
export function dynatraceScimBaseUrl(accountUuid: string): string {
  return `https://${DYNATRACE_SCIM_HOST}/idm/public/scim/${accountUuid.toLowerCase()}/v2`;
}
