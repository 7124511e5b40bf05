/**
 * Reading the per-tenant results folders `batch` writes (`<dir>/<tenant>/result.json` and the engine
 * transcripts), as the comment and drift-issue jobs find them after downloading every job's artifact.
 * An artifact is input from another job, so each result is checked against the shape `batch` writes
 * (fields, enumerations, name shapes) and whatever is not a tenant's result is skipped with a warning,
 * never trusted. Free text in it (messages, verify's findings, plan texts) is made inert where it is
 * rendered (operations/markdown.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from '../../constructs/zod';
import { TENANT_NAME } from '../../constructs/model/tenant';
import { ENGINES } from '../../constructs/resources/names';
import type { TenantOutcome } from './batch';

export interface TenantResult {
  readonly outcome: TenantOutcome;
  /** Engine transcript text by engine. */
  readonly transcripts: Readonly<Record<string, string>>;
}

const text = z.string().max(100_000);
const count = z.number().int().min(0);

const summarySchema = z.object({
  engine: z.enum(ENGINES),
  counts: z.object({ add: count, change: count, destroy: count, replace: count, import: count, forget: count }),
  changes: z.array(z.object({ address: text, action: z.enum(['create', 'update', 'delete', 'replace', 'import', 'forget']), importing: z.boolean().optional() })),
  unseen: z.array(z.object({ address: text, what: text })).optional(),
});

const outcomeSchema = z.object({
  tenant: z.string().regex(TENANT_NAME),
  action: z.enum(['plan', 'plan-destroy', 'apply', 'drift']),
  status: z.enum(['ok', 'failed', 'clean', 'drifted', 'could-not-check']),
  message: text.optional(),
  notes: z.array(text).optional(),
  engines: z.array(
    z.object({
      engine: z.enum(ENGINES),
      ok: z.boolean(),
      step: z.string().regex(/^[a-z][a-z-]{0,30}$/),
      exitCode: z.number().int(),
      summary: summarySchema.optional(),
      transcript: z.enum(['terraform.txt', 'pulumi.txt']),
      adminUrl: z.string().regex(/^https:\/\/[^\s"'<>`]+$/).optional(),
    }),
  ),
  verify: z
    .object({
      result: text,
      exitCode: z.number().int(),
      findings: z.array(z.object({ area: text, field: text, address: text.optional(), attribute: text.optional(), expected: text, actual: text, status: text, hint: text.optional() })),
    })
    .optional(),
});

export function readResults(dir: string, warn: (message: string) => void): Map<string, TenantResult> {
  const results = new Map<string, TenantResult>();
  if (!existsSync(dir)) return results;
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, 'result.json');
    if (!TENANT_NAME.test(name) || !existsSync(file)) continue;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      warn(`skipped ${file}: not JSON`);
      continue;
    }
    const parsed = outcomeSchema.safeParse(json);
    if (!parsed.success || parsed.data.tenant !== name) {
      warn(`skipped ${file}: not the result of tenant ${name}${parsed.success ? '' : ` (${parsed.error.issues[0].path.join('.') || 'top level'}: ${parsed.error.issues[0].message})`}`);
      continue;
    }
    const outcome = parsed.data as TenantOutcome;
    const transcripts: Record<string, string> = {};
    for (const engine of outcome.engines) {
      const transcript = join(dir, name, engine.transcript);
      if (existsSync(transcript)) transcripts[engine.engine] = readFileSync(transcript, 'utf8');
    }
    results.set(name, { outcome, transcripts });
  }
  return results;
}
