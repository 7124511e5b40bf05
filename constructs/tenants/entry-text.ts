/**
 * Writing one tenant's entry into a tenants file without touching anything else: the new entry is spliced
 * into the text of the `tenants:` list (appended, or in place of the tenant's old entry), so every other
 * byte — other tenants, comments, quoting, blank lines — stays as it was. The result is parsed again and
 * checked: the other tenants are unchanged and the entry reads back as given, or nothing is returned.
 */
import { Document, isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import { SpecError } from '../model/errors';
import type { TenantSpec } from '../model/tenant';

export interface MergedTenants {
  readonly text: string;
  /** `created`: a new file; `appended`: a new tenant at the end of the list; `replaced`: the tenant's old entry. */
  readonly action: 'created' | 'appended' | 'replaced';
  /** Fields of the old entry that were kept (a replaced tenant's `backend`). */
  readonly kept: readonly string[];
  /** The entry as it stands in the file (its lines, indented as there). */
  readonly entry: string;
}

export interface MergeOptions {
  /** Replace the tenant's entry when it exists (otherwise that is refused). @default false */
  readonly replace?: boolean;
  /** Names the file in errors. */
  readonly source: string;
  /** Comment lines written above a field of the entry, by dotted path (`integration.existingAppId`). */
  readonly comments?: Readonly<Record<string, string>>;
}

/** Fields of an existing entry that discovery cannot know and a replacement keeps. */
const KEPT_ON_REPLACE = ['backend'] as const;

/** A flow map (`{ env: X, pulumiConfig: y }`) for small maps, as the README writes them; sections stay blocks. */
const FLOW_MAX = 100;
const BLOCK_SECTIONS = new Set(['', 'okta', 'integration', 'integration.groups']);

const NEW_FILE_HEADER = '# Tenants of okta-dynatrace-scim: one entry per Okta org → Dynatrace account (README, "The model in one page").\n';

/** `text` (a tenants file, or undefined for a new one) with `entry` written into it. */
export function mergeTenantEntry(text: string | undefined, entry: TenantSpec, options: MergeOptions): MergedTenants {
  if (text === undefined || text.trim() === '') {
    const item = itemText(entry, options.comments, 2, 4);
    const created = `${NEW_FILE_HEADER}tenants:\n${item}\n`;
    checkResult(created, [entry], options.source);
    return { text: created, action: 'created', kept: [], entry: item };
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw refusal(options.source, 'is not valid YAML', 'fix it first (okta-dynatrace-scim validate shows where)');
  // A file with Windows line endings keeps them in the lines written into it.
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const root = doc.contents;
  const list = isMap(root) ? root.get('tenants', true) : undefined;
  if (!isSeq(list) || list.flow) throw refusal(`${options.source}: tenants`, 'is not a block list (`tenants:` followed by `- name: …` entries)', 'write the list as a block list, one `- name:` entry per tenant');
  const items = list.items as Node[];
  const before = items.map((item) => item.toJSON() as unknown);
  const index = items.findIndex((item) => isMap(item) && item.get('name') === entry.name);

  if (index >= 0) {
    if (!options.replace) throw refusal(`${options.source}: tenants[${index}]`, `tenant "${entry.name}" already exists`, 'choose another tenant name, or replace its entry on purpose (discover --replace)');
    const old = items[index] as YAMLMap;
    const kept = KEPT_ON_REPLACE.filter((field) => old.has(field));
    const replacement: TenantSpec = { ...entry, ...Object.fromEntries(kept.map((field) => [field, old.toJSON()[field] as unknown])) };
    const [start, end] = [old.range![0], old.range![1]];
    const { dash, content } = columnsOf(text, start);
    const item = itemText(replacement, options.comments, dash, content).replace(/\n/g, eol);
    const merged = `${text.slice(0, start)}${item.slice(content)}${text.slice(end)}`;
    checkResult(merged, before.map((value, i) => (i === index ? replacement : value)), options.source);
    return { text: merged, action: 'replaced', kept, entry: item };
  }

  const last = items[items.length - 1];
  const { dash, content } = last ? columnsOf(text, last.range![0]) : { dash: 2, content: 4 };
  // After the line where the last entry's value ends (a comment may follow on that line).
  const lineEnd = text.indexOf('\n', last ? last.range![1] - 1 : list.range![1]);
  const at = lineEnd === -1 ? text.length : lineEnd + 1;
  // Entries separated by a blank line get one before the new entry too.
  const spaced = last !== undefined && items.length >= 2 && /\n[ \t]*\r?\n(?:[ \t]*#[^\n]*\n)*$/.test(text.slice(0, text.lastIndexOf('\n', last.range![0]) + 1));
  const lead = `${lineEnd === -1 ? eol : ''}${spaced ? eol : ''}`;
  const item = itemText(entry, options.comments, dash, content).replace(/\n/g, eol);
  const merged = `${text.slice(0, at)}${lead}${item}${eol}${text.slice(at)}`;
  checkResult(merged, [...before, entry], options.source);
  return { text: merged, action: 'appended', kept: [], entry: item };
}

/** The entry as a list item: `- ` at column `dash`, the rest of its lines at column `content`. */
function itemText(entry: TenantSpec, comments: MergeOptions['comments'], dash: number, content: number): string {
  // Written as YAML 1.1 would need it, so `yes`, `on` or a date stay strings for every reader (YAML 1.1
  // parsers and editors too); the file is read as YAML 1.2, for which these quotes change nothing.
  const doc = new Document(entry, { version: '1.1' });
  styleNode(doc.contents as Node, '');
  for (const [path, comment] of Object.entries(comments ?? {})) {
    const keys = path.split('.');
    const parent = doc.getIn(keys.slice(0, -1), true);
    const pair = isMap(parent) ? parent.items.find((item) => isScalar(item.key) && item.key.value === keys[keys.length - 1]) : undefined;
    if (pair && isScalar(pair.key)) pair.key.commentBefore = comment.split('\n').map((line) => ` ${line}`).join('\n');
  }
  const lines = doc.toString({ lineWidth: 0, flowCollectionPadding: true }).replace(/\n$/, '').split('\n');
  return lines.map((line, i) => (i === 0 ? `${' '.repeat(dash)}- ${' '.repeat(content - dash - 2)}${line}` : line === '' ? '' : `${' '.repeat(content)}${line}`)).join('\n');
}

function styleNode(node: Node, path: string): void {
  if (isMap(node)) {
    if (!BLOCK_SECTIONS.has(path) && JSON.stringify(node.toJSON()).length <= FLOW_MAX) {
      node.flow = true;
      return;
    }
    for (const pair of node.items) if (isScalar(pair.key)) styleNode(pair.value as Node, path ? `${path}.${String(pair.key.value)}` : String(pair.key.value));
  } else if (isSeq(node)) {
    for (const item of node.items) styleNode(item as Node, `${path}[]`);
  }
}

/** Columns of a list item starting at `offset`: of its `-` and of its first character. */
function columnsOf(text: string, offset: number): { dash: number; content: number } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const prefix = text.slice(lineStart, offset);
  const dash = prefix.indexOf('-');
  return { dash: dash === -1 ? 2 : dash, content: offset - lineStart };
}

/** The merged text must parse and hold exactly `tenants`: every other tenant as it was, the entry as given. */
function checkResult(text: string, tenants: readonly unknown[], source: string): void {
  const doc = parseDocument(text, { uniqueKeys: true });
  const read = doc.errors.length === 0 ? (doc.toJS() as { tenants?: unknown } | null)?.tenants : undefined;
  if (JSON.stringify(read) !== JSON.stringify(tenants)) throw new Error(`internal: the tenant written into ${source} would not read back as written; nothing was written`);
}

function refusal(path: string, message: string, fix: string): SpecError {
  return new SpecError([{ path, message, fix }]);
}
