/**
 * The few GitHub REST calls CI needs (issues, issue comments), over `fetch`: token auth, JSON, `Link`
 * pagination, and GitHub's rate-limit rules — wait as `Retry-After` / `x-ratelimit-reset` say on 403/429,
 * and space write requests apart ("Best practices for using the REST API": at least one second between
 * POST/PATCH/PUT/DELETE requests). The base URL is `GITHUB_API_URL` in Actions (GitHub Enterprise too),
 * overridable for tests. Errors name the call and GitHub's message, never the token.
 */
import { SpecError } from '../../constructs/model/errors';

export interface GitHubOptions {
  readonly token: string;
  /** `owner/name`, as in `GITHUB_REPOSITORY`. */
  readonly repository: string;
  /** @default 'https://api.github.com' */
  readonly apiUrl?: string;
  readonly fetch?: typeof fetch;
  /** @default real time */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Pause between write requests. @default 1000 */
  readonly writeIntervalMs?: number;
  /** Longest wait for a rate limit before giving up. @default 120000 */
  readonly maxWaitMs?: number;
}

export class GitHubError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'GitHubError';
  }
}

/**
 * Who `GITHUB_TOKEN` acts as: the author of every issue and comment a workflow writes with it. The sync
 * touches only what this identity wrote (another login with `--author`, e.g. a GitHub App's `<slug>[bot]`).
 */
export const WORKFLOW_BOT = 'github-actions[bot]';

const GITHUB_LOGIN = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:\[bot\])?$/;

/** The `--author` login (letters, digits, dashes, an app's `[bot]` suffix); the workflow's own identity by default. */
export function authorLogin(author: string | undefined): string {
  if (author === undefined) return WORKFLOW_BOT;
  if (!GITHUB_LOGIN.test(author)) throw new SpecError([{ path: '--author', message: `"${author}" is not a GitHub login`, fix: `pass the login the token acts as, e.g. ${WORKFLOW_BOT}` }]);
  return author;
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const MAX_ATTEMPTS = 3;

export class GitHubClient {
  readonly repoPath: string;
  private readonly apiUrl: string;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private lastWrite = -Infinity;

  constructor(private readonly options: GitHubOptions) {
    if (!REPOSITORY.test(options.repository)) throw new GitHubError(`"${options.repository}" is not an owner/name repository`, 0);
    this.repoPath = `/repos/${options.repository}`;
    this.apiUrl = (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
    this.fetch = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  /** One call; `path` is relative to the API root (`/repos/o/r/issues`) or an absolute `Link` URL. */
  async request<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<{ data: T; link?: string }> {
    if (method !== 'GET') await this.paceWrites();
    for (let attempt = 1; ; attempt++) {
      const response = await this.fetch(path.startsWith('http') ? path : `${this.apiUrl}${path}`, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${this.options.token}`,
          'x-github-api-version': '2022-11-28',
          'user-agent': 'okta-dynatrace-scim',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (response.ok) return { data: (text ? JSON.parse(text) : undefined) as T, ...(response.headers.get('link') ? { link: response.headers.get('link')! } : {}) };
      const wait = this.rateLimitWait(response);
      if (wait !== undefined && attempt < MAX_ATTEMPTS) {
        await this.sleep(wait);
        continue;
      }
      throw new GitHubError(`GitHub ${method} ${path.replace(this.apiUrl, '')} failed: ${response.status} ${messageOf(text)}`, response.status);
    }
  }

  /** Every item of a list endpoint, following `Link: <…>; rel="next"`. */
  async paginate<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    while (next) {
      const page: { data: T[]; link?: string } = await this.request<T[]>('GET', next);
      items.push(...page.data);
      next = nextLink(page.link);
      // The token goes with every request: follow links to the API's own origin only.
      if (next && new URL(next).origin !== new URL(this.apiUrl).origin) throw new GitHubError(`GitHub GET ${path}: refusing to follow a next-page link to another origin (${new URL(next).origin})`, 0);
    }
    return items;
  }

  private async paceWrites(): Promise<void> {
    const interval = this.options.writeIntervalMs ?? 1000;
    const wait = this.lastWrite + interval - this.now();
    if (wait > 0) await this.sleep(wait);
    this.lastWrite = this.now();
  }

  /** Milliseconds to wait before retrying, or undefined when the answer is not a rate limit. */
  private rateLimitWait(response: Response): number | undefined {
    if (response.status !== 403 && response.status !== 429) return undefined;
    const retryAfter = Number(response.headers.get('retry-after'));
    const reset = Number(response.headers.get('x-ratelimit-reset'));
    let wait: number | undefined;
    if (Number.isFinite(retryAfter) && retryAfter > 0) wait = retryAfter * 1000;
    else if (response.headers.get('x-ratelimit-remaining') === '0' && reset > 0) wait = Math.max(0, reset * 1000 - this.now()) + 1000;
    else if (response.status === 429) wait = 60_000;
    return wait !== undefined && wait <= (this.options.maxWaitMs ?? 120_000) ? wait : undefined;
  }
}

export function nextLink(link: string | undefined): string | undefined {
  return link?.split(',').map((part) => /<([^>]+)>\s*;\s*rel="next"/.exec(part)?.[1]).find(Boolean);
}

function messageOf(text: string): string {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    return typeof message === 'string' ? message : '';
  } catch {
    return text.slice(0, 200);
  }
}

/** The client for the current workflow run: `GITHUB_TOKEN`, `GITHUB_REPOSITORY`, `GITHUB_API_URL`. */
export function githubFromEnv(env: NodeJS.ProcessEnv, overrides: Partial<GitHubOptions> = {}): GitHubClient {
  const missing = ['GITHUB_TOKEN', 'GITHUB_REPOSITORY'].filter((name) => !env[name]);
  if (missing.length > 0) throw new SpecError([{ path: 'environment', message: `${missing.join(' and ')} not set`, fix: 'map them in the workflow step: env: { GITHUB_TOKEN: ${{ github.token }} } (GITHUB_REPOSITORY is set by Actions)' }]);
  return new GitHubClient({ token: env.GITHUB_TOKEN!, repository: env.GITHUB_REPOSITORY!, ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}), ...overrides });
}

/** The link to the current workflow run (`GITHUB_SERVER_URL`, `GITHUB_REPOSITORY`, `GITHUB_RUN_ID`), outside Actions none. */
export function workflowRunUrl(env: NodeJS.ProcessEnv): string | undefined {
  return env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
}
