import { BackendUnavailableError } from '@sinkflow/core';
import type { PoolWorkers } from './pool-workers.js';
import { WORKER_LOOP_SOURCE } from './worker-source.js';

export type { PoolWorkers } from './pool-workers.js';

/** The members of the browser's `Worker` that the pool uses (the package compiles without DOM types). */
interface WebWorker {
  postMessage(message: unknown): void;
  addEventListener(type: 'message' | 'error', listener: (event: WorkerEvent) => void): void;
  terminate(): void;
}

interface WorkerEvent {
  readonly data?: unknown;
  readonly message?: string;
}

interface BrowserGlobals {
  readonly Worker?: new (url: string, options?: { name?: string }) => WebWorker;
  readonly Blob?: new (parts: string[], options: { type: string }) => object;
  readonly URL: { createObjectURL(blob: object): string; revokeObjectURL(url: string): void };
  readonly WorkerGlobalScope?: unknown;
}

/**
 * The Web Worker program: the shared loop of `worker-source.ts` with its browser host part. The
 * first message (`init`) carries the control buffer and the thread index; the worker answers
 * `ready` and enters the loop. A receive job makes the loop return to the event loop, where the
 * job's one message (attach or detach) arrives; its handler finishes the job and re-enters the loop.
 */
const BROWSER_WORKER_SOURCE = `'use strict';
let control, tid, operations;
function receive() {
  return false;
}
${WORKER_LOOP_SOURCE}
self.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'init') {
    ({ control, tid, operations } = message);
    self.postMessage({ type: 'ready' });
  } else {
    try {
      handleMessage(message);
    } catch (error) {
      recordError(error);
    }
    finishJob();
  }
  runJobs();
};
`;

/**
 * Starts `count` pool workers as Web Workers (a classic script from a Blob URL, so no bundler
 * needs an extra entry) and resolves once each runs its loop. Shared memory between them needs a
 * cross-origin isolated page (`crossOriginIsolated`, the COOP / COEP headers): the backend starts
 * a pool only there. On a page's main thread the pool polls instead of `Atomics.wait`, which
 * browsers refuse there; in a worker it blocks as in Node.
 *
 * @throws {@link BackendUnavailableError} when a worker cannot start (no `Worker`, or a content
 * security policy that refuses `blob:` workers).
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
  const host = globalThis as unknown as BrowserGlobals;
  if (host.Worker === undefined || host.Blob === undefined) {
    throw new BackendUnavailableError({
      backend: 'wasm',
      message: 'this runtime has no Web Workers for the kernel threads',
    });
  }
  const WorkerClass = host.Worker;
  const url = host.URL.createObjectURL(
    new host.Blob([BROWSER_WORKER_SOURCE], { type: 'text/javascript' }),
  );
  const errorListeners: ((message: string) => void)[] = [];
  const workers: WebWorker[] = [];
  try {
    await Promise.all(
      Array.from({ length: count }, (_, index) => {
        const worker = new WorkerClass(url, { name: `sinkflow-wasm-${index + 1}` });
        workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          worker.addEventListener('message', (event) => {
            if ((event.data as { type?: string } | undefined)?.type === 'ready') resolve();
          });
          worker.addEventListener('error', (event) => {
            const message = event.message ?? 'a kernel worker failed';
            reject(new BackendUnavailableError({ backend: 'wasm', message }));
            for (const listener of errorListeners) listener(message);
          });
          worker.postMessage({ type: 'init', control, tid: index + 1, operations });
        });
      }),
    );
  } catch (error) {
    for (const worker of workers) worker.terminate();
    throw error;
  } finally {
    host.URL.revokeObjectURL(url);
  }
  return {
    count,
    canWait: host.WorkerGlobalScope !== undefined,
    post(message) {
      for (const worker of workers) worker.postMessage(message);
    },
    onError(listener) {
      errorListeners.push(listener);
    },
    async terminate() {
      for (const worker of workers) worker.terminate();
    },
  };
}
