import { InvalidArgumentError } from '@sinkflow/core';
import { requireEmaDecay } from '@sinkflow/fm';
import { type RunSpec, sinkhornSettingsOfRun } from '../sweep/sweep-config.js';
import { COUPLING_NAMES, type CouplingName } from './coupling-pair-source.js';
import { evaluateFlowModel } from './evaluate-flow-model.js';
import { type FlowPicture, flowPicture } from './flow-samples.js';
import { loadFlowTask } from './flow-task.js';
import { trainFlowModel } from './train-flow-model.js';
import { trainRunMetadata } from './train-run-config.js';

/** The metrics of a `train` run of a sweep. */
export type TrainRunMetrics = Readonly<Record<string, number | string | boolean | null>>;

/**
 * One `train` run of a sweep: trains with the run's coupling (`options.coupling`, default `ot`:
 * fresh Sinkhorn couplings of `n` points per side at the run's target entropy or relative
 * epsilon) and evaluates curvature, reconstruction and BPD. Checkpoints go to `directory/checkpoint`
 * every `options.checkpointEvery` steps, so that a killed sweep resumes training from the last one.
 * Options (all optional): `coupling`, `steps` (1500), `batchSize` (256), `hiddenLayers` (3),
 * `width` (256), `pairsPerCoupling`, `fitSteps` and `refineDual` (semidiscrete), `emaDecay` (the
 * metrics are then those of the weight average, and `lastCurvature`, `lastReconstruction`,
 * `lastL2Uvp`, `lastBpd` those of the last weights on the same points), `checkpointEvery` (250),
 * `evaluationPoints` (1000), `benchmarkSeed` (0).
 */
export async function runTrainSpec(spec: RunSpec, directory: string): Promise<TrainRunMetrics> {
  const { benchmark, d, n, targetEntropy, relativeEpsilon, seed, options } = spec.config;
  const integer = (name: string, fallback: number): number => {
    const value = options[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new InvalidArgumentError({
        functionName: 'runTrainSpec',
        argumentName: `options.${name}`,
        message: 'must be a positive integer',
        value,
      });
    }
    return value;
  };
  const coupling = (options.coupling ?? 'ot') as CouplingName;
  if (!COUPLING_NAMES.includes(coupling)) {
    throw new InvalidArgumentError({
      functionName: 'runTrainSpec',
      argumentName: 'options.coupling',
      message: `must be one of ${COUPLING_NAMES.join(', ')}`,
      value: coupling,
    });
  }
  const task = await loadFlowTask({ name: benchmark, d, options });
  const pairsPerCoupling =
    options.pairsPerCoupling === undefined ? undefined : integer('pairsPerCoupling', n);
  const fitSteps = options.fitSteps === undefined ? undefined : integer('fitSteps', 1);
  const refineDual = options.refineDual ?? false;
  if (typeof refineDual !== 'boolean') {
    throw new InvalidArgumentError({
      functionName: 'runTrainSpec',
      argumentName: 'options.refineDual',
      message: 'must be true or false',
      value: refineDual,
    });
  }
  const emaDecay =
    requireEmaDecay(options.emaDecay ?? undefined, 'runTrainSpec', 'options.emaDecay') ?? null;
  const training = {
    steps: integer('steps', 1500),
    batchSize: integer('batchSize', 256),
    hiddenLayers: integer('hiddenLayers', 3),
    width: integer('width', 256),
    seed,
    // Seeded results depend on the replica count: `options.workers` (default 'auto'), recorded.
    workers:
      options.workers === undefined || options.workers === 'auto'
        ? ('auto' as const)
        : integer('workers', 1),
    emaDecay: emaDecay ?? undefined,
  };
  const outcome = await trainFlowModel({
    task,
    coupling: {
      coupling,
      otBatchSize: n,
      pairsPerCoupling,
      fitSteps,
      refineDual,
      seed,
      ...sinkhornSettingsOfRun(spec.config),
    },
    training,
    directory,
    checkpointEvery: integer('checkpointEvery', 250),
    resume: true,
    // The run's settings, as `sinkflow train` records them: a checkpoint of other settings is refused.
    metadata: trainRunMetadata({
      benchmark,
      benchmarkSeed: typeof options.benchmarkSeed === 'number' ? options.benchmarkSeed : 0,
      d,
      coupling,
      targetEntropy,
      relativeEpsilon,
      otBatchSize: n,
      pairsPerCoupling: pairsPerCoupling ?? null,
      fitSteps: fitSteps ?? null,
      refineDual,
      emaDecay,
      batchSize: training.batchSize,
      hiddenLayers: training.hiddenLayers,
      width: training.width,
      seed,
    }),
  });
  try {
    const settings = { n: integer('evaluationPoints', 1000), seed: seed + 1_000_003 };
    const evaluation = await evaluateFlowModel({ model: outcome.model, task, settings });
    // 2-D tasks keep a few paths and samples for the report's trajectory and sample figures
    // (JSON string metrics), drawn by the model evaluated (the average, with one).
    const picture =
      d === 2
        ? pictureMetrics(await flowPicture({ model: outcome.model, task, seed: seed + 2_000_003 }))
        : { trajectories: null, samples: null };
    // With a weight average the metrics are the average's; the last iterate's, on the same
    // points, are `last*` (paired: only the weights differ).
    let lastIterate: TrainRunMetrics = {};
    if (outcome.lastWeights !== null) {
      outcome.model.setWeights(outcome.lastWeights);
      const last = await evaluateFlowModel({ model: outcome.model, task, settings });
      lastIterate = {
        lastCurvature: last.curvature,
        lastReconstruction: last.reconstruction,
        lastL2Uvp: last.l2Uvp,
        lastBpd: last.bpd,
      };
    }
    return {
      coupling,
      step: outcome.step,
      resumedFrom: outcome.resumedFrom,
      finalLoss: outcome.finalLoss,
      trainSeconds: outcome.trainSeconds,
      renormalizedEntropy: outcome.renormalizedEntropy,
      sinkhornSecondsPerExample: outcome.sinkhornSecondsPerExample,
      workers: outcome.workers,
      emaDecay: outcome.emaDecay,
      // What a semidiscrete run's dual reached (null for the other couplings).
      semidiscreteFitSteps: outcome.semidiscreteFit?.steps ?? null,
      semidiscreteMarginalError: outcome.semidiscreteFit?.marginalError ?? null,
      semidiscreteRefinedSteps: outcome.semidiscreteFit?.refinedSteps ?? null,
      curvature: evaluation.curvature,
      reconstruction: evaluation.reconstruction,
      l2Uvp: evaluation.l2Uvp,
      bpd: evaluation.bpd,
      negativeLogLikelihood: evaluation.negativeLogLikelihood,
      evaluationSeconds: evaluation.evaluationSeconds,
      ...lastIterate,
      ...picture,
    };
  } finally {
    outcome.model.dispose();
  }
}

/** A flow's picture as the run's JSON string metrics. */
function pictureMetrics(picture: FlowPicture): {
  readonly trajectories: string;
  readonly samples: string;
} {
  return {
    trajectories: JSON.stringify(picture.trajectories),
    samples: JSON.stringify({ ...picture.samples, projected: picture.projected }),
  };
}
