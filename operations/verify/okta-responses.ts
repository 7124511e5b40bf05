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
import { z } from 'zod';

/** Absent, `null` or of another type → `undefined`. */
export function lenient<T extends z.ZodType>(schema: T) {
  return schema
    .nullish()
    .catch(undefined)
    .transform((value): z.output<T> | undefined => value ?? undefined);
}

const text = lenient(z.string());
const status = z.object({ status: text });

export const oktaAppShape = z.object({
  id: text,
  /** The OIN app name (`scim2headerauth`, `scim2testapp`). */
  name: text,
  label: text,
  status: text,
  signOnMode: text,
  /** The application username format (`ApplicationCredentialsUsernameTemplate`: `template`, `type`). */
  credentials: lenient(z.object({ userNameTemplate: lenient(z.object({ template: text, type: text })) })),
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
