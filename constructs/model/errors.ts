/** One problem found in a tenant's configuration: where it is, what is wrong, how to fix it. */
export interface SpecIssue {
  /** Dotted path of the offending field, e.g. `integration.groups[2].name`. */
  readonly path: string;
  readonly message: string;
  readonly fix?: string;
}

/**
 * The one error type the model throws for bad input. Its message lists every issue at once, so a user
 * fixes a tenants file in one round trip. Messages never contain secret values.
 */
export class SpecError extends Error {
  readonly issues: readonly SpecIssue[];
  readonly tenant?: string;

  constructor(issues: readonly SpecIssue[], tenant?: string) {
    super(formatIssues(issues, tenant));
    this.name = 'SpecError';
    this.issues = issues;
    this.tenant = tenant;
  }

  /** The same issues, attributed to a tenant and nested under a path prefix. */
  within(tenant: string | undefined, pathPrefix = ''): SpecError {
    const issues = this.issues.map((issue) => ({ ...issue, path: joinPath(pathPrefix, issue.path) }));
    return new SpecError(issues, tenant ?? this.tenant);
  }
}

export function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

function formatIssues(issues: readonly SpecIssue[], tenant?: string): string {
  const where = tenant ? `tenant "${tenant}"` : 'configuration';
  const lines = issues.map((issue) => {
    const fix = issue.fix ? ` Fix: ${issue.fix}.` : '';
    return `  - ${issue.path || '(root)'}: ${issue.message}.${fix}`;
  });
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return `Invalid ${where} (${count}):\n${lines.join('\n')}`;
}
