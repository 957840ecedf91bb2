import { createRandomGenerator, InvalidArgumentError } from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs';
import { readCheckpoint } from '../checkpoint/checkpoint-files.js';
import { createTrainerLoop } from '../internal/trainer-loop.js';
import { mlpVelocityModelFromConfig } from '../model/create-mlp-velocity-model.js';
import { createAdamOptimizer } from '../optim/adam-optimizer.js';
import type { PairSource } from '../pairs/pair-source.js';
import { resolveTrainingWorkers, type TrainingWorkers } from '../parallel/training-workers.js';
import { straightLinePath } from '../path/probability-path.js';
import { timeSamplerFromDescription } from '../time/time-sampler.js';
import { type FlowMatchingTrainer, startReplicas } from './flow-matching-trainer.js';
import { createWeightAverage } from './weight-average.js';

/**
 * Continues a run from a checkpoint directory: rebuilds the model from its saved architecture and
 * weights, restores Adam's moments and step, the weight average (`emaDecay`) when the run kept
 * one, the time-sampling generator, the settings, and
 * restarts `pairs` at its saved position; the trainer's `metadata` is the checkpoint's. `pairs` must be built with the same options as the
 * original (samplers, sizes, seed); the loss curve then continues exactly as the uninterrupted
 * run's (at a fixed seed, on a deterministic backend such as `cpu`, with the same `workers`).
 * The checkpoint holds one copy of the state whatever the worker count (the replicas are
 * identical), so a run may resume with another `workers` (its steps then round differently).
 *
 * @throws {@link InvalidArgumentError} when the directory holds no checkpoint, or `pairs` is of
 * another kind or dimension than the saved one.
 * @example
 * ```ts
 * const trainer = await resumeFlowMatchingTrainer({ directory: 'runs/a/step-100', pairs });
 * trainer.step; // 100
 * await trainer.train({ steps: 100 });
 * ```
 */
export async function resumeFlowMatchingTrainer({
  directory,
  pairs,
  workers = 'auto',
}: {
  readonly directory: string;
  readonly pairs: PairSource;
  /** Data-parallel replicas, as for `createFlowMatchingTrainer`. @default 'auto' */
  readonly workers?: TrainingWorkers;
}): Promise<FlowMatchingTrainer> {
  const functionName = 'resumeFlowMatchingTrainer';
  const checkpoint = await readCheckpoint({ directory });
  const replicas = await resolveTrainingWorkers({
    workers,
    backend: tf.getBackend(),
    batchSize: checkpoint.trainer.batchSize,
    functionName,
  });
  if (pairs?.kind !== checkpoint.pairs.kind || pairs.d !== checkpoint.model.config.d) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'pairs',
      message: `must be a '${checkpoint.pairs.kind}' pair source of dimension ${checkpoint.model.config.d} (as saved)`,
      value: pairs?.kind,
    });
  }
  const model = mlpVelocityModelFromConfig({ config: checkpoint.model.config });
  try {
    model.setWeights(checkpoint.model.weights);
    const {
      firstMoments: _first,
      secondMoments: _second,
      step: _step,
      ...hyper
    } = checkpoint.optimizer;
    const adam = createAdamOptimizer({ ...hyper, parameters: model.parameters });
    adam.setState(checkpoint.optimizer);
    const started = await startReplicas({
      model,
      optimizer: adam,
      replicas,
      requested: workers,
    }).catch((error) => {
      adam.dispose();
      throw error;
    });
    // After the replicas (see createFlowMatchingTrainer): a long start must not come first.
    try {
      await pairs.start({ state: checkpoint.pairs });
    } catch (error) {
      await started.pool?.terminate();
      adam.dispose();
      throw error;
    }
    const { trainer, totals, ema } = checkpoint;
    const average =
      ema === undefined
        ? null
        : createWeightAverage({
            parameters: model.parameters,
            names: model.parameterNames,
            decay: ema.decay,
            saved: ema,
            functionName,
          });
    return createTrainerLoop({
      model,
      pairs,
      path: straightLinePath(),
      timeSampler: timeSamplerFromDescription(trainer.timeSampler),
      batchSize: trainer.batchSize,
      microBatchSize: trainer.microBatchSize,
      seed: trainer.seed,
      adam,
      random: createRandomGenerator({ state: trainer.random }),
      step: checkpoint.step,
      losses: Array.from(checkpoint.losses),
      totals,
      metadata: checkpoint.metadata,
      workers: started.pool === null ? 1 : replicas,
      pool: started.pool,
      workersNote: started.note,
      average,
    });
  } catch (error) {
    model.dispose();
    throw error;
  }
}
