import { InternalError, InvalidArgumentError, SinkflowError } from '@sinkflow/core';
import type { OtRunner } from './ot-runner.js';
import type { OtTask, OtTaskResult } from './ot-task.js';

/**
 * @internal The URL of the OT worker program. The package is bundled into `dist/`, where the
 * program is the sibling `ot-worker.js`; when this module runs from its TypeScript source (the
 * package's own tests under vitest), the worker still needs JavaScript, so the built program in
 * `../../dist/` is used (build the package first).
 */
export function otWorkerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL('../../dist/ot-worker.js', here)
    : new URL('./ot-worker.js', here);
}

interface WorkerAnswer {
  readonly id: number;
  readonly result?: OtTaskResult;
  readonly error?: {
    readonly name: string;
    readonly message: string;
    readonly functionName?: string;
    readonly argumentName?: string;
  };
}

/**
 * @internal Starts the OT worker (`node:worker_threads` on {@link otWorkerUrl}) and returns its
 * runner once it answers a ping; throws when it cannot start (the caller then falls back to the
 * calling thread). The browser build (`ot-worker-runner.browser.ts`) always throws.
 */
export async function createWorkerRunner(): Promise<OtRunner> {
  const { Worker } = await import('node:worker_threads');
  const { readFile } = await import('node:fs/promises');
  const entry = otWorkerUrl();
  await readFile(entry).catch(() => {
    throw new InternalError({
      where: '@sinkflow/fm',
      message: `not built (${entry.pathname} is missing)`,
    });
  });
  const worker = new Worker(entry);
  worker.unref();
  const pending = new Map<
    number,
    { resolve: (result: OtTaskResult) => void; reject: (error: Error) => void }
  >();
  let nextId = 0;
  let failure: Error | null = null;
  const failAll = (error: Error) => {
    failure = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on('message', (answer: WorkerAnswer) => {
    const waiting = pending.get(answer.id);
    if (waiting === undefined) return;
    pending.delete(answer.id);
    // An idle worker must not keep the process alive; a busy one must (its answer is awaited).
    if (pending.size === 0) worker.unref();
    if (answer.result !== undefined) waiting.resolve(answer.result);
    else waiting.reject(rebuildError(answer.error));
  });
  worker.on('error', (error) => failAll(new SinkflowError(`OT worker failed: ${error.message}`)));
  worker.on('exit', () => failAll(new SinkflowError('OT worker stopped')));
  const run = (task: OtTask, transfer: readonly ArrayBuffer[] = []): Promise<OtTaskResult> => {
    if (failure !== null) return Promise.reject(failure);
    const id = nextId;
    nextId += 1;
    return new Promise<OtTaskResult>((resolve, reject) => {
      if (pending.size === 0) worker.ref();
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, task }, [...transfer]);
    });
  };
  try {
    await run({ type: 'ping' });
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  return {
    execution: 'worker',
    note: null,
    run,
    async dispose() {
      // Hold the event loop while the worker stops. Node settles terminate() on the worker's
      // 'exit' event, which can arrive after the worker's handle has closed: with nothing else
      // pending, the loop then empties mid-await and Node exits with code 13 (seen about one run
      // in three at the end of the quickstart's OT-FM training; ref() alone does not prevent it).
      worker.ref();
      const keepAlive = setInterval(() => undefined, 1000);
      try {
        await worker.terminate();
      } finally {
        clearInterval(keepAlive);
      }
    },
  };
}

function rebuildError(error: WorkerAnswer['error']): Error {
  if (error === undefined) return new SinkflowError('OT worker: empty answer');
  if (error.name === 'InvalidArgumentError' && error.functionName && error.argumentName) {
    const prefix = `${error.functionName}: invalid argument '${error.argumentName}': `;
    return new InvalidArgumentError({
      functionName: error.functionName,
      argumentName: error.argumentName,
      message: error.message.startsWith(prefix)
        ? error.message.slice(prefix.length)
        : error.message,
    });
  }
  return new SinkflowError(`OT worker: ${error.name}: ${error.message}`);
}
