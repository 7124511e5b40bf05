/**
 * The tenants file: YAML, one entry per tenant. Parsing is strict (duplicate keys are errors), syntax
 * errors point at `file:line:column` with the offending line, and every problem of every tenant is
 * reported in one run.
 */
import { readFileSync } from 'node:fs';
import type { YAMLError } from 'yaml';
import { SpecError, type SpecIssue } from '../model/errors';
import { maskSecrets } from '../model/secret-names';
import { resolveTenant, type ResolvedTenant } from '../model/tenant';

export const DEFAULT_TENANTS_FILE = 'tenants.yaml';

/** At most this many syntax errors are listed: past the first few, YAML errors are echoes of the first. */
const MAX_SYNTAX_ERRORS = 5;

/** Parses and validates tenants file text; `source` names the file in errors. */
export function parseTenants(text: string, source = DEFAULT_TENANTS_FILE): ResolvedTenant[] {
  // Loaded here, not at import: the package's model entry point re-exports this module, and an app that
  // passes specs as objects never pays for the YAML parser.
  const { parseDocument } = require('yaml') as typeof import('yaml');
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) throw new SpecError(syntaxIssues(doc.errors, text, source));
  const root: unknown = doc.toJS({ maxAliasCount: 100 });
  if (typeof root !== 'object' || root === null || !Array.isArray((root as { tenants?: unknown }).tenants)) {
    throw new SpecError([{ path: `${source}: tenants`, message: 'the file must have a top-level `tenants:` list', fix: 'see tenants.yaml in the repository for an example' }]);
  }
  const entries = (root as { tenants: unknown[] }).tenants;
  const issues: SpecIssue[] = Object.keys(root)
    .filter((key) => key !== 'tenants' && key !== '$schema')
    .map((key) => ({ path: key, message: 'is not a known field', fix: 'remove it; tenants go under `tenants:`' }));
  if (entries.length === 0) {
    issues.push({ path: 'tenants', message: 'the tenants file lists no tenant', fix: 'add a tenant under `tenants:` (see tenants.yaml in the repository); to retire every tenant, destroy their stacks first (docs/day-2.md)' });
  }
  const tenants: ResolvedTenant[] = [];
  const firstIndex = new Map<string, number>();
  entries.forEach((entry, index) => {
    // Duplicates are found on the raw names, so they are reported even when the tenants have other problems.
    const name = (entry as { name?: unknown } | null)?.name;
    if (typeof name === 'string') {
      const first = firstIndex.get(name);
      if (first !== undefined) issues.push({ path: `tenants[${index}].name`, message: `duplicate tenant name "${name}" (also tenants[${first}])`, fix: 'tenant names name the stacks and must be unique' });
      else firstIndex.set(name, index);
    }
    try {
      tenants.push(resolveTenant(entry, `tenants[${index}]`));
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      issues.push(...error.issues.map((issue) => (error.tenant ? { ...issue, message: `${issue.message} (tenant "${error.tenant}")` } : issue)));
    }
  });
  if (issues.length > 0) throw new SpecError(issues.map((issue) => ({ ...issue, path: `${source}: ${issue.path}` })));
  return tenants;
}

export function loadTenants(path = DEFAULT_TENANTS_FILE): ResolvedTenant[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SpecError([{ path, message: `cannot read the tenants file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, fix: 'pass --tenants <file> or run from the repository root' }]);
  }
  return parseTenants(text, path);
}

/** One issue per line that has a syntax error, as `file:line:column`, with that line quoted. */
function syntaxIssues(errors: readonly YAMLError[], text: string, source: string): SpecIssue[] {
  const lines = text.split(/\r?\n/);
  const seenLines = new Set<number>();
  const issues: SpecIssue[] = [];
  for (const error of errors) {
    const position = error.linePos?.[0];
    const line = position?.line ?? 0;
    if (seenLines.has(line)) continue;
    seenLines.add(line);
    const where = position ? `${source}:${position.line}:${position.col}` : source;
    // yaml's own message repeats the position and appends a caret excerpt; keep the sentence only.
    const sentence = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    // A line with a syntax error may hold a pasted token: quote it masked.
    const quoted = position ? maskSecrets(lines[position.line - 1] ?? '') : undefined;
    const gutter = String(line).length;
    issues.push({
      path: where,
      message: `YAML syntax: ${sentence}`,
      fix: fixFor(error.code),
      ...(quoted !== undefined ? { excerpt: [`${line} | ${quoted.slice(0, 120)}`, `${' '.repeat(gutter)} | ${' '.repeat(Math.max(0, position!.col - 1))}^`] } : {}),
    });
  }
  const shown = issues.slice(0, MAX_SYNTAX_ERRORS);
  if (issues.length > shown.length) shown.push({ path: source, message: `and ${issues.length - shown.length} more syntax error(s) after these; fix the first ones and run again` });
  return shown;
}

function fixFor(code: YAMLError['code']): string {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    case 'BAD_INDENT':
      return 'align the keys of one map at the same column (2 spaces per level)';
    case 'DUPLICATE_KEY':
      return 'give each key once per map';
    case 'MISSING_CHAR':
      // Reported where the parser gave up (often the end of the file), not where the quote opened.
      return 'a quote or bracket opened on an earlier line is not closed: close it';
    default:
      return 'fix the YAML at this position (a YAML-aware editor shows it as you type)';
  }
}
