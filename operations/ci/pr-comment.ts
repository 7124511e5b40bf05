/**
 * The pull-request comment, readable in ten seconds: first one table row per tenant and engine — add /
 * change / destroy / replace counts from the plan summary and the review's danger flags — then which
 * tenants were left out and why, then the offline review, then per tenant its changes (engine addresses
 * and actions), its console step and its full plan text, collapsed.
 *
 * It holds no value from a plan: counts, addresses and actions come from the summary; the plan text is
 * the engine's own redacted rendering, with every secret value the job knew replaced as well. GitHub
 * rejects comments over 65,536 characters, so parts are shortened in order of least use: plan texts
 * first, then the review, then table rows of tenants without changes.
 */
import { REVIEW_MARKER } from '../review/markdown';
import type { ReviewSummary, SelectionReport } from './handoff';
import type { TenantOutcome } from './batch';
import { fencedBlock, htmlText, inertProse, inlineCode, plainText, tableCell } from '../markdown';
import { countsText, hasChanges, type PlanCounts, type PlanSummary } from './plan-summary';

/** The sticky comment's marker: the review's, so the comment that replaced the review-only one is found again. */
export const COMMENT_MARKER = REVIEW_MARKER;

/** GitHub's limit for an issue or pull-request comment body. */
export const COMMENT_LIMIT = 65_536;

export interface TenantPlanInput {
  readonly outcome: TenantOutcome;
  /** Engine transcript text by engine. */
  readonly transcripts: Readonly<Record<string, string>>;
  /** `console-step.md` of the tenant's synthesized stack, when there is one. */
  readonly consoleStep?: string;
}

export interface CommentInput {
  readonly selection?: SelectionReport;
  readonly review?: ReviewSummary;
  /** The review as Markdown (`review --out`). */
  readonly reviewMarkdown?: string;
  readonly plans: ReadonlyMap<string, TenantPlanInput>;
  readonly runUrl?: string;
  /** @default {@link COMMENT_LIMIT} */
  readonly limit?: number;
}

interface Row {
  readonly tenant: string;
  readonly removed: boolean;
  readonly plan?: TenantPlanInput;
  readonly dangers: readonly string[];
}

export function buildComment(input: CommentInput): string {
  const limit = (input.limit ?? COMMENT_LIMIT) - 200;
  const rows = tableRows(input);
  const head = [
    COMMENT_MARKER,
    '## Okta → Dynatrace SCIM plan',
    '',
    headline(input, rows),
    '',
    '<sub>Plans run read-only: read credentials, no SCIM token, no state lock, no new Pulumi stack. What that hides is noted under each tenant.</sub>',
    '',
  ];
  const dangerCount = rows.reduce((n, row) => n + row.dangers.length, 0);
  if (dangerCount > 0) head.push(`**⚠ ${dangerCount} dangerous change${dangerCount === 1 ? '' : 's'}** — read the review before merging.`, '');

  const tail = [input.runUrl ? `<sub>[Workflow run](${input.runUrl}): full plan texts and per-tenant results are in its artifacts.</sub>` : ''];
  let budget = limit - length(head) - length(tail);
  const table = fitTable(rows, Math.floor(budget * 0.5));
  budget -= length(table);
  const leftOut = fitText(leftOutSection(input.selection), Math.floor(budget * 0.15));
  budget -= leftOut.length;
  const review = input.reviewMarkdown ? fitText(`### Review\n\n${stripReviewHeading(input.reviewMarkdown)}`, Math.floor(budget * 0.4), '\n\n… (review shortened: run `okta-dynatrace-scim review` for all of it)\n') : '';
  budget -= review.length;
  const details = detailsSections(rows, budget);
  return `${[...head, ...table, '', leftOut, review, ...details, ...tail].filter((part, i, all) => part !== '' || all[i - 1] !== '').join('\n').trim()}\n`;
}

function headline(input: CommentInput, rows: readonly Row[]): string {
  const selection = input.selection;
  const planned = rows.filter((r) => !r.removed).length;
  if (!selection) return `**${planned} tenant${planned === 1 ? '' : 's'} planned.**`;
  const total = selection.tenants.length;
  const since = selection.ref ? ` (changed since ${inlineCode(selection.ref)})` : '';
  const parts = [`**${planned} of ${total} tenant${total === 1 ? '' : 's'} planned**${since}`];
  if (total > planned) parts.push(`${total - planned} left out, unchanged`);
  if (selection.removed.length > 0) parts.push(`${selection.removed.length} removed (destroy planned for review; apply never destroys)`);
  return parts.join(' · ');
}

function tableRows(input: CommentInput): Row[] {
  const dangersOf = (tenant: string): string[] => input.review?.tenants.find((t) => t.tenant === tenant)?.findings.filter((f) => f.severity === 'danger').map((f) => f.title) ?? [];
  const planned = input.selection ? input.selection.tenants.filter((t) => t.selected).map((t) => t.tenant) : [...input.plans.keys()].filter((t) => input.plans.get(t)?.outcome.action !== 'plan-destroy');
  const removed = input.selection ? input.selection.removed.map((t) => t.tenant) : [...input.plans.keys()].filter((t) => input.plans.get(t)?.outcome.action === 'plan-destroy');
  const rows = [...planned.map((tenant) => ({ tenant, removed: false })), ...removed.map((tenant) => ({ tenant, removed: true }))].map(({ tenant, removed: isRemoved }): Row => {
    const plan = input.plans.get(tenant);
    return { tenant, removed: isRemoved, dangers: dangersOf(tenant), ...(plan ? { plan } : {}) };
  });
  // What needs eyes first: failures, dangers, changes; quiet tenants last.
  const rank = (row: Row): number => (!row.plan || row.plan.outcome.status !== 'ok' ? 0 : row.dangers.length > 0 ? 1 : changed(row) ? 2 : 3);
  return rows.map((row, index) => ({ row, index })).sort((a, b) => rank(a.row) - rank(b.row) || a.index - b.index).map(({ row }) => row);
}

function changed(row: Row): boolean {
  return row.plan?.outcome.engines.some((e) => e.summary !== undefined && hasChanges(e.summary)) ?? false;
}

const TABLE_HEAD = ['| tenant | engine | add | change | destroy | replace | danger | result |', '|---|---|--:|--:|--:|--:|---|---|'];

function tableLines(row: Row): string[] {
  const name = `${inlineCode(row.tenant)}${row.removed ? ' (removed)' : ''}`;
  const danger = tableCell(row.dangers.map((d) => `⚠ ${d}`).join('; '));
  if (!row.plan) return [`| ${name} | | | | | | ${danger} | ⏳ no result: its job did not finish (see the run) |`];
  const { outcome } = row.plan;
  if (outcome.engines.length === 0) return [`| ${name} | | | | | | ${danger} | ❌ ${tableCell(outcome.message ?? String(outcome.status))} |`];
  return outcome.engines.map((engine) => {
    const counts = engine.summary?.counts;
    const numbers = counts ? [counts.add, counts.change, counts.destroy, counts.replace].join(' | ') : '– | – | – | –';
    return `| ${name} | ${tableCell(engine.engine)} | ${numbers} | ${danger} | ${engine.ok ? `✅ ${row.removed ? 'destroy plan' : 'planned'}${extras(counts)}` : `❌ stopped at ${tableCell(inlineCode(engine.step))} (exit ${Number(engine.exitCode)})`} |`;
  });
}

function extras(counts: PlanCounts | undefined): string {
  const parts = [counts?.import ? `${counts.import} import` : '', counts?.forget ? `${counts.forget} forget` : ''].filter(Boolean);
  return parts.length > 0 ? ` (+ ${parts.join(', ')})` : '';
}

/** Rows until the budget is used; tenants without changes collapse into one line first. */
function fitTable(rows: readonly Row[], budget: number): string[] {
  const lines = [...TABLE_HEAD];
  const quiet = rows.filter((row) => row.plan?.outcome.status === 'ok' && row.dangers.length === 0 && !changed(row));
  const loud = rows.filter((row) => !quiet.includes(row));
  let used = length(lines);
  let shown = 0;
  for (const row of loud) {
    const rowLines = tableLines(row);
    if (used + length(rowLines) > budget - 300) break;
    lines.push(...rowLines);
    used += length(rowLines);
    shown++;
  }
  const hidden = loud.length - shown;
  if (quiet.length > 0) lines.push(`| ${quiet.length} tenant${quiet.length === 1 ? '' : 's'} | | 0 | 0 | 0 | 0 | | ✅ no changes${quiet.length <= 20 ? `: ${quiet.map((r) => inlineCode(r.tenant)).join(', ')}` : ''} |`);
  if (hidden > 0) lines.push(`| … ${hidden} more | | | | | | | not shown (comment size limit): see the run's artifacts |`);
  return lines;
}

function leftOutSection(selection: SelectionReport | undefined): string {
  if (!selection) return '';
  const lines: string[] = [];
  if (selection.shared.length > 0) {
    lines.push(`Every tenant is planned: shared input${selection.shared.length === 1 ? '' : 's'} changed — ${selection.shared.map((s) => inlineCode(s.path)).join(', ')}.`, '');
  }
  const leftOut = selection.tenants.filter((t) => !t.selected);
  if (leftOut.length > 0) {
    lines.push(
      `<details><summary>${leftOut.length} tenant${leftOut.length === 1 ? '' : 's'} left out: unchanged since <code>${htmlText(selection.ref ?? '')}</code></summary>`,
      '',
      'Same resolved entry in the tenants file, same `Pulumi.<tenant>.yaml` and backend, and no shared input changed (docs/day-2.md, "Which tenants a run plans"):',
      '',
      leftOut.map((t) => inlineCode(t.tenant)).join(', '),
      '',
      '</details>',
      '',
    );
  }
  return lines.join('\n');
}

function detailsSections(rows: readonly Row[], budget: number): string[] {
  const withPlans = rows.filter((row) => row.plan && (row.plan.outcome.engines.length > 0 || row.plan.consoleStep || row.plan.outcome.notes?.length));
  if (withPlans.length === 0) return [];
  const out = ['### Plans', ''];
  let left = budget - length(out) - 200;
  let omitted = 0;
  for (const [index, row] of withPlans.entries()) {
    // Each remaining tenant gets an equal share of what is left, so one huge plan cannot crowd out the rest.
    const share = Math.floor(left / (withPlans.length - index));
    const section = tenantDetails(row, share);
    if (section === undefined) {
      omitted++;
      continue;
    }
    out.push(section);
    left -= section.length + 1;
  }
  if (omitted > 0) out.push(`Plan texts of ${omitted} more tenant${omitted === 1 ? '' : 's'} are in the run's artifacts (comment size limit).`);
  return out;
}

/** One tenant's collapsed section within `budget` characters, or undefined when even its skeleton does not fit. */
function tenantDetails(row: Row, budget: number): string | undefined {
  const plan = row.plan!;
  const parts: string[] = [];
  if (plan.outcome.notes?.length) parts.push(`**Not seen by this read-only plan**:\n\n${plan.outcome.notes.map((note) => `- ${inertProse(note)}`).join('\n')}\n`);
  for (const engine of plan.outcome.engines) {
    if (engine.summary) parts.push(changeList(engine.engine, engine.summary));
  }
  if (plan.consoleStep) parts.push(`**Console step** (after the first apply):\n\n${inertProse(plan.consoleStep.trim())}\n`);
  const what = plan.outcome.engines.map((e) => `${e.engine}: ${e.summary ? countsText(e.summary.counts) : `stopped at ${e.step}`}`).join('; ') || plan.outcome.status;
  const title = `<details><summary><code>${htmlText(row.tenant)}</code>${row.removed ? ' (removed: destroy plan)' : ''} — ${htmlText(what)}</summary>\n`;
  const skeleton = `${title}\n${parts.join('\n')}\n</details>\n`;
  if (skeleton.length > budget) return undefined;
  const texts = plan.outcome.engines.filter((e) => plan.transcripts[e.engine]);
  let room = budget - skeleton.length;
  const fenced = texts.map((engine, i) => {
    const share = Math.floor(room / (texts.length - i));
    const block = fence(`${engine.engine === 'terraform' ? 'terraform plan' : 'pulumi preview'} output`, plan.transcripts[engine.engine], share);
    room -= block.length;
    return block;
  });
  return `${title}\n${[...parts, ...fenced].join('\n')}\n</details>\n`;
}

function changeList(engine: string, summary: PlanSummary): string {
  if (summary.changes.length === 0 && !summary.unseen?.length) return `**${engine}**: no changes.\n`;
  const shown = summary.changes.slice(0, 50).map((c) => `- ${inlineCode(c.address)} — ${c.action}${c.importing && c.action !== 'import' ? ' (import)' : ''}`);
  if (summary.changes.length > 50) shown.push(`- … ${summary.changes.length - 50} more`);
  for (const u of summary.unseen ?? []) shown.push(`- ${inlineCode(u.address)} — not compared: ${inertProse(u.what)}`);
  return `**${engine}**:\n\n${shown.join('\n')}\n`;
}

/** A collapsed code block of at most `budget` characters; keeps the end of long output (the summary lines are there). */
function fence(title: string, text: string, budget: number): string {
  const plain = plainText(text, { multiline: true });
  const frame = (body: string): string => `<details><summary>${title}</summary>\n\n${fencedBlock(body)}\n</details>\n`;
  const room = budget - frame('').length - 80;
  if (room <= 200) return `_${title}: in the run's artifacts (comment size limit)._\n`;
  return frame(plain.length > room ? `… (first ${plain.length - room} characters cut; all of it is in the run's artifacts)\n${plain.slice(-room)}` : plain);
}

function fitText(text: string, budget: number, note = '\n… (shortened)\n'): string {
  if (text.length <= budget) return text;
  return budget > note.length + 100 ? `${text.slice(0, budget - note.length)}${note}` : '';
}

/** The review's own marker and heading go: the comment has them once. */
function stripReviewHeading(markdown: string): string {
  return markdown.replace(COMMENT_MARKER, '').replace(/^\s*## [^\n]*\n/, '').trim() + '\n';
}


function length(lines: readonly string[]): number {
  return lines.reduce((n, line) => n + line.length + 1, 0);
}
