/**
 * CDKTF entry point (`cdktf.json` → "app"): one stack per tenant of the tenants file.
 * `cdktf synth` runs it with CDKTF_OUTDIR set; `TENANTS_FILE` picks another tenants file.
 */
import { App } from 'cdktf';
import { TenantStack } from '../constructs/cdktf/tenant-stack';
import { loadTenants } from '../constructs/tenants/file';
import { runMain } from './run-main';

runMain(() => {
  const app = new App();
  for (const tenant of loadTenants(process.env.TENANTS_FILE)) new TenantStack(app, tenant);
  app.synth();
});
