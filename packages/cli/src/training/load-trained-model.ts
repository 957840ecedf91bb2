import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@sinkflow/core';
import { mlpVelocityModelFromConfig, readCheckpoint, type VelocityModel } from '@sinkflow/fm';
import { checkpointDirectoryOf } from './train-flow-model.js';

/**
 * Reads the model saved by `sinkflow train` (or a sweep's train run): `directory` is either the
 * run's directory (its `checkpoint/` is read) or a checkpoint directory itself. `build()` makes the
 * TensorFlow.js model (after a backend is selected), with the run's weight average when it kept
 * one (`--ema-decay`), else its last weights; the caller disposes it.
 *
 * @throws {@link InvalidArgumentError} naming `argumentName` when no readable checkpoint is there.
 */
export async function loadTrainedModel({
  directory,
  functionName,
  argumentName = '--model',
}: {
  readonly directory: string;
  readonly functionName: string;
  readonly argumentName?: string;
}): Promise<{
  readonly build: () => VelocityModel;
  readonly d: number;
  readonly step: number;
  /** The decay of the weight average built, or null for the last weights. */
  readonly emaDecay: number | null;
}> {
  const checkpoint = (await isFile(join(directory, 'checkpoint.json')))
    ? directory
    : checkpointDirectoryOf(directory);
  let saved: Awaited<ReturnType<typeof readCheckpoint>>;
  try {
    saved = await readCheckpoint({ directory: checkpoint });
  } catch (error) {
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      message: `no readable checkpoint in ${directory}`,
      cause: error,
    });
  }
  const { config } = saved.model;
  // A run that kept a weight average (`--ema-decay`) is evaluated with it.
  const weights = saved.ema?.weights ?? saved.model.weights;
  return {
    d: config.d,
    step: saved.step,
    emaDecay: saved.ema?.decay ?? null,
    build: () => {
      const model = mlpVelocityModelFromConfig({ config });
      model.setWeights(weights);
      return model;
    },
  };
}

async function isFile(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
