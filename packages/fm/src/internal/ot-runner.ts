import { executeOtTask, type OtMemory, type OtTask, type OtTaskResult } from './ot-task.js';
import { createWorkerRunner } from './ot-worker-runner.js';

/** Where OT tasks run, in order (one at a time), and how. */
export interface OtRunner {
  readonly execution: 'worker' | 'main-thread';
  /** Why the worker is not used when it was asked for; else null. */
  readonly note: string | null;
  /** Runs `task` after every task submitted before it. Transfers the buffers of `transfer`. */
  run(task: OtTask, transfer?: readonly ArrayBuffer[]): Promise<OtTaskResult>;
  /** Stops the worker (pending tasks reject). */
  dispose(): Promise<void>;
}

/**
 * @internal Creates a runner: `'worker'` starts a `node:worker_threads` worker on fm's own module
 * entry `ot-worker.js` (`ot-worker-runner.ts`), which runs {@link executeOtTask}; when that fails
 * (no worker threads, fm not built) it falls back to the main thread and says why in `note`. `'main-thread'` runs tasks on the calling thread, in submission order.
 */
export async function createOtRunner({
  runOn,
}: {
  readonly runOn: 'worker' | 'main-thread';
}): Promise<OtRunner> {
  if (runOn === 'main-thread') return createMainThreadRunner(null);
  try {
    return await createWorkerRunner();
  } catch (error) {
    return createMainThreadRunner(
      `worker unavailable (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

async function createMainThreadRunner(note: string | null): Promise<OtRunner> {
  const memory: OtMemory = { problems: new Map(), lastRelativeEpsilon: null };
  let tail: Promise<unknown> = Promise.resolve();
  return {
    execution: 'main-thread',
    note,
    run(task) {
      const result = tail.then(() => executeOtTask(memory, task));
      tail = result.catch(() => undefined);
      return result;
    },
    async dispose() {
      await tail;
      for (const entry of memory.problems.values()) await entry.problem.dispose();
      memory.problems.clear();
    },
  };
}
