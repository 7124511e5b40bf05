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

/**
 * The one error type the model throws for bad input. Its message lists every issue at once, so a user
 * fixes a tenants file in one round trip. Messages never contain secret values: words shaped like a
 * token are masked (`***`) wherever input is quoted.
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
    const masked = issues.map(maskIssue);
    super(formatIssues(masked, tenant === undefined ? undefined : maskSecrets(tenant), subject === undefined ? undefined : maskSecrets(subject)));
    this.name = 'SpecError';
    this.issues = masked;
    this.tenant = tenant;
    this.subject = subject;
  }

  /** The same issues, attributed to a tenant and nested under a path prefix. */
  within(tenant: string | undefined, pathPrefix = ''): SpecError {
    const issues = this.issues.map((issue) => ({ ...issue, path: joinPath(pathPrefix, issue.path) }));
    return new SpecError(issues, tenant ?? this.tenant, this.subject);
  }
}

function maskIssue(issue: SpecIssue): SpecIssue {
  return { ...issue, path: maskSecrets(issue.path), message: maskSecrets(issue.message), ...(issue.fix ? { fix: maskSecrets(issue.fix) } : {}) };
}

export function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

/** `path: message. Fix: fix.` (plus the excerpt lines), as errors and warnings print it. */
export function formatIssue(issue: SpecIssue): string {
  const fix = issue.fix ? ` Fix: ${issue.fix}.` : '';
  const excerpt = (issue.excerpt ?? []).map((line) => `\n      ${line}`).join('');
  return `${issue.path || '(root)'}: ${issue.message}.${fix}${excerpt}`;
}

function formatIssues(issues: readonly SpecIssue[], tenant?: string, subject?: string): string {
  const tenantName = tenant ? `tenant "${tenant}"` : undefined;
  const where = subject ? [subject, tenantName].filter(Boolean).join(', ') : (tenantName ?? 'configuration');
  const lines = issues.map((issue) => `  - ${formatIssue(issue)}`);
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return `Invalid ${where} (${count}):\n${lines.join('\n')}`;
}
