/**
 * The app's profile mapping, for what Dynatrace requires of a SCIM user: `userName` (a persistent
 * e-mail), `name.givenName`, `name.familyName`, `active` (Dynatrace, "Manage users and groups with SCIM").
 * Okta's SCIM apps send `name.givenName` from their `givenName` attribute and `name.familyName` from
 * `familyName`, which Okta maps by default from `user.firstName` and `user.lastName`; an org that changed
 * or removed those mappings breaks provisioning silently. The other two are no profile mapping:
 * - `userName` is the app's username format (Sign On → Application username format; compared as the app's
 *   `user_name_template`);
 * - `active` is Okta's own: `true` when it creates a user, `false` when the user is unassigned or
 *   deactivated with "Deactivate Users" on (compared as that switch).
 *
 * Read-only: `GET /api/v1/mappings?targetId=<app id>` (ListProfileMappings), then `GET /api/v1/mappings/{id}`
 * for each mapping from an Okta user type (`source.type: user`; one per user type). Listing by target alone,
 * rather than by `sourceId=<user type id>` too, finds every user type's mapping without reading user types
 * (which would need `okta.userTypes.read`). Both calls need `okta.profileMappings.read` (a service app) or
 * an admin role that can read profile mappings (an API token); without it the mapping is "not readable".
 */
import type { ResolvedIntegration } from '../../constructs/model/resolve';
import type { Finding } from './findings';
import { isRefusal, type OktaReader } from './okta-client';
import { type OktaProfileMapping, oktaProfileMappingShape, oktaProfileMappingSummaryShape } from './okta-responses';

/** The app attributes Dynatrace needs from a profile mapping, with Okta's default expression for each. */
export const REQUIRED_MAPPINGS = [
  { attribute: 'givenName', scim: 'name.givenName', expression: 'user.firstName' },
  { attribute: 'familyName', scim: 'name.familyName', expression: 'user.lastName' },
] as const;

/** Said once per tenant whose mapping was read: what of Dynatrace's requirements is not a mapping. */
export const PROFILE_MAPPING_NOTE =
  "Dynatrace's userName and active are no profile mapping: userName is the app's username format (Sign On → Application username format, compared as user_name_template); Okta sends active: true when it creates a user and active: false when it unassigns or deactivates one, with Deactivate Users on (compared as that switch).";

export interface ProfileMappingComparison {
  readonly findings: Finding[];
  /** Whether the mapping could be read (then {@link PROFILE_MAPPING_NOTE} applies). */
  readonly read: boolean;
}

/**
 * `appLabel` names the app in hints; `provisioning` says whether updates are pushed (then a mapping applied
 * on create only keeps Dynatrace's names stale).
 */
export async function compareProfileMapping(okta: OktaReader, appId: string, appLabel: string | undefined, provisioning: ResolvedIntegration['provisioning']): Promise<ProfileMappingComparison> {
  const app = appLabel === undefined ? 'the app' : `"${appLabel}"`;
  const manual = `Directory → Profile Editor → ${app} → Mappings → Okta User to ${app}: ${REQUIRED_MAPPINGS.map((m) => `${m.attribute} ← ${m.expression}`).join(', ')}, applied on create and update`;
  let mappings: OktaProfileMapping[];
  try {
    const listed = await okta.list(`/api/v1/mappings?targetId=${encodeURIComponent(appId)}`, oktaProfileMappingSummaryShape);
    const fromUsers = listed.filter((m) => m.source?.type === 'user' && (m.target?.id ?? appId) === appId && m.id !== undefined);
    mappings = [];
    for (const summary of fromUsers) mappings.push(await okta.get(`/api/v1/mappings/${encodeURIComponent(summary.id!)}`, oktaProfileMappingShape));
  } catch (error) {
    if (!isRefusal(error)) throw error;
    const hint =
      error.status === 401 || error.status === 403
        ? `grant read access to profile mappings — an API service app: the scope okta.profileMappings.read (Applications → the service app → Okta API Scopes), in the access token verify uses; an API token: its admin needs a role that can read profile mappings (Super or Org Administrator, or a custom admin role with profile mapping permissions). Until then check by hand: ${manual}`
        : `Okta did not show the app's profile mapping; check by hand: ${manual}`;
    return { findings: [{ area: 'profileMapping', field: 'mappings', expected: 'readable', actual: `not readable: ${error.message}`, status: 'unknown', hint }], read: false };
  }
  if (mappings.length === 0) {
    return { findings: [{ area: 'profileMapping', field: 'mappings', expected: `Okta User to ${app}`, actual: 'none listed', status: 'unknown', hint: `check by hand: ${manual}` }], read: true };
  }
  const findings: Finding[] = [];
  for (const mapping of mappings) {
    // Several user types map to the app each on their own: name the user type then.
    const prefix = mappings.length > 1 ? `${mapping.source?.name ?? mapping.source?.id ?? '?'}: ` : '';
    for (const required of REQUIRED_MAPPINGS) findings.push(requiredMapping(mapping, required, `${prefix}${required.scim}`, provisioning.updateUserAttributes, manual));
  }
  return { findings, read: true };
}

function requiredMapping(mapping: OktaProfileMapping, required: (typeof REQUIRED_MAPPINGS)[number], field: string, updates: boolean, manual: string): Finding {
  const property = mapping.properties?.[required.attribute];
  const expected = required.expression;
  const fix = `Dynatrace takes ${required.scim} from the app's ${required.attribute}: restore Okta's default in the admin console, ${manual}`;
  if (mapping.properties === undefined) return { area: 'profileMapping', field, expected, actual: '(not returned)', status: 'unknown', hint: `Okta's answer did not include the mapping's properties: check by hand: ${manual}` };
  if (property?.expression === undefined) return { area: 'profileMapping', field, expected, actual: `not mapped (${required.attribute})`, status: 'drift', hint: `${fix}; until then users reach Dynatrace without ${required.scim}` };
  if (property.expression.trim() !== expected) return { area: 'profileMapping', field, expected, actual: property.expression, status: 'drift', hint: `${fix}; Dynatrace now receives ${required.scim} from another expression` };
  if (updates && property.pushStatus === 'DONT_PUSH') {
    return { area: 'profileMapping', field, expected: `${expected}, on create and update`, actual: `${expected}, on create only (DONT_PUSH)`, status: 'drift', hint: `${fix}; changed names never reach Dynatrace although Update User Attributes is on` };
  }
  return { area: 'profileMapping', field, expected, actual: property.expression.trim(), status: 'ok' };
}
