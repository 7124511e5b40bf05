/**
 * What `discover` reads from Okta, in the shapes of Okta's management API spec
 * (okta/okta-management-openapi-spec, `dist/current/management-minimal.yaml`, 2026.06.3), parsed as leniently
 * as `verify` parses them: a field Okta leaves out (or sends as `null`) is `undefined`, never a crash. They
 * extend verify's shapes with the fields only discovery needs.
 */
import * as z from '../../constructs/zod';
import { lenient, oktaAppGroupShape, oktaAppShape } from '../verify/okta-responses';

const text = lenient(z.string());

export const discoveredAppShape = oktaAppShape.extend({
  /** `ApplicationCredentialsUsernameTemplate`: `template`, `type` and the `suffix` the model does not describe. */
  credentials: lenient(z.object({ userNameTemplate: lenient(z.object({ template: text, type: text, suffix: text })) })),
  /**
   * Application `features`: "Enabled app features", read-only (PUSH_NEW_USERS = To App: Create Users,
   * PUSH_PROFILE_UPDATES, PUSH_USER_DEACTIVATION, PUSH_PASSWORD_UPDATES, GROUP_PUSH, …). The one documented
   * signal of the "To App" switches that answers for every app.
   */
  features: lenient(z.array(z.string())),
  /**
   * `SamlApplicationSettingsSignOn` (SamlApplication.settings.signOn): `ssoAcsUrl` "Single Sign-On Assertion
   * Consumer Service (ACS) URL", `audience` "The entity ID of the SP", `recipient`, `destination`.
   */
  settings: lenient(z.object({ signOn: lenient(z.object({ ssoAcsUrl: text, audience: text, recipient: text, destination: text })) })),
});

/** `ApplicationGroupAssignment`, with its app-specific `profile` (the stacks never set one). */
export const assignmentShape = oktaAppGroupShape.extend({ profile: lenient(z.record(z.string(), z.unknown())) });

export type DiscoveredApp = z.output<typeof discoveredAppShape>;
export type Assignment = z.output<typeof assignmentShape>;
