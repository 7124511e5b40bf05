import { clipLongRuns, escapeControls, quoteValue } from './quote';
import { maskSecrets } from './secret-names';

/** One problem found in a tenant's configuration: where it is, what is wrong, how to fix it. */
export interface SpecIssue {
  /** Dotted path of the offending field, e.g. `integration.groups[2].name`. */
  readonly path: string;
  readonly message: string;
  readonly fix?: string;
  /** Lines quoted from the input (e.g. the YAML line with a syntax error and a caret), printed beneath. */
  readonly excerpt?: readonly string[];
}

/** How many problems a message lists before it counts the rest (the error's `issues` hold every one). */
export const LISTED_PROBLEMS = 10;

/** How a list of problems is printed: the first {@link LISTED_PROBLEMS}, or `all`; `more` says how to see the rest. */
export interface ProblemListing {
  readonly all?: boolean;
  readonly more?: string;
}

/**
 * The one error type the model throws for bad input. It holds every issue, so a user fixes a tenants file
 * in one round trip; its message lists the first {@link LISTED_PROBLEMS} and counts the rest ({@link
 * SpecError.format} lists them all). Messages never contain secret values or terminal controls: words
 * shaped like a token are masked (`***`) and control characters escaped wherever input is quoted.
 */
export class SpecError extends Error {
  readonly issues: readonly SpecIssue[];
  readonly tenant?: string;
  /** What was invalid when that is not a tenant of a file (see the constructor). */
  readonly subject?: string;

  /**
   * @param tenant the tenant the issues belong to: `Invalid tenant "acme" (…)`
   * @param subject what was invalid when that is not a tenant of a file, e.g. a construct's props:
   *   `Invalid DynatraceScimIntegration props at app/dynatrace (…)`
   */
  constructor(issues: readonly SpecIssue[], tenant?: string, subject?: string) {
    // Messages quote user input; a token pasted into any field is masked wherever it is quoted.
    const safe = issues.map(safeIssue);
    super(formatProblems(safe, tenant, subject));
    this.name = 'SpecError';
    this.issues = safe;
    this.tenant = tenant;
    this.subject = subject;
  }

  /** The message, listing the issues as `listing` says (e.g. all of them, for `--all-problems`). */
  format(listing: ProblemListing): string {
    return formatProblems(this.issues, this.tenant, this.subject, listing);
  }

  /** The same issues, attributed to a tenant and nested under a path prefix. */
  within(tenant: string | undefined, pathPrefix = ''): SpecError {
    const issues = this.issues.map((issue) => ({ ...issue, path: joinPath(pathPrefix, issue.path) }));
    return new SpecError(issues, tenant ?? this.tenant, this.subject);
  }
}

/** `text` as a message may show it: secret-shaped words masked, controls escaped, endless words clipped. */
function safeText(text: string): string {
  return clipLongRuns(escapeControls(maskSecrets(text)));
}

function safeIssue(issue: SpecIssue): SpecIssue {
  return {
    path: safeText(issue.path),
    message: safeText(issue.message),
    ...(issue.fix ? { fix: safeText(issue.fix) } : {}),
    ...(issue.excerpt ? { excerpt: issue.excerpt.map(safeText) } : {}),
  };
}

export function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

/** `path: message. Fix: fix.` (plus the excerpt lines), as errors and warnings print it. */
export function formatIssue(issue: SpecIssue): string {
  const safe = safeIssue(issue);
  const fix = safe.fix ? ` Fix: ${safe.fix}.` : '';
  const excerpt = (safe.excerpt ?? []).map((line) => `\n      ${line}`).join('');
  return `${safe.path || '(root)'}: ${safe.message}.${fix}${excerpt}`;
}

/** `Invalid … (N problems):` and the problems, one per line: the first {@link LISTED_PROBLEMS} unless `all`. */
function formatProblems(issues: readonly SpecIssue[], tenant: string | undefined, subject: string | undefined, listing: ProblemListing = {}): string {
  const tenantName = tenant === undefined ? undefined : `tenant ${quoteValue(tenant)}`;
  const where = subject ? [safeText(subject), tenantName].filter(Boolean).join(', ') : (tenantName ?? 'configuration');
  const shown = listing.all ? issues : issues.slice(0, LISTED_PROBLEMS);
  const lines = shown.map((issue) => `  - ${formatIssue(issue)}`);
  if (shown.length < issues.length) lines.push(`  … and ${issues.length - shown.length} more (${listing.more ?? 'the error\'s `issues` hold every one'})`);
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return `Invalid ${where} (${count}):\n${lines.join('\n')}`;
}
