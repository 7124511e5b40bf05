/**
 * CDKTF entry point (`cdktf.json` → "app"): one stack per tenant of the tenants file.
 * `cdktf synth` runs it with CDKTF_OUTDIR set; `TENANTS_FILE` picks another tenants file. It uses the
 * package's public entry points only, as an app of your own would (`okta-dynatrace-scim`, `…/cdktf`).
 */
import { App } from 'cdktf';
import { loadTenants } from '../constructs';
import { TenantStack } from '../constructs/cdktf';
import { runMain } from './run-main';

runMain(() => {
  const app = new App();
  for (const tenant of loadTenants(process.env.TENANTS_FILE)) new TenantStack(app, tenant);
  app.synth();
});
