/** The README's fenced code blocks, for the tests that run them (test/readme-snippets, test/package). */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const README_PATH = join(resolve(__dirname, '..', '..'), 'README.md');

export interface CodeBlock {
  /** The info string after the opening fence (`ts`, `yaml`, …), empty for a plain block. */
  readonly language: string;
  readonly code: string;
  /** README line of the opening fence. */
  readonly line: number;
}

/** Every fenced block of `text` (default: the whole README), in order; `lineOffset` is where `text` starts. */
export function codeBlocks(text = readFileSync(README_PATH, 'utf8'), lineOffset = 0): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let open: { language: string; line: number; lines: string[] } | undefined;
  text.split('\n').forEach((line, index) => {
    const fence = /^```(\S*)\s*$/.exec(line);
    if (!open) {
      if (fence) open = { language: fence[1]!, line: lineOffset + index + 1, lines: [] };
    } else if (fence && fence[1] === '') {
      blocks.push({ language: open.language, code: open.lines.map((l) => `${l}\n`).join(''), line: open.line });
      open = undefined;
    } else {
      open.lines.push(line);
    }
  });
  return blocks;
}

/** The text of the README section under `heading` (a `## ` heading), up to the next one. */
export function readmeSection(heading: string): { text: string; line: number } {
  const readme = readFileSync(README_PATH, 'utf8');
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no section "## ${heading}"`);
  const end = readme.indexOf('\n## ', start + 1);
  return { text: readme.slice(start + 1, end < 0 ? undefined : end), line: readme.slice(0, start + 1).split('\n').length };
}

/** The code blocks of the library section's three programs, told apart by what they import or do. */
export function libraryPrograms(): { cdktfApp: string; pulumiProgram: string; offline: string } {
  const section = readmeSection('Use it as a library');
  const blocks = codeBlocks(section.text, section.line - 1).filter((block) => block.language === 'ts');
  const one = (what: string, test: (code: string) => boolean): string => {
    const found = blocks.filter((block) => test(block.code));
    if (found.length !== 1) throw new Error(`README, "Use it as a library": expected one ${what} block, found ${found.length}`);
    return found[0]!.code;
  };
  return {
    cdktfApp: one('CDKTF app', (code) => code.includes("from 'okta-dynatrace-scim/cdktf'")),
    pulumiProgram: one('Pulumi program', (code) => code.includes("from 'okta-dynatrace-scim/pulumi'") && code.includes('export const')),
    offline: one('runOffline', (code) => code.includes('runOffline(')),
  };
}
