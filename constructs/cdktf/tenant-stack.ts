/**
 * One CDKTF stack per tenant: the Okta provider for the tenant's org and its SCIM integration.
 * Stack name = tenant name, so `cdktf.out/stacks/<tenant>` is where `terraform plan` runs.
 */
import { join, relative, resolve } from 'node:path';
import { App, CloudBackend, GcsBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformOutput, TerraformStack, type S3BackendConfig } from 'cdktf';
import type { Construct } from 'constructs';
import { terraformBackendFor } from '../model/backend';
import { oktaAppAdminUrl } from '../model/console-step';
import { oktaProviderSettings, type ResolvedTenant } from '../model/tenant';
import { usesDynatrace } from '../resources/plan';
import { DynatraceProvider } from './dynatrace-provider';
import { OktaProvider } from './okta-provider';
import { DynatraceScimIntegration } from './scim-integration';

export class TenantStack extends TerraformStack {
  readonly integration: DynatraceScimIntegration;

  constructor(scope: Construct, tenant: ResolvedTenant) {
    super(scope, tenant.name);
    this.useBackend(tenant);
    new OktaProvider(this, 'okta', oktaProviderSettings(tenant.okta));
    this.integration = new DynatraceScimIntegration(this, 'dynatrace', { ...tenant.integration, tenant: tenant.name });
    if (usesDynatrace(tenant.integration)) {
      // The account is pinned here; the OAuth client comes from DT_CLIENT_ID / DT_CLIENT_SECRET (CI maps them).
      new DynatraceProvider(this, 'dynatrace_provider', { iamAccountId: tenant.integration.dynatrace.accountUuid });
    }
    // Read by the apply job to link the console step to the app (the id is known only after apply).
    new TerraformOutput(this, 'okta_app_id', { value: this.integration.appId, description: 'Id of the Okta app that provisions Dynatrace' });
    new TerraformOutput(this, 'okta_app_admin_url', {
      value: oktaAppAdminUrl(tenant.okta, this.integration.appName, this.integration.appId),
      description: 'The app in the Okta admin console, on its Provisioning tab (where the console step happens)',
    });
  }

  /**
   * Local state lives in the project folder (default `terraform.<tenant>.tfstate`, gitignored), never in
   * the stack folder that synth writes. `path` is taken relative to the project folder and
   * written relative to the stack folder, where terraform runs, so the JSON holds no machine-specific path.
   */
  private statePath(path: string): string {
    const stackDir = join(App.of(this).outdir, 'stacks', this.node.id);
    return relative(stackDir, resolve(process.cwd(), path));
  }

  /** Local state unless the tenant names a remote backend. */
  private useBackend(tenant: ResolvedTenant): void {
    const backend = terraformBackendFor(tenant);
    switch (backend.type) {
      case 'local':
        new LocalBackend(this, { path: this.statePath(backend.config.path ?? `terraform.${tenant.name}.tfstate`) });
        return;
      case 's3':
        // `useLockfile` has no field in cdktf 0.21's S3BackendConfig; cdktf snake-cases it to `use_lockfile`.
        new S3Backend(this, backend.config as S3BackendConfig);
        return;
      case 'gcs':
        new GcsBackend(this, backend.config);
        return;
      case 'cloud':
        new CloudBackend(this, { organization: backend.config.organization, hostname: backend.config.hostname, workspaces: new NamedCloudWorkspace(backend.config.workspace) });
        return;
    }
  }
}
