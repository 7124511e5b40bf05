/**
 * `batch <action>`: what one CI job of the matrix runs — plan, plan-destroy, apply or drift for its
 * tenants, one after the other, each with only its own secrets (operations/ci/batch.ts). In GitHub Actions
 * the secrets arrive as one JSON object (`toJSON(secrets)`) in the variable `--secrets-json-env` names;
 * the engines never see that variable. Locally the secrets are read from the environment by name.
 */
import { mkdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import { BATCH_ACTIONS, type BatchAction, runBatch } from '../../operations/ci/batch';
import type { PlanEngine } from '../../operations/ci/plan-summary';
import { SpecError } from '../../constructs/model/errors';
import { chooseEngine, type EngineChoice, ONE_OR_BOTH } from './engine';
import type { Io } from './output';
import { selectTenants } from './tenants';
import { quoteValue } from '../../constructs/model/quote';

export interface BatchCommandOptions {
  readonly action: string;
  readonly tenants: string;
  /** Space- or comma-separated tenant names (a matrix entry's `tenants`). */
  readonly batch: string;
  /** `terraform`, `pulumi` or `both` (checked). */
  readonly engine: string;
  /** Whether `engine` is what the user gave (`--engine`), not `OKTA_SCIM_ENGINE`'s default: errors name the source. @default true */
  readonly engineGiven?: boolean;
  readonly synthDir: string;
  readonly results: string;
  readonly secretsJsonEnv?: string;
}

export async function runBatchCommand(options: BatchCommandOptions, io: Io): Promise<number> {
  const action = parseAction(options.action);
  const engines = enginesFor(chooseEngine(options.engine, options.engineGiven !== false, ONE_OR_BOTH), action);
  const names = options.batch.split(/[\s,]+/).filter(Boolean);
  if (names.length === 0) throw new SpecError([{ path: '--batch', message: 'names no tenant', fix: 'pass the matrix entry\'s tenants, e.g. --batch "acme globex"' }]);
  const tenants = selectTenants(options.tenants, names);
  const { secret, baseEnv } = secretSource(io.env, options.secretsJsonEnv);
  mkdirSync(options.results, { recursive: true });

  const report = await runBatch({
    action,
    engines,
    tenants,
    tenantsFile: options.tenants,
    synthDir: options.synthDir,
    resultsDir: options.results,
    projectDir: process.cwd(),
    secret,
    baseEnv,
    log: (text) => io.stdout.write(text),
    ...(io.env.GITHUB_STEP_SUMMARY ? { stepSummary: io.env.GITHUB_STEP_SUMMARY } : {}),
    verify: async (tenant, env) => {
      const { runVerify } = require('./verify') as typeof import('./verify');
      let json = '';
      const stdout = new Writable({ write(chunk, _encoding, done) { json += String(chunk); done(); } });
      const stderr = new Writable({ write(_chunk, _encoding, done) { done(); } });
      // Findings named as the engine that runs the drift check names them (Terraform when both run).
      const engine = engines.length === 1 && engines[0] === 'pulumi' ? 'pulumi' : 'terraform';
      const exitCode = await runVerify({ tenantsFile: options.tenants, tenant: tenant.name, json: true, engine, env, stdout, stderr });
      return { exitCode, json };
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

function enginesFor(choice: EngineChoice, action: BatchAction): PlanEngine[] {
  if (choice !== 'both') return [choice];
  if (action === 'apply') throw new SpecError([{ path: '--engine', message: 'apply with both engines would create two Okta apps per tenant', fix: 'set OKTA_SCIM_ENGINE (--engine) to terraform or pulumi' }]);
  return ['terraform', 'pulumi'];
}

/** Secret values by name, and the environment the engines inherit (without the secrets JSON). */
function secretSource(env: NodeJS.ProcessEnv, jsonVariable?: string): { secret: (name: string) => string | undefined; baseEnv: NodeJS.ProcessEnv } {
  if (!jsonVariable) return { secret: (name) => env[name], baseEnv: { ...env } };
  const raw = env[jsonVariable];
  let secrets: unknown;
  try {
    secrets = raw === undefined ? undefined : JSON.parse(raw);
  } catch {
    secrets = undefined;
  }
  if (typeof secrets !== 'object' || secrets === null || Array.isArray(secrets)) {
    // Never echo the value: it is every secret of the repository.
    throw new SpecError([{ path: '--secrets-json-env', message: `${jsonVariable} ${raw === undefined ? 'is not set' : 'does not hold a JSON object'}`, fix: `map it in the workflow step: env: { ${jsonVariable}: \${{ toJSON(secrets) }} }` }]);
  }
  // GitHub secret names are case-insensitive (stored upper-case); the tenants file may spell them either way.
  const byName = new Map<string, string>();
  for (const [name, value] of Object.entries(secrets)) if (typeof value === 'string') byName.set(name.toUpperCase(), value);
  const { [jsonVariable]: _removed, ...baseEnv } = env;
  return { secret: (name) => byName.get(name.toUpperCase()), baseEnv };
}
