/**
 * How both Pulumi variants render: each tenant as its own program under `runOffline`'s mocks, one after
 * another, as each worker of the main job does (operations/synth/pulumi-report.ts). Returns every
 * registration. Ours passes the package's `runOffline`, the baseline its own copy of the same module, so
 * neither loads the other's code.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { OfflineRun, runOffline as RunOffline } from '../constructs/pulumi/offline';

export interface Timed {
  readonly run: OfflineRun;
  /** ms spent in the programs themselves (constructing resources); the rest is waiting for registrations. */
  readonly programMs: number;
}

export async function renderEach<T extends { readonly name: string }>(tenants: readonly T[], program: (tenant: T) => pulumi.Resource[], runOffline: typeof RunOffline): Promise<Timed> {
  let programMs = 0;
  const run: OfflineRun = { resources: [], invokes: [] };
  for (const tenant of tenants) {
    const one = await runOffline(() => {
      const start = performance.now();
      const roots = program(tenant);
      programMs += performance.now() - start;
      return roots;
    }, tenant.name);
    run.resources.push(...one.resources);
    run.invokes.push(...one.invokes);
  }
  return { run, programMs };
}
