/**
 * The `okta-dynatrace-scim` command line. Only commander loads up front: each command requires its
 * module (and the model, cdktf or @pulumi/*) inside its action, so `--help` stays fast. `require`, not
 * `import()`: the bin shim runs this file through tsx's CommonJS loader, which hooks `require` only.
 *
 * Exit codes: 0 success · 1 invalid input or usage (the message says which field and how to fix it) ·
 * 2 unexpected error (a bug or the environment; `--debug` shows the stack) · 3 `review` found a
 * dangerous change.
 */
import { Command, CommanderError, Option } from 'commander';
import { processIo, type Io } from './commands/output';

export const EXIT = { ok: 0, invalid: 1, unexpected: 2, dangerous: 3 } as const;

const DEFAULT_TENANTS = 'tenants.yaml';
const DEFAULT_OUT = 'cdktf.out';

const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  invalid input or usage: the message names the field (path) and the fix
  2  unexpected error (add --debug for the stack trace)
  3  review: a dangerous change is present (see the report)
  verify has its own: 0 in sync, 1 drift found, 2 could not check, 64 bad configuration

Environment:
  NO_COLOR   disables colour (colour and progress are shown only on a terminal)
  TENANTS_FILE  read by the engine entry points (stacks/cdktf.ts, stacks/pulumi.ts), not by this CLI

Docs: docs/day-2.md (add a tenant, review, apply), docs/verify.md`;

function tenantsOption(): Option {
  return new Option('-t, --tenants <file>', 'tenants file').default(DEFAULT_TENANTS);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('okta-dynatrace-scim')
    .description('Okta SCIM provisioning to Dynatrace as code: validate the tenants file, synthesize one CDKTF and one Pulumi stack per tenant, review changes offline, verify live setups.')
    .option('--debug', 'print stack traces of unexpected errors')
    // Before the subcommands: they inherit it, so usage errors come back as exit codes, never process.exit.
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .addHelpText('after', `
Examples:
  $ npx okta-dynatrace-scim validate
  $ npx okta-dynatrace-scim synth --tenant acme
  $ npx okta-dynatrace-scim review --base origin/main
  $ npx okta-dynatrace-scim verify --tenant acme
${EXIT_CODES_HELP}`);

  program
    .command('validate')
    .description('check the tenants file: one OK line per tenant, or every problem with its path and fix')
    .addOption(tenantsOption())
    .option('--json', 'print the resolved summary as JSON')
    .addHelpText('after', '\nExample:\n  $ okta-dynatrace-scim validate --tenants tenants.yaml')
    .action(async (opts: { tenants: string; json?: boolean }) => {
      const { runValidate } = require('./commands/validate') as typeof import('./commands/validate');
      setExit(runValidate({ tenants: opts.tenants, json: Boolean(opts.json) }, io));
    });

  program
    .command('synth')
    .description('write one CDKTF stack per tenant (<out>/stacks/<tenant>/cdk.tf.json), render the Pulumi programs offline, refresh Pulumi.<tenant>.yaml')
    .addOption(tenantsOption())
    .option('-o, --out <dir>', 'output folder for the Terraform JSON', DEFAULT_OUT)
    .option('--tenant <name>', 'only this tenant (repeatable)', collect)
    .option('--no-pulumi', 'skip the offline Pulumi rendering in the report')
    .addHelpText('after', '\nExamples:\n  $ okta-dynatrace-scim synth\n  $ okta-dynatrace-scim synth --tenant acme --tenant globex --out build/cdktf.out\n  then: terraform -chdir=cdktf.out/stacks/acme init && terraform -chdir=cdktf.out/stacks/acme plan')
    .action(async (opts: { tenants: string; out: string; tenant?: string[]; pulumi: boolean }) => {
      const { runSynth } = require('./commands/synth') as typeof import('./commands/synth');
      const debug = Boolean(program.opts<{ debug?: boolean }>().debug);
      setExit(await runSynth({ tenants: opts.tenants, out: opts.out, ...(opts.tenant ? { tenant: opts.tenant } : {}), pulumi: opts.pulumi, sourceMaps: debug }, io));
    });

  program
    .command('review')
    .description('compare the desired state at a git ref with the working tree and print a Markdown review per tenant, flagging dangerous changes (offline, no credentials)')
    .requiredOption('-b, --base <ref>', 'git ref to compare against, e.g. origin/main')
    .addOption(tenantsOption())
    .option('--out <file>', 'also write the Markdown to this file (for a PR comment)')
    .option('--json', 'print the review as JSON instead of Markdown')
    .addHelpText('after', '\nExit code 3 when a dangerous change is present (0 otherwise, 1 for invalid input).\n\nExamples:\n  $ okta-dynatrace-scim review --base origin/main\n  $ okta-dynatrace-scim review --base HEAD~1 --out review.md || test $? -eq 3')
    .action(async (opts: { base: string; tenants: string; out?: string; json?: boolean }) => {
      const { runReview } = require('./commands/review') as typeof import('./commands/review');
      setExit(runReview({ base: opts.base, tenants: opts.tenants, ...(opts.out ? { out: opts.out } : {}), json: Boolean(opts.json) }, io));
    });

  program
    .command('stacks')
    .description('write Pulumi.<tenant>.yaml for every tenant next to Pulumi.yaml (secret config already in them is kept)')
    .addOption(tenantsOption())
    .option('--dir <folder>', 'folder holding Pulumi.yaml (default: the tenants file\'s folder)')
    .option('--check', 'only check that the files are in sync (exit 1 if not)')
    .addHelpText('after', '\nExamples:\n  $ okta-dynatrace-scim stacks\n  $ okta-dynatrace-scim stacks --check')
    .action(async (opts: { tenants: string; dir?: string; check?: boolean }) => {
      const { runStacks } = require('./commands/stacks') as typeof import('./commands/stacks');
      setExit(runStacks({ tenants: opts.tenants, ...(opts.dir ? { dir: opts.dir } : {}), check: Boolean(opts.check) }, io));
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
    .description('run one CI job\'s batch of tenants in sequence: plan, plan-destroy, apply or drift, each tenant with only its own secrets, results per tenant in <results>/<tenant>/')
    .argument('<action>', 'plan | plan-destroy | apply | drift')
    .requiredOption('--batch <names>', 'tenant names, space-separated (a matrix entry\'s "tenants")')
    .addOption(tenantsOption())
    .option('--engine <engine>', 'terraform | pulumi | both (apply refuses both)', 'terraform')
    .option('--synth-dir <dir>', 'synth output folder holding stacks/<tenant>', DEFAULT_OUT)
    .option('--results <dir>', 'folder for the per-tenant results (result.json, the engine transcripts)', 'results')
    .option('--secrets-json-env <variable>', 'read secret values from this variable holding a JSON object (GitHub: toJSON(secrets)) instead of the environment')
    .addHelpText('after', '\nExit codes: 0 every tenant done (drift: clean) · 1 drift found · 2 a tenant could not be planned, applied or checked · 64 invalid input or usage\n\nExamples:\n  $ okta-dynatrace-scim batch plan --batch "acme globex"\n  $ SECRETS_JSON=\'{"ACME_DT_SCIM_TOKEN":"…"}\' okta-dynatrace-scim batch drift --batch acme --secrets-json-env SECRETS_JSON')
    .action(async (action: string, opts: { batch: string; tenants: string; engine: string; synthDir: string; results: string; secretsJsonEnv?: string }) => {
      const { runBatchCommand } = require('./commands/batch') as typeof import('./commands/batch');
      setExit(await runBatchCommand({ action, tenants: opts.tenants, batch: opts.batch, engine: opts.engine, synthDir: opts.synthDir, results: opts.results, ...(opts.secretsJsonEnv ? { secretsJsonEnv: opts.secretsJsonEnv } : {}) }, io));
    });

  program
    .command('pr-comment')
    .description('build the pull-request comment — per-tenant table of plan counts and danger flags, tenants left out and why, the review, each plan collapsed — and with --pr post it as the one sticky comment')
    .requiredOption('--results <dir>', 'per-tenant results of the plan jobs (<dir>/<tenant>/result.json)')
    .option('--selection <file>', 'the matrix --report file (which tenants were planned or left out, and why)')
    .option('--review <file>', 'review --json output (danger flags per tenant)')
    .option('--review-md <file>', 'review --out Markdown, embedded after the table')
    .option('--synth-dir <dir>', 'synth output folder (console-step.md per tenant)', DEFAULT_OUT)
    .option('--out <file>', 'write the comment to this file')
    .option('--pr <number>', 'post to this pull request: update the bot comment carrying the marker, or create it (GITHUB_TOKEN, GITHUB_REPOSITORY)')
    .addHelpText('after', '\nExit codes: 0 built (and posted) · 2 GitHub refused the comment · 64 invalid input\n\nExample:\n  $ okta-dynatrace-scim pr-comment --results results --selection selection.json --review review.json --review-md review.md --pr 42')
    .action(async (opts: { results: string; selection?: string; review?: string; reviewMd?: string; synthDir: string; out?: string; pr?: string }) => {
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
    .addHelpText('after', '\nNeeds GITHUB_TOKEN (issues: write) and GITHUB_REPOSITORY; GITHUB_API_URL overrides the API.\nExit codes: 0 issues in step · 2 GitHub could not be updated · 64 invalid input\n\nExample:\n  $ okta-dynatrace-scim drift-issues --results results')
    .action(async (opts: { results: string; tenants: string }) => {
      const { runDriftIssues } = require('./commands/drift-issues') as typeof import('./commands/drift-issues');
      setExit(await runDriftIssues({ results: opts.results, tenants: opts.tenants }, io));
    });

  program
    .command('verify')
    .description('read-only check of the live setup per tenant: Okta app, provisioning connection, Dynatrace SCIM token (needs credentials)')
    .addOption(tenantsOption())
    .option('--tenant <name>', 'only this tenant')
    .option('--json', 'print the result as JSON')
    .option('--timeout <ms>', 'timeout per HTTP request in milliseconds', (v) => Number.parseInt(v, 10))
    .option('--strict', 'treat fields that cannot be read through the public API (connection status UNKNOWN) as "could not check" (exit 2)')
    .addHelpText('after', '\nExit codes: 0 in sync, 1 drift found, 2 could not check (credentials, network, rate limit), 64 bad configuration\n\nExample:\n  $ ACME_DT_SCIM_TOKEN=… OKTA_API_TOKEN=… okta-dynatrace-scim verify --tenant acme')
    .action(async (opts: { tenants: string; tenant?: string; json?: boolean; timeout?: number; strict?: boolean }) => {
      const { runVerify } = require('./commands/verify') as typeof import('./commands/verify');
      setExit(
        await runVerify({
          tenantsFile: opts.tenants,
          ...(opts.tenant ? { tenant: opts.tenant } : {}),
          json: Boolean(opts.json),
          ...(opts.timeout ? { timeoutMs: opts.timeout } : {}),
          strict: Boolean(opts.strict),
          env: io.env,
          stdout: io.stdout,
          stderr: io.stderr,
        }),
      );
    });

  return program;
}

/** Runs the CLI and resolves to its exit code; never calls process.exit (testable in-process). */
export async function run(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help / --version exit 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? EXIT.ok : EXIT.invalid;
    }
    // Duck-typed: errors from node's fs (or another realm) are not always `instanceof Error` here.
    const err = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; message?: unknown; stack?: unknown };
    if (err.name === 'SpecError') {
      io.stderr.write(`${String(err.message)}\n`);
      return EXIT.invalid;
    }
    const message = typeof err.message === 'string' ? err.message : String(error);
    io.stderr.write(`okta-dynatrace-scim: unexpected error: ${message}\n`);
    io.stderr.write(debug && typeof err.stack === 'string' ? `${err.stack}\n` : 'Run again with --debug for the stack trace; please report it if it persists.\n');
    return EXIT.unexpected;
  }
}

if (require.main === module) {
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
