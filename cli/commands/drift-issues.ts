/**
 * `drift-issues --results <dir>`: after the nightly drift check, opens, updates or closes one GitHub
 * issue per tenant from the per-tenant results (operations/ci/drift-issues.ts). Needs GITHUB_TOKEN with
 * `issues: write` and GITHUB_REPOSITORY; GITHUB_API_URL picks the API (GitHub Enterprise, tests).
 * Exit 0 when the issues are in step, 2 when GitHub could not be updated.
 */
import { appendFileSync } from 'node:fs';
import { syncDriftIssues } from '../../operations/ci/drift-issues';
import { authorLogin, type GitHubClient, GitHubError, githubFromEnv, workflowRunUrl } from '../../operations/ci/github';
import { fencedBlock } from '../../operations/markdown';
import { readResults } from '../../operations/ci/results';
import type { Io } from './output';
import { selectTenants } from './tenants';

export interface DriftIssuesOptions {
  readonly results: string;
  readonly tenants: string;
  readonly github?: GitHubClient;
  /** Login the token acts as; only its issues are updated or closed. @default github-actions[bot] */
  readonly author?: string;
  /** @default now */
  readonly checkedAt?: string;
}

export async function runDriftIssues(options: DriftIssuesOptions, io: Io): Promise<number> {
  const tenants = selectTenants(options.tenants).map((t) => t.name);
  const author = authorLogin(options.author);
  const results = readResults(options.results, (warning) => io.stderr.write(`${warning}\n`));
  const github = options.github ?? githubFromEnv(io.env);
  const env = io.env;
  const runUrl = workflowRunUrl(env);
  try {
    const report = await syncDriftIssues(github, {
      tenants,
      outcomes: new Map([...results].map(([tenant, result]) => [tenant, result.outcome])),
      checkedAt: options.checkedAt ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      author,
      ...(runUrl ? { runUrl } : {}),
    });
    const lines = [
      `drift issues: ${report.created.length} opened, ${report.updated.length} updated, ${report.closed.length} closed; ${report.clean.length} tenants clean, ${report.unchecked.length} not checked (issues left as they are)`,
      ...report.created.map((t) => `  opened  ${t}`),
      ...report.updated.map((t) => `  updated ${t}`),
      ...report.closed.map((t) => `  closed  ${t}`),
      ...report.unchecked.map((t) => `  not checked ${t}: ${results.has(t) ? results.get(t)!.outcome.status : 'no result (its job failed or was cancelled)'}`),
      ...report.orphaned.map((t) => `  open issue of ${t}, which is no longer in ${options.tenants}: left open`),
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `### Drift issues\n\n${fencedBlock(lines.join('\n'))}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    io.stderr.write(`drift-issues: ${error.message}\n`);
    return 2;
  }
}
