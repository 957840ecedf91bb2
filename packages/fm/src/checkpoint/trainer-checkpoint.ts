import type { RandomGeneratorState } from '@sinkflow/core';
import type { MlpVelocityModelConfig, NamedWeight } from '../model/velocity-model.js';
import type { AdamState } from '../optim/adam-optimizer.js';
import type { PairSourceState } from '../pairs/pair-source.js';
import type { TimeSamplerDescription } from '../time/time-sampler.js';

/**
 * The format name written in a training checkpoint's `checkpoint.json` (see {@link TrainerCheckpoint}).
 *
 * @example
 * ```ts
 * JSON.parse(readFileSync('runs/a/step-100/checkpoint.json', 'utf8')).format === TRAINING_CHECKPOINT_FORMAT; // true
 * ```
 */
export const TRAINING_CHECKPOINT_FORMAT = 'sinkflow-fm-checkpoint';

/**
 * The version of the training-checkpoint layout this package writes and reads; `readCheckpoint` rejects
 * other versions.
 *
 * @example
 * ```ts
 * TRAINING_CHECKPOINT_VERSION; // 1
 * ```
 */
export const TRAINING_CHECKPOINT_VERSION = 1;

/**
 * A value of a checkpoint's {@link TrainerCheckpoint.metadata}: plain JSON scalars.
 *
 * @example
 * ```ts
 * const value: CheckpointMetadataValue = 'piecewise-affine';
 * ```
 */
export type CheckpointMetadataValue = string | number | boolean | null;

/**
 * Everything needed to continue a training run exactly [klein2025, Alg. 2]: the model (architecture
 * and weights), Adam's state [kingma2015], the step, the trainer's settings and time-sampling
 * generator, the pair source's position, and the loss curve so far.
 *
 * On disk it is a directory: `checkpoint.json` (the JSON parts), `model/<name>.npy` (float32),
 * `optimizer/first-<name>.npy` and `optimizer/second-<name>.npy` (float32 moments),
 * `pairs/<name>.npy` (float64 arrays of the pair source, such as the potentials of a precomputed
 * coupling), `losses.npy` (float64) and, with a weight average, `ema/<name>.npy` (float32)
 * [npy-format].
 *
 * @example
 * ```ts
 * const checkpoint: TrainerCheckpoint = await readCheckpoint({ directory: 'runs/a/step-100' });
 * checkpoint.step; // 100
 * ```
 */
export interface TrainerCheckpoint {
  /** Optimizer steps done. */
  readonly step: number;
  readonly model: {
    readonly config: MlpVelocityModelConfig;
    readonly weights: readonly NamedWeight[];
  };
  readonly optimizer: AdamState;
  readonly trainer: {
    readonly batchSize: number;
    readonly microBatchSize: number;
    readonly seed: number;
    readonly path: 'straight-line';
    readonly timeSampler: TimeSamplerDescription;
    /** The time-sampling generator's position. */
    readonly random: RandomGeneratorState;
  };
  readonly pairs: PairSourceState;
  /** The loss of every step so far. */
  readonly losses: Float64Array;
  /**
   * What the caller recorded about the run (for example the benchmark and the coupling's
   * settings), written with every checkpoint and given back on resume; absent when none was given.
   */
  readonly metadata?: Readonly<Record<string, CheckpointMetadataValue>>;
  /**
   * The exponential moving average of the weights of a trainer with `emaDecay` (its decay, the
   * steps averaged and the average itself, `ema/<name>.npy`); absent without one.
   */
  readonly ema?: {
    readonly decay: number;
    readonly updates: number;
    readonly weights: readonly NamedWeight[];
  };
  /** Running totals (wall-clock; informative only). */
  readonly totals: {
    readonly examples: number;
    readonly waitSeconds: number;
    readonly computeSeconds: number;
  };
}
