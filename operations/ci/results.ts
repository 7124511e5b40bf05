/**
 * Reading the per-tenant results folders `batch` writes (`<dir>/<tenant>/result.json` and the engine
 * transcripts), as the comment and drift-issue jobs find them after downloading every job's artifact.
 * Folders that are not a tenant's result are skipped with a warning, never trusted.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TENANT_NAME } from '../../constructs/model/tenant';
import type { TenantOutcome } from './batch';

export interface TenantResult {
  readonly outcome: TenantOutcome;
  /** Engine transcript text by engine. */
  readonly transcripts: Readonly<Record<string, string>>;
}

export function readResults(dir: string, warn: (message: string) => void): Map<string, TenantResult> {
  const results = new Map<string, TenantResult>();
  if (!existsSync(dir)) return results;
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, 'result.json');
    if (!TENANT_NAME.test(name) || !existsSync(file)) continue;
    let outcome: TenantOutcome;
    try {
      outcome = JSON.parse(readFileSync(file, 'utf8')) as TenantOutcome;
    } catch {
      warn(`skipped ${file}: not JSON`);
      continue;
    }
    if (typeof outcome !== 'object' || outcome === null || outcome.tenant !== name || !Array.isArray(outcome.engines)) {
      warn(`skipped ${file}: not the result of tenant ${name}`);
      continue;
    }
    const transcripts: Record<string, string> = {};
    for (const engine of outcome.engines) {
      const transcript = join(dir, name, `${engine.engine}.txt`);
      if (/^(terraform|pulumi)$/.test(engine.engine) && existsSync(transcript)) transcripts[engine.engine] = readFileSync(transcript, 'utf8');
    }
    results.set(name, { outcome, transcripts });
  }
  return results;
}
