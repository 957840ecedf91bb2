import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@sinkflow/core';
import {
  type CheckpointMetadataValue,
  createFlowMatchingTrainer,
  createMlpVelocityModel,
  type FlowMatchingTrainer,
  type NamedWeight,
  recoverCheckpoint,
  resumeFlowMatchingTrainer,
  type SemidiscreteFitReport,
  type StepReport,
  type TrainingWorkers,
  type VelocityModel,
} from '@sinkflow/fm';
import { type CouplingSettings, createCouplingPairSource } from './coupling-pair-source.js';
import type { FlowTask } from './flow-task.js';

/** The model and optimisation settings of a training run. */
export interface TrainingSettings {
  readonly steps: number;
  readonly batchSize: number;
  readonly hiddenLayers: number;
  readonly width: number;
  /** Seed of the model's weights and of the trainer's time draws. */
  readonly seed: number;
  /** Data-parallel replicas (`@sinkflow/fm`'s `workers`). @default 'auto' */
  readonly workers?: TrainingWorkers;
  /**
   * Keep a moving average of the weights with this decay (`@sinkflow/fm`'s `emaDecay`); the model
   * returned (and evaluated) is then the average. @default undefined (the last weights)
   */
  readonly emaDecay?: number | undefined;
}

/** What a training run reports (null where it does not apply, e.g. E for I-FM). */
export interface TrainingOutcome {
  /** The trained model (its weight average with `emaDecay`); the caller disposes it. */
  readonly model: VelocityModel;
  /** The decay of the weight average the model holds, or null for the last weights. */
  readonly emaDecay: number | null;
  /** With a weight average, the last weights (the model holds the average); null otherwise. */
  readonly lastWeights: readonly NamedWeight[] | null;
  /** The step reached (equal to `steps`). */
  readonly step: number;
  /** The step the run resumed from (0 for a fresh run). */
  readonly resumedFrom: number;
  readonly finalLoss: number | null;
  /** Wall-clock seconds of training in this process (starting the pair source and waiting included). */
  readonly trainSeconds: number;
  /** Mean renormalized entropy of the couplings used, null without Sinkhorn. */
  readonly renormalizedEntropy: number | null;
  /**
   * Sinkhorn seconds per example (the paper's cost axis), or the semidiscrete fit's seconds per
   * data point; null without OT.
   */
  readonly sinkhornSecondsPerExample: number | null;
  /** Where the pair source ran and why (worker thread or main thread). */
  readonly executionNote: string | null;
  /** What the semidiscrete dual's fit reached (steps, chi-square error, seconds); null otherwise. */
  readonly semidiscreteFit: SemidiscreteFitReport | null;
  /** Data-parallel replicas that trained (1: the calling thread alone). */
  readonly workers: number;
  /** Why `'auto'` trained on the calling thread alone (the replicas could not start), else null. */
  readonly workersNote: string | null;
}

/** The checkpoint directory of a run directory: `DIR/checkpoint`. */
export function checkpointDirectoryOf(directory: string): string {
  return join(directory, 'checkpoint');
}

/**
 * Trains one flow-matching model [klein2025, Algorithm 2] on a task with a coupling. With
 * `directory`, a checkpoint is written to `directory/checkpoint` every `checkpointEvery` steps and
 * at the end; with `resume`, a run finds its checkpoint there and continues from it (the pair
 * source is rebuilt with the same settings, so the stream continues where it stopped). Leftovers
 * of a checkpoint write cut short by a kill are cleaned up first (`recoverCheckpoint`; hold the
 * run directory's lock). `metadata` (the run's settings) is written with every checkpoint; on
 * resume, a checkpoint whose metadata differs from it is refused, and so is one that keeps no
 * weight average (or another) when `training.emaDecay` asks for one.
 *
 * @throws {@link InvalidArgumentError} naming `resume` when the checkpoint was written by a run
 * with other settings, or (from `@sinkflow/fm`) when it holds a non-finite weight.
 */
export async function trainFlowModel({
  task,
  coupling,
  training,
  directory,
  checkpointEvery = 250,
  resume = false,
  metadata,
  onStep,
}: {
  readonly task: FlowTask;
  readonly coupling: CouplingSettings;
  readonly training: TrainingSettings;
  readonly directory?: string | undefined;
  readonly checkpointEvery?: number;
  readonly resume?: boolean;
  readonly metadata?: Readonly<Record<string, CheckpointMetadataValue>>;
  readonly onStep?: (report: StepReport) => void;
}): Promise<TrainingOutcome> {
  const pairs = createCouplingPairSource(task, coupling);
  const checkpoint = directory === undefined ? undefined : checkpointDirectoryOf(directory);
  let trainer: FlowMatchingTrainer | undefined;
  // Includes starting the pair source: a precomputed coupling is solved there.
  const started = performance.now();
  try {
    if (checkpoint !== undefined) await recoverCheckpoint({ directory: checkpoint });
    if (resume && checkpoint !== undefined && (await exists(join(checkpoint, 'checkpoint.json')))) {
      trainer = await resumeFlowMatchingTrainer({
        directory: checkpoint,
        pairs,
        workers: training.workers ?? 'auto',
      });
      requireSameRun(trainer.metadata, metadata, checkpoint);
      if (trainer.emaDecay !== (training.emaDecay ?? null)) {
        throw new InvalidArgumentError({
          functionName: 'trainFlowModel',
          argumentName: 'resume',
          message: `the checkpoint in ${checkpoint} keeps ${trainer.emaDecay === null ? 'no weight average' : `a weight average of decay ${trainer.emaDecay}`}, not ${training.emaDecay === undefined ? 'none' : `decay ${training.emaDecay}`}`,
        });
      }
    } else {
      const model = createMlpVelocityModel({
        d: task.d,
        hiddenLayers: training.hiddenLayers,
        width: training.width,
        seed: training.seed,
      });
      trainer = await createFlowMatchingTrainer({
        model,
        pairs,
        batchSize: training.batchSize,
        seed: training.seed,
        workers: training.workers ?? 'auto',
        ...(metadata === undefined ? {} : { metadata }),
        ...(training.emaDecay === undefined ? {} : { emaDecay: training.emaDecay }),
      });
    }
    const resumedFrom = trainer.step;
    const remaining = Math.max(0, training.steps - trainer.step);
    // A run resumed at its last step (a sweep run killed after its final checkpoint) trains no more.
    const report =
      remaining === 0
        ? undefined
        : await trainer.train({
            steps: remaining,
            ...(onStep === undefined ? {} : { onStep }),
            ...(checkpoint === undefined
              ? {}
              : { checkpointEvery, checkpointDirectory: () => checkpoint }),
          });
    const trainSeconds = (performance.now() - started) / 1000;
    if (checkpoint !== undefined) await trainer.saveCheckpoint({ directory: checkpoint });
    // With a weight average, the average is the model to evaluate (the checkpoint keeps both).
    const averaged = await trainer.emaWeights();
    const lastWeights = averaged === null ? null : await trainer.model.getWeights();
    if (averaged !== null) trainer.model.setWeights(averaged);
    const statistics = report?.pairs ?? pairs.statistics();
    // The OT cost axis: Sinkhorn seconds per example, or the semidiscrete fit's seconds per point.
    // A run resumed at its last step solved nothing in this process: no E, no cost (not 0 s).
    const usesSinkhorn =
      report !== undefined && (coupling.coupling === 'ot' || coupling.coupling === 'precomputed');
    const hasOtCost =
      usesSinkhorn || (report !== undefined && coupling.coupling === 'semidiscrete');
    return {
      model: trainer.model,
      emaDecay: trainer.emaDecay,
      lastWeights,
      step: trainer.step,
      resumedFrom,
      finalLoss: report?.losses.at(-1) ?? null,
      trainSeconds,
      renormalizedEntropy: usesSinkhorn ? statistics.meanRenormalizedEntropy : null,
      sinkhornSecondsPerExample: hasOtCost ? statistics.otSecondsPerExample : null,
      executionNote: statistics.executionNote,
      semidiscreteFit: statistics.semidiscreteFit ?? null,
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

/** Refuses to continue a checkpoint written by a run with other settings. */
function requireSameRun(
  saved: Readonly<Record<string, CheckpointMetadataValue>> | undefined,
  expected: Readonly<Record<string, CheckpointMetadataValue>> | undefined,
  checkpoint: string,
): void {
  if (saved === undefined || expected === undefined) return;
  for (const [key, value] of Object.entries(expected)) {
    if (key in saved && saved[key] !== value) {
      throw new InvalidArgumentError({
        functionName: 'trainFlowModel',
        argumentName: 'resume',
        message: `the checkpoint in ${checkpoint} belongs to a run with ${key} = ${JSON.stringify(saved[key])}, not ${JSON.stringify(value)}`,
      });
    }
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
