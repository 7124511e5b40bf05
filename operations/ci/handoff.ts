/**
 * What one workflow job writes for a later one, and reading it back: the selection report (`matrix
 * --report`, `selection.json`: read by `batch --bucket` and `pr-comment`) and the review (`review --json`,
 * read by `pr-comment`). Such a file is input from another job, so it is checked against the shape its
 * writer gives it (fields, enumerations, name shapes) before anything uses it; `result.json` has its own
 * reader (results.ts). Free text in it (reasons, titles) is made inert where it is rendered.
 */
import { readFileSync } from 'node:fs';
import * as z from '../../constructs/zod';
import { SpecError } from '../../constructs/model/errors';
import { TENANT_NAME } from '../../constructs/model/tenant';
import type { Review } from '../review/diff';

const text = z.string().max(100_000);
const tenantName = z.string().regex(TENANT_NAME);
const bucket = z.string().regex(/^\d{2,3}$/);

const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();

const selectionShape = z.object({
  ref: text.nullable(),
  tenants: list(z.object({ tenant: tenantName, selected: z.boolean(), bucket, reasons: list(text) })),
  removed: list(z.object({ tenant: tenantName, bucket })),
  shared: list(z.object({ path: text, why: text })),
  jobs: z.number().int().min(0),
});

/** The selection as `matrix --report` writes it: every tenant, planned or left out, and why. */
export type SelectionReport = z.output<typeof selectionShape>;

const reviewShape = z.object({
  tenants: list(
    z.object({
      tenant: tenantName,
      status: z.enum(['added', 'removed', 'changed', 'unchanged']),
      findings: list(z.object({ severity: z.enum(['danger', 'notice']), title: text })),
    }),
  ),
});

/** What the comment reads of `review --json` (a {@link Review}): per tenant, its status and the findings' severities and titles. */
export type ReviewSummary = z.output<typeof reviewShape>;

export function readSelection(file: string): SelectionReport {
  return readChecked(file, selectionShape, 'a selection report', 'pass the file `matrix --report` wrote');
}

export function readReviewSummary(file: string): ReviewSummary {
  return readChecked(file, reviewShape, 'a review', 'pass the file `review --json` wrote');
}

function readChecked<T>(file: string, shape: z.ZodType<T>, what: string, fix: string): T {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SpecError([{ path: file, message: `cannot read it as JSON (${(error as NodeJS.ErrnoException).code ?? 'invalid JSON'})`, fix }]);
  }
  const parsed = shape.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SpecError([{ path: file, message: `is not ${what} (${issue.path.join('.') || 'top level'}: ${issue.message})`, fix }]);
  }
  return parsed.data;
}
