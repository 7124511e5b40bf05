/**
 * A minimal, read-only Okta Management API client for `verify`: undici's `fetch`, no SDK, so the command
 * starts fast. It does GETs only, with a timeout per request, bounded retries on 429 that honour
 * `X-Rate-Limit-Reset`, `Link: <…>; rel="next"` pagination, and errors sorted into a few kinds the report
 * can act on. How it signs in (API token, or a service app's private key with DPoP) is an
 * {@link OktaSession} (`okta-auth.ts`); credentials never appear in an error message.
 *
 * The HTTP helpers ({@link httpGet}, {@link httpPostForm}, {@link httpSend}) are shared with the Okta
 * sign-in, the Dynatrace SCIM probe and the Dynatrace IAM client.
 */
import type { Socket } from 'node:net';
import { Agent, buildConnector, type Dispatcher, fetch } from 'undici';
import type * as z from '../../constructs/zod';
import type { ResolvedOktaOrg } from '../../constructs/model/tenant';
import type { OktaSession } from './okta-auth';
import { DEFAULT_TIMEOUT_MS } from './timeouts';

/** What went wrong, in terms the report (and the exit code) can act on. */
export type HttpErrorKind = 'auth' | 'not-found' | 'rate-limited' | 'network' | 'unexpected';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly kind: HttpErrorKind,
    message: string,
    /** HTTP status, when there was a response. */
    readonly status?: number,
    /** Okta's `errorCode` (e.g. `E0000011`), when the body carried one. */
    readonly errorCode?: string,
    /** What to do about it, when the code that failed knows better than the kind does (e.g. which credential). */
    readonly hint?: string,
  ) {
    super(message);
  }
}

/**
 * Okta refused this one read — any 4xx but a rate limit that did not lift (not found, not permitted, not
 * offered for this app) — as opposed to an error that makes further reads pointless.
 */
export function isRefusal(error: unknown): error is HttpError {
  return error instanceof HttpError && error.status !== undefined && error.status >= 400 && error.status < 500 && error.status !== 429;
}

/** A not-found (or 400: the app type does not support the endpoint) becomes `undefined`; other errors propagate. */
export async function readOptional<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof HttpError && (error.kind === 'not-found' || error.status === 400)) return undefined;
    throw error;
  }
}

/** Time and waiting, injectable so tests never sleep. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface HttpPolicy {
  /** Per request (each attempt), from connecting to the last byte of the answer. @default 15000 */
  readonly timeoutMs: number;
  /** Attempts per request, the first included, for 429 and 502/503/504. @default 4 */
  readonly maxAttempts: number;
  /** Longest single wait before a retry; a rate-limit window resetting later than this gives up at once. @default 60000 */
  readonly maxWaitMs: number;
  readonly clock: Clock;
  /**
   * The connections requests go through, as {@link withConnectionPool} provides them. Without one, each
   * request opens a pool of its own and closes it once the answer is read.
   */
  readonly pool?: Dispatcher;
}

export const DEFAULT_POLICY: HttpPolicy = { timeoutMs: DEFAULT_TIMEOUT_MS, maxAttempts: 4, maxWaitMs: 60_000, clock: systemClock };

const RETRYABLE = new Set([429, 502, 503, 504]);

/**
 * Runs `work` with a connection pool whose connect timeout is the policy's `timeoutMs` (undici's own is
 * 10 s, whatever the policy says) and closes the pool when `work` ends: keep-alive sockets, and sockets
 * still connecting after a request timed out, would otherwise hold the process open after the report.
 */
export async function withConnectionPool<T>(policy: HttpPolicy, work: (policy: HttpPolicy) => Promise<T>): Promise<T> {
  const pool = connectionPool(policy.timeoutMs);
  try {
    return await work({ ...policy, pool: pool.dispatcher });
  } finally {
    await pool.close();
  }
}

interface ConnectionPool {
  readonly dispatcher: Dispatcher;
  close(): Promise<void>;
}

/**
 * An undici Agent whose `close()` also ends connections still being set up: undici's `destroy()` leaves those
 * to its connect timeout, which fires up to about a second late (its timers tick coarsely).
 */
function connectionPool(timeoutMs: number): ConnectionPool {
  const connecting = new Set<Socket>();
  const connect = buildConnector({ timeout: timeoutMs });
  const dispatcher = new Agent({
    connect: (options, callback) => {
      // undici's connector returns the socket it opens (its types say void): hold it until it connects or fails.
      const socket = connect(options, (...result) => {
        if (socket) connecting.delete(socket);
        callback(...result);
      }) as unknown as Socket | undefined;
      if (socket) connecting.add(socket);
    },
  });
  return {
    dispatcher,
    close: async () => {
      for (const socket of connecting) socket.destroy(new Error('connection pool closed'));
      await dispatcher.destroy();
    },
  };
}

/**
 * GET with timeout and bounded retries. Resolves with any non-retryable response, read in full (the caller
 * decides what a 401 or 404 means); throws {@link HttpError} `network` (refused, DNS, timeout) or
 * `rate-limited` (attempts or the wait cap exhausted). `what` names the request in errors (a method and
 * path, never a header). The timeout covers each attempt from connecting to the last byte of the answer.
 */
export async function httpGet(url: string, headers: Record<string, string>, policy: HttpPolicy, what: string): Promise<Response> {
  return httpSend(url, { method: 'GET', headers }, policy, what);
}

/**
 * POST of an `application/x-www-form-urlencoded` body (OAuth token requests), with the timeout, retries and
 * errors of {@link httpGet}. The body may hold a client secret: it is never part of an error.
 */
export async function httpPostForm(url: string, headers: Record<string, string>, form: URLSearchParams, policy: HttpPolicy, what: string): Promise<Response> {
  return httpSend(url, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() }, policy, what);
}

export interface HttpRequestInit {
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/**
 * One request with the timeout, retries and errors of {@link httpGet}. `init` may be a function, called
 * for every attempt: a request signed for one use only (a DPoP proof, a client assertion with its `jti`)
 * must be signed afresh when a 429 is retried.
 */
export async function httpSend(url: string, init: HttpRequestInit | (() => Promise<HttpRequestInit>), policy: HttpPolicy, what: string): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const response = await attemptOnce(url, typeof init === 'function' ? await init() : init, policy, what);
    if (!RETRYABLE.has(response.status)) return response;
    const wait = retryDelay(response, attempt, policy.clock.now());
    const rateLimited = response.status === 429;
    if (attempt >= policy.maxAttempts) {
      throw new HttpError(rateLimited ? 'rate-limited' : 'unexpected', `${what}: ${response.status} after ${attempt} attempts${rateLimited ? ' (rate limit not lifted)' : ''}`, response.status);
    }
    if (wait > policy.maxWaitMs) {
      throw new HttpError(rateLimited ? 'rate-limited' : 'unexpected', `${what}: ${response.status}; the server asks to wait ${Math.ceil(wait / 1000)} s, longer than the ${Math.ceil(policy.maxWaitMs / 1000)} s cap`, response.status);
    }
    await policy.clock.sleep(wait);
  }
}

/**
 * How long to wait before the next attempt: until `X-Rate-Limit-Reset` (Okta: epoch seconds when the
 * window resets), else `Retry-After` (seconds), else exponential back-off (1 s, 2 s, 4 s, …).
 * At least 250 ms, so a reset time already past (clock skew) does not hammer the server.
 */
export function retryDelay(response: Response, attempt: number, now: number): number {
  const reset = Number(response.headers.get('x-rate-limit-reset'));
  if (response.status === 429 && Number.isFinite(reset) && reset > 0) return Math.max(reset * 1000 - now, 250);
  const retryAfter = Number(response.headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter >= 0 && response.headers.has('retry-after')) return Math.max(retryAfter * 1000, 250);
  return 1000 * 2 ** (attempt - 1);
}

/** Statuses whose responses carry no body (the Fetch standard's null body statuses). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** One attempt: connect, send, read the whole answer, all within `timeoutMs`. */
async function attemptOnce(url: string, init: HttpRequestInit, policy: HttpPolicy, what: string): Promise<Response> {
  const own = policy.pool ? undefined : connectionPool(policy.timeoutMs);
  try {
    const answer = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(policy.timeoutMs), dispatcher: policy.pool ?? own!.dispatcher });
    const body = await answer.arrayBuffer();
    return new Response(NULL_BODY.has(answer.status) ? null : body, { status: answer.status, statusText: answer.statusText, headers: [...answer.headers] });
  } catch (error) {
    throw networkError(error, what, policy.timeoutMs);
  } finally {
    await own?.close();
  }
}

function networkError(error: unknown, what: string, timeoutMs: number): HttpError {
  const err = error as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError' || err.cause?.code === 'UND_ERR_CONNECT_TIMEOUT';
  if (timedOut) return new HttpError('network', `${what}: no answer within ${timeoutMs} ms (timeout)`);
  const code = err.cause?.code ?? err.cause?.message ?? err.message ?? 'network error';
  return new HttpError('network', `${what}: cannot connect (${code})`);
}

/** `Link: <url>; rel="self", <url>; rel="next"` → the next URL (Okta sends one Link header per relation; fetch joins them with ", "). */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!match) continue;
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(`;${match[2]!}`);
    const relations = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (relations.includes('next')) return match[1];
  }
  return undefined;
}

export function oktaOrgUrl(okta: Pick<ResolvedOktaOrg, 'orgName' | 'baseDomain'>): string {
  return `https://${okta.orgName}.${okta.baseDomain}`;
}

export interface OktaClientOptions {
  /** `https://<orgName>.<baseDomain>`; tests point it at a loopback stand-in. */
  readonly baseUrl: string;
  /** Signs each request in (`oktaSession` in okta-auth.ts); its errors carry the hint for the credential used. */
  readonly session: OktaSession;
  /** Pages followed per list call before giving up (a loop guard). @default 50 */
  readonly maxPages?: number;
}

/**
 * The read side of the client that {@link compareOkta} needs; tests may pass any implementation. Each read
 * names the shape of its answer (`okta-responses.ts`), so what comes back is what the types say.
 */
export interface OktaReader {
  get<T>(path: string, shape: z.ZodType<T>): Promise<T>;
  /** Every page; `shape` is that of one item. */
  list<T>(path: string, shape: z.ZodType<T>): Promise<T[]>;
}

export class OktaClient implements OktaReader {
  private readonly base: URL;
  private readonly session: OktaSession;
  private readonly maxPages: number;
  private readonly headers = { Accept: 'application/json', 'User-Agent': 'okta-dynatrace-scim-verify' };

  constructor(options: OktaClientOptions) {
    this.base = new URL(options.baseUrl);
    this.session = options.session;
    this.maxPages = options.maxPages ?? 50;
  }

  async get<T>(path: string, shape: z.ZodType<T>): Promise<T> {
    const what = `GET ${path}`;
    return parseAnswer(shape, (await this.fetchJson(this.url(path), what)).body, what);
  }

  /** GET a list endpoint and follow `rel="next"` links; only links on the same origin are followed. */
  async list<T>(path: string, shape: z.ZodType<T>): Promise<T[]> {
    const what = `GET ${path}`;
    const items: T[] = [];
    let url: string | undefined = this.url(path);
    for (let page = 0; url; page++) {
      if (page >= this.maxPages) throw new HttpError('unexpected', `${what}: more than ${this.maxPages} pages; giving up`);
      const { body, next }: { body: unknown; next?: string } = await this.fetchJson(url, what);
      if (!Array.isArray(body)) throw new HttpError('unexpected', `${what}: expected a JSON array`);
      items.push(...body.map((item: unknown) => parseAnswer(shape, item, what)));
      if (next && new URL(next, this.base).origin !== this.base.origin) {
        throw new HttpError('unexpected', `${what}: next page on another origin; refusing to send credentials there`);
      }
      url = next ? new URL(next, this.base).toString() : undefined;
    }
    return items;
  }

  private url(path: string): string {
    return new URL(path, this.base).toString();
  }

  private async fetchJson(url: string, what: string): Promise<{ body: unknown; next?: string }> {
    const response = await this.session.get(url, this.headers, what);
    const text = await response.text().catch(() => '');
    try {
      const next = nextLink(response.headers.get('link'));
      return { body: JSON.parse(text) as unknown, ...(next ? { next } : {}) };
    } catch {
      throw new HttpError('unexpected', `${what}: ${response.status} but the body is not JSON`, response.status);
    }
  }
}

/** An answer (or list item) in the expected shape; the shapes tolerate missing fields, so this fails only for a non-object. */
function parseAnswer<T>(shape: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = shape.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new HttpError('unexpected', `${what}: the answer is not in Okta's documented shape (${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'invalid'})`);
}

/**
 * Classifies an Okta error response; keeps Okta's errorCode, errorSummary and first error cause (they never
 * carry the token). The cause often says what the summary does not, e.g. "Api validation failed: feature"
 * (Provisioning is not enabled for the app instance.).
 */
export function oktaError(status: number, body: string, what: string, hint?: string): HttpError {
  let errorCode: string | undefined;
  let summary = '';
  let cause = '';
  try {
    const parsed = JSON.parse(body) as { errorCode?: unknown; errorSummary?: unknown; errorCauses?: unknown };
    if (typeof parsed.errorCode === 'string') errorCode = parsed.errorCode;
    if (typeof parsed.errorSummary === 'string') summary = parsed.errorSummary.slice(0, 200);
    const first = Array.isArray(parsed.errorCauses) ? (parsed.errorCauses[0] as { errorSummary?: unknown } | undefined) : undefined;
    if (typeof first?.errorSummary === 'string') cause = first.errorSummary.slice(0, 200);
  } catch {
    // not JSON: status alone
  }
  const detail = [errorCode, summary, cause && `(${cause})`].filter(Boolean).join(' ');
  const message = `${what}: ${status}${detail ? ` ${detail}` : ''}`;
  const kind: HttpErrorKind = status === 401 || status === 403 ? 'auth' : status === 404 ? 'not-found' : status === 429 ? 'rate-limited' : 'unexpected';
  return new HttpError(kind, message, status, errorCode, hint);
}
