/**
 * Worker thread of `renderPulumiReport` (stacks/pulumi-report.ts): takes tenants from the shared counter
 * until none is left, renders each as its own Pulumi program under mocks and posts its report lines.
 * Stops at the first failure and posts it (a SpecError keeps its issues, so the message is the same).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { renderTenant, transferError, type WorkerInput, type WorkerMessage } from './pulumi-report';

const { tenants, next, stackTraces } = workerData as WorkerInput;

if (!stackTraces) {
  // Pulumi captures and formats a stack trace for every promise it creates (debuggablePromise), kept
  // only to explain leaked promises; with source maps on (tsx turns them on) each frame is mapped too.
  process.setSourceMapsEnabled(false);
  Error.stackTraceLimit = 0;
}

async function renderUntilDone(): Promise<void> {
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

void renderUntilDone();
