/**
 * The main job: synthesize every tenant's CDKTF stack into `outdir` and render every tenant's Pulumi
 * program under mocks, then report per tenant what each engine would create.
 * Offline: no credentials, no terraform or pulumi binary. What synth may write where: output-folder.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as z from '../../constructs/zod';
import { CONSOLE_STEP_FILE, type ConsoleStep, consoleStep, consoleStepMarkdown } from '../../constructs/model/console-step';
import { formatIssue, SpecError, type SpecIssue } from '../../constructs/model/errors';
import type { ResolvedTenant } from '../../constructs/model/tenant';
import { DEFAULT_TENANTS_FILE } from '../../constructs/tenants/file';
import { claimOutputFolder, updateOutputFolder, withStagingFolder, type OutputCleanup, type OutputFolder } from './output-folder';
import type { PreparedWorker } from './pulumi-report';
import { PROVIDER_LOCK_FILE, readProviderLock } from './provider-lock';

export interface TenantReport {
  readonly tenant: string;
  /** Folder holding `cdk.tf.json`, where `terraform init/plan` runs. */
  readonly stackDir: string;
  /** Terraform addresses, e.g. `okta_app_auto_login.dynatrace_app`, `data.okta_group.dynatrace_group_admins`. */
  readonly terraform: readonly string[];
  /** Terraform import blocks (adoption of existing objects). */
  readonly terraformImports: readonly string[];
  /** Pulumi resources as `type name`, without the provider and the component itself; absent when not rendered (`pulumi: false`). */
  readonly pulumi?: readonly string[];
  /** Rollout stage: 1 = app and assignments (console step next), 2 = push mappings too. */
  readonly stage: 1 | 2;
  /** The console step (`provisioning.setup: console`); also written as `console-step.md` in `stackDir`. */
  readonly consoleStep?: ConsoleStep;
  /** Legal but risky choices in the tenant's configuration, with their reasons. */
  readonly warnings: readonly SpecIssue[];
}

export interface SynthOptions {
  /** Output folder: missing, empty, or written by synth before (see output-folder.ts). */
  readonly outdir: string;
  /** The tenants file: synth never writes into its folder or the project around it. @default 'tenants.yaml' */
  readonly tenantsFile?: string;
  /**
   * `tenants` is a selection (`synth --tenant`): only their stacks and manifest entries change. Otherwise
   * the output mirrors `tenants`, and the files synth wrote for any other stack are removed.
   * @default false
   */
  readonly selection?: boolean;
  /** Told what synth removed or had to leave while cleaning up stacks of tenants no longer synthesized. */
  readonly onCleanup?: (cleanup: OutputCleanup) => void;
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
  const output = claimOutputFolder(options.outdir, { tenantsFile: options.tenantsFile ?? DEFAULT_TENANTS_FILE });
  const outdir = output.dir;
  const sourceMapsWere = process.sourceMapsEnabled;
  if (!options.sourceMaps) process.setSourceMapsEnabled(false);
  let pulumi: Map<string, string[]> | undefined;
  // Worker threads render the Pulumi programs while this thread synthesizes CDKTF.
  const stopPulumi = new AbortController();
  if (options.pulumi === false) options.pulumiWorker?.release();
  const pulumiReport = options.pulumi === false ? Promise.resolve(undefined) : renderPulumi(tenants, options, stopPulumi.signal);
  // Awaited below; until then its failure must not count as an unhandled rejection.
  pulumiReport.catch(() => undefined);
  const steps = new Map(tenants.map((tenant) => [tenant.name, consoleStep(tenant.name, tenant.integration, tenant.okta)]));
  // The committed provider lock file goes into every stack, where `terraform init -lockfile=readonly` reads it.
  const providerLock = readProviderLock(dirname(resolve(options.tenantsFile ?? DEFAULT_TENANTS_FILE)));
  try {
    const cleanup = writeStacks(
      output,
      {
        stacks: tenants.map((tenant) => tenant.name),
        selection: Boolean(options.selection),
        // Beside each stack, where the plan/apply jobs and a reader of the stack folder find it.
        extraFiles: (stack): Record<string, string> => {
          const step = steps.get(stack);
          return { ...(step ? { [CONSOLE_STEP_FILE]: consoleStepMarkdown(stack, step) } : {}), ...(providerLock ? { [PROVIDER_LOCK_FILE]: providerLock } : {}) };
        },
      },
      (staging) => synthesizeCdktf(tenants, staging, Boolean(options.sourceMaps)),
    );
    options.onCleanup?.(cleanup);
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
    const step = steps.get(tenant.name);
    return {
      tenant: tenant.name,
      stackDir,
      terraform: addresses(json),
      terraformImports: (json.import ?? []).map((block) => block.to),
      ...(pulumi ? { pulumi: pulumi.get(tenant.name) ?? [] } : {}),
      stage: tenant.integration.stage,
      ...(step ? { consoleStep: step } : {}),
      warnings: tenant.warnings,
    };
  });
}

function synthesizeCdktf(tenants: readonly ResolvedTenant[], outdir: string, stackTraces: boolean): void {
  // Engines load only when synthesizing, never at import time.
  const { App } = require('cdktf') as typeof import('cdktf');
  const { TenantStack } = require('../../constructs/cdktf/tenant-stack') as typeof import('../../constructs/cdktf/tenant-stack');
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

export interface StackSet {
  /** Stacks `build` synthesizes (tenant names). */
  readonly stacks: readonly string[];
  /** Only these stacks change (see SynthOptions.selection). */
  readonly selection: boolean;
  /**
   * Files written into a stack's folder beside what CDKTF synthesizes (e.g. `console-step.md`), by
   * name; they are written, replaced and removed together with its `cdk.tf.json`.
   */
  readonly extraFiles?: (stack: string) => Readonly<Record<string, string>>;
}

/**
 * Runs `build` (a CDKTF synth) into a private staging folder, then brings the stacks of `set` and the
 * CDKTF manifest into the output folder. Nothing in the output folder changes unless `build` succeeded
 * and every file could be written; for a selection, the other stacks and their manifest entries stay.
 */
export function writeStacks(output: OutputFolder, set: StackSet, build: (staging: string) => void): OutputCleanup {
  if (set.stacks.length === 0 && !set.selection) {
    throw new SpecError([{ path: 'tenants', message: 'no tenant to synthesize: synth would remove every stack it wrote', fix: 'list at least one tenant in the tenants file' }]);
  }
  const { Manifest } = require('cdktf') as typeof import('cdktf');
  return withStagingFolder(output, (staging) => {
    build(staging);
    const files = new Map<string, string | Uint8Array>();
    for (const stack of set.stacks) {
      const folder = `${Manifest.stacksFolder}/${stack}`;
      for (const entry of readdirSync(join(staging, folder), { withFileTypes: true })) {
        if (entry.isFile()) files.set(`${folder}/${entry.name}`, readFileSync(join(staging, folder, entry.name)));
      }
      for (const [name, content] of Object.entries(set.extraFiles?.(stack) ?? {})) files.set(`${folder}/${name}`, content);
    }
    if (set.selection) mergePreviousManifest(output, staging, set.stacks);
    files.set(Manifest.fileName, readFileSync(join(staging, Manifest.fileName)));
    return updateOutputFolder(output, { files, scopes: set.selection ? set.stacks.map((stack) => `${Manifest.stacksFolder}/${stack}`) : [''] });
  });
}

const previousManifest = z.object({ version: z.string(), stacks: z.record(z.string(), z.looseObject({ name: z.string() })) });

/**
 * Adds the entries of the stacks not synthesized this time to the staged CDKTF manifest
 * (`{ version, stacks: { <name>: StackManifest } }`), written by cdktf's own Manifest class so that a
 * partial synth writes the same bytes as a full one.
 */
function mergePreviousManifest(output: OutputFolder, staging: string, synthesized: readonly string[]): void {
  const { Manifest } = require('cdktf') as typeof import('cdktf');
  if (!output.record.files.includes(Manifest.fileName)) return;
  const path = join(output.dir, Manifest.fileName);
  let previous: z.infer<typeof previousManifest>;
  try {
    previous = previousManifest.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    throw new SpecError([{ path: '--tenant', message: `${path} cannot be read as a CDKTF manifest, so the other stacks' entries cannot be kept`, fix: 'run synth without --tenant to write every stack and the manifest anew' }]);
  }
  const fresh = JSON.parse(readFileSync(join(staging, Manifest.fileName), 'utf8')) as import('cdktf').IManifest;
  const merged = new Manifest(fresh.version, staging, false);
  const others = Object.entries(previous.stacks).filter(([name]) => !synthesized.includes(name));
  Object.assign(merged.stacks, Object.fromEntries(others), fresh.stacks);
  merged.writeToFile();
}

/** Plain-text report for the terminal. */
export function formatReports(reports: readonly TenantReport[]): string {
  return reports
    .map((report) => {
      const stackDir = relative(process.cwd(), report.stackDir) || '.';
      const lines = [
        `Tenant ${report.tenant}`,
        `  Stage ${report.stage} of 2: ${report.stage === 1 ? 'app, groups and assignments; the console step is next' : 'app, groups, assignments and group push mappings'}`,
        `  CDKTF → ${stackDir}/cdk.tf.json: ${report.terraform.length} objects`,
        ...report.terraform.map((address) => `    ${address}`),
        ...(report.terraformImports.length ? [`  imports (adopting existing objects): ${report.terraformImports.join(', ')}`] : []),
        ...(report.pulumi
          ? [`  Pulumi (stack "${report.tenant}"): ${report.pulumi.length} objects`, ...report.pulumi.map((resource) => `    ${resource}`)]
          : [`  Pulumi (stack "${report.tenant}"): skipped (--no-pulumi)`]),
        ...report.warnings.map((warning) => `  warning: ${formatIssue(warning)}`),
      ];
      if (report.consoleStep) {
        lines.push(`  Console step (once, in the Okta admin console; also in ${stackDir}/${CONSOLE_STEP_FILE})${report.consoleStep.done ? ': declared done' : ''}:`);
        let number = 0;
        lines.push(...report.consoleStep.steps.map((step) => (step.startsWith('  ') ? `        ${step.trim()}` : `    ${++number}. ${step}`)));
      }
      return lines.join('\n');
    })
    .join('\n\n');
}
