/**
 * The Pulumi half of the main job's report: for each tenant, what its Pulumi stack would register. Each
 * tenant's real program (`tenantProgram` → `DynatraceScimIntegration`) runs under mocks as a Pulumi
 * program of its own (own mock monitor, stack named after the tenant), and the report lists the
 * resources that program registered.
 *
 * Rendering every tenant in one program kept every tenant's resources, outputs and promises alive at once
 * (3.1 GB at 2000 tenants) and used one core. Here a pool of worker threads pulls tenants from a shared
 * counter, renders one program at a time (its runtime state is released before the next starts) and
 * posts each tenant's lines back, while the calling thread synthesizes CDKTF. Workers receive the
 * resolved tenants (names of secret sources, never values), a placeholder token and an empty
 * environment, so no secret can reach them. Measurements: docs/benchmark.md.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { SpecError, type SpecIssue } from '../../constructs/model/errors';
import type { ResolvedTenant } from '../../constructs/model/tenant';
import { pulumiAddress, pulumiName } from '../../constructs/resources/names';

/** Report lines per tenant name, e.g. `okta:app/autoLogin:AutoLogin acme-app (import 0oa…)`. */
export type PulumiReport = Map<string, string[]>;

export interface PulumiReportOptions {
  /**
   * Worker threads rendering the programs; 0 renders them one after another in the calling thread
   * (for tests and profiling). @default {@link defaultWorkerCount}
   */
  readonly workers?: number;
  /**
   * Keep stack traces and source maps in the workers (`--debug`). Off, Pulumi's capture of a stack trace
   * for every promise it creates — kept only to explain leaked promises — costs nothing; that capture
   * was 60 % of the rendering time. @default false
   */
  readonly stackTraces?: boolean;
  /** Aborting stops the workers and rejects the result (the caller failed elsewhere). */
  readonly signal?: AbortSignal;
  /** A worker started earlier ({@link preparePulumiWorker}), used as the first of `workers`. */
  readonly prepared?: PreparedWorker;
}

/** A placeholder, not a secret: the offline run needs some value to compute the connection inputs. */
const OFFLINE_TOKEN = 'offline-placeholder';

/**
 * Tenants per worker before another one pays off: a worker needs ~1 s of CPU to start (loading
 * @pulumi/pulumi and our modules), then ~5 ms per tenant.
 */
const TENANTS_PER_WORKER = 250;

/**
 * One core stays with the calling thread, which synthesizes CDKTF meanwhile: the main job takes as long
 * as that thread, and a second worker on a 2-core machine only slows it down (see docs/benchmark.md).
 */
export function defaultWorkerCount(tenants: number): number {
  return Math.max(1, Math.min(availableParallelism() - 1, Math.ceil(tenants / TENANTS_PER_WORKER)));
}

/** The modules rendering needs (the engine among them): loaded on first use, never at import time. */
export function loadRenderer(): { runOffline: typeof import('../../constructs/pulumi/offline').runOffline; tenantProgram: typeof import('../../constructs/pulumi/tenant-program').tenantProgram } {
  const { runOffline } = require('../../constructs/pulumi/offline') as typeof import('../../constructs/pulumi/offline');
  const { tenantProgram } = require('../../constructs/pulumi/tenant-program') as typeof import('../../constructs/pulumi/tenant-program');
  return { runOffline, tenantProgram };
}

/** What Pulumi registers for `tenant`, its Okta provider and the component itself left out. */
export async function renderTenant(tenant: ResolvedTenant): Promise<string[]> {
  const { runOffline, tenantProgram } = loadRenderer();
  let component!: ReturnType<typeof tenantProgram>;
  const run = await runOffline(() => [(component = tenantProgram(tenant, { scimTokenValue: OFFLINE_TOKEN }))], tenant.name);
  return reportLines(tenant.name, component.plan, run.resources);
}

type Plan = ReturnType<typeof import('../../constructs/pulumi/tenant-program').tenantProgram>['plan'];
type Registered = readonly import('../../constructs/pulumi/offline').RegisteredResource[];

/**
 * Lookups first (from the plan the component rendered, not a second compilation of it), then the
 * resources named after the plan's roles in the order they registered. `registered` may hold other
 * tenants' resources too.
 */
export function reportLines(tenant: string, plan: Plan, registered: Registered): string[] {
  const lines: string[] = [];
  const names = new Set<string>();
  const naming = { componentName: tenant };
  for (const entry of plan) {
    if (entry.type === 'data') lines.push(pulumiAddress(entry, naming));
    else names.add(pulumiName(entry.role, naming));
  }
  for (const resource of registered) {
    if (names.has(resource.name)) lines.push(`${resource.type} ${resource.name}${resource.importId ? ` (import ${resource.importId})` : ''}`);
  }
  return lines;
}

export async function renderPulumiReport(tenants: readonly ResolvedTenant[], options: PulumiReportOptions = {}): Promise<PulumiReport> {
  const count = options.workers ?? defaultWorkerCount(tenants.length);
  if (tenants.length === 0) {
    options.prepared?.release();
    return new Map();
  }
  if (count > 0 || options.prepared) return renderInWorkers(tenants, Math.max(1, Math.min(count, tenants.length)), options);
  const report: PulumiReport = new Map();
  for (const tenant of tenants) {
    options.signal?.throwIfAborted();
    report.set(tenant.name, await renderTenant(tenant));
  }
  return report;
}

/** Sent to each worker once (structured clone; `next` is shared by all of them). */
export interface WorkerInput {
  readonly tenants: readonly ResolvedTenant[];
  /** `next[0]`: index of the next tenant to render; each worker takes one with `Atomics.add`. */
  readonly next: Int32Array;
  readonly stackTraces: boolean;
}

/** One message per rendered tenant; a worker stops at its first failure. */
export type WorkerMessage = { readonly index: number; readonly lines: string[] } | { readonly index: number; readonly error: TransferredError };

/** An error as it crosses the thread boundary (structured clone keeps neither the class nor `issues`). */
export interface TransferredError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly issues?: readonly SpecIssue[];
  readonly tenant?: string;
  readonly subject?: string;
}

export function transferError(error: unknown): TransferredError {
  if (error instanceof SpecError) return { name: error.name, message: error.message, issues: error.issues, ...(error.tenant ? { tenant: error.tenant } : {}), ...(error.subject ? { subject: error.subject } : {}) };
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { name: 'Error', message: String(error) };
}

function reviveError(transferred: TransferredError): Error {
  if (transferred.issues) return new SpecError(transferred.issues, transferred.tenant, transferred.subject);
  const error = new Error(transferred.message);
  error.name = transferred.name;
  if (transferred.stack) error.stack = transferred.stack;
  return error;
}

/**
 * A worker started before the tenants are known, so that it loads Pulumi while the calling thread
 * parses the tenants file. `renderPulumiReport({ prepared })` takes it as one of its workers.
 */
export interface PreparedWorker {
  /** Ends the worker unless `renderPulumiReport` took it (e.g. the tenants file was invalid). */
  release(): void;
}

/** What `renderInWorkers` needs of a prepared worker; callers only see `release`. */
interface Spawned extends PreparedWorker {
  readonly worker: import('node:worker_threads').Worker;
  /** The error or exit code that ended it before it was taken. */
  readonly ended: Promise<Error | number>;
  taken: boolean;
}

/**
 * The worker's entry file: compiled (the package), the worker module itself; from the TypeScript sources (a
 * clone, tests), a CommonJS shim that registers tsx before loading it.
 */
const WORKER_ENTRY = __filename.endsWith('.ts') ? 'pulumi-report-worker.cjs' : 'pulumi-report-worker.js';

export function preparePulumiWorker(): PreparedWorker {
  return spawnWorker();
}

function spawnWorker(): Spawned {
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  // `env: {}`: the worker gets no environment variable, so no secret (a token in the environment) can
  // reach it. `execArgv: []`: none of this process's loaders; its entry loads its own.
  const worker = new Worker(join(__dirname, WORKER_ENTRY), { execArgv: [], env: {} });
  // Idle, waiting for its tenants, it never keeps the process alive.
  worker.unref();
  const ended = new Promise<Error | number>((resolve) => {
    worker.once('error', resolve);
    worker.once('exit', resolve);
  });
  const spawned: Spawned = {
    worker,
    ended,
    taken: false,
    release: () => {
      if (!spawned.taken) void worker.terminate();
    },
  };
  return spawned;
}

function renderInWorkers(tenants: readonly ResolvedTenant[], count: number, options: PulumiReportOptions): Promise<PulumiReport> {
  const prepared = options.prepared as Spawned | undefined;
  const pool = [...(prepared ? [prepared] : []), ...Array.from({ length: count - (prepared ? 1 : 0) }, spawnWorker)];
  const next = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const input: WorkerInput = { tenants, next, stackTraces: Boolean(options.stackTraces) };
  const lines: (string[] | undefined)[] = new Array(tenants.length);
  const failures = new Map<number, Error>();
  let fatal: Error | undefined;
  // No worker starts another tenant; those rendering one finish it.
  const stopTaking = () => Atomics.store(next, 0, tenants.length);
  const stopAll = (error: Error) => {
    fatal ??= error;
    stopTaking();
    for (const { worker } of pool) void worker.terminate();
  };
  const onAbort = () => stopAll(options.signal!.reason instanceof Error ? options.signal!.reason : new Error('Pulumi rendering aborted'));
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  for (const spawned of pool) {
    spawned.taken = true;
    spawned.worker.ref();
    spawned.worker.on('message', (message: WorkerMessage) => {
      if ('lines' in message) {
        lines[message.index] = message.lines;
        return;
      }
      failures.set(message.index, reviveError(message.error));
      // Tenants before this one are already taken and finish; none after it starts.
      stopTaking();
    });
    void spawned.ended.then((end) => {
      if (end instanceof Error) stopAll(end);
    });
    spawned.worker.postMessage(input);
  }

  return Promise.all(pool.map(({ ended }) => ended)).then((ends) => {
    options.signal?.removeEventListener('abort', onAbort);
    if (fatal) throw fatal;
    // The first failing tenant in file order, as rendering them one after another would report.
    if (failures.size > 0) throw failures.get(Math.min(...failures.keys()))!;
    const missing = lines.findIndex((entry) => entry === undefined);
    if (missing >= 0) throw new Error(`a Pulumi rendering worker exited (code ${ends.find((end) => end !== 0) ?? 0}) before tenant "${tenants[missing]!.name}" was rendered`);
    return new Map(tenants.map((tenant, index) => [tenant.name, lines[index]!]));
  });
}
