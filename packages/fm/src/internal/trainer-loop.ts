import type { RandomGenerator } from '@sinkflow/core';
import { InvalidArgumentError, requireInteger } from '@sinkflow/core';
import { writeCheckpoint } from '../checkpoint/checkpoint-files.js';
import type { CheckpointMetadataValue } from '../checkpoint/trainer-checkpoint.js';
import type { NamedWeight, VelocityModel } from '../model/velocity-model.js';
import type { AdamOptimizer } from '../optim/adam-optimizer.js';
import type { PairSource, PairSourceState } from '../pairs/pair-source.js';
import type { ReplicaPool } from '../parallel/replica-pool.js';
import type { ProbabilityPath } from '../path/probability-path.js';
import { describeTimeSampler, type TimeSampler } from '../time/time-sampler.js';
import type {
  FlowMatchingTrainer,
  StepReport,
  TrainingReport,
} from '../train/flow-matching-trainer.js';
import type { WeightAverage } from '../train/weight-average.js';
import { gradientStep } from './gradient-step.js';

/** @internal Everything a training loop holds. */
export interface TrainerParts {
  readonly model: VelocityModel;
  readonly pairs: PairSource;
  readonly path: ProbabilityPath;
  readonly timeSampler: TimeSampler;
  readonly batchSize: number;
  readonly microBatchSize: number;
  readonly seed: number;
  readonly adam: AdamOptimizer;
  readonly random: RandomGenerator;
  readonly step: number;
  readonly losses: number[];
  readonly totals?: TrainingTotals;
  readonly metadata?: Readonly<Record<string, CheckpointMetadataValue>> | undefined;
  /** Data-parallel replicas (1: the calling thread alone). */
  readonly workers: number;
  /** The worker replicas when `workers > 1`. */
  readonly pool: ReplicaPool | null;
  /** Why `'auto'` fell back to one replica, or null. */
  readonly workersNote: string | null;
  /** The exponential moving average of the weights (`emaDecay`), or null. */
  readonly average: WeightAverage | null;
}

export interface TrainingTotals {
  readonly examples: number;
  readonly waitSeconds: number;
  readonly computeSeconds: number;
}

class Trainer implements FlowMatchingTrainer {
  readonly model: VelocityModel;
  readonly pairs: PairSource;
  readonly #parts: TrainerParts;
  #step: number;
  readonly #losses: number[];
  #examples: number;
  #waitSeconds: number;
  #computeSeconds: number;

  constructor(parts: TrainerParts) {
    this.model = parts.model;
    this.pairs = parts.pairs;
    this.#parts = parts;
    this.#step = parts.step;
    this.#losses = parts.losses;
    this.#examples = parts.totals?.examples ?? 0;
    this.#waitSeconds = parts.totals?.waitSeconds ?? 0;
    this.#computeSeconds = parts.totals?.computeSeconds ?? 0;
  }

  get step(): number {
    return this.#step;
  }

  get metadata(): Readonly<Record<string, CheckpointMetadataValue>> | undefined {
    return this.#parts.metadata;
  }

  get workers(): number {
    return this.#parts.workers;
  }

  get workersNote(): string | null {
    return this.#parts.workersNote;
  }

  get emaDecay(): number | null {
    return this.#parts.average?.decay ?? null;
  }

  async emaWeights(): Promise<readonly NamedWeight[] | null> {
    return (await this.#parts.average?.weights()) ?? null;
  }

  async trainStep(): Promise<StepReport> {
    const { model, pairs, path, timeSampler, batchSize, microBatchSize, adam, random, pool } =
      this.#parts;
    const waitStarted = performance.now();
    const batch = await pairs.next({ count: batchSize });
    const computeStarted = performance.now();
    const t = timeSampler.sample({ count: batchSize, random });
    const { xt, velocity } = path.sample({ x0: batch.x0, x1: batch.x1, t, d: model.d });
    const loss =
      pool === null
        ? await gradientStep({
            model,
            optimizer: adam,
            xt,
            t,
            velocity,
            count: batchSize,
            microBatchSize,
          })
        : await pool.step({ xt, t, velocity, count: batchSize, microBatchSize });
    this.#parts.average?.update();
    const finished = performance.now();
    const waitSeconds = (computeStarted - waitStarted) / 1000;
    const computeSeconds = (finished - computeStarted) / 1000;
    this.#step += 1;
    this.#losses.push(loss);
    this.#examples += batchSize;
    this.#waitSeconds += waitSeconds;
    this.#computeSeconds += computeSeconds;
    return {
      step: this.#step,
      loss,
      examples: batchSize,
      waitSeconds,
      computeSeconds,
      couplings: batch.couplings,
    };
  }

  async train({
    steps,
    onStep,
    checkpointEvery,
    checkpointDirectory,
  }: {
    readonly steps: number;
    readonly onStep?: (report: StepReport) => void | Promise<void>;
    readonly checkpointEvery?: number;
    readonly checkpointDirectory?: (step: number) => string;
  }): Promise<TrainingReport> {
    const functionName = 'FlowMatchingTrainer.train';
    requireInteger(steps, { functionName, argumentName: 'steps', minimum: 0 });
    if (checkpointEvery !== undefined) {
      requireInteger(checkpointEvery, {
        functionName,
        argumentName: 'checkpointEvery',
        minimum: 1,
      });
      if (typeof checkpointDirectory !== 'function') {
        throw new InvalidArgumentError({
          functionName,
          argumentName: 'checkpointDirectory',
          message: 'must be a function of the step when checkpointEvery is given',
          value: checkpointDirectory,
        });
      }
    }
    for (let done = 0; done < steps; done += 1) {
      const report = await this.trainStep();
      await onStep?.(report);
      if (checkpointEvery !== undefined && this.#step % checkpointEvery === 0) {
        await this.saveCheckpoint({
          directory: (checkpointDirectory as (step: number) => string)(this.#step),
        });
      }
    }
    return this.report();
  }

  async saveCheckpoint({ directory }: { readonly directory: string }): Promise<void> {
    const { model, pairs, timeSampler, batchSize, microBatchSize, seed, adam, random, average } =
      this.#parts;
    const pairState: PairSourceState = pairs.getState();
    await writeCheckpoint({
      directory,
      checkpoint: {
        step: this.#step,
        model: { config: model.config, weights: await model.getWeights() },
        optimizer: await adam.getState(),
        trainer: {
          batchSize,
          microBatchSize,
          seed,
          path: 'straight-line',
          timeSampler: describeTimeSampler(timeSampler),
          random: random.getState(),
        },
        pairs: pairState,
        losses: Float64Array.from(this.#losses),
        totals: {
          examples: this.#examples,
          waitSeconds: this.#waitSeconds,
          computeSeconds: this.#computeSeconds,
        },
        ...(this.#parts.metadata === undefined ? {} : { metadata: this.#parts.metadata }),
        ...(average === null
          ? {}
          : {
              ema: {
                decay: average.decay,
                updates: average.updates,
                weights: await average.weights(),
              },
            }),
      },
    });
  }

  report(): TrainingReport {
    const busy = this.#waitSeconds + this.#computeSeconds;
    return {
      steps: this.#step,
      losses: [...this.#losses],
      examples: this.#examples,
      waitSeconds: this.#waitSeconds,
      computeSeconds: this.#computeSeconds,
      examplesPerSecond: busy > 0 ? this.#examples / busy : 0,
      pairs: this.pairs.statistics(),
    };
  }

  dispose(): void {
    this.#parts.adam.dispose();
    this.#parts.average?.dispose();
    // Not awaited (dispose is synchronous): the workers are unreferenced, so a pending
    // termination never keeps the process alive.
    void this.#parts.pool?.terminate();
  }
}

/** @internal The training loop behind `createFlowMatchingTrainer` and `resumeFlowMatchingTrainer`. */
export function createTrainerLoop(parts: TrainerParts): FlowMatchingTrainer {
  return new Trainer(parts);
}
