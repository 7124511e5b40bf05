/**
 * Finding an org's Dynatrace integrations among its apps, and reading one of them. Read-only: GETs through
 * verify's {@link OktaReader} (timeouts, retries on 429, `Link` pagination, lenient shapes).
 *
 * Two kinds are recognised:
 * - apps created from the SCIM 2.0 test apps, by their OIN name (`Application.name`: `scim2headerauth`,
 *   `scim2testapp`; the catalog of {@link CATALOG_APPS});
 * - SAML 2.0 apps that sign users in to Dynatrace: Dynatrace's Okta SAML page has admins enter
 *   `https://sso.dynatrace.com:443/saml2/sp/consumer` as the Single sign on URL (also Recipient and
 *   Destination) and `https://sso.dynatrace.com:443/saml2/login` as the Audience URI (docs.dynatrace.com,
 *   "Okta SAML configuration for Dynatrace", manual configuration). Okta's spec stores them in
 *   `SamlApplication.settings.signOn` as `ssoAcsUrl`, `recipient`, `destination` and `audience`
 *   (`SamlApplicationSettingsSignOn`), so an app whose fields point at that host is a Dynatrace SSO app.
 */
import { CATALOG_APPS } from '../../constructs/model/catalog';
import type { AuthMode } from '../../constructs/model/spec';
import { type OktaReader, readOptional } from '../verify/okta-client';
import { type OktaGroup, oktaGroupShape, oktaPushMappingShape, type OktaPushMapping } from '../verify/okta-responses';
import { type Assignment, assignmentShape, type DiscoveredApp, discoveredAppShape } from './okta-objects';

/** The host of Dynatrace's SAML service provider (its ACS URL and entity id). */
export const DYNATRACE_SSO_HOST = 'sso.dynatrace.com';

/** The SAML settings whose URL identifies the service provider, in the order they are named in a report. */
const SAML_FIELDS = ['ssoAcsUrl', 'audience', 'recipient', 'destination'] as const;

/** Sign-on modes the model can describe: `signOn: autoLogin` and `signOn: saml`. */
const MODELLED_SIGN_ON = new Set(['AUTO_LOGIN', 'SAML_2_0']);

export type IntegrationKind = { readonly type: 'catalog'; readonly authMode: AuthMode } | { readonly type: 'sso' };

export type FoundApp = DiscoveredApp & { readonly id: string };

export interface Candidate {
  readonly app: FoundApp;
  readonly kind: IntegrationKind;
  /** How it was recognised, e.g. `OIN app scim2headerauth (SCIM 2.0 Test App (Header Auth))`. */
  readonly recognisedBy: string;
  /** Why it cannot be adopted as it is; absent when it can. */
  readonly blocker?: string;
}

export interface OrgApps {
  /** Every app of the org that Okta listed with an id. */
  readonly apps: readonly FoundApp[];
  /** The Dynatrace integrations among them. */
  readonly candidates: readonly Candidate[];
}

/** Every app of the org, deactivated ones included (without `includeNonDeleted=true` Okta lists only ACTIVE apps). */
export async function findIntegrations(okta: OktaReader): Promise<OrgApps> {
  const listed = await okta.list('/api/v1/apps?includeNonDeleted=true&limit=200', discoveredAppShape);
  const apps = listed.flatMap((app) => (app.id === undefined ? [] : [{ ...app, id: app.id }]));
  return { apps, candidates: apps.flatMap((app) => classify(app) ?? []) };
}

/** The Dynatrace integration `app` is, if it is one. */
export function classify(app: FoundApp): Candidate | undefined {
  const catalog = (Object.entries(CATALOG_APPS) as [AuthMode, (typeof CATALOG_APPS)[AuthMode]][]).find(([, entry]) => entry.oinName === app.name);
  if (catalog) {
    const [authMode, entry] = catalog;
    const blocker = app.signOnMode !== undefined && !MODELLED_SIGN_ON.has(app.signOnMode)
      ? `its sign-on mode is ${app.signOnMode}; the model describes test apps signing on as AUTO_LOGIN (okta_app_auto_login) or SAML_2_0 (okta_app_saml), and adopting it as either would change its sign-on mode`
      : undefined;
    return { app, kind: { type: 'catalog', authMode }, recognisedBy: `OIN app ${entry.oinName} (${entry.displayName})`, ...(blocker ? { blocker } : {}) };
  }
  if (app.signOnMode !== 'SAML_2_0') return undefined;
  const signOn = app.settings?.signOn;
  const field = SAML_FIELDS.find((name) => hostOf(signOn?.[name]) === DYNATRACE_SSO_HOST);
  if (!field || !signOn) return undefined;
  return { app, kind: { type: 'sso' }, recognisedBy: `SAML app whose ${field} is ${signOn[field]!} (Dynatrace SSO)` };
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

export interface LiveAssignment extends Assignment {
  readonly id: string;
  /** The assigned group; absent when Okta did not return it. */
  readonly group?: OktaGroup;
}

export interface LivePush extends OktaPushMapping {
  /** The group the mapping pushes to (in the app, type APP_GROUP); absent when Okta did not return it. */
  readonly target?: OktaGroup;
  /** The source group when it is not assigned to the app (then it is not among the assignments). */
  readonly unassignedSource?: OktaGroup;
}

export interface LiveIntegration {
  readonly candidate: Candidate;
  readonly assignments: readonly LiveAssignment[];
  /** Undefined when Okta refused the push mappings (4xx). */
  readonly pushes?: readonly LivePush[];
  /** Assignments Okta listed without a group id (they cannot be described; reported). */
  readonly anonymousAssignments: number;
}

/** Counts for the listing of several candidates: assigned groups and push mappings. */
export async function countIntegration(okta: OktaReader, candidate: Candidate): Promise<{ readonly assigned: number; readonly pushed?: number }> {
  const path = appPath(candidate);
  const [assigned, pushes] = await Promise.all([okta.list(`${path}/groups?limit=200`, assignmentShape), readOptional(() => okta.list(`${path}/group-push/mappings`, oktaPushMappingShape))]);
  return { assigned: assigned.length, ...(pushes ? { pushed: pushes.length } : {}) };
}

/** The app's assignments with their groups, and its push mappings with their target groups. */
export async function readIntegration(okta: OktaReader, candidate: Candidate): Promise<LiveIntegration> {
  const path = appPath(candidate);
  // No `limit`: Okta's default page (20) and its `next` links, as any client sees them.
  const listed = await okta.list(`${path}/groups`, assignmentShape);
  const groups = new Map<string, Promise<OktaGroup | undefined>>();
  const group = (id: string) => {
    if (!groups.has(id)) groups.set(id, readOptional(() => okta.get(`/api/v1/groups/${encodeURIComponent(id)}`, oktaGroupShape)));
    return groups.get(id)!;
  };
  const assignments: LiveAssignment[] = [];
  for (const assignment of listed) {
    if (assignment.id === undefined) continue;
    const found = await group(assignment.id);
    assignments.push({ ...assignment, id: assignment.id, ...(found ? { group: found } : {}) });
  }
  const mappings = await readOptional(() => okta.list(`${path}/group-push/mappings`, oktaPushMappingShape));
  const assigned = new Set(assignments.map((a) => a.id));
  const pushes = mappings === undefined ? undefined : await Promise.all(
    mappings.map(async (mapping): Promise<LivePush> => {
      const target = mapping.targetGroupId === undefined ? undefined : await group(mapping.targetGroupId);
      const source = mapping.sourceGroupId === undefined || assigned.has(mapping.sourceGroupId) ? undefined : await group(mapping.sourceGroupId);
      return { ...mapping, ...(target ? { target } : {}), ...(source ? { unassignedSource: source } : {}) };
    }),
  );
  return { candidate, assignments, ...(pushes ? { pushes } : {}), anonymousAssignments: listed.length - assignments.length };
}

function appPath(candidate: Candidate): string {
  return `/api/v1/apps/${encodeURIComponent(candidate.app.id)}`;
}
