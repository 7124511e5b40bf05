/**
 * `discover`: find an org's Dynatrace integrations, read one, and write its tenant entry (see
 * operations/discover). This file parses nothing itself: it runs the operation, prints its result for people
 * or as JSON, and maps it to the shared exit codes.
 *
 * Exit codes ({@link EXIT}): 0 entry written (or printed with --dry-run; integrations listed with --list) ·
 * 2 Okta or Dynatrace could not be read (credentials, network, timeout, rate limit, unexpected answer) ·
 * 64 usage: bad options, no Dynatrace integration in the org, several without --app, the tenant exists
 * without --replace, an integration the model cannot describe.
 */
import { EXIT } from '../../operations/exit-codes';
import { mapStrings } from '../../operations/map-strings';
import { redactSecrets, secretVariants } from '../../operations/ci/redact';
import { formatIssue, SpecError } from '../../constructs/model/errors';
import { escapeControls } from '../../constructs/model/quote';
import { conventionalSecretNames } from '../../constructs/model/secret-names';
import { OKTA_PROVIDER_ENV } from '../../constructs/model/tenant';
import { type Adoption, type CandidateSummary, discover, type DiscoverRequest, type DiscoverResult, OktaCredentialsMissing } from '../../operations/discover/discover';
import type { DiscoveryNote } from '../../operations/discover/entry';
import { DEFAULT_POLICY, HttpError, withConnectionPool } from '../../operations/verify/okta-client';
import { type Io, styleFor, type Style } from './output';
import { timeoutProblem } from './timeout';

export interface DiscoverCommandOptions extends Omit<DiscoverRequest, 'env' | 'policy'> {
  readonly json: boolean;
  /** Per HTTP request. @default 15000 */
  readonly timeoutMs?: number;
  /** Retry policy and clock; tests inject a clock that does not sleep. */
  readonly retry?: Partial<Pick<typeof DEFAULT_POLICY, 'maxAttempts' | 'maxWaitMs' | 'clock'>>;
}

export async function runDiscover(options: DiscoverCommandOptions, io: Io): Promise<number> {
  const { json, timeoutMs, retry, ...request } = options;
  // Every credential value: those the environment holds, and those the sign-in reads or makes (assertions, tokens).
  const secrets = secretValues(request, io.env);
  const redact = (text: string): string => redactSecrets(text, secretVariants(secrets));
  const out = (text: string) => io.stdout.write(redact(text));
  const fail = (code: number, error: string, hint?: string): number => {
    io.stderr.write(redact(`discover: ${error}${hint ? `\n  ${hint}` : ''}\n`));
    if (json) out(`${JSON.stringify({ outcome: 'error', exitCode: code, error, ...(hint ? { hint } : {}) }, null, 2)}\n`);
    return code;
  };
  const timeoutError = timeoutProblem(timeoutMs);
  if (timeoutError) return fail(EXIT.usage, timeoutError);
  let result: DiscoverResult;
  try {
    const policy = { ...DEFAULT_POLICY, ...retry, ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
    // The pool is closed before the report is written: nothing keeps the process alive after it.
    result = await withConnectionPool(policy, (pooled) => discover({ ...request, env: io.env, policy: pooled, onSecret: (value) => secrets.add(value) }));
  } catch (error) {
    if (error instanceof SpecError) return fail(EXIT.usage, error.issues.length === 1 ? formatIssue(error.issues[0]!) : `${error.issues.length} problems:\n${error.issues.map((issue) => `  - ${formatIssue(issue)}`).join('\n')}`);
    if (error instanceof OktaCredentialsMissing) return fail(EXIT.couldNotCheck, `cannot read Okta: ${error.message}`, error.hint);
    if (error instanceof HttpError) return fail(EXIT.couldNotCheck, `cannot read ${error.message}`, error.hint ?? hintFor(error));
    throw error;
  }
  const code = exitCode(result);
  if (json) out(`${JSON.stringify({ ...result, exitCode: code }, null, 2)}\n`);
  else out(render(printable(result), request.tenantsFile, styleFor(io)));
  return code;
}

/**
 * Labels, names and URLs come from a live system: terminal controls in them (an escape sequence, a line
 * break that fakes a line of the report, a bidirectional override that reorders it) are shown as escapes,
 * never written to a terminal. The entry's own text is exempt: it holds only what the model validated.
 */
function printable(result: DiscoverResult): DiscoverResult {
  return 'entry' in result ? { ...mapStrings(result, escapeControls), entry: result.entry } : mapStrings(result, escapeControls);
}

function exitCode(result: DiscoverResult): number {
  return result.outcome === 'none' || result.outcome === 'several' ? EXIT.usage : EXIT.ok;
}

function hintFor(error: HttpError): string {
  switch (error.kind) {
    case 'auth':
      return 'the credential is invalid, expired, or lacks read access (Okta: okta.apps.read and okta.groups.read; an API token inherits its admin\'s role)';
    case 'network':
      return 'check --org and --base-domain, the network and proxy; raise --timeout if the org is slow';
    case 'rate-limited':
      return 'the rate limit did not lift in time; run again later';
    default:
      return 'unexpected answer; run again, and report it if it persists';
  }
}

/** The values of every variable the command may read a credential from: they never leave it, whatever a message quoted. */
function secretValues(request: Omit<DiscoverRequest, 'env' | 'policy'>, env: NodeJS.ProcessEnv): Set<string> {
  const conventional = conventionalSecretNames(request.tenant ?? request.orgName);
  const names = [
    request.oktaTokenEnv,
    request.oktaPrivateKeyEnv,
    request.dynatraceClientIdEnv,
    request.dynatraceClientSecretEnv,
    conventional.oktaApiToken.env,
    conventional.oktaPrivateKey.env,
    conventional.dynatraceClientId.env,
    conventional.dynatraceClientSecret.env,
    OKTA_PROVIDER_ENV.apiToken,
    OKTA_PROVIDER_ENV.privateKey,
  ];
  return new Set(names.flatMap((name) => (name && env[name]?.trim() ? [env[name]!.trim()] : [])));
}

function render(result: DiscoverResult, file: string, style: Style): string {
  switch (result.outcome) {
    case 'none':
      return `No Dynatrace integration in ${result.org}: none of its ${count(result.appsChecked, 'app')} is a SCIM 2.0 test app (scim2headerauth, scim2testapp) or a SAML app signing in to sso.dynatrace.com.\n  Check --org and --base-domain; to set up a new integration, follow docs/new-tenant.md.\n`;
    case 'listed':
    case 'several': {
      const lines = [`${count(result.candidates.length, 'Dynatrace integration')} in ${result.org}:`, ...result.candidates.map((c) => `  ${candidateLine(c)}`)];
      if (result.outcome === 'several') lines.push('', 'Pick the one to adopt with --app <id>.');
      return `${lines.join('\n')}\n`;
    }
    default:
      return adoption(result, file, style);
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function candidateLine(c: CandidateSummary): string {
  const counts = [c.assignedGroups !== undefined && `${count(c.assignedGroups, 'group')} assigned`, c.pushMappings !== undefined && `${c.pushMappings} pushed`, `provisioning ${c.provisioning}`].filter(Boolean).join(', ');
  return `${c.id}  "${c.label ?? ''}"  ${c.status ?? '(status not returned)'}  ${c.recognisedBy}, ${c.signOnMode ?? 'sign-on mode not returned'} · ${counts}${c.blocker ? `\n      cannot be adopted as it is: ${c.blocker}` : ''}`;
}

function adoption(result: Adoption, file: string, style: Style): string {
  const { app } = result;
  const lines: string[] = [];
  lines.push(`${result.org}: app ${app.id} "${app.label ?? ''}" — ${app.recognisedBy}, ${app.signOnMode ?? '?'}, ${app.status ?? '?'}`);
  const renamed = result.read.renamedTargets > 0 ? ` (${result.read.renamedTargets} to a differently named group)` : '';
  lines.push(`  read: ${count(result.read.assignedGroups, 'assigned group')}, ${result.read.pushMappings === undefined ? 'push mappings not readable' : `${count(result.read.pushMappings, 'push mapping')}${renamed}`}, provisioning ${app.provisioning}`);
  const action = { created: `created ${file}`, appended: `appended to ${file}; every other line untouched`, replaced: `replaced its entry in ${file}${result.kept.length > 0 ? ` (kept its ${result.kept.join(', ')})` : ''}; every other line untouched` }[result.action];
  lines.push(result.outcome === 'written' ? style.ok(`wrote tenant "${result.tenant}": ${action}`) : `tenant "${result.tenant}" (--dry-run: not written; it would be ${result.action === 'created' ? `a new ${file}` : result.action === 'appended' ? `appended to ${file}` : `replaced in ${file}`}):`);
  if (result.outcome === 'dry-run') lines.push('', result.entry);

  const names = result.engine === 'terraform' ? 'terraform plan addresses' : 'pulumi preview names';
  const creates = result.notes.filter((note) => note.kind === 'change' && note.message.startsWith('the first apply creates it'));
  const created = creates.length === 0 ? 'nothing created' : `${creates.length} created (listed under changes)`;
  lines.push('', `Adoption (${names}): ${count(result.imports.length, 'import')}, ${created}`);
  for (const imported of result.imports) lines.push(`  ${imported.address}  ← ${imported.id}`);
  if (result.guards.assignments + result.guards.pushMappings > 0) {
    const attribute = result.engine === 'terraform' ? ['retain_assignment', 'delete_target_group_on_destroy'] : ['retainAssignment', 'deleteTargetGroupOnDestroy'];
    const parts = [result.guards.assignments > 0 && `${attribute[0]} on ${count(result.guards.assignments, 'assignment')}`, result.guards.pushMappings > 0 && `${attribute[1]} on ${count(result.guards.pushMappings, 'push mapping')}`].filter(Boolean);
    lines.push(`  The first plan also updates ${parts.join(' and ')} in place: the removal guards taking hold, which the provider does not read back on import (Okta receives the values it has).`);
  }

  const section = (title: string, kinds: DiscoveryNote['kind'][], colour: (text: string) => string) => {
    const notes = result.notes.filter((note) => kinds.includes(note.kind));
    if (notes.length === 0) return;
    lines.push('', colour(title));
    for (const note of notes) lines.push(`  - ${note.subject}: ${note.message}`);
  };
  section('Changes the first apply would make (adoption never makes them silently):', ['change'], style.bad);
  section('Left out of the entry (the model cannot describe them):', ['left-out'], style.warn);
  section('Warnings (written as Okta has them):', ['warning'], style.warn);
  if (result.modelWarnings.length > 0) {
    lines.push('', style.warn('validate will warn:'));
    for (const warning of result.modelWarnings) lines.push(`  - ${warning}`);
  }
  if (result.serviceApp.length > 0) {
    lines.push('', 'The entry names the Okta service app by variable: set them wherever the stacks or verify run:');
    for (const variable of result.serviceApp) lines.push(`  - ${variable}`);
  }
  lines.push('', 'Check by hand (not readable through the APIs; the console step holds the base URL and the token):');
  for (const fact of result.consoleFacts) lines.push(`  - ${fact}`);
  for (const note of result.notes.filter((n) => n.kind === 'console')) lines.push(`  - ${note.subject}: ${note.message}`);

  lines.push(
    '',
    `Next: okta-dynatrace-scim validate --tenants ${file} && okta-dynatrace-scim synth --tenants ${file} --tenant ${result.tenant}; ` +
      `the plan must show the ${count(result.imports.length, 'import')} above and no create or replace; apply, then okta-dynatrace-scim verify --tenants ${file} --tenant ${result.tenant}.`,
  );
  return `${lines.join('\n')}\n`;
}
