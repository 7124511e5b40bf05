/**
 * The README and the pages under docs/ link to each other and to files of the repository: every relative
 * link must lead somewhere, and every `#anchor` to a heading of its page as GitHub renders it. The README's
 * Contents list names every section. Parsed with markdown-it (CommonMark), so links inside code are not links.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import MarkdownIt from 'markdown-it';

const ROOT = resolve(__dirname, '..');
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.md'))
  .map((file) => join('docs', file))];

const markdown = new MarkdownIt({ html: true });

/** A heading's text as GitHub slugs it: the inline text and code, without markup. */
function headingText(inline: ReturnType<typeof markdown.parse>[number]): string {
  return (inline.children ?? []).filter((child) => child.type === 'text' || child.type === 'code_inline').map((child) => child.content).join('');
}

/** GitHub's anchor for a heading text (github-slugger): lower case, punctuation and symbols dropped, spaces to dashes. */
function githubSlug(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

interface Page {
  readonly headings: { level: number; text: string }[];
  readonly anchors: Set<string>;
  readonly links: { href: string; line: number }[];
}

const pages = new Map<string, Page>();
function page(path: string): Page {
  const known = pages.get(path);
  if (known) return known;
  const tokens = markdown.parse(readFileSync(join(ROOT, path), 'utf8'), {});
  const headings: Page['headings'] = [];
  const anchors = new Set<string>();
  const links: Page['links'] = [];
  tokens.forEach((token, index) => {
    if (token.type === 'heading_open') {
      const text = headingText(tokens[index + 1]!);
      headings.push({ level: Number(token.tag.slice(1)), text });
      // Repeated headings get -1, -2, … as on GitHub.
      let slug = githubSlug(text);
      for (let n = 1; anchors.has(slug); n++) slug = `${githubSlug(text)}-${n}`;
      anchors.add(slug);
    }
    for (const child of token.children ?? []) {
      if (child.type === 'link_open') links.push({ href: String(child.attrGet('href')), line: (token.map?.[0] ?? 0) + 1 });
    }
  });
  const parsed = { headings, anchors, links };
  pages.set(path, parsed);
  return parsed;
}

describe('links in README.md and docs/', () => {
  it.each(PAGES)('every relative link and #anchor in %s resolves', (path) => {
    const broken: string[] = [];
    for (const { href, line } of page(path).links) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue; // https:, mailto:
      const [file, anchor] = href.split('#') as [string, string | undefined];
      const target = file ? relative(ROOT, resolve(ROOT, dirname(path), decodeURIComponent(file))) : path;
      if (!existsSync(join(ROOT, target))) {
        broken.push(`${path}:${line}: ${href}: no file ${target}`);
        continue;
      }
      if (anchor !== undefined) {
        if (!target.endsWith('.md')) broken.push(`${path}:${line}: ${href}: an anchor into a file that is not Markdown`);
        else if (!page(target).anchors.has(anchor)) broken.push(`${path}:${line}: ${href}: ${target} has no heading #${anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('the README\'s Contents list links every section, in order', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const contents = /\n## Contents\n([\s\S]*?)\n## /.exec(readme)![1]!;
    const listed = [...contents.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1]);
    const sections = page('README.md').headings.filter((h) => h.level === 2 && h.text !== 'Contents').map((h) => githubSlug(h.text));
    expect(listed.filter((anchor) => sections.includes(anchor!))).toEqual(sections);
  });

  it('slugs headings as GitHub does', () => {
    expect(githubSlug('Upgrading: the OAuth Bearer Token app\'s sign-on default')).toBe('upgrading-the-oauth-bearer-token-apps-sign-on-default');
    expect(githubSlug('Upgrading tenants files that use connection')).toBe('upgrading-tenants-files-that-use-connection');
    expect(githubSlug('1. Pull request: stage 1')).toBe('1-pull-request-stage-1');
    expect(githubSlug('Guards, stable addresses, adoption, token rotation')).toBe('guards-stable-addresses-adoption-token-rotation');
  });
});
