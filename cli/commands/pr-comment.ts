/**
 * `pr-comment`: builds the pull-request comment from what the plan workflow produced (selection report,
 * review, per-tenant results, console steps) and, with `--post`, creates or updates the one sticky
 * comment on the pull request (found by its marker, written by a bot).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authorLogin, type GitHubClient, GitHubError, githubFromEnv, WORKFLOW_BOT, workflowRunUrl } from '../../operations/ci/github';
import { buildComment, COMMENT_MARKER, type TenantPlanInput } from '../../operations/ci/pr-comment';
import { readReviewSummary, readSelection } from '../../operations/ci/handoff';
import { readResults } from '../../operations/ci/results';
import { CONSOLE_STEP_FILE } from '../../constructs/model/console-step';
import { SpecError } from '../../constructs/model/errors';
import type { Io } from './output';
import { quoteValue } from '../../constructs/model/quote';

export interface PrCommentOptions {
  readonly results: string;
  readonly selection?: string;
  readonly review?: string;
  readonly reviewMarkdown?: string;
  readonly synthDir: string;
  readonly out?: string;
  /** Post to this pull request (needs GITHUB_TOKEN and GITHUB_REPOSITORY). */
  readonly pr?: string;
  /** Login the token acts as; only its comment is updated. @default {@link WORKFLOW_BOT} */
  readonly author?: string;
  readonly github?: GitHubClient;
}

export async function runPrComment(options: PrCommentOptions, io: Io): Promise<number> {
  const env = io.env;
  const runUrl = workflowRunUrl(env);
  const body = buildComment({
    ...(options.selection ? { selection: readSelection(options.selection) } : {}),
    ...(options.review ? { review: readReviewSummary(options.review) } : {}),
    ...(options.reviewMarkdown && existsSync(options.reviewMarkdown) ? { reviewMarkdown: readFileSync(options.reviewMarkdown, 'utf8') } : {}),
    plans: plansWithConsoleSteps(options.results, options.synthDir, (warning) => io.stderr.write(`${warning}\n`)),
    ...(runUrl ? { runUrl } : {}),
  });
  if (options.out) writeFileSync(options.out, body);
  if (options.pr === undefined) {
    if (!options.out) io.stdout.write(body);
    return 0;
  }
  if (!/^[1-9]\d*$/.test(options.pr)) throw new SpecError([{ path: '--pr', message: `${quoteValue(options.pr)} is not a pull-request number`, fix: 'pass ${{ github.event.pull_request.number }}' }]);
  const author = authorLogin(options.author);
  const github = options.github ?? githubFromEnv(env);
  try {
    const action = await postStickyComment(github, Number(options.pr), body, author);
    io.stdout.write(`${action} the plan comment on pull request #${options.pr} (${body.length} characters)\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    io.stderr.write(`pr-comment: ${error.message}\n`);
    return 2;
  }
}

/** Updates the comment carrying the marker that `author` (the token's identity) wrote, or creates it. */
export async function postStickyComment(github: GitHubClient, pr: number, body: string, author = WORKFLOW_BOT): Promise<'updated' | 'created'> {
  const comments = await github.paginate<{ id: number; body?: string; user?: { login?: string } }>(`${github.repoPath}/issues/${pr}/comments?per_page=100`);
  const mine = comments.find((c) => c.user?.login === author && c.body?.includes(COMMENT_MARKER));
  if (mine) {
    await github.request('PATCH', `${github.repoPath}/issues/comments/${mine.id}`, { body });
    return 'updated';
  }
  await github.request('POST', `${github.repoPath}/issues/${pr}/comments`, { body });
  return 'created';
}

/** The results, each with its tenant's console step from the synth output when there is one. */
function plansWithConsoleSteps(dir: string, synthDir: string, warn: (message: string) => void): Map<string, TenantPlanInput> {
  const plans = new Map<string, TenantPlanInput>();
  for (const [tenant, result] of readResults(dir, warn)) {
    const consoleStepFile = join(synthDir, 'stacks', tenant, CONSOLE_STEP_FILE);
    plans.set(tenant, { ...result, ...(existsSync(consoleStepFile) ? { consoleStep: readFileSync(consoleStepFile, 'utf8') } : {}) });
  }
  return plans;
}
