/**
 * The program of fm's OT worker (built to `dist/ot-worker.js`): runs the {@link OtTask}s posted by
 * its parent, in order, with {@link executeOtTask}, and answers `{ id, result }` (transferring the
 * result's buffers) or `{ id, error }`.
 *
 * @internal
 */
import { parentPort } from 'node:worker_threads';
import { InternalError } from '@sinkflow/core';
import {
  executeOtTask,
  type OtMemory,
  type OtTask,
  type OtTaskResult,
} from './internal/ot-task.js';

const port = parentPort;
if (port === null) {
  throw new InternalError({ where: 'ot-worker.js', message: 'must run in a worker thread' });
}
const memory: OtMemory = { problems: new Map(), lastRelativeEpsilon: null };
const buffersOf = (result: OtTaskResult): ArrayBuffer[] =>
  Object.values(result)
    .filter((value): value is ArrayBufferView => ArrayBuffer.isView(value))
    .map((value) => value.buffer as ArrayBuffer);
let tail: Promise<void> = Promise.resolve();
port.on('message', ({ id, task }: { readonly id: number; readonly task: OtTask }) => {
  tail = tail.then(async () => {
    try {
      const result = await executeOtTask(memory, task);
      port.postMessage({ id, result }, buffersOf(result));
    } catch (error) {
      const described = (
        error !== null && typeof error === 'object' ? error : { message: String(error) }
      ) as Record<string, unknown>;
      port.postMessage({
        id,
        error: {
          name: String(described.name ?? 'Error'),
          message: String(described.message ?? error),
          functionName: described.functionName,
          argumentName: described.argumentName,
        },
      });
    }
  });
});
