/**
 * The main job: synthesize every tenant's CDKTF stack into `outdir` (atomically) and render every
 * tenant's Pulumi program under mocks, then report per tenant what each engine would create.
 * Offline: no credentials, no terraform or pulumi binary.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { type ConsoleStep, consoleStep, consoleStepMarkdown } from '../constructs/model/console-step';
import { formatIssue, type SpecIssue } from '../constructs/model/errors';
import type { ResolvedTenant } from '../constructs/model/tenant';
import { pulumiAddress, pulumiName } from '../constructs/resources/names';

export interface TenantReport {
  readonly tenant: string;
  /** Folder holding `cdk.tf.json`, where `terraform init/plan` runs. */
  readonly stackDir: string;
  /** Terraform addresses, e.g. `okta_app_auto_login.dynatrace_app`, `data.okta_group.dynatrace_group_admins`. */
  readonly terraform: readonly string[];
  /** Terraform import blocks (adoption of existing objects). */
  readonly terraformImports: readonly string[];
  /** Pulumi resources as `type name`, without the provider and the component itself. */
  readonly pulumi: readonly string[];
  /** Rollout stage: 1 = app and assignments (console step next), 2 = push mappings too. */
  readonly stage: 1 | 2;
  /** The console step (`provisioning.setup: console`); also written as `console-step.md` in `stackDir`. */
  readonly consoleStep?: ConsoleStep;
  /** Legal but risky choices in the tenant's configuration, with their reasons. */
  readonly warnings: readonly SpecIssue[];
}

/** File name of the rendered console step in each stack folder. */
export const CONSOLE_STEP_FILE = 'console-step.md';

export interface SynthOptions {
  readonly outdir: string;
  /** Also render the Pulumi programs under mocks for the report. @default true */
  readonly pulumi?: boolean;
  /**
   * Keep Node's source maps on while rendering. Both engines capture a stack trace per token / promise,
   * and with tsx's source maps each capture resolves them: at 1000 tenants that is seconds of work for
   * traces nobody reads. Configuration errors never need them; `--debug` turns them back on.
   * @default false
   */
  readonly sourceMaps?: boolean;
}

export async function synthesizeTenants(tenants: readonly ResolvedTenant[], options: SynthOptions): Promise<TenantReport[]> {
  const outdir = resolve(options.outdir);
  const sourceMapsWere = process.sourceMapsEnabled;
  if (!options.sourceMaps) process.setSourceMapsEnabled(false);
  let pulumi: Map<string, string[]>;
  try {
    writeAtomically(outdir, (staging) => synthesizeCdktf(tenants, staging));
    pulumi = options.pulumi === false ? new Map<string, string[]>() : await renderPulumi(tenants);
  } finally {
    process.setSourceMapsEnabled(sourceMapsWere);
  }
  return tenants.map((tenant) => {
    const stackDir = join(outdir, 'stacks', tenant.name);
    const json = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as TerraformJson;
    const step = consoleStep(tenant.name, tenant.integration, tenant.okta);
    return {
      tenant: tenant.name,
      stackDir,
      terraform: addresses(json),
      terraformImports: (json.import ?? []).map((block) => block.to),
      pulumi: pulumi.get(tenant.name) ?? [],
      stage: tenant.integration.stage,
      ...(step ? { consoleStep: step } : {}),
      warnings: tenant.warnings,
    };
  });
}

function synthesizeCdktf(tenants: readonly ResolvedTenant[], outdir: string): void {
  // Engines load only when synthesizing, never at import time.
  const { App } = require('cdktf') as typeof import('cdktf');
  const { TenantStack } = require('../constructs/cdktf/tenant-stack') as typeof import('../constructs/cdktf/tenant-stack');
  const app = new App({ outdir, skipValidation: false });
  for (const tenant of tenants) new TenantStack(app, tenant);
  app.synth();
  // Beside each stack, where the plan/apply jobs and a reader of the stack folder find it.
  for (const tenant of tenants) {
    const step = consoleStep(tenant.name, tenant.integration, tenant.okta);
    if (step) writeFileSync(join(outdir, 'stacks', tenant.name, CONSOLE_STEP_FILE), consoleStepMarkdown(tenant.name, step));
  }
}

async function renderPulumi(tenants: readonly ResolvedTenant[]): Promise<Map<string, string[]>> {
  const { runOffline } = require('./pulumi-offline') as typeof import('./pulumi-offline');
  const { tenantProgram } = require('../constructs/pulumi/tenant-program') as typeof import('../constructs/pulumi/tenant-program');
  // A placeholder, not a secret: the offline run needs some value to compute the connection inputs.
  let components: ReturnType<typeof tenantProgram>[] = [];
  const run = await runOffline(() => (components = tenants.map((tenant) => tenantProgram(tenant, { scimTokenValue: 'offline-placeholder' }))));
  const byTenant = new Map<string, string[]>();
  const tenantOf = new Map<string, string>();
  for (const [index, tenant] of tenants.entries()) {
    const lines: string[] = [];
    byTenant.set(tenant.name, lines);
    // The plan each component rendered, not a second compilation of it.
    for (const entry of components[index].plan) {
      if (entry.type === 'data') lines.push(pulumiAddress(entry, { componentName: tenant.name }));
      else tenantOf.set(pulumiName(entry.role, { componentName: tenant.name }), tenant.name);
    }
  }
  for (const resource of run.resources) {
    const tenant = tenantOf.get(resource.name);
    if (tenant) byTenant.get(tenant)!.push(`${resource.type} ${resource.name}${resource.importId ? ` (import ${resource.importId})` : ''}`);
  }
  return byTenant;
}

interface TerraformJson {
  resource?: Record<string, Record<string, unknown>>;
  data?: Record<string, Record<string, unknown>>;
  import?: { to: string; id: string }[];
}

function addresses(json: TerraformJson): string[] {
  const list = (blocks: TerraformJson['resource'], prefix: string): string[] =>
    Object.entries(blocks ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${prefix}${type}.${name}`));
  return [...list(json.data, 'data.'), ...list(json.resource, '')];
}

/**
 * Builds into a sibling staging folder and swaps it in only when `build` succeeded, so a failed synth
 * leaves the previous output untouched.
 */
export function writeAtomically(outdir: string, build: (staging: string) => void): void {
  mkdirSync(dirname(outdir), { recursive: true });
  const staging = `${outdir}.staging-${process.pid}`;
  const previous = `${outdir}.previous-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    build(staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  if (existsSync(outdir)) renameSync(outdir, previous);
  renameSync(staging, outdir);
  rmSync(previous, { recursive: true, force: true });
}

/** Plain-text report for the terminal. */
export function formatReports(reports: readonly TenantReport[]): string {
  return reports
    .map((report) => {
      const lines = [
        `Tenant ${report.tenant}`,
        `  CDKTF → ${relative(process.cwd(), report.stackDir) || '.'}/cdk.tf.json: ${report.terraform.length} objects`,
        ...report.terraform.map((address) => `    ${address}`),
        ...(report.terraformImports.length ? [`  imports (adopting existing objects): ${report.terraformImports.join(', ')}`] : []),
        `  Pulumi (stack "${report.tenant}"): ${report.pulumi.length} objects`,
        ...report.pulumi.map((resource) => `    ${resource}`),
      ];
      lines.splice(1, 0, `  Stage ${report.stage} of 2: ${report.stage === 1 ? 'app, groups and assignments; the console step is next' : 'app, groups, assignments and group push mappings'}`);
      for (const warning of report.warnings) lines.push(`  warning: ${formatIssue(warning)}`);
      if (report.consoleStep) {
        const where = `${relative(process.cwd(), report.stackDir) || '.'}/${CONSOLE_STEP_FILE}`;
        lines.push(`  Console step (once, in the Okta admin console; also in ${where})${report.consoleStep.done ? ': declared done' : ''}:`);
        let number = 0;
        lines.push(...report.consoleStep.steps.map((step) => (step.startsWith('  ') ? `        ${step.trim()}` : `    ${++number}. ${step}`)));
      }
      return lines.join('\n');
    })
    .join('\n\n');
}
