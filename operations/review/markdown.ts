/** Markdown rendering of a {@link Review}, for the terminal and for the pull-request comment. */
import type { AttributeChange, Finding, Review, TenantReview } from './diff';
import { inertProse, inlineCode } from '../markdown';

export interface MarkdownOptions {
  /** What was compared, e.g. "origin/main → working tree". */
  readonly title?: string;
}

/** Marker the CI workflow uses to find and update its own comment. */
export const REVIEW_MARKER = '<!-- okta-dynatrace-scim review -->';

export function reviewMarkdown(review: Review, options: MarkdownOptions = {}): string {
  const dangers = review.tenants.flatMap((t) => t.findings.filter((f) => f.severity === 'danger'));
  const lines = [REVIEW_MARKER, `## Okta → Dynatrace SCIM review${options.title ? `: ${inertProse(options.title)}` : ''}`, ''];
  lines.push(
    dangers.length > 0
      ? `**⚠ ${dangers.length} dangerous change${dangers.length === 1 ? '' : 's'}** — read them before merging.`
      : review.tenants.every((t) => t.status === 'unchanged')
        ? 'No change to any tenant.'
        : 'No dangerous change.',
  );
  for (const tenant of review.tenants) {
    if (tenant.status === 'unchanged') continue;
    lines.push('', ...tenantSection(tenant));
  }
  const unchanged = review.tenants.filter((t) => t.status === 'unchanged').map((t) => `\`${t.tenant}\``);
  if (unchanged.length > 0 && unchanged.length < review.tenants.length) lines.push('', `Unchanged: ${unchanged.join(', ')}.`);
  lines.push('', `<sub>Desired state only (offline, from the tenants file), named as ${review.engine === 'terraform' ? '`terraform plan`' : '`pulumi preview`'} names them; the plan/preview shows what the live objects need.</sub>`);
  return `${lines.join('\n')}\n`;
}

function tenantSection(tenant: TenantReview): string[] {
  const stage = tenant.stage.before !== undefined && tenant.stage.after !== undefined && tenant.stage.before !== tenant.stage.after ? `, stage ${tenant.stage.before} → ${tenant.stage.after}` : tenant.stage.after !== undefined ? `, stage ${tenant.stage.after} of 2` : '';
  const lines = [`### Tenant ${inlineCode(tenant.tenant)} — ${tenant.status === 'added' ? 'new' : tenant.status}${stage}`];
  const dangers = tenant.findings.filter((f) => f.severity === 'danger');
  const notices = tenant.findings.filter((f) => f.severity === 'notice');
  if (dangers.length > 0) lines.push('', ...dangers.map((f) => finding('⚠ **Dangerous:**', f)));
  if (notices.length > 0) lines.push('', ...notices.map((f) => finding('ℹ **Note:**', f)));
  if (tenant.settings.length > 0) {
    lines.push('', '**Settings**', '', ...tenant.settings.map((c) => `- ${attributeChange(c)}`));
  }
  const section = (heading: string, kinds: readonly string[]): void => {
    const items = tenant.resources.filter((r) => kinds.includes(r.change));
    if (items.length === 0) return;
    lines.push('', `**${heading}**`, '');
    for (const item of items) {
      const replaced = item.kinds ? ` (replaced: ${item.kinds.before} → ${item.kinds.after})` : '';
      lines.push(`- ${inlineCode(item.address)}${inertProse(replaced)}`);
      if (item.change === 'changed' || item.change === 'replaced') lines.push(...item.attributes.map((c) => `  - ${attributeChange(c)}`));
      else if (item.change === 'added') lines.push(...item.attributes.map((c) => `  - ${inlineCode(c.attribute)} = ${code(c.after)}`));
    }
  };
  section('Added', ['added']);
  section('Changed', ['changed', 'replaced']);
  section('Removed', ['removed']);
  return lines;
}

/** Findings interpolate tenants-file values (labels, group names) into our Markdown: rendered inert. */
function finding(prefix: string, f: Finding): string {
  return `- ${prefix} ${inertProse(`${f.title}. ${f.detail}`).replace(/\n/g, ' ')}`;
}

function attributeChange(c: AttributeChange): string {
  const name = inlineCode(c.attribute);
  if (c.before === undefined) return `${name}: (unset) → ${code(c.after)}`;
  if (c.after === undefined) return `${name}: ${code(c.before)} → (unset)`;
  return `${name}: ${code(c.before)} → ${code(c.after)}`;
}

function code(value: string | undefined): string {
  return value === undefined ? '(unset)' : inlineCode(value);
}
