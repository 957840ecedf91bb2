import { createRandomGenerator, InvalidArgumentError, requireInteger } from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs';
import type { CheckpointMetadataValue } from '../checkpoint/trainer-checkpoint.js';
import { createTrainerLoop } from '../internal/trainer-loop.js';
import type { NamedWeight, VelocityModel } from '../model/velocity-model.js';
import {
  type AdamOptimizer,
  type AdamOptions,
  createAdamOptimizer,
} from '../optim/adam-optimizer.js';
import type { CouplingReport, PairSource, PairSourceStatistics } from '../pairs/pair-source.js';
import { createReplicaPool, type ReplicaPool } from '../parallel/replica-pool.js';
import { resolveTrainingWorkers, type TrainingWorkers } from '../parallel/training-workers.js';
import { type ProbabilityPath, straightLinePath } from '../path/probability-path.js';
import { type TimeSampler, uniformTimeSampler } from '../time/time-sampler.js';
import { createWeightAverage, requireEmaDecay } from './weight-average.js';

/** Options of {@link createFlowMatchingTrainer}. */
export interface FlowMatchingTrainerOptions {
  /** The velocity field to train (its parameters are updated in place). */
  readonly model: VelocityModel;
  /** Where the pairs come from; the trainer (re)starts it. */
  readonly pairs: PairSource;
  /** The conditional path. @default straightLinePath() */
  readonly path?: ProbabilityPath;
  /** How training times are drawn. @default uniformTimeSampler() */
  readonly timeSampler?: TimeSampler;
  /** Examples per optimizer step (the effective batch; the paper's is 2048). @default 2048 */
  readonly batchSize?: number;
  /** Examples per gradient evaluation; gradients are accumulated up to `batchSize`. @default batchSize */
  readonly microBatchSize?: number;
  /** Adam's hyperparameters. @default { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } */
  readonly optimizer?: AdamOptions;
  /** Seed of the time-sampling generator (Philox [salmon2011philox]). @default 0 */
  readonly seed?: number;
  /**
   * What the caller wants to find again on resume (how the run was set up: its data, its
   * coupling's settings), written with every checkpoint as `metadata`. @default undefined
   */
  readonly metadata?: Readonly<Record<string, CheckpointMetadataValue>>;
  /**
   * Data-parallel replicas (see {@link TrainingWorkers}): each step's batch is split into
   * `workers` contiguous shards, one per replica (the calling thread and `workers - 1` worker
   * threads, each with its own copy of the model on the same TensorFlow.js backend), the gradients
   * of the shards are summed through shared memory and every replica applies the same Adam update,
   *
   *     grad L = sum_r grad L_r,   L_r = 1 / (B d) sum_{k in shard r} || u_k - v_theta(x_k, t_k) ||^2,
   *
   * so the replicas stay bit-identical and the step is the single-thread step up to float32
   * rounding of the sum (synchronous data parallelism, as PyTorch's DDP [li2020ddp]). A seeded
   * run is deterministic for a given worker count. `'auto'` uses every core on the `wasm` backend
   * in Node and 1 elsewhere. @default 'auto'
   */
  readonly workers?: TrainingWorkers;
  /**
   * Keep an exponential moving average of the weights with this decay beta in (0, 1) (see
   * {@link WeightAverage}: `beta_k = min(beta, (1 + k) / (10 + k))` at step k), for evaluation:
   * `emaWeights()`, and checkpoints save and resume it. The average spans about
   * `1 / (1 - beta_k) = (10 + k) / 9` steps at step k until `beta_k` reaches beta (k = 8990 for
   * 0.999), then the last `1 / (1 - beta)`. @default undefined (no average)
   */
  readonly emaDecay?: number;
}

/**
 * What one optimizer step of Algorithm 2 [klein2025] did.
 *
 * @example
 * ```ts
 * const { step, loss, waitSeconds } = await trainer.trainStep();
 * ```
 */
export interface StepReport {
  /** Steps done after this one (1 after the first). */
  readonly step: number;
  /** The flow-matching loss of the step's batch (before the update). */
  readonly loss: number;
  /** Examples in the step. */
  readonly examples: number;
  /** Seconds spent waiting for pairs. */
  readonly waitSeconds: number;
  /** Seconds of path sampling, gradients and update. */
  readonly computeSeconds: number;
  /** Couplings first used by this step (their `E` and Sinkhorn time per example). */
  readonly couplings: readonly CouplingReport[];
}

/**
 * Totals of a training run (since creation, or since the run began for a resumed trainer):
 * `examplesPerSecond = examples / (waitSeconds + computeSeconds)`.
 *
 * @example
 * ```ts
 * const { losses, waitSeconds, pairs } = await trainer.train({ steps: 100 });
 * ```
 */
export interface TrainingReport {
  /** Steps done. */
  readonly steps: number;
  /** The loss of every step, from the first step of the run (resumed trainers include the saved ones). */
  readonly losses: readonly number[];
  /** Examples seen. */
  readonly examples: number;
  /** Seconds spent waiting for pairs: non-zero when the pair preparation is slower than the model. */
  readonly waitSeconds: number;
  /** Seconds of computation on the model. */
  readonly computeSeconds: number;
  /** `examples / (waitSeconds + computeSeconds)`. */
  readonly examplesPerSecond: number;
  /** The pair source's totals since it was (re)started. */
  readonly pairs: PairSourceStatistics;
}

/**
 * The training loop of Algorithm 2 [klein2025]: each step takes `batchSize` pairs from the pair
 * source, draws times, forms `x_t` and the target velocity on the path, and takes one Adam step
 * [kingma2015] on
 *
 *     L(theta) = 1 / (B d) sum_k || x_1^k - x_0^k - v_theta(x_t^k, t_k) ||^2
 *
 * (gradients accumulated over micro-batches). Create one with {@link createFlowMatchingTrainer}
 * or `resumeFlowMatchingTrainer`.
 *
 * @example
 * ```ts
 * const trainer = await createFlowMatchingTrainer({ model, pairs, batchSize: 256 });
 * const report = await trainer.train({ steps: 100 });
 * report.losses.at(-1); // the last loss
 * await trainer.saveCheckpoint({ directory: 'runs/a/step-100' });
 * ```
 */
export interface FlowMatchingTrainer {
  readonly model: VelocityModel;
  readonly pairs: PairSource;
  /** Steps done. */
  readonly step: number;
  /** The caller's record of the run (`metadata` at creation, or the checkpoint's on resume). */
  readonly metadata: Readonly<Record<string, CheckpointMetadataValue>> | undefined;
  /** Data-parallel replicas that train (the resolved `workers` option; 1 = the calling thread only). */
  readonly workers: number;
  /** Why `workers: 'auto'` fell back to the calling thread (the worker replicas could not start), or null. */
  readonly workersNote: string | null;
  /** The decay of the weight average (`emaDecay`), or null when the trainer keeps none. */
  readonly emaDecay: number | null;
  /**
   * A copy of the exponential moving average of the weights after the steps so far (named as
   * `model.getWeights()`; load it into a model with `setWeights` to evaluate it), or null when the
   * trainer keeps none.
   */
  emaWeights(): Promise<readonly NamedWeight[] | null>;
  /** One optimizer step. */
  trainStep(): Promise<StepReport>;
  /**
   * `steps` more steps; `onStep` after each; with `checkpointEvery` and `checkpointDirectory`, a
   * checkpoint every that many steps (the directory is a function of the step).
   */
  train(options: {
    readonly steps: number;
    readonly onStep?: (report: StepReport) => void | Promise<void>;
    readonly checkpointEvery?: number;
    readonly checkpointDirectory?: (step: number) => string;
  }): Promise<TrainingReport>;
  /** Writes a checkpoint directory (see `writeCheckpoint`). */
  saveCheckpoint(options: { readonly directory: string }): Promise<void>;
  /** The totals so far. */
  report(): TrainingReport;
  /**
   * Frees the optimizer's slots and terminates the worker replicas (the model and the pair source
   * stay with the caller).
   */
  dispose(): void;
}

/**
 * Creates a {@link FlowMatchingTrainer} at step 0 and (re)starts `pairs` from the beginning.
 *
 * @throws {@link InvalidArgumentError} naming the option (a model and a pair source of different
 * dimensions, a `batchSize` or `microBatchSize` that is not a positive integer, a bad seed or
 * Adam hyperparameter, a bad `workers` or `emaDecay`); `TrainingWorkerError` when a worker replica cannot
 * start; `BackendUnavailableError` for `workers > 1` in a browser.
 * @example
 * ```ts
 * const model = createMlpVelocityModel({ d: 2, hiddenLayers: 3, width: 64, seed: 0 });
 * const pairs = createBatchOtPairSource({ source: noise, target: data, couplingSize: 1024 });
 * const trainer = await createFlowMatchingTrainer({ model, pairs, batchSize: 256, seed: 0 });
 * await trainer.train({ steps: 200 });
 * ```
 */
export async function createFlowMatchingTrainer({
  model,
  pairs,
  path = straightLinePath(),
  timeSampler = uniformTimeSampler(),
  batchSize = 2048,
  microBatchSize = batchSize,
  optimizer = {},
  seed = 0,
  metadata,
  workers = 'auto',
  emaDecay,
}: FlowMatchingTrainerOptions): Promise<FlowMatchingTrainer> {
  const functionName = 'createFlowMatchingTrainer';
  checkTrainerParts({ model, pairs, path, timeSampler, batchSize, microBatchSize, functionName });
  requireInteger(seed, { functionName, argumentName: 'seed', minimum: 0 });
  checkMetadata(metadata, functionName);
  requireEmaDecay(emaDecay, functionName);
  const replicas = await resolveTrainingWorkers({
    workers,
    backend: tf.getBackend(),
    batchSize,
    functionName,
  });
  const adam = createAdamOptimizer({ ...optimizer, parameters: model.parameters });
  let started: { readonly pool: ReplicaPool | null; readonly note: string | null };
  try {
    // The replicas first: a count that cannot start fails before a long pair-source start (a
    // large Sinkhorn solve, a semidiscrete fit), which changes neither the weights nor Adam.
    started = await startReplicas({ model, optimizer: adam, replicas, requested: workers });
  } catch (error) {
    adam.dispose();
    throw error;
  }
  try {
    await pairs.start();
  } catch (error) {
    await started.pool?.terminate();
    adam.dispose();
    throw error;
  }
  return createTrainerLoop({
    model,
    pairs,
    path,
    timeSampler,
    batchSize,
    microBatchSize,
    seed,
    adam,
    random: createRandomGenerator({ seed }),
    step: 0,
    losses: [],
    metadata,
    workers: started.pool === null ? 1 : replicas,
    pool: started.pool,
    workersNote: started.note,
    average:
      emaDecay === undefined
        ? null
        : createWeightAverage({
            parameters: model.parameters,
            names: model.parameterNames,
            decay: emaDecay,
            functionName,
          }),
  });
}

/**
 * @internal The worker replicas of a trainer with `replicas > 1` (null for one). With `'auto'`, a
 * pool that cannot start (the package not built, worker threads unavailable) leaves the trainer on
 * the calling thread, and `note` says why; an explicit count throws.
 */
export async function startReplicas({
  model,
  optimizer,
  replicas,
  requested,
}: {
  readonly model: VelocityModel;
  readonly optimizer: AdamOptimizer;
  readonly replicas: number;
  readonly requested: TrainingWorkers;
}): Promise<{ readonly pool: ReplicaPool | null; readonly note: string | null }> {
  if (replicas === 1) return { pool: null, note: null };
  try {
    const pool = await createReplicaPool({ model, optimizer, replicas, backend: tf.getBackend() });
    return { pool, note: null };
  } catch (error) {
    if (requested !== 'auto') throw error;
    const reason = error instanceof Error ? error.message : String(error);
    return { pool: null, note: `workers 'auto' trains on the calling thread: ${reason}` };
  }
}

/** @internal Metadata must be a record of JSON scalars (it is written to `checkpoint.json`). */
function checkMetadata(metadata: unknown, functionName: string): void {
  if (metadata === undefined) return;
  const fail = (argumentName: string, message: string, value: unknown): never => {
    throw new InvalidArgumentError({ functionName, argumentName, message, value });
  };
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    fail('metadata', 'must be a record of strings, numbers, booleans and nulls', metadata);
  }
  for (const [key, value] of Object.entries(metadata as Record<string, unknown>)) {
    const scalar =
      value === null ||
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value));
    if (!scalar)
      fail(`metadata.${key}`, 'must be a string, a finite number, a boolean or null', value);
  }
}

/** @internal Validates the parts of a trainer. */
export function checkTrainerParts({
  model,
  pairs,
  path,
  timeSampler,
  batchSize,
  microBatchSize,
  functionName,
}: {
  readonly model: VelocityModel;
  readonly pairs: PairSource;
  readonly path: ProbabilityPath;
  readonly timeSampler: TimeSampler;
  readonly batchSize: number;
  readonly microBatchSize: number;
  readonly functionName: string;
}): void {
  const fail = (argumentName: string, message: string, value: unknown): never => {
    throw new InvalidArgumentError({ functionName, argumentName, message, value });
  };
  if (typeof model?.apply !== 'function') fail('model', 'must be a VelocityModel', model);
  if (typeof pairs?.next !== 'function') fail('pairs', 'must be a PairSource', pairs);
  if (pairs.d !== model.d) fail('pairs.d', `must equal the model's d = ${model.d}`, pairs.d);
  if (path?.kind !== 'straight-line') fail('path', 'must be straightLinePath()', path);
  if (typeof timeSampler?.sample !== 'function') {
    fail('timeSampler', 'must be a TimeSampler', timeSampler);
  }
  requireInteger(batchSize, { functionName, argumentName: 'batchSize', minimum: 1 });
  requireInteger(microBatchSize, {
    functionName,
    argumentName: 'microBatchSize',
    minimum: 1,
    maximum: batchSize,
  });
}
