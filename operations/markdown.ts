/** Markdown text helpers shared by the review, the PR comment and the drift issues. */

/** One table cell: `|` escaped and line breaks flattened, so the row stays one row; at most `max` characters. */
export function tableCell(text: string, max?: number): string {
  const cell = text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return max === undefined ? cell : cell.slice(0, max);
}

/** `text` as inline code; its own backticks become `'`, so none can end the span early. */
export function inlineCode(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}
