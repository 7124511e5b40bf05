/**
 * The tenants file: YAML, one entry per tenant. Parsing is strict (duplicate keys are errors), syntax
 * errors point at `file:line:column` with the offending line, and every problem of every tenant is
 * reported in one run (the message lists the first few and counts the rest: errors.ts). A file that is
 * not UTF-8 text is one problem, before YAML sees it.
 */
import { readFileSync } from 'node:fs';
import type { YAMLError } from 'yaml';
import { SpecError, type SpecIssue } from '../model/errors';
import { escapeControls, quoteValue } from '../model/quote';
import { maskSecrets } from '../model/secret-names';
import { resolveTenant, type ResolvedTenant } from '../model/tenant';

export const DEFAULT_TENANTS_FILE = 'tenants.yaml';

/** Parses and validates tenants file text; `source` names the file in errors. */
export function parseTenants(text: string, source = DEFAULT_TENANTS_FILE): ResolvedTenant[] {
  if (text.includes('\u0000')) throw new SpecError([binaryFile(source)]);
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
      if (first !== undefined) issues.push({ path: `tenants[${index}].name`, message: `duplicate tenant name ${quoteValue(name)} (also tenants[${first}])`, fix: 'tenant names name the stacks and must be unique' });
      else firstIndex.set(name, index);
    }
    try {
      tenants.push(resolveTenant(entry, `tenants[${index}]`));
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      issues.push(...error.issues.map((issue) => (error.tenant ? { ...issue, message: `${issue.message} (tenant ${quoteValue(error.tenant)})` } : issue)));
    }
  });
  if (issues.length > 0) throw new SpecError(issues.map((issue) => ({ ...issue, path: `${source}: ${issue.path}` })));
  return tenants;
}

export function loadTenants(path = DEFAULT_TENANTS_FILE): ResolvedTenant[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new SpecError([{ path, message: `cannot read the tenants file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, fix: 'pass --tenants <file> or run from the repository root' }]);
  }
  return parseTenants(decodeUtf8(bytes, path), path);
}

/** The file's text, or one problem when it is not UTF-8 (another encoding, or not text at all). */
function decodeUtf8(bytes: Buffer, source: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new SpecError([{ path: source, message: 'is UTF-16 text; a tenants file is UTF-8', fix: SAVE_AS_UTF8 }]);
  }
  if (bytes.includes(0)) throw new SpecError([binaryFile(source)]);
  const text = bytes.toString('utf8');
  // Node decodes each invalid sequence as U+FFFD; the first one that was not U+FFFD in the file is the problem.
  for (let at = text.indexOf('\ufffd'); at !== -1; at = text.indexOf('\ufffd', at + 1)) {
    const offset = Buffer.byteLength(text.slice(0, at));
    if (bytes.subarray(offset, offset + 3).equals(REPLACEMENT_CHARACTER)) continue;
    const byte = `0x${bytes[offset]!.toString(16).padStart(2, '0')}`;
    throw new SpecError([{ path: source, message: `is not UTF-8 text: byte ${offset} (line ${lineAt(text, at)}) is ${byte}`, fix: SAVE_AS_UTF8 }]);
  }
  return text;
}

const REPLACEMENT_CHARACTER = Buffer.from('\ufffd', 'utf8');
const SAVE_AS_UTF8 = 'save it as UTF-8 (in an editor: "Save with Encoding" → UTF-8), or pass another file with --tenants <file>';

/** The one problem of a binary file: never its content, which may be anything. */
function binaryFile(source: string): SpecIssue {
  return {
    path: source,
    message: 'is not a text file (it holds NUL characters, as binary files do), so not a tenants file',
    fix: 'pass the YAML tenants file with --tenants <file>',
  };
}

/** The 1-based line of a string index. */
function lineAt(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line += 1;
  return line;
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
    issues.push({
      path: where,
      message: `YAML syntax: ${sentence}`,
      fix: fixFor(error.code),
      ...(position ? { excerpt: excerpt(lines[position.line - 1] ?? '', position.line, position.col) } : {}),
    });
  }
  return issues;
}

/** Longest part of a line quoted under a syntax error. */
const EXCERPT_WIDTH = 120;

/**
 * Line `number` of the file with a caret under `column`, as a message may show it: a pasted token masked
 * before the line is cut to {@link EXCERPT_WIDTH} characters, controls escaped, the caret moved past what
 * the escapes added.
 */
function excerpt(text: string, number: number, column: number): string[] {
  const shown = (part: string): string => escapeControls(maskSecrets(part));
  const caret = shown(text.slice(0, Math.max(0, column - 1))).length;
  const gutter = ' '.repeat(String(number).length);
  return [`${number} | ${shown(text).slice(0, EXCERPT_WIDTH)}`, `${gutter} | ${' '.repeat(caret)}^`];
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
