/**
 * Text from live systems and pull requests renders inert wherever CI writes Markdown (PR comment, drift
 * issues, job summaries, the review): proven by rendering with markdown-it (CommonMark + GFM tables, raw
 * HTML allowed and bare URLs linked, as GitHub does) and inspecting the HTML — no element a value
 * brought along, no link, no image, no mention, and every value stays inside its cell, span or block.
 */
import MarkdownIt from 'markdown-it';
import fc from 'fast-check';
import type { TenantOutcome } from '../operations/ci/batch';
import { issueBody } from '../operations/ci/drift-issues';
import { buildComment, type TenantPlanInput } from '../operations/ci/pr-comment';
import { fencedBlock, htmlText, inertProse, inlineCode, plainText, tableCell, tableCodeCell } from '../operations/markdown';
import { reviewMarkdown } from '../operations/review/markdown';

const md = new MarkdownIt({ html: true, linkify: true });
const render = (markdown: string): string => md.render(markdown);

/** Values an attacker can put into an Okta label, an error summary, a group name or a plan diagnostic. */
const HOSTILE = [
  'Dynatrace\r@acme/security-team please approve',
  'label\u2028<img src=https://evil.example/pixel.png>',
  'x\u2029[click here](https://evil.example/login)',
  '![tracker](https://evil.example/t.gif) @octocat',
  '`code` ``` <script>alert(1)</script>',
  'pipe | breaks | the | row \\| \\',
  '\u001b[31mred\u001b[0m \u0000nul \u0085nel \u000bvt \u000cff',
  '\u202egnp.exe\u202c \u2066bidi\u2069 zero\u200bwidth',
  '<details><summary>x</summary>',
  '</details></code></pre> <!-- -->',
  '\\[not a link\\](https://evil.example)',
  'mail alice@acme.com and @alice, (@bob), "@carol"',
];

/** Text GitHub shows, without the markup: for mention checks. */
function visibleText(html: string): string {
  return html.replace(/<code>[\s\S]*?<\/code>/g, ' ').replace(/<[^>]+>/g, ' ');
}

function expectInert(html: string): void {
  // Only elements our own helpers emit: paragraphs, code, tables, lists, pre, and the entities of escaped text.
  const tags = [...html.matchAll(/<\/?([a-z][a-z0-9]*)\b/gi)].map((m) => m[1].toLowerCase());
  for (const tag of tags) expect(['p', 'code', 'pre', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'ul', 'ol', 'li', 'strong', 'em', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'details', 'summary', 'sub', 'a']).toContain(tag);
  expect(html).not.toMatch(/<(img|script|iframe)\b/i);
  // A bare URL is linked as itself (GitHub does the same); never a link whose text hides its target.
  for (const link of html.matchAll(/<a href="([^"]*)">([^]*?)<\/a>/g)) expect(md.utils.unescapeAll(link[1]).replace(/^mailto:/, "")).toBe(md.utils.unescapeAll(link[2]));
  // No mention GitHub would link: "@name" after a non-word character.
  expect(visibleText(html)).not.toMatch(/(^|[^\p{L}\p{N}_])@[A-Za-z0-9]/u);
  expect(html).not.toMatch(/[\r\u2028\u2029\u001b\u0000\u202e\u2066]/);
}

describe('the inert Markdown helpers', () => {
  it.each(HOSTILE)('inline code stays one span on one line: %j', (value) => {
    const html = render(`before ${inlineCode(value)} after`);
    expect(html.match(/<code>/g)).toHaveLength(1);
    expect(html.trim().split('\n')).toHaveLength(1);
    expect(html).toMatch(/^<p>before <code>[^]*<\/code> after<\/p>$/m);
    expectInert(html.replace(/<code>[^]*<\/code>/, '<code></code>'));
  });

  it.each(HOSTILE)('a table cell (text or code) keeps its row and its column: %j', (value) => {
    const html = render(['| a | b | c |', '|---|---|---|', `| ${tableCell(value)} | ${tableCodeCell(value)} | end |`].join('\n'));
    const rows = html.split('<tbody>')[1].match(/<tr>/g);
    expect(rows).toHaveLength(1);
    expect(html.split('<tbody>')[1].match(/<td>/g)).toHaveLength(3);
    expect(html).toContain('<td>end</td>');
    expectInert(html.replace(/<code>[^]*?<\/code>/g, '<code></code>'));
  });

  it.each(HOSTILE)('prose with a value interpolated: no HTML, link, image or mention; our code spans survive: %j', (value) => {
    const html = render(inertProse(`- ⚠ **Dangerous:** The app \`okta_app_auto_login.dynatrace_app\` is renamed to "${value}". Run \`terraform plan\`.`));
    expect(html).toContain('<code>okta_app_auto_login.dynatrace_app</code>');
    expect(html).toContain('<code>terraform plan</code>');
    expectInert(html.replace(/<code>[^<]*<\/code>/g, '<code></code>'));
  });

  it.each(HOSTILE)('a fenced block holds every line, whatever fences or HTML the text carries: %j', (value) => {
    const html = render(`<details><summary>plan</summary>\n\n${fencedBlock(`line 1\n${value}\n\`\`\`\`\`\`\`\nline 3`)}\n</details>\n\nafter`);
    expect(html.match(/<pre>/g)).toHaveLength(1);
    expect(html).toMatch(/<\/pre>\n<\/details>\n<p>after<\/p>/);
    expect(html).toContain('line 3');
    expect(html).not.toMatch(/[\r\u2028\u2029\u001b]/);
  });

  it('inside our own HTML: entities, mentions broken, one line', () => {
    expect(htmlText('a <b> & "c"\r@team')).toBe(`a &lt;b&gt; &amp; &quot;c&quot; @\u200bteam`);
  });

  it('keeps e-mail addresses and ordinary text as they are', () => {
    expect(inertProse('alice@acme.com has 3 groups: Dynatrace Admins, SRE On-Call.')).toBe('alice@acme.com has 3 groups: Dynatrace Admins, SRE On-Call.');
    expect(plainText('a\r\nb\rc\u2028d', { multiline: true })).toBe('a\nb\nc\nd');
  });

  it('property: any text in a cell, a span or prose renders inert and in place', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '@', '<', '>', '`', '|', '\\', '[', ']', '(', ')', '!', '\r', '\n', '\u2028', '\u0000', '\u202e', 'img', 'team', '/', '=') }), (value) => {
        const html = render(['| a | b |', '|---|---|', `| ${tableCell(value)} | ${tableCodeCell(value)} |`, '', `x ${inertProse(value.replace(/`/g, ''))} ${inlineCode(value)} y`].join('\n'));
        expect(html.split('<tbody>')[1].match(/<tr>/g)).toHaveLength(1);
        expectInert(html.replace(/<code>[^]*?<\/code>/g, '<code></code>'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('what CI posts renders inert', () => {
  const evil = 'Renamed\r@acme/admins <img src=https://evil.example/x> [login](https://evil.example)';

  it('a drift issue built from hostile verify findings', () => {
    const outcome = {
      tenant: 'acme',
      action: 'drift',
      status: 'drifted',
      engines: [{ engine: 'terraform', ok: false, step: 'plan', exitCode: 1, transcript: 'terraform.txt' }],
      verify: { result: 'drift', exitCode: 1, findings: [{ area: 'app', field: 'label', expected: 'Dynatrace SCIM', actual: evil, status: 'drift' }, { area: evil, field: evil, expected: evil, actual: '', status: evil }] },
    } as TenantOutcome;
    const html = render(issueBody(outcome, { checkedAt: '2026-12-01T03:17:00Z' }));
    expect(html.split('<tbody>')[1].match(/<tr>/g)).toHaveLength(2);
    expectInert(html.replace(/<code>[^]*?<\/code>/g, '<code></code>').replace(/<a href="https:\/\/github[^"]*">/g, ''));
  });

  it('a PR comment whose plan text, message and review carry hostile text', () => {
    const plans = new Map<string, TenantPlanInput>([
      ['acme', { outcome: { tenant: 'acme', action: 'plan', status: 'failed', message: evil, engines: [] }, transcripts: {} }],
      ['globex', { outcome: { tenant: 'globex', action: 'plan', status: 'failed', engines: [{ engine: 'terraform', ok: false, step: 'plan', exitCode: 1, transcript: 'terraform.txt' }] }, transcripts: { terraform: `Error: ${evil}\n\`\`\`\n</details>\n@everyone` }, consoleStep: `1. Open the app "${evil}"` }],
    ]);
    const review = reviewMarkdown({ engine: 'terraform', tenants: [{ tenant: 'acme', status: 'changed', stage: {}, settings: [{ attribute: 'label', before: 'Dynatrace', after: evil }], resources: [], findings: [{ severity: 'danger', title: `The app "${evil}" is replaced`, detail: evil }] }] } as never, { title: '`origin/main` → working tree' });
    const comment = buildComment({ plans, reviewMarkdown: review, review: { tenants: [{ tenant: 'acme', status: 'changed', findings: [{ severity: 'danger', title: evil }] }] } });
    const html = render(comment);
    expectInert(html.replace(/<code>[^]*?<\/code>/g, '<code></code>').replace(/<pre><code[^]*?<\/code><\/pre>/g, ''));
  });
});
