import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@sinkflow/core';
import {
  type CheckpointMetadataValue,
  createFlowMatchingTrainer,
  createMlpVelocityModel,
  type FlowMatchingTrainer,
  type PairSource,
  recoverCheckpoint,
  resumeFlowMatchingTrainer,
  type TrainingWorkers,
  type VelocityModel,
} from '@sinkflow/fm';
import type { ImageStudyBudget } from './image-study-budgets.js';

/**
 * Trains one image flow by flow matching [lipman2023, klein2025] (straight paths, uniform times,
 * Adam 1e-3) on `pairs` with the budget's MLP, checkpointing to `directory` every
 * `budget.checkpointEvery` steps and at the end; a checkpoint found there (same `metadata`) is
 * resumed, and one at the last step trains no more. `workers` data-parallel replicas train it
 * (`@sinkflow/fm`'s option; default `'auto'`). The caller disposes the returned model.
 *
 * @example
 * ```ts
 * const { model, trainSeconds } = await trainImageFlow({ pairs, d: 784, budget, seed: 0, directory, metadata });
 * ```
 */
export async function trainImageFlow({
  pairs,
  d,
  budget,
  seed,
  directory,
  metadata,
  onStep,
  workers = 'auto',
}: {
  readonly pairs: PairSource;
  readonly d: number;
  readonly budget: ImageStudyBudget;
  readonly seed: number;
  readonly directory: string;
  readonly metadata: Readonly<Record<string, CheckpointMetadataValue>>;
  readonly onStep?: (step: number, total: number, loss: number) => void;
  readonly workers?: TrainingWorkers;
}): Promise<{
  readonly model: VelocityModel;
  readonly resumedFrom: number;
  readonly finalLoss: number | null;
  /** Seconds of training (waiting for pairs and computing), over every session of a resumed run. */
  readonly trainSeconds: number;
  /** Data-parallel replicas that trained in this process. */
  readonly workers: number;
  /** Why `'auto'` fell back to the calling thread alone, else null. */
  readonly workersNote: string | null;
}> {
  const { steps, batchSize } = budget.training;
  let trainer: FlowMatchingTrainer | undefined;
  try {
    await recoverCheckpoint({ directory });
    if (await exists(join(directory, 'checkpoint.json'))) {
      trainer = await resumeFlowMatchingTrainer({ directory, pairs, workers });
      for (const [key, value] of Object.entries(metadata)) {
        if (trainer.metadata?.[key] !== value) {
          throw new InvalidArgumentError({
            functionName: 'sinkflow images',
            argumentName: '--out',
            message: `the checkpoint in ${directory} belongs to a run with ${key} = ${JSON.stringify(trainer.metadata?.[key])}, not ${JSON.stringify(value)}: give another --out`,
          });
        }
      }
    } else {
      const model = createMlpVelocityModel({ d, ...budget.model, seed });
      trainer = await createFlowMatchingTrainer({
        model,
        pairs,
        batchSize,
        seed,
        metadata,
        workers,
      });
    }
    const resumedFrom = trainer.step;
    const remaining = Math.max(0, steps - trainer.step);
    const report =
      remaining === 0
        ? undefined
        : await trainer.train({
            steps: remaining,
            checkpointEvery: budget.checkpointEvery,
            checkpointDirectory: () => directory,
            ...(onStep === undefined
              ? {}
              : { onStep: (step) => onStep(step.step, steps, step.loss) }),
          });
    if (remaining > 0) await trainer.saveCheckpoint({ directory });
    return {
      model: trainer.model,
      resumedFrom,
      finalLoss: report?.losses.at(-1) ?? trainer.report().losses.at(-1) ?? null,
      trainSeconds: trainer.report().waitSeconds + trainer.report().computeSeconds,
      workers: trainer.workers,
      workersNote: trainer.workersNote,
    };
  } catch (error) {
    trainer?.model.dispose();
    throw error;
  } finally {
    trainer?.dispose();
    await pairs.dispose();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
