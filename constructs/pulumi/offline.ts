/**
 * Runs Pulumi programs offline with `pulumi.runtime.setMocks`: no CLI, no engine, no credentials.
 * Used by the main job's summary, the tests and the benchmark to see exactly what Pulumi would register.
 */
import * as pulumi from '@pulumi/pulumi';
import { getMonitor } from '@pulumi/pulumi/runtime/settings';

export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** Import id, when the resource is adopted rather than created. */
  readonly importId?: string;
  /** The `ignoreChanges` option, when given. */
  readonly ignoreChanges?: readonly string[];
}

export interface OfflineRun {
  readonly resources: RegisteredResource[];
  readonly invokes: { readonly token: string; readonly args: Record<string, unknown> }[];
}

/** Answers a lookup (invoke) as a given org would; `undefined` leaves it to the default answer. */
export type LookupAnswer = (token: string, inputs: Record<string, unknown>) => Record<string, unknown> | undefined;

/**
 * Runs `program` under mocks and resolves once every resource it created has registered and the
 * runtime's queue of pending calls has drained, so the next `runOffline` in the same thread starts from
 * a clean runtime (a late call would otherwise reach the next program's mock monitor).
 * `program` returns the component(s) whose children to wait for. By default a lookup finds what it asks
 * for; `answer` lets a caller play an org's real content (e.g. two groups of one name).
 */
export async function runOffline(program: () => pulumi.Resource[], stack = 'offline', project = 'okta-dynatrace-scim', answer?: LookupAnswer): Promise<OfflineRun> {
  const resources: RegisteredResource[] = [];
  const invokes: OfflineRun['invokes'] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs, ...(args.id ? { importId: args.id } : {}) });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call(args) {
        invokes.push({ token: args.token, args: args.inputs });
        const answered = answer?.(args.token, args.inputs);
        if (answered) return answered;
        // A lookup finds what it was asked for: a group by name, an app by id or label, a policy by name.
        const key = [args.inputs.name, args.inputs.label, args.inputs.id].find((v): v is string => typeof v === 'string') ?? 'object';
        const id = typeof args.inputs.id === 'string' ? args.inputs.id : `lookup-${key}`;
        return { id, uuid: id, name: typeof args.inputs.name === 'string' ? args.inputs.name : `app-${key}`, ...args.inputs };
      },
    },
    project,
    stack,
    false,
  );
  recordIgnoreChanges(resources);
  const roots = program();
  await Promise.all(roots.map((root) => outputPromise(root.urn)));
  // Children register asynchronously after their parent; wait for their URNs too.
  const children = roots.flatMap((root) => [...((root as { resources?: Map<string, pulumi.Resource> }).resources?.values() ?? [])]);
  await Promise.all(children.map((child) => outputPromise(child.urn)));
  await pulumi.runtime.disconnect();
  return { resources, invokes };
}

/**
 * The mocks see a resource's inputs and import id but not its other options: read `ignoreChanges` from the
 * registration request the mock monitor receives, and add it to the resource once the mocks have recorded it.
 */
function recordIgnoreChanges(resources: RegisteredResource[]): void {
  type Request = { getName(): string; getIgnorechangesList(): string[] };
  const monitor = getMonitor() as unknown as { registerResource(req: Request, callback: (...args: unknown[]) => void): Promise<void> };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (...args) => {
      const ignoreChanges = req.getIgnorechangesList();
      const index = resources.findIndex((resource) => resource.name === req.getName());
      if (ignoreChanges.length > 0 && index >= 0) resources[index] = { ...resources[index]!, ignoreChanges };
      callback(...args);
    });
}

function outputPromise<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => { resolve(value); return value; }));
}
