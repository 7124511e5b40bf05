/**
 * The main job: synthesize every tenant's CDKTF stack into `outdir` (atomically) and render every
 * tenant's Pulumi program under mocks, then report per tenant what each engine would create.
 * Offline: no credentials, no terraform or pulumi binary.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { manualChecklist } from '../constructs/model/checklist';
import type { ResolvedTenant } from '../constructs/model/tenant';
import type { PreparedWorker } from './pulumi-report';

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
  /** Admin checklist for `connection: manual` tenants; empty otherwise. */
  readonly checklist: readonly string[];
}

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
  /** A worker that started loading Pulumi before the tenants were parsed (`preparePulumiWorker`). */
  readonly pulumiWorker?: PreparedWorker;
}

export async function synthesizeTenants(tenants: readonly ResolvedTenant[], options: SynthOptions): Promise<TenantReport[]> {
  const outdir = resolve(options.outdir);
  const sourceMapsWere = process.sourceMapsEnabled;
  if (!options.sourceMaps) process.setSourceMapsEnabled(false);
  let pulumi: Map<string, string[]>;
  // Worker threads render the Pulumi programs while this thread synthesizes CDKTF.
  const stopPulumi = new AbortController();
  if (options.pulumi === false) options.pulumiWorker?.release();
  const pulumiReport = options.pulumi === false ? Promise.resolve(new Map<string, string[]>()) : renderPulumi(tenants, options, stopPulumi.signal);
  // Awaited below; until then its failure must not count as an unhandled rejection.
  pulumiReport.catch(() => undefined);
  try {
    writeAtomically(outdir, (staging) => synthesizeCdktf(tenants, staging, Boolean(options.sourceMaps)));
    pulumi = await pulumiReport;
  } catch (error) {
    stopPulumi.abort();
    throw error;
  } finally {
    process.setSourceMapsEnabled(sourceMapsWere);
  }
  return tenants.map((tenant) => {
    const stackDir = join(outdir, 'stacks', tenant.name);
    const json = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as TerraformJson;
    return {
      tenant: tenant.name,
      stackDir,
      terraform: addresses(json),
      terraformImports: (json.import ?? []).map((block) => block.to),
      pulumi: pulumi.get(tenant.name) ?? [],
      checklist: tenant.integration.connection === 'manual' ? manualChecklist(tenant.integration, tenant.okta) : [],
    };
  });
}

function synthesizeCdktf(tenants: readonly ResolvedTenant[], outdir: string, stackTraces: boolean): void {
  // Engines load only when synthesizing, never at import time.
  const { App } = require('cdktf') as typeof import('cdktf');
  const { TenantStack } = require('../constructs/cdktf/tenant-stack') as typeof import('../constructs/cdktf/tenant-stack');
  const { withoutStackFrames } = require('./stack-traces') as typeof import('./stack-traces');
  const synthesize = () => {
    const app = new App({ outdir, skipValidation: false });
    for (const tenant of tenants) new TenantStack(app, tenant);
    app.synth();
  };
  // cdktf formats a stack trace for every token, kept for its error messages: 1/6 of its time.
  if (stackTraces) synthesize();
  else withoutStackFrames(synthesize);
}

function renderPulumi(tenants: readonly ResolvedTenant[], options: SynthOptions, signal: AbortSignal): Promise<Map<string, string[]>> {
  const { renderPulumiReport } = require('./pulumi-report') as typeof import('./pulumi-report');
  return renderPulumiReport(tenants, { stackTraces: Boolean(options.sourceMaps), signal, ...(options.pulumiWorker ? { prepared: options.pulumiWorker } : {}) });
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
      if (report.checklist.length > 0) {
        lines.push('  Manual provisioning setup (connection: manual) — do once in the Okta admin console:');
        lines.push(...report.checklist.map((step, index) => `    ${index + 1}. ${step}`));
      }
      return lines.join('\n');
    })
    .join('\n\n');
}
