/**
 * The Okta Integration Network (OIN) catalog apps this library creates, by auth mode.
 * `oinName` is the value of `preconfigured_app` (Terraform) / `preconfiguredApp` (Pulumi).
 */
import type { AuthMode } from './spec';

export interface CatalogApp {
  /** Name as Okta's admin console shows it in Browse App Catalog. */
  readonly displayName: string;
  /** OIN app name (`preconfigured_app`). */
  readonly oinName: string;
}

export const CATALOG_APPS: Record<AuthMode, CatalogApp> = {
  // okta/terraform-provider-okta issue #2094 creates the Header Auth test app with this name.
  header: { displayName: 'SCIM 2.0 Test App (Header Auth)', oinName: 'scim2headerauth' },
  // See docs/research/okta-provider.md for the evidence behind this name.
  oauthBearer: { displayName: 'SCIM 2.0 Test App (OAuth Bearer Token)', oinName: 'scim2testapp' },
};
