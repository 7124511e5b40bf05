/**
 * `batch <action>`: what one CI job runs — plan, plan-destroy, apply or drift for its tenants, one after
 * the other, each with only its own secrets (operations/ci/batch.ts). The tenants are named (`--batch`)
 * or are the ones of one bucket in the selection report (`--bucket` + `--selection`). Secrets are read
 * by name from the environment: in GitHub Actions the job's step maps exactly its bucket's secrets; the
 * engines inherit only the runner's basics plus their own tenant's secrets (engineEnvironment).
 */
import { mkdirSync } from 'node:fs';
import { BATCH_ACTIONS, type BatchAction, runBatch } from '../../operations/ci/batch';
import { type Engine, ENGINES } from '../../constructs/resources/names';
import { SpecError } from '../../constructs/model/errors';
import { quoteValue } from '../../constructs/model/quote';
import { chooseEngine, type EngineChoice, ONE_OR_BOTH } from './engine';
import type { Io } from './output';
import { readSelection } from '../../operations/ci/handoff';
import { selectTenants } from './tenants';

export interface BatchCommandOptions {
  readonly action: string;
  readonly tenants: string;
  /** Space- or comma-separated tenant names. */
  readonly batch?: string;
  /** A bucket id (`07`): its tenants in `selection` — selected ones, or removed ones for plan-destroy. */
  readonly bucket?: string;
  /** The `matrix --report` file. */
  readonly selection?: string;
  /** `terraform`, `pulumi` or `both` (checked). */
  readonly engine: string;
  /** Whether `engine` is what the user gave (`--engine`), not `OKTA_SCIM_ENGINE`'s default: errors name the source. @default true */
  readonly engineGiven?: boolean;
  readonly synthDir: string;
  readonly results: string;
}

export async function runBatchCommand(options: BatchCommandOptions, io: Io): Promise<number> {
  const action = parseAction(options.action);
  const engines = enginesFor(chooseEngine(options.engine, options.engineGiven !== false, ONE_OR_BOTH), action);
  const names = tenantNames(options, action);
  if (names.length === 0) {
    io.stdout.write(`${action}: no tenant of bucket ${options.bucket} is selected: nothing to do\n`);
    return 0;
  }
  const tenants = selectTenants(options.tenants, names);
  mkdirSync(options.results, { recursive: true });

  const report = await runBatch({
    action,
    engines,
    tenants,
    tenantsFile: options.tenants,
    synthDir: options.synthDir,
    resultsDir: options.results,
    projectDir: process.cwd(),
    secret: (name) => io.env[name],
    baseEnv: io.env,
    log: (text) => io.stdout.write(text),
    ...(io.env.GITHUB_STEP_SUMMARY ? { stepSummary: io.env.GITHUB_STEP_SUMMARY } : {}),
    verify: (tenant, env) => {
      const { verifyTenants } = require('../../operations/verify/verify') as typeof import('../../operations/verify/verify');
      const { DEFAULT_POLICY } = require('../../operations/verify/okta-client') as typeof import('../../operations/verify/okta-client');
      // Findings named as the engine that runs the drift check names them (Terraform when both run).
      const engine = engines.length === 1 && engines[0] === 'pulumi' ? 'pulumi' : 'terraform';
      // Read-only: the drift check holds no SCIM token, so verify does not probe it.
      return verifyTenants([tenant], { engine, strict: false, env, policy: DEFAULT_POLICY, scimProbe: false });
    },
  });
  const counts = new Map<string, number>();
  for (const outcome of report.outcomes) counts.set(outcome.status, (counts.get(outcome.status) ?? 0) + 1);
  io.stdout.write(`${action}: ${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')} (results in ${options.results}/<tenant>/)\n`);
  return report.exitCode;
}

function parseAction(value: string): BatchAction {
  if ((BATCH_ACTIONS as readonly string[]).includes(value)) return value as BatchAction;
  throw new SpecError([{ path: 'action', message: `${quoteValue(value)} is not a batch action`, fix: `use one of ${BATCH_ACTIONS.join(', ')}` }]);
}

function enginesFor(choice: EngineChoice, action: BatchAction): Engine[] {
  if (choice !== 'both') return [choice];
  if (action === 'apply') throw new SpecError([{ path: '--engine', message: 'apply with both engines would create two Okta apps per tenant', fix: 'set OKTA_SCIM_ENGINE (--engine) to terraform or pulumi' }]);
  return [...ENGINES];
}

/** The tenants of this job: named with `--batch`, or those of `--bucket` in the `--selection` report. */
function tenantNames(options: BatchCommandOptions, action: BatchAction): string[] {
  if ((options.batch === undefined) === (options.bucket === undefined)) {
    throw new SpecError([{ path: '--batch', message: 'give the tenants either by name (--batch) or by bucket (--bucket with --selection)', fix: 'e.g. --batch "acme globex", or --bucket 07 --selection selection.json' }]);
  }
  if (options.batch !== undefined) {
    const names = options.batch.split(/[\s,]+/).filter(Boolean);
    if (names.length === 0) throw new SpecError([{ path: '--batch', message: 'names no tenant', fix: 'e.g. --batch "acme globex"' }]);
    return names;
  }
  if (!/^\d{2,3}$/.test(options.bucket!)) throw new SpecError([{ path: '--bucket', message: `${quoteValue(options.bucket!)} is not a bucket id`, fix: 'pass the two-digit bucket of the job, e.g. --bucket 07' }]);
  if (!options.selection) throw new SpecError([{ path: '--selection', message: 'is needed with --bucket', fix: 'pass the matrix --report file, e.g. --selection selection.json' }]);
  const report = readSelection(options.selection);
  const entries = action === 'plan-destroy' ? report.removed : report.tenants.filter((t) => t.selected);
  return entries.filter((t) => t.bucket === options.bucket).map((t) => t.tenant);
}
