/**
 * `runOffline` leaves a clean runtime behind, so programs can run one after another in one thread (the
 * Pulumi report's workers do): without waiting for Pulumi's pending calls, a component's last call
 * (`registerOutputs`) could reach the next program's mock monitor and fail with "unknown resource".
 */
import { generateTenants, toSpec } from '../bench/generate';
import { resolveTenant } from '../constructs/model/tenant';
import { tenantProgram } from '../constructs/pulumi/tenant-program';
import { runOffline } from '../constructs/pulumi/offline';

describe('runOffline', () => {
  it('runs programs back to back with no call of one reaching the next', async () => {
    const stray: unknown[] = [];
    const record = (reason: unknown) => stray.push(reason);
    process.on('unhandledRejection', record);
    try {
      for (const tenant of generateTenants(30).map((generated) => resolveTenant(toSpec(generated)))) {
        const run = await runOffline(() => [tenantProgram(tenant, { scimTokenValue: 'offline-placeholder' })], tenant.name);
        // Its own program's app: created (a test app), or looked up (the existing SSO app).
        if (tenant.integration.app.type === 'catalog') expect(run.resources.map((resource) => resource.name)).toContain(`${tenant.name}-app`);
        else expect(run.invokes.map((invoke) => invoke.token)).toContain('okta:app/getApp:getApp');
        expect(run.resources.map((resource) => resource.name)).toContain(tenant.name);
      }
      // Whatever the last program left pending has had its chance to fail.
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('unhandledRejection', record);
    }
    expect(stray).toEqual([]);
  });
});
