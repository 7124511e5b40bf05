/**
 * Markdown for GitHub — PR comments, issues, job summaries, the review — built from text we do not
 * control: Okta labels and error summaries, verify's findings, plan texts, values a pull request put into
 * the tenants file. Every such text renders inert: it cannot end the span or block it sits in, notify
 * anyone, or inject HTML, a link or an image. The one set of helpers every renderer uses:
 *
 * - {@link inlineCode}, {@link tableCell}, {@link tableCodeCell}: a value in running text or a table;
 * - {@link inertProse}: our own Markdown (code spans included) with foreign values interpolated;
 * - {@link fencedBlock}: multi-line text such as a plan, in a code block it cannot leave.
 *
 * Common to all: every control character goes (C0, DEL, C1, and the invisible bidirectional and
 * zero-width format characters), and every character some renderer takes for a line end — CR, VT, FF,
 * NEL, U+2028, U+2029 — is a line feed (multi-line text) or a space (one-line text). GitHub ends a line
 * at a bare CR, so a label with one could otherwise leave its code span.
 */

const LINE_BREAKS = /\r\n|[\r\u000b\u000c\u0085\u2028\u2029]/g;
const CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
/** `@name` and `@org/team` where GitHub links them: not after a word character. */
const MENTION = /(^|[^\p{L}\p{N}_])@(?=[A-Za-z0-9])/gu;
/** Keeps `@` visible but breaks the mention: GitHub links `@` only when a name follows at once. */
const ZERO_WIDTH_SPACE = '\u200b';

/** Text with controls removed and line ends normalised: `\n` between lines, or one line with spaces. */
export function plainText(text: string, { multiline = false }: { multiline?: boolean } = {}): string {
  const lines = text.replace(LINE_BREAKS, '\n').replace(CONTROLS, '');
  return multiline ? lines : lines.replace(/[\n\t]/g, ' ');
}

/** `text` as inline code on one line; its own backticks become `'`, so none can end the span early. */
export function inlineCode(text: string): string {
  return `\`${plainText(text).replace(/`/g, "'")}\``;
}

/**
 * One table cell of text (our Markdown with foreign values): one line, at most `max` characters of the
 * text, `|` escaped so the row stays one row (GitHub splits cells at a bare `|` even inside code spans).
 */
export function tableCell(text: string, max?: number): string {
  const line = plainText(text);
  return escapePipes(inertProse(max === undefined ? line : line.slice(0, max)));
}

/** One table cell holding a foreign value as inline code; empty text stays an empty cell. */
export function tableCodeCell(text: string, max?: number): string {
  const line = plainText(text);
  return line ? escapePipes(inlineCode(max === undefined ? line : line.slice(0, max))) : '';
}

/**
 * Our Markdown with foreign values in it, made inert line by line. Code spans (found as CommonMark finds
 * them: a run of backticks up to the next run of the same length) are kept as they are — GitHub renders
 * nothing inside them; everywhere else `\`, `[`, `]` are escaped (no link, no image), `<` and `>` become
 * entities (no HTML) and mentions are broken with a zero-width space (no notification).
 */
export function inertProse(markdown: string): string {
  return plainText(markdown, { multiline: true })
    .split('\n')
    .map((line) => codeSpans(line).map(({ text, code }) => (code ? text : escapeProse(text))).join(''))
    .join('\n');
}

/**
 * Multi-line text in a fenced code block, optionally collapsed under `summary` (our text). The fence is
 * longer than any run of backticks in the text, so no line of it can close the block.
 */
export function fencedBlock(text: string, info = 'text'): string {
  const body = plainText(text, { multiline: true }).trimEnd();
  const ticks = '`'.repeat(Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  return `${ticks}${info}\n${body}\n${ticks}`;
}

function escapeProse(text: string): string {
  return text
    .replace(/[\\[\]]/g, (c) => `\\${c}`)
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MENTION, `$1@${ZERO_WIDTH_SPACE}`);
}

function escapePipes(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Splits one line into code spans and the text between them, as CommonMark does. */
function codeSpans(line: string): { text: string; code: boolean }[] {
  const parts: { text: string; code: boolean }[] = [];
  let plain = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] !== '`') {
      plain += line[i++];
      continue;
    }
    const run = /^`+/.exec(line.slice(i))![0];
    const close = findRun(line, i + run.length, run.length);
    if (close < 0) {
      // An unmatched run is literal backticks.
      plain += run;
      i += run.length;
      continue;
    }
    if (plain) parts.push({ text: plain, code: false });
    plain = '';
    parts.push({ text: line.slice(i, close + run.length), code: true });
    i = close + run.length;
  }
  if (plain) parts.push({ text: plain, code: false });
  return parts;
}

/** Index of the next run of exactly `length` backticks at or after `from`, or -1. */
function findRun(line: string, from: number, length: number): number {
  const runs = /`+/g;
  runs.lastIndex = from;
  for (let match = runs.exec(line); match; match = runs.exec(line)) if (match[0].length === length) return match.index;
  return -1;
}

/** Text inside our own HTML (a `<summary>`): one line, `&`, `<`, `>`, `"` as entities, mentions broken. */
export function htmlText(text: string): string {
  return plainText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(MENTION, `$1@${ZERO_WIDTH_SPACE}`);
}
