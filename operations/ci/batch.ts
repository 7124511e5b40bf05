/**
 * One CI job's batch: plan, plan the destroy of, apply or drift-check a list of tenants one after the
 * other, each with only its own secrets, each with its own results folder. A tenant that fails does not
 * stop the others; the batch's exit code says how it went overall.
 *
 * Per tenant, `<results>/<tenant>/` receives `result.json` ({@link TenantOutcome}: status, per-engine
 * step and exit code, plan summary — counts, addresses and actions only) and `<engine>.txt`, the engine's
 * text output with every secret value the tenant was given replaced. Nothing else is written there: the
 * binary `tfplan` (it holds the SCIM token) stays in the stack folder and is deleted after use, and
 * `terraform show -json` / `pulumi preview --json` (values in plain text) are only read from a pipe.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ResolvedTenant } from '../../constructs/model/tenant';
import { type Engine, tenantNaming, terraformTokenVariable } from '../../constructs/resources/names';
import { countsText, hasChanges, PlanFormatError, type PlanSummary, summarizePlan, WITHHELD_TOKEN_NOTE } from './plan-summary';
import { redactSecrets, secretVariants } from './redact';
import { mapStrings } from '../map-strings';
import type { VerifyOutput } from '../verify/verify';
import { CONSOLE_STEP_FILE } from '../../constructs/model/console-step';
import { PROVIDER_LOCK_FILE } from '../synth/provider-lock';
import { inertProse, inlineCode } from '../markdown';
import { backendSecretNames, tenantJob, type TenantJob } from './tenant-job';
import { type Access, oktaProviderEnvironment } from '../../constructs/model/tenant';

export type BatchAction = 'plan' | 'plan-destroy' | 'apply' | 'drift';

export const BATCH_ACTIONS: readonly BatchAction[] = ['plan', 'plan-destroy', 'apply', 'drift'];

/** How one engine went for one tenant. */
export interface EngineOutcome {
  readonly engine: Engine;
  readonly ok: boolean;
  /** The command the engine stopped at (the last one on success). */
  readonly step: string;
  readonly exitCode: number;
  /** Present when the plan could be read. */
  readonly summary?: PlanSummary;
  /** Transcript file in the tenant's results folder. */
  readonly transcript: string;
  /** Apply: the Okta admin link of the app, from the stack output (an https URL, or absent). */
  readonly adminUrl?: string;
}

/** verify's report of the tenant, redacted of verify's and the tenant's secrets. */
export interface VerifyOutcome {
  readonly result: string;
  readonly exitCode: number;
  /** verify's findings; `address`/`attribute` name the plan object as the engine does, when there is one. */
  readonly findings: readonly { area: string; field: string; address?: string; attribute?: string; expected: string; actual: string; status: string; hint?: string }[];
}

export type TenantStatus = 'ok' | 'failed' | 'clean' | 'drifted' | 'could-not-check';

export interface TenantOutcome {
  readonly tenant: string;
  readonly action: BatchAction;
  readonly status: TenantStatus;
  /** Our own explanation when the tenant could not even start (e.g. a missing secret); never engine output. */
  readonly message?: string;
  /** What a read-only run could not see (no persistent state, the withheld SCIM token, a stack not created yet). */
  readonly notes?: readonly string[];
  readonly engines: readonly EngineOutcome[];
  readonly verify?: VerifyOutcome;
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr in arrival order (what a terminal would show). */
  readonly transcript: string;
}

/** Runs a command without a shell and collects its output. */
export type RunCommand = (command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }) => Promise<CommandResult>;

export interface BatchOptions {
  readonly action: BatchAction;
  readonly engines: readonly Engine[];
  readonly tenants: readonly ResolvedTenant[];
  /** The tenants file the tenants came from (the Pulumi program reads it as TENANTS_FILE). */
  readonly tenantsFile: string;
  /** Synth output folder (`<synthDir>/stacks/<tenant>`). */
  readonly synthDir: string;
  readonly resultsDir: string;
  /** Project folder holding Pulumi.yaml; pulumi runs there. */
  readonly projectDir: string;
  /** Secret values by name: the variables the job's step maps from its environment's secrets. */
  readonly secret: (name: string) => string | undefined;
  /** The runner's environment: the engines inherit only {@link engineEnvironment} of it. */
  readonly baseEnv: NodeJS.ProcessEnv;
  /** The job log: engine output arrives here redacted, after each command. */
  readonly log: (text: string) => void;
  /** `$GITHUB_STEP_SUMMARY`: apply appends each tenant's result and console step there. */
  readonly stepSummary?: string;
  /** Drift: verify one tenant with the given environment (operations/verify/verify.ts). */
  readonly verify?: (tenant: ResolvedTenant, env: NodeJS.ProcessEnv) => Promise<VerifyOutput>;
  readonly run?: RunCommand;
}

export interface BatchReport {
  readonly outcomes: readonly TenantOutcome[];
  /** 0 every tenant done (drift: clean) · 1 drift found · 2 a tenant could not be planned, applied or checked. */
  readonly exitCode: number;
}

/**
 * What of the runner's environment terraform, pulumi and verify inherit: where things are (PATH, HOME,
 * temp folders), locale, proxies and CA bundles — nothing else. The job's step holds every secret of its
 * tenants, and variables such as `TF_LOG*`, `TF_CLI_ARGS*`, `TF_CLI_CONFIG_FILE`, `OKTA_*`, `DT_*`,
 * `PULUMI_*` or `NODE_OPTIONS` would make an engine print requests with their tokens, read another
 * configuration or run other code: each tenant's engines start from this list plus its own secrets.
 */
export function engineEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name, value]) => value !== undefined && INHERITED.test(name)));
}

const INHERITED = /^(?:PATH|HOME|USER|LOGNAME|SHELL|TMPDIR|TMP|TEMP|LANG|LANGUAGE|LC_[A-Z]+|TZ|TERM|NO_COLOR|CI|GITHUB_ACTIONS|RUNNER_(?:OS|ARCH|TEMP|TOOL_CACHE)|HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy|SSL_CERT_(?:FILE|DIR)|NODE_EXTRA_CA_CERTS)$/;

export async function runBatch(options: BatchOptions): Promise<BatchReport> {
  const outcomes: TenantOutcome[] = [];
  const baseEnv = engineEnvironment(options.baseEnv);
  for (const tenant of options.tenants) {
    options.log(`::group::${options.action} ${tenant.name}\n`);
    const outcome = await runTenant(tenant, { ...options, baseEnv });
    options.log(`::endgroup::\n${tenant.name}: ${outcome.status}${outcome.message ? ` — ${outcome.message}` : ''}\n`);
    writeFileSync(join(options.resultsDir, tenant.name, 'result.json'), `${JSON.stringify(outcome, null, 2)}\n`);
    if (options.action === 'apply' && options.stepSummary) appendFileSync(options.stepSummary, applySummary(outcome, options));
    outcomes.push(outcome);
  }
  return { outcomes, exitCode: batchExitCode(options.action, outcomes) };
}

function batchExitCode(action: BatchAction, outcomes: readonly TenantOutcome[]): number {
  if (action === 'drift') {
    if (outcomes.some((o) => o.status === 'drifted')) return 1;
    return outcomes.some((o) => o.status === 'could-not-check') ? 2 : 0;
  }
  return outcomes.some((o) => o.status === 'failed') ? 2 : 0;
}

/** What read-only runs hand the stack instead of the SCIM token they never get: accepted by the credential rule, useless anywhere. */
export const WITHHELD_SCIM_TOKEN = 'not-the-scim-token:read-only-runs-never-receive-it';

function accessOf(action: BatchAction): Access {
  return action === 'apply' ? 'write' : 'read';
}

/**
 * The environment one tenant's engines run with: the runner's basics ({@link engineEnvironment}) and the
 * tenant's own secrets ({@link tenantSecretNames}) under the names the providers read. Read-only runs of
 * API-path tenants get {@link WITHHELD_SCIM_TOKEN} for the token; a service app chosen by the environment
 * gets its client id, key id and scopes — the `.read` forms for read-only runs. A required secret that is
 * unset is reported by name, never guessed.
 */
export function tenantEnv(
  tenant: ResolvedTenant,
  engines: readonly Engine[],
  secret: (name: string) => string | undefined,
  baseEnv: NodeJS.ProcessEnv,
  access: Access = 'write',
): { env: NodeJS.ProcessEnv; values: string[]; missing: string[] } {
  const job = tenantJob(tenant, '');
  const env: NodeJS.ProcessEnv = { ...baseEnv };
  const values: string[] = [];
  const missing: string[] = [];
  const put = (names: readonly string[], source: string | undefined, required: boolean, what: string): void => {
    const value = source ? secret(source) : undefined;
    if (value === undefined || value === '') {
      if (!required) return;
      missing.push(!source ? `a secret name for ${what} in the tenants file` : value === undefined ? `secret ${source} (${what}) is not in this job's environment` : `secret ${source} (${what}) is empty`);
      return;
    }
    values.push(value);
    for (const name of [...names, source!]) env[name] = value;
  };
  const terraform = engines.includes('terraform');
  const tokenVariable = `TF_VAR_${terraformTokenVariable(tenantNaming(tenant.name))}`;
  if (job.needsScimToken) {
    const required = terraform || !job.scimTokenPulumiConfig;
    if (access === 'write') put([tokenVariable], job.scimTokenEnv, required, `the Dynatrace SCIM token of tenant ${tenant.name}`);
    else for (const name of [tokenVariable, job.scimTokenEnv].filter(Boolean)) env[name] = WITHHELD_SCIM_TOKEN;
  }
  // The Dynatrace provider (Terraform) reads DT_CLIENT_ID / DT_CLIENT_SECRET; Pulumi the named variable or config.
  if (job.needsDynatraceClient) {
    put(['DT_CLIENT_ID'], job.dynatraceClientIdEnv, terraform || !job.dynatraceClientIdPulumiConfig, `the Dynatrace OAuth client id of tenant ${tenant.name}`);
    put(['DT_CLIENT_SECRET'], job.dynatraceClientSecretEnv, terraform || !job.dynatraceClientSecretPulumiConfig, `the Dynatrace OAuth client secret of tenant ${tenant.name}`);
  }
  const okta = oktaProviderEnvironment(tenant.okta.credentials, access);
  for (const variable of okta.copied) put([variable.name], variable.from, true, `${variable.what} of tenant ${tenant.name}`);
  Object.assign(env, okta.values);
  for (const name of backendSecretNames(tenant)) put([], name, false, name);
  return { env, values, missing };
}

async function runTenant(tenant: ResolvedTenant, options: BatchOptions): Promise<TenantOutcome> {
  const dir = join(options.resultsDir, tenant.name);
  mkdirSync(dir, { recursive: true });
  const job = tenantJob(tenant, options.synthDir);
  const access = accessOf(options.action);
  const { env: secretEnv, values, missing } = tenantEnv(tenant, options.engines, options.secret, options.baseEnv, access);
  const env: NodeJS.ProcessEnv = { ...secretEnv, TENANTS_FILE: options.tenantsFile, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', PULUMI_SKIP_UPDATE_CHECK: 'true' };
  const base = { tenant: tenant.name, action: options.action };
  // Removed tenants are only planned for destroy: their secrets may be gone already, and the backend alone decides.
  if (missing.length > 0 && options.action !== 'plan-destroy') {
    const status = options.action === 'drift' ? 'could-not-check' : 'failed';
    return { ...base, status, message: `${missing.join('; ')}: each job maps its tenants' secrets by the names the tenants file gives (\`okta-dynatrace-scim workflows\`), from the GitHub environment it runs in (docs/day-2.md, "Secrets")`, engines: [] };
  }
  if (options.engines.includes('terraform') && !job.persistentState) {
    if (options.action === 'apply') return { ...base, status: 'failed', message: `tenant ${tenant.name} keeps Terraform state locally; a CI runner loses it and the next apply would create a second Okta app. Configure backend.terraform in the tenants file (docs/day-2.md)`, engines: [] };
    // A plan against an empty state shows every object as new: that is no drift, only an unanswered question.
    if (options.action === 'drift') return { ...base, status: 'could-not-check', message: `could not check: no persistent state — tenant ${tenant.name} keeps Terraform state locally, so a plan here compares with an empty state. Configure backend.terraform in the tenants file (docs/day-2.md, "Remote state"); verify alone can be run locally`, engines: [] };
  }
  const notes = access === 'read' ? readOnlyNotes(job, options.engines) : [];
  const variants = secretVariants(values);
  const context: EngineContext = { options, job, env, dir, access, withheldToken: access === 'read' && job.needsScimToken, notes, redact: (text) => redactSecrets(text, variants), run: options.run ?? spawnCommand };

  let verify: VerifyOutcome | undefined;
  if (options.action === 'drift' && options.verify) verify = await runVerifyFor(tenant, env, options.verify, context.redact);
  const engines: EngineOutcome[] = [];
  for (const engine of options.engines) engines.push(engine === 'terraform' ? await terraform(context) : await pulumi(context));
  return { ...base, status: tenantStatus(options.action, engines, verify), engines, ...(notes.length > 0 ? { notes } : {}), ...(verify ? { verify } : {}) };
}

/** What a read-only plan of this tenant cannot see, said up front (the PR comment shows it). */
function readOnlyNotes(job: TenantJob, engines: readonly Engine[]): string[] {
  const notes: string[] = [];
  if (engines.includes('terraform') && !job.persistentState) notes.push('terraform: no persistent state (no backend.terraform): planned against an empty state, so every object shows as to be created, whatever exists in Okta');
  if (job.needsScimToken) notes.push(WITHHELD_TOKEN_NOTE);
  return notes;
}

function tenantStatus(action: BatchAction, engines: readonly EngineOutcome[], verify?: VerifyOutcome): TenantStatus {
  if (action !== 'drift') return engines.every((e) => e.ok) ? 'ok' : 'failed';
  // verify's rule: drift is certain and actionable even when something else could not be checked.
  if (verify?.result === 'drift' || engines.some((e) => e.summary && hasChanges(e.summary))) return 'drifted';
  if ((verify && verify.result !== 'in-sync') || engines.some((e) => !e.ok)) return 'could-not-check';
  return 'clean';
}

async function runVerifyFor(tenant: ResolvedTenant, env: NodeJS.ProcessEnv, verify: NonNullable<BatchOptions['verify']>, redact: (text: string) => string): Promise<VerifyOutcome> {
  const { report } = await verify(tenant, env);
  const mine = report.tenants.find((checked) => checked.tenant === tenant.name);
  if (!mine) throw new Error(`internal: verify returned no report of tenant ${tenant.name}`);
  return mapStrings({ result: mine.result, exitCode: mine.exitCode, findings: mine.findings }, redact);
}

interface EngineContext {
  readonly options: BatchOptions;
  readonly job: TenantJob;
  readonly env: NodeJS.ProcessEnv;
  readonly dir: string;
  readonly access: Access;
  /** The run holds the stand-in token: a connection update for the token alone is no change. */
  readonly withheldToken: boolean;
  /** Read-only notes; engines add what they find (a stack that does not exist yet). */
  readonly notes: string[];
  readonly redact: (text: string) => string;
  readonly run: RunCommand;
}

/**
 * Collects an engine's text output, redacted, into its transcript file and the job log. Output of JSON
 * commands (values in plain text) never reaches either: only their stderr does.
 */
class Transcript {
  private text = '';
  constructor(
    private readonly context: EngineContext,
    readonly file: string,
  ) {}

  add(result: CommandResult, kind: 'text' | 'json' = 'text'): void {
    const text = this.context.redact(kind === 'text' ? result.transcript : result.stderr);
    this.text += text;
    this.context.options.log(text);
  }

  finish(outcome: Omit<EngineOutcome, 'transcript'>): EngineOutcome {
    writeFileSync(join(this.context.dir, this.file), this.text);
    return { ...outcome, transcript: this.file };
  }
}

async function terraform(context: EngineContext): Promise<EngineOutcome> {
  const { options, job, env, run } = context;
  const transcript = new Transcript(context, 'terraform.txt');
  const tf = (args: string[]) => run('terraform', [`-chdir=${job.stackDir}`, ...args], { cwd: options.projectDir, env });
  const fail = (step: string, exitCode: number) => transcript.finish({ engine: 'terraform', ok: false, step, exitCode });
  const planFile = resolve(options.projectDir, job.stackDir, 'tfplan');

  // Providers come only as the committed lock file pins them (versions and hashes): never a new selection.
  if (!existsSync(resolve(options.projectDir, job.stackDir, PROVIDER_LOCK_FILE))) {
    transcript.add({ code: 1, stdout: '', stderr: '', transcript: `${job.stackDir}/${PROVIDER_LOCK_FILE} is missing: commit the provider lock file (npx okta-dynatrace-scim providers-lock, docs/day-2.md "Supply chain"); synth copies it into every stack.\n` });
    return fail('init', 1);
  }
  const init = await tf(['init', '-input=false', '-no-color', '-lockfile=readonly']);
  if (init.code !== 0) {
    transcript.add(init);
    return fail('init', init.code);
  }
  const planArgs = ['plan', '-input=false', '-no-color', '-out=tfplan'];
  if (options.action === 'plan-destroy') planArgs.push('-destroy');
  // Read-only runs take no lock: their backend identity cannot write one, and they change nothing.
  if (context.access === 'read') planArgs.push('-lock=false');
  else planArgs.push('-lock-timeout=10m');
  if (options.action === 'drift') planArgs.push('-detailed-exitcode');
  try {
    const plan = await tf(planArgs);
    transcript.add(plan);
    // -detailed-exitcode: 0 no changes, 2 changes, 1 error.
    if (plan.code !== 0 && !(options.action === 'drift' && plan.code === 2)) return fail('plan', plan.code);
    const show = await tf(['show', '-json', 'tfplan']);
    const summary = show.code === 0 ? readSummary('terraform', show.stdout, context.withheldToken) : undefined;
    if (!summary) {
      transcript.add(show, 'json');
      return fail('show', show.code || 1);
    }
    if (options.action !== 'apply') return transcript.finish({ engine: 'terraform', ok: true, step: 'plan', exitCode: plan.code, summary });
    const apply = await tf(['apply', '-input=false', '-no-color', '-lock-timeout=10m', 'tfplan']);
    transcript.add(apply);
    if (apply.code !== 0) return transcript.finish({ engine: 'terraform', ok: false, step: 'apply', exitCode: apply.code, summary });
    const adminUrl = httpsUrl((await tf(['output', '-raw', 'okta_app_admin_url'])).stdout);
    return transcript.finish({ engine: 'terraform', ok: true, step: 'apply', exitCode: 0, summary, ...(adminUrl ? { adminUrl } : {}) });
  } finally {
    // The saved plan holds the SCIM token in plain text: it never outlives this tenant's turn.
    rmSync(planFile, { force: true });
  }
}

async function pulumi(context: EngineContext): Promise<EngineOutcome> {
  const { options, job, env, run } = context;
  const transcript = new Transcript(context, 'pulumi.txt');
  const pu = (args: string[]) => run('pulumi', args, { cwd: options.projectDir, env });
  const fail = (step: string, exitCode: number, summary?: PlanSummary) => transcript.finish({ engine: 'pulumi', ok: false, step, exitCode, ...(summary ? { summary } : {}) });
  const stack = ['--stack', job.pulumiStack, '--non-interactive'];

  const loginArgs = job.pulumiBackendUrl ? ['login', job.pulumiBackendUrl] : env.PULUMI_ACCESS_TOKEN ? ['login'] : options.action === 'plan' || options.action === 'plan-destroy' ? ['login', '--local'] : undefined;
  if (!loginArgs) {
    transcript.add({ code: 1, stdout: '', stderr: '', transcript: `Tenant ${job.tenant}'s Pulumi stack has no backend: set backend.pulumi.url in the tenants file or the PULUMI_ACCESS_TOKEN secret (a runner's local state is lost).\n` });
    return fail('login', 1);
  }
  const login = await pu(loginArgs);
  transcript.add(login);
  if (login.code !== 0) return fail('login', login.code);
  // Only apply creates a stack: read-only runs never write to the backend.
  const create = options.action === 'apply';
  const select = await pu(['stack', 'select', job.pulumiStack, ...(create ? ['--create'] : []), ...(create && job.pulumiSecretsProvider ? ['--secrets-provider', job.pulumiSecretsProvider] : [])]);
  transcript.add(select);
  if (select.code !== 0) {
    if (!create && /no stack named/i.test(select.transcript)) context.notes.push(`pulumi: stack ${job.pulumiStack} does not exist yet; read-only runs never create stacks, so there is nothing to preview until the first apply creates it`);
    return fail('select', select.code);
  }

  if (options.action === 'apply') {
    const up = await pu(['up', ...stack, '--yes', '--diff', '--color', 'never']);
    transcript.add(up);
    if (up.code !== 0) return fail('up', up.code);
    const adminUrl = httpsUrl((await pu(['stack', 'output', 'oktaAppAdminUrl', '--stack', job.pulumiStack])).stdout);
    return transcript.finish({ engine: 'pulumi', ok: true, step: 'up', exitCode: 0, ...(adminUrl ? { adminUrl } : {}) });
  }
  const command = options.action === 'plan-destroy' ? ['destroy', '--preview-only'] : ['preview'];
  if (options.action !== 'drift') {
    const text = await pu([...command, ...stack, '--diff', '--color', 'never']);
    transcript.add(text);
    if (text.code !== 0) return fail(command[0], text.code);
  }
  const json = await pu([...command, ...stack, '--json', ...(options.action === 'drift' ? ['--expect-no-changes'] : [])]);
  const summary = readSummary('pulumi', json.stdout, context.withheldToken);
  transcript.add(json, 'json');
  if (!summary) return fail(command[0], json.code || 1);
  // --expect-no-changes fails on changes: that is drift (or the stand-in token alone), not an error, when the preview itself was read.
  if (json.code !== 0 && !(options.action === 'drift' && (hasChanges(summary) || (summary.unseen?.length ?? 0) > 0))) return fail(command[0], json.code, summary);
  return transcript.finish({ engine: 'pulumi', ok: true, step: command[0], exitCode: json.code, summary });
}

function readSummary(engine: Engine, json: string, withheldToken: boolean): PlanSummary | undefined {
  try {
    return summarizePlan(engine, json, { withheldToken });
  } catch (error) {
    if (error instanceof PlanFormatError) return undefined;
    throw error;
  }
}

function httpsUrl(text: string): string | undefined {
  const value = text.trim();
  return /^https:\/\/[A-Za-z0-9.-]+(?::\d+)?(?:\/[\w\-./%~?=&#+]*)?$/.test(value) ? value : undefined;
}

/** What apply adds to the job summary per tenant: the outcome, then the console step with the app's admin link. */
function applySummary(outcome: TenantOutcome, options: BatchOptions): string {
  const lines = [`### ${outcome.tenant}: ${outcome.status === 'ok' ? 'applied' : 'apply failed'}`, ''];
  if (outcome.message) lines.push(inertProse(outcome.message), '');
  for (const engine of outcome.engines) {
    const counts = engine.summary ? ` (${countsText(engine.summary.counts)})` : '';
    lines.push(`- ${engine.engine}: ${engine.ok ? 'done' : `stopped at ${inlineCode(engine.step)} (exit ${engine.exitCode})`}${counts}`);
  }
  const consoleStep = resolve(options.projectDir, options.synthDir, 'stacks', outcome.tenant, CONSOLE_STEP_FILE);
  const adminUrl = outcome.engines.find((e) => e.adminUrl)?.adminUrl;
  if (outcome.status === 'ok' && existsSync(consoleStep)) {
    lines.push('', inertProse(readFileSync(consoleStep, 'utf8').trim()), '');
    if (adminUrl) lines.push(`Open the app in the Okta admin console: ${adminUrl}`);
  }
  return `${lines.join('\n')}\n\n`;
}

export const spawnCommand: RunCommand = (command, args, { cwd, env }) =>
  new Promise((resolveResult) => {
    const child = spawn(command, [...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let transcript = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      transcript += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      transcript += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      const message = `${command}: ${error.code === 'ENOENT' ? 'not found on PATH' : error.message}\n`;
      resolveResult({ code: 127, stdout, stderr: stderr + message, transcript: transcript + message });
    });
    child.on('close', (code) => resolveResult({ code: code ?? 1, stdout, stderr, transcript }));
  });
