/**
 * One GitHub issue per drifted tenant, kept in step with the nightly drift check:
 *
 * - drifted, no open issue → create one (label {@link DRIFT_LABEL}, hidden marker {@link driftMarker});
 * - drifted, open issue → update its body (never a second issue);
 * - clean, open issue → comment and close it;
 * - not checked (could not check, the job failed or was cancelled, no result) → leave everything as it is.
 *
 * Open issues are found by label and marker, so renaming or editing an issue's title does not lose it —
 * and only among the issues the workflow's own identity opened ({@link DriftSyncInput.author}): anyone can
 * open an issue with the label and the marker, and the sync must not edit or close theirs.
 * The body is built from whitelisted fields only: verify's findings (already redacted by verify and by the
 * batch) and the plan summary's addresses and actions, each rendered inert (operations/markdown.ts). No
 * plan text, no value, no environment.
 */
import type { TenantOutcome } from './batch';
import { type GitHubClient, WORKFLOW_BOT } from './github';
import { inlineCode, tableCell, tableCodeCell } from '../markdown';
import { countsText } from './plan-summary';

export const DRIFT_LABEL = 'drift';

export function driftMarker(tenant: string): string {
  return `<!-- okta-dynatrace-scim drift: ${tenant} -->`;
}

const MARKER = /<!-- okta-dynatrace-scim drift: ([a-z][a-z0-9-]*[a-z0-9]) -->/;
const BODY_LIMIT = 60_000;

export interface DriftSyncInput {
  /** Every tenant of the tenants file, in file order. */
  readonly tenants: readonly string[];
  /** Drift results by tenant (`batch drift` result.json). */
  readonly outcomes: ReadonlyMap<string, TenantOutcome>;
  readonly runUrl?: string;
  /** When the check ran, as shown in the issue (ISO 8601). */
  readonly checkedAt: string;
  /** Login of the identity the sync writes as; only its issues are updated or closed. @default {@link WORKFLOW_BOT} */
  readonly author?: string;
}

export interface DriftSyncReport {
  readonly created: string[];
  readonly updated: string[];
  readonly closed: string[];
  readonly clean: string[];
  /** Not checked this time: issues left as they are. */
  readonly unchecked: string[];
  /** Open drift issues of tenants no longer in the tenants file (left open for a human). */
  readonly orphaned: string[];
}

interface OpenIssue {
  readonly number: number;
  readonly body?: string | null;
  readonly pull_request?: unknown;
  readonly user?: { readonly login?: string } | null;
}

export async function syncDriftIssues(github: GitHubClient, input: DriftSyncInput): Promise<DriftSyncReport> {
  const report: DriftSyncReport = { created: [], updated: [], closed: [], clean: [], unchecked: [], orphaned: [] };
  const open = await github.paginate<OpenIssue>(`${github.repoPath}/issues?labels=${DRIFT_LABEL}&state=open&per_page=100`);
  const issueOf = new Map<string, number>();
  // Oldest first, so a duplicate made by hand never replaces the issue with the history.
  const author = input.author ?? WORKFLOW_BOT;
  for (const issue of [...open].filter((i) => !i.pull_request && i.user?.login === author).sort((a, b) => a.number - b.number)) {
    const tenant = MARKER.exec(issue.body ?? '')?.[1];
    if (tenant && !issueOf.has(tenant)) issueOf.set(tenant, issue.number);
  }
  const known = new Set(input.tenants);
  report.orphaned.push(...[...issueOf.keys()].filter((tenant) => !known.has(tenant)));

  let labelReady = false;
  for (const tenant of input.tenants) {
    const outcome = input.outcomes.get(tenant);
    const issue = issueOf.get(tenant);
    if (outcome?.action !== 'drift' || (outcome.status !== 'drifted' && outcome.status !== 'clean')) {
      report.unchecked.push(tenant);
      continue;
    }
    if (outcome.status === 'clean') {
      report.clean.push(tenant);
      if (issue === undefined) continue;
      await github.request('POST', `${github.repoPath}/issues/${issue}/comments`, { body: `Clean as of ${input.runUrl ? `[the drift check](${input.runUrl})` : 'the drift check'} on ${input.checkedAt}: \`verify\` finds the live setup in sync and the plan has no changes. Closing.` });
      await github.request('PATCH', `${github.repoPath}/issues/${issue}`, { state: 'closed', state_reason: 'completed' });
      report.closed.push(tenant);
      continue;
    }
    const body = issueBody(outcome, input);
    if (issue !== undefined) {
      await github.request('PATCH', `${github.repoPath}/issues/${issue}`, { body });
      report.updated.push(tenant);
      continue;
    }
    if (!labelReady) {
      await ensureLabel(github);
      labelReady = true;
    }
    await github.request('POST', `${github.repoPath}/issues`, { title: `Drift: tenant ${tenant}`, body, labels: [DRIFT_LABEL] });
    report.created.push(tenant);
  }
  return report;
}

/** Creates the label when the repository lacks it: GitHub drops unknown labels for some tokens, and the issue would then never be found again. */
async function ensureLabel(github: GitHubClient): Promise<void> {
  try {
    await github.request('GET', `${github.repoPath}/labels/${DRIFT_LABEL}`);
  } catch (error) {
    if ((error as { status?: number }).status !== 404) throw error;
    await github.request('POST', `${github.repoPath}/labels`, { name: DRIFT_LABEL, color: 'd93f0b', description: 'A tenant differs from the tenants file (okta-dynatrace-scim nightly drift check)' });
  }
}

export function issueBody(outcome: TenantOutcome, input: Pick<DriftSyncInput, 'runUrl' | 'checkedAt'>): string {
  const lines = [
    driftMarker(outcome.tenant),
    `**Tenant ${inlineCode(outcome.tenant)} differs from the tenants file.** Found by ${input.runUrl ? `[the nightly drift check](${input.runUrl})` : 'the nightly drift check'}; last checked ${input.checkedAt}.`,
    '',
  ];
  if (outcome.verify) {
    const findings = outcome.verify.findings.filter((f) => f.status !== 'ok');
    lines.push(`**verify** (the live Okta app and the Dynatrace SCIM token against the tenants file): ${inlineCode(outcome.verify.result)}`, '');
    if (findings.length > 0) {
      // Objects named as `terraform plan` / `pulumi preview` name them, where verify knows the object.
      lines.push('| object | attribute | expected | actual | status |', '|---|---|---|---|---|');
      for (const f of findings.slice(0, 100)) lines.push(`| ${cell(f.address ?? f.area)} | ${cell(f.attribute ?? f.field)} | ${tableCodeCell(f.expected, CELL_MAX)} | ${tableCodeCell(f.actual, CELL_MAX)} | ${cell(f.status)} |`);
      if (findings.length > 100) lines.push(`| … ${findings.length - 100} more | | | | |`);
      lines.push('');
    }
  }
  for (const engine of outcome.engines) {
    const what = engine.engine === 'terraform' ? '`terraform plan`' : '`pulumi preview`';
    if (!engine.summary) {
      lines.push(`**${engine.engine}**: ${what} stopped at ${inlineCode(engine.step)} (exit ${engine.exitCode}); see the run's logs.`, '');
      continue;
    }
    lines.push(`**${engine.engine}** — what an apply would change: ${countsText(engine.summary.counts)}`, '');
    for (const change of engine.summary.changes.slice(0, 100)) lines.push(`- ${inlineCode(change.address)} — ${change.action}`);
    if (engine.summary.changes.length > 100) lines.push(`- … ${engine.summary.changes.length - 100} more`);
    if (engine.summary.changes.length > 0) lines.push('');
  }
  lines.push(
    '**What to do**: if the live change was intended, put it into the tenants file in a pull request; otherwise run the `apply` workflow (Run workflow → every tenant) to restore the declared state. See docs/day-2.md, "Nightly drift check".',
    '',
    '<sub>This issue is updated by every drift check and closed once the tenant is clean.</sub>',
  );
  const body = `${lines.join('\n')}\n`;
  return body.length <= BODY_LIMIT ? body : `${body.slice(0, BODY_LIMIT)}\n… (shortened)\n`;
}

const CELL_MAX = 300;

function cell(text: unknown): string {
  return tableCell(String(text ?? ''), CELL_MAX);
}
