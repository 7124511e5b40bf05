/**
 * Quoting input in what people read: messages and the console step. A value is shown so that it cannot
 * act on the terminal (control characters escaped), cannot flood it (long values clipped) and, in
 * messages, never shows a secret (token-shaped words masked before anything is clipped, so a clipped
 * token is masked too).
 */
import { maskSecrets } from './secret-names';

/** Longest quoted value in a message, in characters; longer ones end in `…` and say their length. */
const MAX_QUOTED = 64;

/**
 * Characters a terminal acts on or that reorder what it shows: C0 and C1 controls, DEL, the Unicode line
 * and paragraph separators and the bidirectional formatting characters.
 */
const TERMINAL_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every terminal control shown as an escape (`\n`, `\u001b`), so it prints as one inert line. */
export function escapeControls(text: string): string {
  return text.replace(TERMINAL_CONTROLS, (char) => NAMED_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `name` in quotes that read well whatever it holds: `"Ops"`, `'Ops "EU"'` (no backslashes to unescape in
 * one's head), `“It's "EU"”` when it holds both kinds. For names already validated (one line, no controls).
 */
export function quoteName(name: string): string {
  if (!name.includes('"')) return `"${name}"`;
  if (!name.includes("'")) return `'${name}'`;
  return `“${name}”`;
}

/** A value from the input, quoted for a message: masked, escaped, clipped to {@link MAX_QUOTED} characters. */
export function quoteValue(value: string, max = MAX_QUOTED): string {
  const shown = escapeControls(maskSecrets(value));
  const characters = [...shown];
  if (characters.length <= max) return quoteName(shown);
  return `${quoteName(`${characters.slice(0, max).join('')}…`)} (${[...value].length} characters)`;
}

/** Longest run of characters without a space that a message shows unclipped. */
const MAX_RUN = 200;
const LONG_RUN = new RegExp(`\\S{${MAX_RUN + 1},}`, 'gu');

/**
 * `text` (a path, a message, a quoted line) with runs of more than {@link MAX_RUN} characters without a
 * space clipped: the safety net for input that reaches a message unquoted, e.g. a 10 kB key in a path.
 */
export function clipLongRuns(text: string): string {
  return text.replace(LONG_RUN, (run) => `${[...run].slice(0, MAX_QUOTED).join('')}…(${[...run].length} characters)`);
}
