import { BackendUnavailableError } from '@sinkflow/core';
import type { OtRunner } from './ot-runner.js';

/**
 * @internal The browser build has no OT worker thread (`node:worker_threads`): this throws, and
 * the runner falls back to the calling thread (run training in a Web Worker to keep a page's main
 * thread free).
 */
export async function createWorkerRunner(): Promise<OtRunner> {
  throw new BackendUnavailableError({
    backend: 'OT worker',
    message: 'worker threads for OT tasks are Node only; they run on the calling thread',
  });
}
