/**
 * A stand-in for the GitHub REST API on 127.0.0.1, for the issue and comment calls CI makes. Responses
 * have the shapes of the REST reference's examples (docs.github.com/en/rest/issues: "List repository
 * issues", "Create an issue", "Update an issue", "Create an issue comment", "List issue comments",
 * "Update an issue comment"; /rest/issues/labels "Get a label", "Create a label"), trimmed to the fields
 * a client reads, with GitHub's `Link` pagination (`page`, `per_page`, rel="next"/"last"). Every request
 * is recorded — method, path with query, JSON body — so tests assert the exact sequence of calls.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason?: string | null;
  labels: string[];
  user: { login: string; type: 'Bot' | 'User' };
  /** Present on pull requests, which the issues list includes. */
  pull_request?: { url: string };
  comments: { id: number; body: string; user: { login: string; type: 'Bot' | 'User' } }[];
}

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as sent, e.g. `/repos/acme/iac/issues?labels=drift&state=open&per_page=100`. */
  readonly path: string;
  readonly body?: Record<string, unknown>;
}

export interface GitHubStub {
  readonly url: string;
  readonly token: string;
  issues: StubIssue[];
  labels: string[];
  /** Items per page when the request asks for more (GitHub caps at 100). */
  pageSize: number;
  readonly requests: RecordedRequest[];
  /** Raw request bodies, for secret scans. */
  readonly bodies: string[];
  /** Scripted failures: `METHOD path-prefix` → status, served once each. */
  failures: Map<string, { status: number; headers?: Record<string, string> }>;
  close(): Promise<void>;
}

const REPO = '/repos/acme/iac';

export async function startGitHubStub(token = 'ghs_stubtoken'): Promise<GitHubStub> {
  let nextCommentId = 9000;
  const stub: GitHubStub = { url: '', token, issues: [], labels: [], pageSize: 100, requests: [], bodies: [], failures: new Map(), close: async () => undefined };

  const issueJson = (issue: StubIssue) => ({
    id: 1000 + issue.number,
    node_id: `I_${issue.number}`,
    url: `${stub.url}${REPO}/issues/${issue.number}`,
    html_url: `https://github.com/acme/iac/issues/${issue.number}`,
    number: issue.number,
    state: issue.state,
    state_reason: issue.state_reason ?? null,
    title: issue.title,
    body: issue.body,
    user: { login: issue.user.login, id: 1, type: issue.user.type },
    labels: issue.labels.map((name, i) => ({ id: 200 + i, node_id: `L_${i}`, name, color: 'd93f0b', default: false })),
    comments: issue.comments.length,
    created_at: '2026-09-01T02:00:00Z',
    updated_at: '2026-09-01T02:00:00Z',
    ...(issue.pull_request ? { pull_request: issue.pull_request } : {}),
  });

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-remaining': '4999', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };

  const page = <T>(req: IncomingMessage, items: T[], res: ServerResponse) => {
    const url = new URL(req.url ?? '/', stub.url);
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), stub.pageSize);
    const number = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number) => {
      const u = new URL(url);
      u.searchParams.set('page', String(p));
      return `<${u.toString()}>`;
    };
    const links = number < last ? [`${link(number + 1)}; rel="next"`, `${link(last)}; rel="last"`] : [];
    send(res, 200, items.slice((number - 1) * perPage, number * perPage), links.length > 0 ? { link: links.join(', ') } : {});
  };

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      stub.requests.push({ method, path, ...(body ? { body } : {}) });
      if (raw) stub.bodies.push(raw);
      if (req.headers.authorization !== `Bearer ${stub.token}`) return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      const failure = [...stub.failures.entries()].find(([key]) => `${method} ${path}`.startsWith(key));
      if (failure) {
        stub.failures.delete(failure[0]);
        return send(res, failure[1].status, { message: 'scripted failure' }, failure[1].headers);
      }
      const url = new URL(path, stub.url);
      const p = url.pathname;
      let m: RegExpExecArray | null;
      if (method === 'GET' && p === `${REPO}/issues`) {
        const label = url.searchParams.get('labels');
        const state = url.searchParams.get('state') ?? 'open';
        const matching = stub.issues.filter((i) => (state === 'all' || i.state === state) && (!label || i.labels.includes(label))).sort((a, b) => b.number - a.number);
        return page(req, matching.map(issueJson), res);
      }
      if (method === 'POST' && p === `${REPO}/issues`) {
        const issue: StubIssue = { number: Math.max(0, ...stub.issues.map((i) => i.number)) + 1, title: String(body?.title), body: String(body?.body ?? ''), state: 'open', labels: (body?.labels as string[]) ?? [], user: { login: 'github-actions[bot]', type: 'Bot' }, comments: [] };
        stub.issues.push(issue);
        return send(res, 201, issueJson(issue));
      }
      if ((m = new RegExp(`^${REPO}/issues/(\\d+)$`).exec(p)) && method === 'PATCH') {
        const issue = stub.issues.find((i) => i.number === Number(m![1]));
        if (!issue) return send(res, 404, { message: 'Not Found' });
        if (typeof body?.body === 'string') issue.body = body.body;
        if (body?.state === 'open' || body?.state === 'closed') issue.state = body.state;
        if (typeof body?.state_reason === 'string') issue.state_reason = body.state_reason;
        return send(res, 200, issueJson(issue));
      }
      if ((m = new RegExp(`^${REPO}/issues/(\\d+)/comments$`).exec(p))) {
        const issue = stub.issues.find((i) => i.number === Number(m![1]));
        if (!issue) return send(res, 404, { message: 'Not Found' });
        if (method === 'GET') return page(req, issue.comments.map((c) => ({ id: c.id, body: c.body, user: { login: c.user.login, type: c.user.type } })), res);
        const comment = { id: nextCommentId++, body: String(body?.body), user: { login: 'github-actions[bot]', type: 'Bot' as const } };
        issue.comments.push(comment);
        return send(res, 201, { id: comment.id, body: comment.body, user: comment.user, html_url: `https://github.com/acme/iac/issues/${issue.number}#issuecomment-${comment.id}` });
      }
      if ((m = new RegExp(`^${REPO}/issues/comments/(\\d+)$`).exec(p)) && method === 'PATCH') {
        const comment = stub.issues.flatMap((i) => i.comments).find((c) => c.id === Number(m![1]));
        if (!comment) return send(res, 404, { message: 'Not Found' });
        comment.body = String(body?.body);
        return send(res, 200, { id: comment.id, body: comment.body, user: comment.user });
      }
      if ((m = new RegExp(`^${REPO}/labels/([^/]+)$`).exec(p)) && method === 'GET') {
        const name = decodeURIComponent(m[1]);
        return stub.labels.includes(name) ? send(res, 200, { id: 200, name, color: 'd93f0b', description: null, default: false }) : send(res, 404, { message: 'Not Found' });
      }
      if (p === `${REPO}/labels` && method === 'POST') {
        stub.labels.push(String(body?.name));
        return send(res, 201, { id: 201, name: body?.name, color: body?.color, description: body?.description, default: false });
      }
      return send(res, 404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (stub as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = () => new Promise((resolve) => server.close(() => resolve()));
  return stub;
}

/** The repository the stub serves, as GITHUB_REPOSITORY. */
export const STUB_REPOSITORY = 'acme/iac';
