import { InvalidArgumentError, requireInteger } from '@sinkflow/core';
import { availableCores } from './replica-pool.js';

/**
 * How many data-parallel replicas of the model a trainer runs: a count `R >= 1` (replica 0 on the
 * calling thread, `R - 1` worker threads), or `'auto'`: as many as the process has cores on
 * TensorFlow.js's `wasm` backend in Node (single-threaded there, so replicas are how training
 * uses more than one core), and 1 elsewhere (the `cpu` backend, whose tests want one thread;
 * tfjs-node, which threads its own kernels; a browser, which has no worker threads here).
 *
 * @example
 * ```ts
 * await createFlowMatchingTrainer({ model, pairs, workers: 2 satisfies TrainingWorkers });
 * ```
 */
export type TrainingWorkers = number | 'auto';

/**
 * @internal Resolves a {@link TrainingWorkers} setting to a count for the backend `backend`
 * (`tf.getBackend()`) and a batch of `batchSize` examples (never more replicas than examples).
 *
 * @throws {@link InvalidArgumentError} on `workers` for a value that is neither `'auto'` nor an
 * integer `>= 1`, and for `workers > 1` on a backend other than `wasm` and `cpu`.
 */
export async function resolveTrainingWorkers({
  workers,
  backend,
  batchSize,
  functionName,
}: {
  readonly workers: TrainingWorkers;
  readonly backend: string;
  readonly batchSize: number;
  readonly functionName: string;
}): Promise<number> {
  if (workers === 'auto') {
    return backend === 'wasm' ? Math.max(1, Math.min(await availableCores(), batchSize)) : 1;
  }
  if (typeof workers !== 'number') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'workers',
      message: "must be 'auto' or an integer >= 1",
      value: workers,
    });
  }
  requireInteger(workers, { functionName, argumentName: 'workers', minimum: 1 });
  if (workers > 1 && backend !== 'wasm' && backend !== 'cpu') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'workers',
      message: `must be 1 or 'auto' on TensorFlow.js's '${backend}' backend (data-parallel workers run the wasm or cpu backend)`,
      value: workers,
    });
  }
  return Math.min(workers, batchSize);
}
