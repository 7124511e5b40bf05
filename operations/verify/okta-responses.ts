/**
 * The Okta Management API answers `verify` reads, parsed leniently so that a field Okta leaves out can
 * never crash the comparison or the report.
 *
 * Okta's spec (okta/okta-management-openapi-spec, `dist/current/management-minimal.yaml`, 2026.06.3)
 * requires very little: `Application` only `label` and `signOnMode` (`name` and `status` are optional);
 * `ProvisioningConnectionResponse` `status` and `profile.authScheme`; `Group`, `ApplicationGroupAssignment`,
 * `GroupPushMapping`, `ApplicationFeature` and the app's `credentials.userNameTemplate` nothing at all. And
 * Okta's design principles add "properties with null values may be omitted by responses". So every field here is optional, including the "required"
 * ones: absent, `null` or of an undocumented type, it parses as `undefined`, which the comparison reports as
 * "(not returned)". Only an answer that is not a JSON object at all fails to parse.
 *
 * Only the fields verify reads are kept; others are dropped.
 */
import * as z from '../../constructs/zod';
import type { ToAppSwitch } from '../../constructs/model/console-step';

/** Absent, `null` or of another type → `undefined`. */
export function lenient<T extends z.ZodType>(schema: T) {
  return schema
    .nullish()
    .catch(undefined)
    .transform((value): z.output<T> | undefined => value ?? undefined);
}

const text = lenient(z.string());
const status = z.object({ status: text });
/** A list of strings: absent, `null` or not a list → `undefined`; items that are not strings are dropped. */
const textList = z
  .array(z.unknown())
  .nullish()
  .catch(undefined)
  .transform((items) => items?.filter((item): item is string => typeof item === 'string'));

export const oktaAppShape = z.object({
  id: text,
  /** The OIN app name (`scim2headerauth`, `scim2testapp`). */
  name: text,
  label: text,
  status: text,
  signOnMode: text,
  /** The application username format (`ApplicationCredentialsUsernameTemplate`: `template`, `type`). */
  credentials: lenient(z.object({ userNameTemplate: lenient(z.object({ template: text, type: text })) })),
  /** The app's enabled features (read-only; `PUSH_NEW_USERS`, `GROUP_PUSH`, …): see {@link appProvisioning}. */
  features: textList,
});

export const oktaConnectionShape = z.object({
  status: text,
  authScheme: text,
  baseUrl: text,
  profile: lenient(z.object({ authScheme: text })),
});

export const oktaFeatureShape = z.object({
  name: text,
  status: text,
  capabilities: lenient(
    z.object({
      create: lenient(z.object({ lifecycleCreate: lenient(status) })),
      update: lenient(z.object({ lifecycleDeactivate: lenient(status), profile: lenient(status), password: lenient(status) })),
    }),
  ),
});

export const oktaAppGroupShape = z.object({
  /** The group's id. */
  id: text,
  priority: lenient(z.number()),
});

export const oktaGroupShape = z.object({
  id: text,
  /** `OKTA_GROUP`, `APP_GROUP` (imported from or pushed to an app) or `BUILT_IN`. */
  type: text,
  profile: lenient(z.object({ name: text })),
});

export const oktaPushMappingShape = z.object({
  id: text,
  sourceGroupId: text,
  targetGroupId: text,
  status: text,
  errorSummary: text,
  /** Not in Okta's documented schema; compared only when an org returns it. */
  targetGroupName: text,
  _links: lenient(z.object({ targetGroup: lenient(z.object({ name: text })) })),
});

export type OktaApp = z.output<typeof oktaAppShape>;
export type OktaConnection = z.output<typeof oktaConnectionShape>;
export type OktaFeature = z.output<typeof oktaFeatureShape>;
export type OktaAppGroup = z.output<typeof oktaAppGroupShape>;
export type OktaGroup = z.output<typeof oktaGroupShape>;
export type OktaPushMapping = z.output<typeof oktaPushMappingShape>;

/**
 * The "To App" switches as the Application object's `features` name them (Okta management spec, schema
 * Application, "Enabled app features": `PUSH_NEW_USERS` creates users, `PUSH_PROFILE_UPDATES` updates
 * them, `PUSH_USER_DEACTIVATION` deactivates them, `PUSH_PASSWORD_UPDATES` syncs passwords).
 */
export const TO_APP_FEATURES: Readonly<Record<ToAppSwitch, string>> = {
  createUsers: 'PUSH_NEW_USERS',
  updateUserAttributes: 'PUSH_PROFILE_UPDATES',
  deactivateUsers: 'PUSH_USER_DEACTIVATION',
  syncPassword: 'PUSH_PASSWORD_UPDATES',
};

/** Features an app lists only while provisioning to it is on: the "To App" switches and Push Groups. */
const PROVISIONING_FEATURES: readonly string[] = [...Object.values(TO_APP_FEATURES), 'GROUP_PUSH'];

export interface AppProvisioning {
  /** Provisioning to the app is on: it lists a "To App" switch or Push Groups. */
  readonly on: boolean;
  /** Each "To App" switch, on or off. */
  readonly switches: Readonly<Record<ToAppSwitch, boolean>>;
}

/**
 * What an app's `features` say about provisioning to it, for every app (catalog, SCIM test apps, App
 * Integration Wizard apps), unlike `/features/USER_PROVISIONING`, which Okta answers for a few catalog
 * apps only. `undefined` when the answer left the list out. The list does not show the base URL or the
 * auth mode.
 */
export function appProvisioning(app: Pick<OktaApp, 'features'>): AppProvisioning | undefined {
  if (app.features === undefined) return undefined;
  const listed = new Set(app.features);
  const switches = Object.fromEntries(Object.entries(TO_APP_FEATURES).map(([setting, feature]) => [setting, listed.has(feature)])) as Record<ToAppSwitch, boolean>;
  return { on: PROVISIONING_FEATURES.some((feature) => listed.has(feature)), switches };
}

const mappingEnd = lenient(z.object({ id: text, name: text, type: text }));

/** An item of `GET /api/v1/mappings` (ListProfileMappings): which profiles a mapping joins, without its properties. */
export const oktaProfileMappingSummaryShape = z.object({
  id: text,
  /** `type: user` is an Okta user type (the default one is named `user`); `appuser` an app's user profile. */
  source: mappingEnd,
  target: mappingEnd,
});

/** `GET /api/v1/mappings/{id}` (ProfileMapping): each target property's expression and push status. */
export const oktaProfileMappingShape = oktaProfileMappingSummaryShape.extend({
  properties: lenient(z.record(z.string(), lenient(z.object({ expression: text, pushStatus: text })))),
});

export type OktaProfileMappingSummary = z.output<typeof oktaProfileMappingSummaryShape>;
export type OktaProfileMapping = z.output<typeof oktaProfileMappingShape>;
