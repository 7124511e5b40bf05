/**
 * The Okta Integration Network (OIN) catalog apps this library creates, by auth mode.
 * `oinName` is the value of `preconfigured_app` (Terraform) / `preconfiguredApp` (Pulumi).
 */
import type { AuthMode, SignOnMode } from './spec';

export interface CatalogApp {
  /** Name as Okta's admin console shows it in Browse App Catalog. */
  readonly displayName: string;
  /** OIN app name (`preconfigured_app`). */
  readonly oinName: string;
  /** The labels of its Provisioning → Integration fields, as the admin sees them (the console step names them). */
  readonly fields: { readonly baseUrl: string; readonly token: string };
  /**
   * The sign-on mode it is created with unless the tenant sets `signOn`: the one public evidence shows
   * this app created with (docs/research/okta-provider.md, "Sign-on mode"). An OIN app accepts only the
   * modes it declares, and the mode decides the resource type.
   */
  readonly defaultSignOn: SignOnMode;
}

export const CATALOG_APPS: Record<AuthMode, CatalogApp> = {
  // Verified: Okta's developer docs show name "scim2headerauth" with this label; okta/terraform-provider-okta#2094
  // creates it with preconfigured_app = "scim2headerauth".
  // Field labels: Okta's developer blog and vendor guides set this app up with "Base URL" and "API Token".
  // Sign-on: a public script creates scim2headerauth as AUTO_LOGIN (Okta's own guides also offer SWA or SAML).
  header: { displayName: 'SCIM 2.0 Test App (Header Auth)', oinName: 'scim2headerauth', fields: { baseUrl: 'Base URL', token: 'API Token' }, defaultSignOn: 'autoLogin' },
  // Probable, not verified against a live org: public code (gobeyondidentity/bi-cli src/okta/scim.rs) creates
  // "scim2testapp" as SAML_2_0 and pairs it with authType OAUTH_BEARER_TOKEN; the Basic and Header variants have
  // their own names. Evidence: docs/research/okta-provider.md. `oinAppName` on the spec overrides it.
  // Field labels from vendor setup guides of this app (cryptr, Complyance, Kestra): "SCIM 2.0 Base Url", "OAuth Bearer Token".
  // Sign-on: public code creates scim2testapp as SAML_2_0 only; no public source creates it as AUTO_LOGIN.
  oauthBearer: { displayName: 'SCIM 2.0 Test App (OAuth Bearer Token)', oinName: 'scim2testapp', fields: { baseUrl: 'SCIM 2.0 Base Url', token: 'OAuth Bearer Token' }, defaultSignOn: 'saml' },
};
