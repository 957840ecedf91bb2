import { InternalError } from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs';
import { accumulateGradients } from '../internal/gradient-step.js';
import type { NamedWeight, VelocityModel } from '../model/velocity-model.js';
import type { AdamOptimizer, AdamState } from '../optim/adam-optimizer.js';
import {
  AllReduceAbortedError,
  abortAllReduce,
  applyReducedGradients,
  arriveAtBarrier,
  createAllReduceBuffers,
  shardRows,
  waitAtBarrierAsync,
  writeGradientSlot,
} from './gradient-all-reduce.js';
import type { ReplicaAnswer, ReplicaRequest } from './replica-protocol.js';
import { TrainingWorkerError } from './training-worker-error.js';

/**
 * @internal Data-parallel replicas of a velocity model and its Adam optimizer: replica 0 is the
 * calling thread's model (the trainer's own), replicas `1..R-1` run in worker threads. Each
 * {@link ReplicaPool.step} splits the batch into `R` contiguous shards, every replica computes
 * the gradient of its shard's part of the loss, the parts are all-reduced through shared memory
 * (a barrier on an `Atomics` counter, then the slots added in replica order) and every replica
 * applies the same Adam update to the same weights: the replicas stay bit-identical (synchronous
 * data parallelism with an all-reduce, as PyTorch's DDP [li2020ddp]).
 */
export interface ReplicaPool {
  /** `R`, the calling thread included. */
  readonly replicas: number;
  /** One optimizer step on a batch of `count` rows; returns the batch's loss. */
  step(options: {
    readonly xt: Float32Array;
    readonly t: Float32Array;
    readonly velocity: Float32Array;
    readonly count: number;
    readonly microBatchSize: number;
  }): Promise<number>;
  /** The weights and optimizer state of the worker replicas `1..R-1` (for tests). */
  workerStates(): Promise<
    readonly { readonly weights: readonly NamedWeight[]; readonly optimizer: AdamState }[]
  >;
  /** Stops every worker (idempotent); the pool cannot step afterwards. */
  terminate(): Promise<void>;
}

/**
 * @internal The URL of the training worker program: the sibling `train-worker.js` in `dist/`, or
 * the built one when this module runs from its TypeScript source (vitest; build the package first).
 */
export function trainWorkerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL('../../dist/train-worker.js', here)
    : new URL('./train-worker.js', here);
}

/** @internal The number of cores this process may use (`os.availableParallelism()`). */
export async function availableCores(): Promise<number> {
  const os = await import('node:os');
  return typeof os.availableParallelism === 'function'
    ? os.availableParallelism()
    : os.cpus().length;
}

type NodeWorker = import('node:worker_threads').Worker;

/** One worker replica: its thread and the answer it owes. */
interface WorkerReplica {
  readonly worker: NodeWorker;
  readonly index: number;
  pending: {
    readonly resolve: (answer: ReplicaAnswer) => void;
  } | null;
}

/**
 * @internal Starts `replicas - 1` worker replicas, initialised with a copy of `model`'s weights
 * and `optimizer`'s state on the TensorFlow.js backend `backend` (`'wasm'` or `'cpu'`), and returns
 * the pool once every one answered.
 *
 * @throws {@link TrainingWorkerError} naming the replica and the cause when one cannot start
 * (the package not built, the backend not available in the worker); the others are terminated.
 */
export async function createReplicaPool({
  model,
  optimizer,
  replicas,
  backend,
}: {
  readonly model: VelocityModel;
  readonly optimizer: AdamOptimizer;
  readonly replicas: number;
  readonly backend: string;
}): Promise<ReplicaPool> {
  const { Worker } = await import('node:worker_threads');
  const { readFile } = await import('node:fs/promises');
  const entry = trainWorkerUrl();
  await readFile(entry).catch((cause: unknown) => {
    throw new TrainingWorkerError({
      worker: 1,
      reason: `InternalError: @sinkflow/fm is not built (${entry.pathname} is missing)`,
      cause: new InternalError({ where: '@sinkflow/fm', message: 'not built', cause }),
    });
  });
  const parameterCount = model.parameters.reduce((sum, parameter) => sum + parameter.size, 0);
  const buffers = createAllReduceBuffers({ replicas, parameterCount });
  let rejectFailure: (error: TrainingWorkerError) => void = () => undefined;
  let failed: TrainingWorkerError | null = null;
  const failure = new Promise<never>((_, reject) => {
    rejectFailure = reject;
  });
  failure.catch(() => undefined);
  let terminated = false;
  // The error that stopped the pool during a step, thrown again by any later step.
  let stoppedBy: unknown = null;
  const fail = (index: number, reason: string, cause?: unknown) => {
    if (failed !== null || terminated) return;
    failed = new TrainingWorkerError({ worker: index, reason, cause });
    abortAllReduce(buffers);
    rejectFailure(failed);
  };
  const workers: WorkerReplica[] = [];
  for (let index = 1; index < replicas; index += 1) {
    const replica: WorkerReplica = {
      // The parent's Node flags, less `--input-type` (a worker given it refuses to load its file).
      worker: new Worker(entry, {
        execArgv: process.execArgv.filter((flag) => !flag.startsWith('--input-type')),
      }),
      index,
      pending: null,
    };
    replica.worker.unref();
    replica.worker.on('message', (answer: ReplicaAnswer) => {
      if (answer.type === 'error') {
        fail(index, `${answer.name}: ${answer.message}`, rebuildError(answer));
        return;
      }
      const pending = replica.pending;
      replica.pending = null;
      replica.worker.unref();
      pending?.resolve(answer);
    });
    replica.worker.on('error', (error) => fail(index, `${error.name}: ${error.message}`, error));
    replica.worker.on('exit', (code) => fail(index, `the worker exited (code ${code})`));
    workers.push(replica);
  }
  const request = (
    replica: WorkerReplica,
    message: ReplicaRequest,
    transfer: ArrayBuffer[] = [],
  ): Promise<ReplicaAnswer> => {
    const answer = new Promise<ReplicaAnswer>((resolve) => {
      replica.pending = { resolve };
    });
    replica.worker.ref();
    replica.worker.postMessage(message, transfer);
    const raced = Promise.race([answer, failure]);
    // A step that fails on the calling thread's side throws before awaiting the answers.
    raced.catch(() => undefined);
    return raced;
  };
  const terminate = async (): Promise<void> => {
    if (terminated) return;
    terminated = true;
    abortAllReduce(buffers);
    // Hold the event loop while the workers stop (see the OT worker's dispose: Node settles
    // terminate() on an 'exit' event that can come after the handle closed).
    const keepAlive = setInterval(() => undefined, 1000);
    try {
      await Promise.all(workers.map(({ worker }) => worker.terminate()));
    } finally {
      clearInterval(keepAlive);
    }
  };
  try {
    const weights = await model.getWeights();
    const state = await optimizer.getState();
    await Promise.all(
      workers.map((replica) =>
        request(replica, {
          type: 'init',
          backend,
          config: model.config,
          weights,
          optimizer: state,
          buffers,
          replica: replica.index,
        }),
      ),
    );
  } catch (error) {
    await terminate();
    throw error;
  }
  let generation = 0;
  return {
    replicas,
    async step({ xt, t, velocity, count, microBatchSize }) {
      if (terminated) {
        throw (
          failed ??
          stoppedBy ??
          new TrainingWorkerError({ worker: 1, reason: 'the replicas were terminated' })
        );
      }
      generation += 1;
      const { d } = model;
      try {
        const answers = workers.map((replica) => {
          const { start, rows } = shardRows({ count, replicas, replica: replica.index });
          const shard = {
            xt: xt.slice(start * d, (start + rows) * d),
            t: t.slice(start, start + rows),
            velocity: velocity.slice(start * d, (start + rows) * d),
          };
          return request(
            replica,
            { type: 'step', generation, ...shard, rows, total: count, microBatchSize },
            [shard.xt.buffer, shard.t.buffer, shard.velocity.buffer],
          );
        });
        const own = shardRows({ count, replicas, replica: 0 });
        const part = accumulateGradients({
          model,
          xt: xt.subarray(own.start * d, (own.start + own.rows) * d),
          t: t.subarray(own.start, own.start + own.rows),
          velocity: velocity.subarray(own.start * d, (own.start + own.rows) * d),
          count: own.rows,
          total: count,
          microBatchSize,
        });
        try {
          writeGradientSlot({ buffers, replica: 0, gradients: part.gradients, loss: part.loss });
        } finally {
          tf.dispose(part.gradients);
          part.loss.dispose();
        }
        arriveAtBarrier(buffers);
        await waitAtBarrierAsync(buffers, generation * replicas, failure);
        const loss = applyReducedGradients({ buffers, optimizer, parameters: model.parameters });
        await Promise.all(answers);
        return loss;
      } catch (error) {
        const cause = await explain(error, failure);
        // A later step says why the pool stopped (the calling thread's error, or a worker's).
        stoppedBy ??= cause;
        await terminate();
        throw cause;
      }
    },
    async workerStates() {
      const answers = await Promise.all(
        workers.map((replica) => request(replica, { type: 'state' })),
      );
      return answers.map((answer) => {
        if (answer.type !== 'state') throw new Error(`unexpected answer ${answer.type}`);
        return { weights: answer.weights, optimizer: answer.optimizer };
      });
    },
    terminate,
  };
}

/**
 * The error a failed step reports: a worker's {@link TrainingWorkerError} when the barrier was
 * aborted because of it (waiting a moment for its message), else the error itself.
 */
async function explain(error: unknown, failure: Promise<never>): Promise<unknown> {
  if (!(error instanceof AllReduceAbortedError)) return error;
  const timeout = new Promise<unknown>((resolve) => {
    setTimeout(() => resolve(error), 5000).unref();
  });
  return Promise.race([failure.catch((cause: unknown) => cause), timeout]);
}

/** The worker's error as an `Error` of the same name and message (the `cause`). */
function rebuildError(answer: Extract<ReplicaAnswer, { type: 'error' }>): Error {
  const error = new Error(answer.message);
  error.name = answer.name;
  return error;
}
