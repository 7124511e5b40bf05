/**
 * `review --base <ref>`: the desired state at a git ref against the working tree, per tenant, as Markdown.
 * Offline, no credentials. Exit 0: no dangerous change; 3: a dangerous change is present.
 */
import { writeFileSync } from 'node:fs';
import { EXIT } from '../../operations/exit-codes';
import { SpecError } from '../../constructs/model/errors';
import type { ResolvedTenant } from '../../constructs/model/tenant';
import type { Engine } from '../../constructs/resources/names';
import { reviewTenants } from '../../operations/review/diff';
import { readFileAtRef } from '../../operations/review/git';
import { reviewMarkdown } from '../../operations/review/markdown';
import { inlineCode } from '../../operations/markdown';
import { loadTenants, parseTenants } from '../../constructs/tenants/file';
import type { Io } from './output';

export interface ReviewOptions {
  readonly base: string;
  readonly tenants: string;
  /** Also write the Markdown to this file (for the PR comment). */
  readonly out?: string;
  readonly json?: boolean;
  /** Whose names the review uses (`terraform plan` addresses or `pulumi preview` names). @default 'terraform' */
  readonly engine?: Engine;
}

export function runReview(options: ReviewOptions, io: Io): number {
  const head = loadTenants(options.tenants);
  const baseText = readFileAtRef(options.tenants, options.base);
  let base: ResolvedTenant[] = [];
  if (baseText !== undefined) {
    try {
      base = parseTenants(baseText, `${options.base}:${options.tenants}`);
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      throw new SpecError(
        [...error.issues, { path: `${options.base}:${options.tenants}`, message: 'the base version does not validate with the current model', fix: 'review against a newer base, or fix the base first' }],
      );
    }
  }
  const review = reviewTenants(base, head, options.engine ?? 'terraform');
  const markdown = reviewMarkdown(review, { title: `${inlineCode(options.base)} → working tree${baseText === undefined ? ` (no ${options.tenants} at base: every tenant is new)` : ''}` });
  if (options.out) writeFileSync(options.out, markdown);
  io.stdout.write(options.json ? `${JSON.stringify(review, null, 2)}\n` : markdown);
  return review.dangerous ? EXIT.dangerous : EXIT.ok;
}
