/**
 * The Dynatrace SCIM base URL: checked for safety (https, no credentials, query, fragment or leftover
 * placeholder) and, unless the tenant declares a custom endpoint, for the shape Dynatrace documents,
 * `https://api.sso.dynatrace.com/idm/public/scim/<account id>/v2`. Dynatrace calls that segment the
 * account id; that it is the account uuid is very likely but not documented, so any single segment is
 * accepted, a uuid names the account, and anything else is a warning (`dynatrace.accountUuid` then says
 * which account binds policies).
 */
import type { SpecIssue } from './errors';
import { quoteValue } from './quote';

export const DYNATRACE_SCIM_HOST = 'api.sso.dynatrace.com';
const DYNATRACE_SCIM_PATH = /^\/idm\/public\/scim\/([^/]+)\/v2$/;
/** A uuid in either case: the account id in the URL, and the account, policy and boundary uuids of the schema. */
export const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** Placeholders left from docs and examples: `<account-uuid>`, its URL-encoded form, `{id}`, `your-…`, `xxxx`. */
const PLACEHOLDER = /[<>{}]|%3[ce]|%7[bd]|your[-_]|x{4,}/i;

/** Where Dynatrace shows the URL. */
const SHOWN_IN = 'Dynatrace Account Management → Identity & access management → SCIM configuration';
/** Where the URL comes from: the fix for a missing or refused one. */
export const SCIM_URL_FIX = `copy the SCIM Base URL from ${SHOWN_IN} (https://${DYNATRACE_SCIM_HOST}/idm/public/scim/<account-uuid>/v2, with your account's uuid)`;

export interface ScimEndpoint {
  /** The URL without a trailing slash. */
  readonly url: string;
  /** The account id segment of Dynatrace's URL, as written; undefined for a custom endpoint. */
  readonly accountId?: string;
  /** That id as an account uuid (lowercase), when it is one. */
  readonly accountUuid?: string;
}

/**
 * Validates the URL; issues go under `path`. Never echoes a URL that carries credentials.
 * @param custom the tenant declared `customScimEndpoint: true` (a proxy or a test server)
 */
export function checkScimEndpoint(raw: string, custom: boolean, issues: SpecIssue[], path = 'scimBaseUrl'): ScimEndpoint | undefined {
  const text = raw.trim();
  if (PLACEHOLDER.test(text)) {
    issues.push({ path, message: 'still contains a placeholder (such as <account-uuid>)', fix: SCIM_URL_FIX });
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    issues.push({ path, message: 'is not a URL', fix: SCIM_URL_FIX });
    return undefined;
  }
  const problems: string[] = [];
  if (url.username || url.password) problems.push('must not contain credentials (user:password@)');
  if (url.protocol !== 'https:') problems.push(`must use https, not ${url.protocol.replace(':', '')}`);
  if (url.search) problems.push('must not have a query string');
  if (url.hash) problems.push('must not have a fragment');
  if (problems.length > 0) {
    issues.push({ path, message: problems.join('; '), fix: SCIM_URL_FIX });
    return undefined;
  }
  const normalised = url.toString().replace(/\/+$/, '');
  if (custom) return { url: normalised };
  const match = DYNATRACE_SCIM_PATH.exec(url.pathname.replace(/\/+$/, ''));
  if (url.hostname !== DYNATRACE_SCIM_HOST || url.port !== '' || !match) {
    issues.push({
      path,
      message: `is not a Dynatrace SCIM endpoint (expected https://${DYNATRACE_SCIM_HOST}/idm/public/scim/<account-uuid>/v2)`,
      fix: `${SCIM_URL_FIX}; for a proxy or a test server set \`customScimEndpoint: true\``,
    });
    return undefined;
  }
  const id = match[1]!;
  return { url: normalised, accountId: id, ...(UUID.test(id) ? { accountUuid: id.toLowerCase() } : {}) };
}

/**
 * The warning for an account id that is not a uuid, unless `dynatrace.accountUuid` says which account it
 * is: the id is kept (Dynatrace may use another form), but it may be a copy mistake.
 */
export function accountIdWarning(endpoint: ScimEndpoint, path = 'scimBaseUrl'): SpecIssue | undefined {
  if (endpoint.accountId === undefined || endpoint.accountUuid !== undefined) return undefined;
  return {
    path,
    message: `the account id in the URL (${quoteValue(endpoint.accountId)}) is not a uuid; Dynatrace's documented URL carries the account id, very likely the account uuid`,
    fix: `check it against the URL shown in ${SHOWN_IN}; if it is right, set \`dynatrace.accountUuid\` to the account's uuid (Account Management → the account's URL): it says which account this is, and policies need it`,
  };
}

/** The SCIM base URL Dynatrace documents for an account (the id in it is the account uuid: very likely, unverified). */
export function dynatraceScimBaseUrl(accountUuid: string): string {
  return `https://${DYNATRACE_SCIM_HOST}/idm/public/scim/${accountUuid.toLowerCase()}/v2`;
}
