/**
 * Worker thread of `renderPulumiReport` (operations/synth/pulumi-report.ts). Loads the renderer, waits for its one
 * input message, then takes tenants from the shared counter until none is left, renders each as its own
 * Pulumi program under mocks and posts its report lines. Stops at the first failure and posts it (a
 * SpecError keeps its issues, so the message is the same), then ends.
 */
import { parentPort } from 'node:worker_threads';
import { loadRenderer, renderTenant, transferError, type WorkerInput, type WorkerMessage } from './pulumi-report';
import { framelessStack } from './stack-traces';

function configureStackTraces(stackTraces: boolean): void {
  if (stackTraces) return;
  // Pulumi captures and formats a stack trace for every promise it creates (debuggablePromise), kept
  // only to explain leaked promises, and two full ones per resource for the source position it sends
  // the engine, which mocks ignore; with source maps on (tsx turns them on) every frame is mapped too.
  // Errors keep their name and message (all that reaches the report), without frames.
  process.setSourceMapsEnabled(false);
  Error.stackTraceLimit = 0;
  Error.prepareStackTrace = framelessStack;
}

async function renderUntilDone({ tenants, next, stackTraces }: WorkerInput): Promise<void> {
  configureStackTraces(stackTraces);
  for (let index = Atomics.add(next, 0, 1); index < tenants.length; index = Atomics.add(next, 0, 1)) {
    let message: WorkerMessage;
    try {
      message = { index, lines: await renderTenant(tenants[index]!) };
    } catch (error) {
      parentPort!.postMessage({ index, error: transferError(error) } satisfies WorkerMessage);
      return;
    }
    parentPort!.postMessage(message);
  }
}

loadRenderer();
parentPort!.once('message', (input: WorkerInput) => void renderUntilDone(input));
