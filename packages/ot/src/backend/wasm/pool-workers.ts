import { Worker } from 'node:worker_threads';
import { WORKER_LOOP_SOURCE } from './worker-source.js';

/**
 * The workers of a thread pool, as the pool sees them on any platform (this file: Node's
 * `worker_threads`; `pool-workers.browser.ts`: Web Workers, in the browser build).
 *
 * @internal
 */
export interface PoolWorkers {
  /** Number of workers. */
  readonly count: number;
  /** Whether the pool's thread may block in `Atomics.wait` (not on a browser's main thread). */
  readonly canWait: boolean;
  /** Posts a message to every worker (an attach or detach, handled in the next receive job). */
  post(message: object): void;
  /** Calls `listener` with the text of a worker's uncaught error. */
  onError(listener: (message: string) => void): void;
  /** Terminates the workers (after the pool's exit job). */
  terminate(): Promise<void>;
}

/**
 * The Node worker program: the shared loop of `worker-source.ts` with its host part. Run with
 * `new Worker(source, { eval: true })`; a receive job drains the port synchronously
 * (`receiveMessageOnPort`), so the worker never returns to its event loop.
 */
const NODE_WORKER_SOURCE = `'use strict';
const { parentPort, receiveMessageOnPort, workerData } = require('node:worker_threads');
const { control, tid, operations } = workerData;
function receive() {
  for (let entry = receiveMessageOnPort(parentPort); entry !== undefined; entry = receiveMessageOnPort(parentPort)) {
    handleMessage(entry.message);
  }
  return true;
}
${WORKER_LOOP_SOURCE}
runJobs();
`;

/**
 * Starts `count` pool workers on `worker_threads` (they boot in the background; the pool's first
 * job waits for them). Workers are `unref`ed so that an undisposed kernel never keeps the process
 * alive.
 *
 * @example
 * ```ts
 * const workers = await startPoolWorkers({ count: 3, control, operations: [...OPERATIONS] });
 * ```
 * @internal
 */
export async function startPoolWorkers({
  count,
  control,
  operations,
}: {
  readonly count: number;
  readonly control: SharedArrayBuffer;
  readonly operations: readonly string[];
}): Promise<PoolWorkers> {
  const workers = Array.from(
    { length: count },
    (_, index) =>
      new Worker(NODE_WORKER_SOURCE, {
        eval: true,
        workerData: { control, tid: index + 1, operations },
      }),
  );
  for (const worker of workers) worker.unref();
  return {
    count,
    canWait: true,
    post(message) {
      for (const worker of workers) worker.postMessage(message);
    },
    onError(listener) {
      for (const worker of workers) worker.on('error', (error) => listener(String(error)));
    },
    async terminate() {
      // Hold the event loop until the workers have exited: Node settles terminate() on the 'exit'
      // event, which can come after the handle has closed, so with nothing else pending the loop
      // would empty mid-await and Node exit with code 13 (see fm's OT runner).
      for (const worker of workers) worker.ref();
      const keepAlive = setInterval(() => undefined, 1000);
      try {
        await Promise.all(workers.map((worker) => worker.terminate()));
      } finally {
        clearInterval(keepAlive);
      }
    },
  };
}
