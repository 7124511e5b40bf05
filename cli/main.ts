/**
 * The `okta-dynatrace-scim` command line. Only commander and small option helpers load up front: each
 * command requires its module (and the model, cdktf or @pulumi/*) inside its action, so `--help` stays fast. `require`, not
 * `import()`: the bin shim runs this file through tsx's CommonJS loader, which hooks `require` only.
 *
 * Exit codes are the same for every command ({@link EXIT}, listed in {@link EXIT_CODES_HELP}).
 */
import { Command, CommanderError, Help, Option } from 'commander';
import { packageManifest } from '../constructs/engines';
import { LISTED_PROBLEMS, type SpecError } from '../constructs/model/errors';
import { EXIT } from '../operations/exit-codes';
import { DEFAULT_TIMEOUT_MS } from '../operations/verify/timeouts';
import { defaultEngine, ENGINE_VARIABLE } from './commands/engine';
import { type Io, problemsText, processIo } from './commands/output';

export { EXIT } from '../operations/exit-codes';

const DEFAULT_TENANTS = 'tenants.yaml';
/** The synth output folder: `synth` writes it, `batch` and `pr-comment` read it; `--synth-dir` in all three. */
const DEFAULT_SYNTH_DIR = 'cdktf.out';

/** The exit-code table, as the README's "Exit codes" section has it (a test keeps both equal to {@link EXIT}). */
export const EXIT_CODES_HELP = `
Exit codes (every command):
  0   success; verify: in sync
  1   differences found: drift (verify, batch drift); stacks --check, workflows --check found files out of date
  2   could not check, read or finish: credentials, network, timeout, rate limit, unexpected answer (verify, discover, batch); GitHub refused (pr-comment, drift-issues)
  3   review found a dangerous change
  64  invalid input or usage: bad or missing tenants file, unknown tenant, bad option value, usage error, engine package not installed; discover: no Dynatrace integration in the org, or several without --app
  70  unexpected error, i.e. a bug: --debug prints the stack trace
  141 output closed early (e.g. | head): the command stops silently (128 + SIGPIPE, as shells report it)`;

/**
 * The codes each command exits with, on the last line of its help, in one format; 70 and 141 are the
 * same for every command and listed with the rest in the program's help.
 */
export const COMMAND_EXIT_CODES = {
  validate: '0 valid · 64 invalid',
  synth: '0 written · 64 invalid input or usage',
  review: '0 no dangerous change · 3 a dangerous change · 64 invalid input or usage',
  stacks: '0 written, or in sync · 1 --check: files out of date · 64 invalid input or usage',
  matrix: '0 printed · 64 invalid input or usage',
  batch: '0 every tenant done (drift: clean) · 1 drift found · 2 a tenant could not be planned, applied or checked · 64 invalid input or usage',
  'pr-comment': '0 built (and posted) · 2 GitHub refused the comment · 64 invalid input or usage',
  'drift-issues': '0 issues in step · 2 GitHub could not be updated · 64 invalid input or usage',
  verify: '0 in sync · 1 drift found · 2 could not check · 64 invalid input or usage',
  'providers-lock': '0 written · 64 invalid input, or terraform could not lock the providers',
  trust: '0 decided (approval required or not) · 64 invalid input or usage',
  workflows: "0 written, or in step · 1 --check: a tenant's secret is not mapped by its bucket's job · 64 invalid input or usage",
  discover: '0 entry written (or printed, or listed) · 2 Okta or Dynatrace could not be read · 64 invalid input or usage: no Dynatrace integration in the org, several without --app, the tenant or the app already in the tenants file',
} as const;

function tenantsOption(): Option {
  return new Option('-t, --tenants <file>', 'tenants file').default(DEFAULT_TENANTS);
}

function synthDirOption(description: string): Option {
  return new Option('--synth-dir <dir>', description).default(DEFAULT_SYNTH_DIR);
}

/** `--timeout`: checked by the command (timeoutProblem), which answers a bad value with exit 64: `abc` becomes NaN, `0` stays 0. */
function timeoutOption(): Option {
  return new Option('--timeout <ms>', 'timeout per HTTP request in milliseconds, connecting included').argParser(Number).default(DEFAULT_TIMEOUT_MS);
}

/**
 * `--engine`: checked by the command ({@link chooseEngine}), so a bad value, given or from
 * `OKTA_SCIM_ENGINE`, gets one message everywhere. The help says where the default comes from.
 */
function engineOption(io: Io, description: string): Option {
  return new Option('--engine <engine>', description).default(defaultEngine(io.env), `$${ENGINE_VARIABLE}, else terraform`);
}

/** `--engine`'s value, and whether the user gave it (else it is the default). */
function engineOf(command: Command): [string, boolean] {
  return [command.opts<{ engine: string }>().engine, command.getOptionValueSource('engine') === 'cli'];
}

/** commander's description of an option, with `(default: …)` also where only the default's description is known. */
function describeOption(this: Help, option: Option): string {
  const text = Help.prototype.optionDescription.call(this, option);
  return option.defaultValue === undefined && option.defaultValueDescription ? `${text} (default: ${option.defaultValueDescription})` : text;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('okta-dynatrace-scim')
    .description('Okta SCIM provisioning to Dynatrace as code: validate the tenants file, synthesize one CDKTF and one Pulumi stack per tenant, review changes offline, verify live setups, discover integrations set up by hand.')
    .version(packageManifest().version, '-V, --version', 'print the version and exit')
    .option('--debug', 'print stack traces of unexpected errors')
    .option('--all-problems', `list every problem of invalid input, not only the first ${LISTED_PROBLEMS}`)
    // Before the subcommands: they inherit it, so usage errors come back as exit codes, never process.exit.
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    // Each command's help shows the options every command takes (--debug, --all-problems), and every
    // default in one form: commander's, also for defaults that depend on other input (described, not a value).
    .configureHelp({ showGlobalOptions: true, optionDescription: describeOption })
    .addHelpText('after', `
Examples:
  $ npx okta-dynatrace-scim validate
  $ npx okta-dynatrace-scim synth --tenant acme
  $ npx okta-dynatrace-scim review --base origin/main
  $ npx okta-dynatrace-scim verify --tenant acme
  $ npx okta-dynatrace-scim discover --org acme --scim-base-url https://api.sso.dynatrace.com/idm/public/scim/<account-uuid>/v2

Environment:
  NO_COLOR          disables colour (colour and progress are shown only on a terminal)
  ${ENGINE_VARIABLE}  default of --engine (review, verify, batch, discover): terraform, pulumi or both
  TENANTS_FILE      read by the engine entry points (stacks/cdktf.ts, stacks/pulumi.ts), not by this CLI

Docs: docs/day-2.md (add a tenant, review, apply), docs/verify.md
${EXIT_CODES_HELP}`);

  program
    .command('validate')
    .description('check the tenants file: one OK line per tenant, or every problem with its path and fix')
    .addOption(tenantsOption())
    .option('--json', 'print the resolved summary as JSON')
    .addHelpText('after', '\nExample:\n  $ okta-dynatrace-scim validate --tenants tenants.yaml')
    .action(async (opts: { tenants: string; json?: boolean }) => {
      const { runValidate } = require('./commands/validate') as typeof import('./commands/validate');
      setExit(runValidate({ tenants: opts.tenants, json: Boolean(opts.json), allProblems: Boolean(program.opts<{ allProblems?: boolean }>().allProblems) }, io));
    });

  program
    .command('synth')
    .description('write one CDKTF stack per tenant (<synth-dir>/stacks/<tenant>/cdk.tf.json), render the Pulumi programs offline, refresh Pulumi.<tenant>.yaml')
    .addOption(tenantsOption())
    .addOption(synthDirOption('output folder: the Terraform JSON and console step of each tenant'))
    .addOption(new Option('-o, --out <dir>', 'deprecated spelling of --synth-dir').hideHelp())
    .option('--tenant <name>', 'only this tenant (repeatable)', collect)
    .option('--no-pulumi', 'skip the offline Pulumi rendering in the report')
    .addHelpText('after', '\nExamples:\n  $ okta-dynatrace-scim synth\n  $ okta-dynatrace-scim synth --tenant acme --tenant globex --synth-dir build/cdktf.out\n  then: terraform -chdir=cdktf.out/stacks/acme init && terraform -chdir=cdktf.out/stacks/acme plan')
    .action(async (opts: { tenants: string; synthDir: string; out?: string; tenant?: string[]; pulumi: boolean }, command: Command) => {
      const { runSynth } = require('./commands/synth') as typeof import('./commands/synth');
      const debug = Boolean(program.opts<{ debug?: boolean }>().debug);
      const synthDir = { value: opts.synthDir, given: command.getOptionValueSource('synthDir') === 'cli' };
      setExit(await runSynth({ tenants: opts.tenants, synthDir, ...(opts.out !== undefined ? { deprecatedOut: opts.out } : {}), ...(opts.tenant ? { tenant: opts.tenant } : {}), pulumi: opts.pulumi, sourceMaps: debug }, io));
    });

  program
    .command('review')
    .description('compare the desired state at a git ref with the working tree and print a Markdown review per tenant, flagging dangerous changes (offline, no credentials)')
    .requiredOption('-b, --base <ref>', 'git ref to compare against, e.g. origin/main')
    .addOption(tenantsOption())
    .option('--out <file>', 'also write the Markdown to this file (for a PR comment)')
    .option('--json', 'print the review as JSON instead of Markdown')
    .addOption(engineOption(io, 'name objects as this engine does: terraform or pulumi'))
    .addHelpText('after', '\nExamples:\n  $ okta-dynatrace-scim review --base origin/main\n  $ okta-dynatrace-scim review --base HEAD~1 --engine pulumi --out review.md || test $? -eq 3')
    .action(async (opts: { base: string; tenants: string; out?: string; json?: boolean }, command: Command) => {
      const { runReview } = require('./commands/review') as typeof import('./commands/review');
      const { chooseEngine, ONE_ENGINE } = require('./commands/engine') as typeof import('./commands/engine');
      const engine = chooseEngine(...engineOf(command), ONE_ENGINE);
      setExit(runReview({ base: opts.base, tenants: opts.tenants, ...(opts.out ? { out: opts.out } : {}), json: Boolean(opts.json), engine }, io));
    });

  program
    .command('stacks')
    .description('write Pulumi.<tenant>.yaml for every tenant next to Pulumi.yaml (secret config already in them is kept)')
    .addOption(tenantsOption())
    .addOption(new Option('--pulumi-dir <dir>', 'folder holding Pulumi.yaml').default(undefined, 'the tenants file\'s folder'))
    .option('--check', 'only check that the files are in sync (exit 1 if not)')
    .addHelpText('after', '\nExamples:\n  $ okta-dynatrace-scim stacks\n  $ okta-dynatrace-scim stacks --check')
    .action(async (opts: { tenants: string; pulumiDir?: string; check?: boolean }) => {
      const { runStacks } = require('./commands/stacks') as typeof import('./commands/stacks');
      setExit(runStacks({ tenants: opts.tenants, ...(opts.pulumiDir !== undefined ? { pulumiDir: opts.pulumiDir } : {}), check: Boolean(opts.check) }, io));
    });

  program
    .command('matrix')
    .description('print the CI job matrix as JSON: tenants in at most 64 jobs (stable buckets), only validated names, never secrets; --changed-since lists only tenants whose desired state changed')
    .addOption(tenantsOption())
    .option('--tenant <name>', 'only this tenant (repeatable)', collect)
    .option('--changed-since <ref>', 'only tenants whose resolved entry, Pulumi.<tenant>.yaml or backend changed since this git ref (every tenant when a shared input changed)')
    .option('--report <file>', 'write every tenant, planned or left out, with the reason, as JSON (read by pr-comment)')
    .option('--removed-out <file>', 'write the entries of tenants removed since --changed-since, as a tenants file, when there are any')
    .addHelpText('after', '\nStderr says for each tenant why it is planned or left out. Rules: docs/day-2.md, "Which tenants a run plans".\n\nExamples (GitHub Actions):\n  $ echo "matrix=$(npx okta-dynatrace-scim matrix)" >> "$GITHUB_OUTPUT"\n  $ npx okta-dynatrace-scim matrix --changed-since origin/main --report selection.json')
    .action(async (opts: { tenants: string; tenant?: string[]; changedSince?: string; report?: string; removedOut?: string }) => {
      const { runMatrix } = require('./commands/matrix') as typeof import('./commands/matrix');
      setExit(
        runMatrix(
          {
            tenants: opts.tenants,
            ...(opts.tenant ? { tenant: opts.tenant } : {}),
            ...(opts.changedSince ? { changedSince: opts.changedSince } : {}),
            ...(opts.report ? { report: opts.report } : {}),
            ...(opts.removedOut ? { removedOut: opts.removedOut } : {}),
          },
          io,
        ),
      );
    });

  program
    .command('batch')
    .description('run one CI job\'s tenants in sequence: plan, plan-destroy, apply or drift, each tenant with only its own secrets, results per tenant in <results>/<tenant>/')
    .argument('<action>', 'plan | plan-destroy | apply | drift')
    .option('--batch <names>', 'tenant names, space-separated')
    .option('--bucket <id>', 'instead of --batch: the tenants of this bucket in --selection (selected ones; removed ones for plan-destroy)')
    .option('--selection <file>', 'the matrix --report file, with --bucket')
    .addOption(tenantsOption())
    .addOption(engineOption(io, 'the engine to run: terraform, pulumi or both (apply refuses both)'))
    .addOption(synthDirOption('synth output folder holding stacks/<tenant>'))
    .addOption(new Option('--results <dir>', 'folder for the per-tenant results (result.json, the engine transcripts)').default('results'))
    .addHelpText('after', '\nSecrets are read by name from the environment (the names the tenants file gives); the engines inherit only PATH, HOME, locale, proxies and CA settings besides their own tenant\'s secrets. plan, plan-destroy and drift are read-only: no SCIM token, no state lock, no new Pulumi stack.\n\nExamples:\n  $ okta-dynatrace-scim batch plan --batch "acme globex"\n  $ okta-dynatrace-scim batch apply --bucket 07 --selection selection.json --engine terraform')
    .action(async (action: string, opts: { batch?: string; bucket?: string; selection?: string; tenants: string; synthDir: string; results: string }, command: Command) => {
      const { runBatchCommand } = require('./commands/batch') as typeof import('./commands/batch');
      const [engine, engineGiven] = engineOf(command);
      setExit(
        await runBatchCommand(
          {
            action,
            tenants: opts.tenants,
            ...(opts.batch !== undefined ? { batch: opts.batch } : {}),
            ...(opts.bucket !== undefined ? { bucket: opts.bucket } : {}),
            ...(opts.selection !== undefined ? { selection: opts.selection } : {}),
            engine,
            engineGiven,
            synthDir: opts.synthDir,
            results: opts.results,
          },
          io,
        ),
      );
    });

  program
    .command('providers-lock')
    .description('maintainers: write the Terraform dependency lock file (.terraform.lock.hcl, exact provider versions and hashes) next to the tenants file, to commit; CI installs providers only as it pins them')
    .addOption(tenantsOption())
    .addHelpText('after', '\nRuns terraform providers lock for linux, macOS and Windows: needs terraform and the Terraform registry.\n\nExample:\n  $ okta-dynatrace-scim providers-lock && git add .terraform.lock.hcl')
    .action(async (opts: { tenants: string }) => {
      const { runProvidersLock } = require('./commands/providers-lock') as typeof import('./commands/providers-lock');
      setExit(runProvidersLock({ tenants: opts.tenants }, io));
    });

  program
    .command('trust')
    .description('CI: decide whether a pull request may plan with the read credentials at once (tenant data only, no credential going anywhere new) or needs a maintainer\'s approval; reads the pull request\'s files from git, never runs them')
    .requiredOption('--base <sha>', 'the base commit (github.event.pull_request.base.sha)')
    .requiredOption('--head <sha>', 'the pull request\'s merge commit (github.sha)')
    .addOption(new Option('--repo <dir>', 'git repository holding both commits').default('.'))
    .addOption(tenantsOption())
    .addOption(new Option('--same-repository <bool>', 'whether the branch is in this repository, not a fork').default('false'))
    .option('--github-output <file>', 'append approval=required|not-required to this file ($GITHUB_OUTPUT)')
    .addHelpText('after', '\nRules: docs/day-2.md, "Which pull requests wait for a maintainer".\n\nExample:\n  $ okta-dynatrace-scim trust --repo pr --base "$BASE_SHA" --head "$HEAD_SHA" --same-repository true --github-output "$GITHUB_OUTPUT"')
    .action(async (opts: { base: string; head: string; repo: string; tenants: string; sameRepository: string; githubOutput?: string }) => {
      const { runTrust } = require('./commands/trust') as typeof import('./commands/trust');
      setExit(runTrust({ base: opts.base, head: opts.head, repo: opts.repo, tenants: opts.tenants, sameRepository: opts.sameRepository === 'true', ...(opts.githubOutput ? { githubOutput: opts.githubOutput } : {}) }, io));
    });

  program
    .command('workflows')
    .description('rewrite the generated bucket jobs of .github/workflows/{plan,apply,drift}.yml: one job per bucket, mapping exactly its tenants\' secrets by name')
    .addOption(tenantsOption())
    .addOption(new Option('--workflows-dir <dir>', 'folder holding the workflow files').default('.github/workflows'))
    .option('--check', 'write nothing; exit 1 when a tenant\'s secret is not mapped by its bucket\'s job')
    .addHelpText('after', '\nExamples:\n  $ okta-dynatrace-scim workflows\n  $ okta-dynatrace-scim workflows --check')
    .action(async (opts: { tenants: string; workflowsDir: string; check?: boolean }) => {
      const { runWorkflows } = require('./commands/workflows') as typeof import('./commands/workflows');
      setExit(runWorkflows({ tenants: opts.tenants, dir: opts.workflowsDir, check: Boolean(opts.check) }, io));
    });

  program
    .command('pr-comment')
    .description('build the pull-request comment — per-tenant table of plan counts and danger flags, tenants left out and why, the review, each plan collapsed — and with --pr post it as the one sticky comment')
    .requiredOption('--results <dir>', 'per-tenant results of the plan jobs (<dir>/<tenant>/result.json)')
    .option('--selection <file>', 'the matrix --report file (which tenants were planned or left out, and why)')
    .option('--review <file>', 'review --json output (danger flags per tenant)')
    .option('--review-md <file>', 'review --out Markdown, embedded after the table')
    .addOption(synthDirOption('synth output folder (console-step.md per tenant)'))
    .option('--out <file>', 'write the comment to this file')
    .option('--pr <number>', 'post to this pull request: update the comment carrying the marker that --author wrote, or create it (GITHUB_TOKEN, GITHUB_REPOSITORY)')
    .addOption(new Option('--author <login>', 'the login GITHUB_TOKEN acts as; only its comment is ever updated').default('github-actions[bot]'))
    .addHelpText('after', '\nExample:\n  $ okta-dynatrace-scim pr-comment --results results --selection selection.json --review review.json --review-md review.md --pr 42')
    .action(async (opts: { results: string; selection?: string; review?: string; reviewMd?: string; synthDir: string; out?: string; pr?: string; author: string }) => {
      const { runPrComment } = require('./commands/pr-comment') as typeof import('./commands/pr-comment');
      setExit(
        await runPrComment(
          {
            results: opts.results,
            synthDir: opts.synthDir,
            ...(opts.selection ? { selection: opts.selection } : {}),
            ...(opts.review ? { review: opts.review } : {}),
            ...(opts.reviewMd ? { reviewMarkdown: opts.reviewMd } : {}),
            ...(opts.out ? { out: opts.out } : {}),
            ...(opts.pr ? { pr: opts.pr } : {}),
            author: opts.author,
          },
          io,
        ),
      );
    });

  program
    .command('drift-issues')
    .description('after the drift check: open or update one GitHub issue per drifted tenant, close it once the tenant is clean, leave unchecked tenants alone')
    .requiredOption('--results <dir>', 'per-tenant results of the drift jobs (<dir>/<tenant>/result.json)')
    .addOption(tenantsOption())
    .addOption(new Option('--author <login>', 'the login GITHUB_TOKEN acts as; only issues it opened are ever updated or closed').default('github-actions[bot]'))
    .addHelpText('after', '\nNeeds GITHUB_TOKEN (issues: write) and GITHUB_REPOSITORY; GITHUB_API_URL overrides the API.\n\nExample:\n  $ okta-dynatrace-scim drift-issues --results results')
    .action(async (opts: { results: string; tenants: string; author: string }) => {
      const { runDriftIssues } = require('./commands/drift-issues') as typeof import('./commands/drift-issues');
      setExit(await runDriftIssues({ results: opts.results, tenants: opts.tenants, author: opts.author }, io));
    });

  program
    .command('verify')
    .description('read-only check of the live setup per tenant: rollout stage and next step, Okta app, assignments and pushes, Dynatrace groups and bindings, SCIM token (needs credentials)')
    .addOption(tenantsOption())
    .option('--tenant <name>', 'only this tenant (repeatable)', collect)
    .option('--json', 'print the result as JSON')
    .addOption(timeoutOption())
    .option('--strict', 'treat fields that must be checked by hand (UNKNOWN: not readable through the public API, or not returned) as "could not check" (exit 2)')
    .addOption(engineOption(io, 'name objects as this engine does: terraform or pulumi'))
    .addHelpText('after', '\nExamples:\n  $ ACME_DT_SCIM_TOKEN=… OKTA_API_TOKEN=… okta-dynatrace-scim verify --tenant acme\n  $ okta-dynatrace-scim verify --tenant acme --tenant globex --engine pulumi --json')
    .action(async (opts: { tenants: string; tenant?: string[]; json?: boolean; timeout: number; strict?: boolean }, command: Command) => {
      const { runVerify } = require('./commands/verify') as typeof import('./commands/verify');
      const [engine, engineGiven] = engineOf(command);
      setExit(
        await runVerify({
          tenantsFile: opts.tenants,
          ...(opts.tenant ? { tenant: opts.tenant } : {}),
          json: Boolean(opts.json),
          timeoutMs: opts.timeout,
          strict: Boolean(opts.strict),
          engine,
          engineGiven,
          allProblems: Boolean(program.opts<{ allProblems?: boolean }>().allProblems),
          env: io.env,
          stdout: io.stdout,
          stderr: io.stderr,
        }),
      );
    });

  program
    .command('discover')
    .description('find the Dynatrace integrations an admin set up by hand in an Okta org (SCIM 2.0 test apps, the Dynatrace SSO app), read one, and write its tenant entry so the stacks adopt it by import and change nothing else (read-only towards Okta; needs the same credentials as verify)')
    .requiredOption('--org <orgName>', 'Okta org subdomain: acme for https://acme.okta.com')
    .addOption(new Option('--base-domain <domain>', 'Okta base domain').default('okta.com'))
    .addOption(new Option('--tenant-name <name>', 'name of the tenant to write (it names the stacks)').default(undefined, 'the org name'))
    .addOption(tenantsOption())
    .option('--app <id>', 'the app to adopt when the org has several Dynatrace integrations')
    .option('--scim-base-url <url>', 'the Dynatrace SCIM base URL (Okta does not return it for these apps)')
    .option('--dynatrace-account <uuid>', 'the Dynatrace account: derives the SCIM base URL; with its OAuth client in the environment, the pushed groups\' policies are read too')
    .option('--custom-scim-endpoint', 'the SCIM base URL is not Dynatrace\'s public endpoint (a proxy or a test server)')
    .addOption(new Option('--okta-token-env <name>', 'variable holding the Okta API token, written as the entry\'s credential source (OKTA_API_TOKEN also works, as for verify)').default(undefined, '<TENANT>_OKTA_API_TOKEN'))
    .option('--okta-client-id <id>', 'sign in as this API service app (private key, with DPoP when the app requires it) instead of with an API token; the entry names the app by variable, <TENANT>_OKTA_CLIENT_ID, which each CI environment sets to its own app')
    .addOption(new Option('--okta-private-key-env <name>', 'variable holding that app\'s private key, PEM or JWK (OKTA_API_PRIVATE_KEY also works, as for verify)').default(undefined, '<TENANT>_OKTA_PRIVATE_KEY'))
    .option('--okta-private-key-id <kid>', 'the key id (kid) of that private key, when the app has several (the entry names it by variable, <TENANT>_OKTA_KEY_ID)')
    .addOption(new Option('--dynatrace-client-id-env <name>', 'variable holding the Dynatrace OAuth client id').default(undefined, '<TENANT>_DT_CLIENT_ID'))
    .addOption(new Option('--dynatrace-client-secret-env <name>', 'variable holding the Dynatrace OAuth client secret').default(undefined, '<TENANT>_DT_CLIENT_SECRET'))
    .option('--replace', 'replace the tenant\'s entry if it exists (its backend is kept)')
    .option('--dry-run', 'print the entry instead of writing it')
    .option('--list', 'only list the Dynatrace integrations of the org')
    .option('--json', 'print the result as JSON')
    .addOption(timeoutOption())
    .addOption(engineOption(io, 'name objects as this engine does: terraform or pulumi'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ ACME_OKTA_API_TOKEN=… okta-dynatrace-scim discover --org acme --list\n  $ ACME_OKTA_API_TOKEN=… okta-dynatrace-scim discover --org acme --app 0oa1a2b3c4d5e6f7g8h9 \\\n      --scim-base-url https://api.sso.dynatrace.com/idm/public/scim/6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10/v2\n  then: okta-dynatrace-scim synth --tenant acme (the plan shows imports only), apply, okta-dynatrace-scim verify --tenant acme',
    )
    .action(
      async (opts: {
        org: string;
        baseDomain: string;
        tenantName?: string;
        tenants: string;
        app?: string;
        scimBaseUrl?: string;
        dynatraceAccount?: string;
        customScimEndpoint?: boolean;
        oktaTokenEnv?: string;
        oktaClientId?: string;
        oktaPrivateKeyEnv?: string;
        oktaPrivateKeyId?: string;
        dynatraceClientIdEnv?: string;
        dynatraceClientSecretEnv?: string;
        replace?: boolean;
        dryRun?: boolean;
        list?: boolean;
        json?: boolean;
        timeout: number;
        engine: string;
      }, command: Command) => {
        const { runDiscover } = require('./commands/discover') as typeof import('./commands/discover');
        const { chooseEngine, ONE_ENGINE } = require('./commands/engine') as typeof import('./commands/engine');
        const { tenants, timeout, json, org, tenantName, engine: _engine, ...rest } = opts;
        const engine = chooseEngine(...engineOf(command), ONE_ENGINE);
        setExit(await runDiscover({ ...rest, engine, orgName: org, ...(tenantName !== undefined ? { tenant: tenantName } : {}), tenantsFile: tenants, json: Boolean(json), timeoutMs: timeout }, io));
      },
    );

  // Each command's help ends with its exit codes, in one format; the program's help lists them all.
  for (const command of program.commands) {
    const codes = COMMAND_EXIT_CODES[command.name() as keyof typeof COMMAND_EXIT_CODES];
    command.addHelpText('after', `\nExit codes: ${codes}; 70 and 141 as for every command (okta-dynatrace-scim --help)`);
  }
  return program;
}

/** Runs the CLI and resolves to its exit code; never calls process.exit (testable in-process). */
export async function run(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  const debug = argv.includes('--debug');
  const allProblems = argv.includes('--all-problems');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help / --version exit 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    // Duck-typed: errors from node's fs (or another realm) are not always `instanceof Error` here.
    const err = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; message?: unknown; stack?: unknown };
    if (err.name === 'SpecError') {
      io.stderr.write(`${problemsText(error as SpecError, allProblems)}\n`);
      return EXIT.usage;
    }
    // An engine package the command needs that is not installed: the message names the fix.
    if (err.name === 'MissingEngineError') {
      io.stderr.write(`${String(err.message)}\n`);
      return EXIT.usage;
    }
    const message = typeof err.message === 'string' ? err.message : String(error);
    io.stderr.write(`okta-dynatrace-scim: unexpected error: ${message}\n`);
    io.stderr.write(debug && typeof err.stack === 'string' ? `${err.stack}\n` : 'Run again with --debug for the stack trace; please report it if it persists.\n');
    return EXIT.unexpected;
  }
}

/** The process entry point (the bin shim, `tsx cli/main.ts`): runs the CLI and sets the exit code. */
export function main(argv: readonly string[] = process.argv.slice(2)): void {
  stopQuietlyOnBrokenPipe();
  void run(argv).then((code) => {
    process.exitCode = code;
  });
}

/**
 * When the reader of stdout or stderr goes away (`okta-dynatrace-scim verify --help | head -1`), the next
 * write fails with EPIPE, which Node raises as an uncaught error with a stack trace. Stop at once and
 * silently instead, with the code a shell reports for a program killed by SIGPIPE.
 */
function stopQuietlyOnBrokenPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(EXIT.brokenPipe);
    });
  }
}

if (require.main === module) main();
