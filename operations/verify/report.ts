/**
 * `verify` results: the exit-code rule, a table for humans (colour only on a TTY without NO_COLOR), and
 * JSON for CI. Nothing here sees a secret; the command additionally redacts known secret values from
 * everything it writes.
 */
import { escapeControls } from '../../constructs/model/quote';
import { EXIT } from '../exit-codes';
import { mapStrings } from '../map-strings';
import type { Engine } from '../../constructs/resources/names';
import { type Finding, findingLabel, type FindingStatus } from './findings';
import { LIVE_STAGE_WORDS, type StageReport } from './stage';

export type VerifyResult = 'in-sync' | 'drift' | 'could-not-check';

export interface TenantReport {
  readonly tenant: string;
  /** `<orgName>.<baseDomain>` */
  readonly okta: string;
  readonly appId?: string;
  /** The declared and the live rollout stage, and the next step. */
  readonly stage: StageReport;
  readonly result: VerifyResult;
  readonly exitCode: number;
  readonly counts: Record<FindingStatus, number>;
  readonly findings: readonly Finding[];
  /** What verify deliberately did not read, and why (said once per tenant). */
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
}

export interface VerifyReport {
  readonly result: VerifyResult;
  readonly exitCode: number;
  readonly strict: boolean;
  /** Whose names `address` and `attribute` use: `terraform plan`'s or `pulumi preview`'s. */
  readonly engine: Engine;
  readonly tenants: readonly TenantReport[];
}

export function countFindings(findings: readonly Finding[]): Record<FindingStatus, number> {
  const counts: Record<FindingStatus, number> = { ok: 0, drift: 0, unknown: 0, error: 0 };
  for (const finding of findings) counts[finding.status]++;
  return counts;
}

/**
 * The rule: any drift → 1 (it is certain, and actionable, even when something else could not be checked);
 * else any error → 2; else any unknown → 2 with `strict`, 0 without (fields Okta does not expose are a
 * warning, not a failure); else 0.
 */
export function outcome(counts: Record<FindingStatus, number>, strict: boolean): { result: VerifyResult; exitCode: number } {
  if (counts.drift > 0) return { result: 'drift', exitCode: EXIT.differences };
  if (counts.error > 0 || (strict && counts.unknown > 0)) return { result: 'could-not-check', exitCode: EXIT.couldNotCheck };
  return { result: 'in-sync', exitCode: EXIT.ok };
}

export function tenantReport(
  input: { tenant: string; okta: string; appId?: string; stage: StageReport; findings: Finding[]; notes: string[]; warnings: string[] },
  strict: boolean,
): TenantReport {
  const counts = countFindings(input.findings);
  const { tenant, okta, appId, stage, findings, notes, warnings } = input;
  return { tenant, okta, ...(appId ? { appId } : {}), stage, ...outcome(counts, strict), counts, findings, notes, warnings };
}

export function verifyReport(tenants: readonly TenantReport[], strict: boolean, engine: Engine): VerifyReport {
  const total: Record<FindingStatus, number> = { ok: 0, drift: 0, unknown: 0, error: 0 };
  for (const t of tenants) for (const k of Object.keys(total) as FindingStatus[]) total[k] += t.counts[k];
  return { ...outcome(total, strict), strict, engine, tenants };
}

export function renderJson(report: VerifyReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export interface RenderOptions {
  readonly colour: boolean;
}

/** Colour only on a terminal and never with NO_COLOR (https://no-color.org) or TERM=dumb. */
export function useColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

const MAX_CELL = 72;

export function renderHuman(live: VerifyReport, options: RenderOptions): string {
  // Labels, names and error summaries come from live systems: terminal controls in them (an escape sequence,
  // a line break that fakes a row, a bidirectional override) are shown as escapes, never acted on.
  const report = mapStrings(live, escapeControls);
  const paint = (code: number) => (text: string) => (options.colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const style = { ok: paint(32), drift: paint(31), error: paint(31), unknown: paint(33), dim: paint(2), bold: paint(1) };
  const label: Record<FindingStatus, string> = { ok: 'ok', drift: 'DRIFT', unknown: 'UNKNOWN', error: 'ERROR' };
  const out: string[] = [];

  for (const t of report.tenants) {
    out.push(style.bold(`${t.tenant}`) + style.dim(`  okta ${t.okta}${t.appId ? ` · app ${t.appId}` : ''}`));
    out.push(`  stage: declared ${t.stage.declared}, live ${LIVE_STAGE_WORDS[t.stage.live]} → next: ${t.stage.next}`);
    // The object and attribute as the engine names them; the area and field for what no resource holds.
    const rows = t.findings.map((f) => [label[f.status], f.address ?? f.area, f.attribute ?? f.field, cell(f.expected), cell(f.actual)]);
    const head = ['STATUS', 'OBJECT', 'ATTRIBUTE', 'EXPECTED', 'ACTUAL'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]): string => `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
    out.push(style.dim(line(head)));
    t.findings.forEach((f, i) => {
      const cells = rows[i]!;
      const text = line(cells);
      // Colour the status word only, after padding, so alignment is unaffected.
      out.push(text.replace(cells[0]!, style[f.status](cells[0]!)));
    });
    const notes = t.findings.filter((f) => f.status !== 'ok' && f.hint);
    for (const f of notes) {
      // A cell cut short in the table is given in full here, before the hint.
      const full = cell(f.actual) === f.actual ? '' : `${f.actual} — `;
      out.push(`  ${style[f.status]('→')} ${findingLabel(f)}: ${full}${f.hint}`);
    }
    for (const n of t.notes) out.push(`  ${style.dim('note:')} ${n}`);
    for (const w of t.warnings) out.push(`  ${style.unknown('warning:')} ${w}`);
    out.push(`  ${summary(t.result, t.counts, report.strict, style)}`);
    out.push('');
  }

  const n = report.tenants.length;
  const drifted = report.tenants.filter((t) => t.result === 'drift').length;
  const unchecked = report.tenants.filter((t) => t.result === 'could-not-check').length;
  const parts = [`${n} tenant${n === 1 ? '' : 's'} checked`];
  if (drifted) parts.push(`${drifted} with drift`);
  if (unchecked) parts.push(`${unchecked} could not be fully checked`);
  const unknown = report.tenants.reduce((sum, t) => sum + t.counts.unknown, 0);
  if (unknown > 0 && !report.strict) {
    out.push(style.unknown(`warning: ${unknown} field${unknown === 1 ? '' : 's'} to check by hand (UNKNOWN: not readable through the public APIs, or left out of the answer), as the hints say (--strict makes this exit 2)`));
  }
  out.push(`verify: ${parts.join(', ')} → ${resultWords(report.result)} (exit ${report.exitCode})`);
  return `${out.join('\n')}\n`;
}

function summary(result: VerifyResult, counts: Record<FindingStatus, number>, strict: boolean, style: Record<'ok' | 'drift' | 'unknown' | 'error', (s: string) => string>): string {
  const detail = (['ok', 'drift', 'unknown', 'error'] as const)
    .filter((k) => counts[k] > 0)
    .map((k) => `${counts[k]} ${k === 'error' && counts[k] > 1 ? 'errors' : k}`)
    .join(', ');
  const words = resultWords(result) + (result === 'in-sync' && counts.unknown > 0 && !strict ? ' (with fields to check by hand)' : '');
  const paint = result === 'in-sync' ? (counts.unknown > 0 ? style.unknown : style.ok) : result === 'drift' ? style.drift : style.error;
  return `${paint(words)} (${detail || 'nothing checked'})`;
}

function resultWords(result: VerifyResult): string {
  return result === 'in-sync' ? 'in sync' : result === 'drift' ? 'drift found' : 'could not check';
}

function cell(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > MAX_CELL ? `${oneLine.slice(0, MAX_CELL - 1)}…` : oneLine;
}
