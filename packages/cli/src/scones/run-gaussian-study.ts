import { createGaussianBenchmark, type GaussianBenchmark } from '@sinkflow/benchmarks';
import { createRandomGenerator, requireInteger, requireOneOf } from '@sinkflow/core';
import type { DistributionSampler } from '@sinkflow/fm';
import { couplingBwUvp, entropicJointCovariance } from '@sinkflow/metrics';
import { entropicGaussianCoupling } from '@sinkflow/ot';
import {
  gaussianTargetScore,
  klRegularizer,
  sampleConditional,
  trainBarycentricProjection,
  trainDualPotentials,
} from '@sinkflow/scones';
import { GAUSSIAN_STUDY_BUDGETS, type GaussianStudySettings } from './gaussian-study-budgets.js';

/** Options of {@link runGaussianStudy}. */
export interface GaussianStudyOptions {
  /** Dimension, 1..1024. */
  readonly d: number;
  /** A named budget, or explicit settings. @default 'small' */
  readonly budget?: 'small' | 'paper' | GaussianStudySettings;
  /** Seeds the networks, minibatches, pairs and Langevin noise. @default 0 */
  readonly seed?: number;
  /** Seeds the random covariances (`createGaussianBenchmark`). @default 0 */
  readonly benchmarkSeed?: number;
  /** Receives a line at each phase, and `(phase, step, total)` progress. */
  readonly onProgress?: (report: {
    readonly phase: 'dual' | 'projection' | 'sampling';
    readonly step: number;
    readonly total: number;
  }) => void;
}

/**
 * What {@link runGaussianStudy} measured (one cell of the paper's Table 2 for one pair of Gaussians).
 *
 * @example
 * ```ts
 * const { bwUvp } = await runGaussianStudy({ d: 2 });
 * bwUvp.scones < bwUvp.barycentricProjection; // true
 * ```
 */
export interface GaussianStudyResult {
  readonly d: number;
  /** `lambda = 2 d`. */
  readonly lambda: number;
  /** BW-UVP (percent, lower is better) of the pairs' joint covariance against the closed form. */
  readonly bwUvp: { readonly scones: number; readonly barycentricProjection: number };
  /** The dual objective: last tenth of the minibatch history (mean), and the closed-form optimum. */
  readonly dualObjective: { readonly final: number; readonly closedForm: number };
  /**
   * The learned marginal ratios on held-out samples ({@link MarginalRatios}): the mean absolute
   * deviation from 1 of the source and target ratios, and the total mass.
   */
  readonly marginals: {
    readonly sourceDeviation: number;
    readonly targetDeviation: number;
    readonly mass: number;
  };
  readonly settings: GaussianStudySettings;
  readonly seed: number;
  readonly benchmarkSeed: number;
  readonly seconds: {
    readonly dual: number;
    readonly projection: number;
    readonly sampling: number;
    readonly total: number;
  };
}

/**
 * The synthetic study of SCONES [daniels2021, Sec. 5.2, Table 2] at one dimension: source and target
 * `N(0, S0)`, `N(0, S1)` with random covariances (`createGaussianBenchmark` of
 * `@sinkflow/benchmarks`: Haar rotations, spectrum `geomspace(1/2, 2, d)` as in the authors' code),
 * cost `||x - y||^2`, KL regularization with `lambda = 2 d`. It trains the dual potentials
 * (Algorithm 1), the barycentric projection `T` on the learned coupling, draws `pairs` source points
 * and scores two samples of pairs by {@link couplingBwUvp} against the closed-form joint covariance
 * [janati2020] (`entropicJointCovariance` with `epsilon = lambda`, whose cost is also
 * `||x - y||^2`):
 *
 * - SCONES: `(x_i, y_i)` with `y_i` from Langevin sampling (Algorithm 2) with the exact target
 *   score `-S1^{-1} y` and no annealing;
 * - barycentric projection: `(x_i, T(x_i))`.
 *
 * @throws {@link InvalidArgumentError} naming the option (bad `d`, seeds, budget).
 * @example
 * ```ts
 * const result = await runGaussianStudy({ d: 2, budget: 'small' });
 * result.bwUvp; // { scones: 0.073, barycentricProjection: 26.9 } (wasm backend, seed 0)
 * ```
 */
export async function runGaussianStudy({
  d,
  budget = 'small',
  seed = 0,
  benchmarkSeed = 0,
  onProgress,
}: GaussianStudyOptions): Promise<GaussianStudyResult> {
  const functionName = 'runGaussianStudy';
  requireInteger(d, { functionName, argumentName: 'd', minimum: 1, maximum: 1024 });
  requireInteger(seed, { functionName, argumentName: 'seed', minimum: 0 });
  const settings =
    typeof budget === 'string'
      ? GAUSSIAN_STUDY_BUDGETS[
          requireOneOf(budget, ['small', 'paper'], { functionName, argumentName: 'budget' })
        ]
      : budget;
  const started = performance.now();
  const benchmark = createGaussianBenchmark({ d, benchmarkSeed });
  const lambda = 2 * d;
  const regularizer = klRegularizer({ lambda });
  const { source, target } = benchmarkSamplers(benchmark);
  const optimizer = { learningRate: settings.learningRate };
  const network = { hiddenLayers: settings.hiddenLayers, width: settings.width };
  const root = createRandomGenerator({ seed });
  const dual = await trainDualPotentials({
    source,
    target,
    regularizer,
    steps: settings.dualSteps,
    batchSize: settings.batchSize,
    ...network,
    optimizer,
    seed: root.split(0).integer(2 ** 31),
    onStep: ({ step }) => onProgress?.({ phase: 'dual', step, total: settings.dualSteps }),
  });
  const { coupling } = dual;
  try {
    const projection = await trainBarycentricProjection({
      coupling,
      source,
      target,
      steps: settings.projectionSteps,
      batchSize: settings.batchSize,
      ...network,
      optimizer,
      seed: root.split(1).integer(2 ** 31),
      onStep: ({ step }) =>
        onProgress?.({ phase: 'projection', step, total: settings.projectionSteps }),
    });
    const pairsRandom = root.split(2);
    const x = Float32Array.from(benchmark.sampleSource(settings.pairs, pairsRandom).data);
    const held = Float32Array.from(benchmark.sampleTarget(settings.pairs, pairsRandom).data);
    const images = await projection.map.predict(x);
    projection.map.dispose();
    const ratios = await coupling.marginalRatios({
      x: x.subarray(0, Math.min(2000, settings.pairs) * d),
      y: held.subarray(0, Math.min(2000, settings.pairs) * d),
    });
    const targetScore = gaussianTargetScore({
      mean: new Float64Array(d),
      covariance: benchmark.targetCovariance,
    });
    const samplingStarted = performance.now();
    let y: Float32Array;
    try {
      y = await sampleConditional({
        coupling,
        targetScore,
        x,
        stepsPerLevel: settings.langevinSteps,
        stepSize: settings.stepSize,
        seed: root.split(3).integer(2 ** 31),
        onStep: ({ step, total }) => onProgress?.({ phase: 'sampling', step, total }),
      });
    } finally {
      targetScore.dispose();
    }
    const samplingSeconds = (performance.now() - samplingStarted) / 1000;
    const jointCovariance = entropicJointCovariance({
      sourceCovariance: benchmark.sourceCovariance,
      targetCovariance: benchmark.targetCovariance,
      epsilon: lambda,
    });
    const score = (pairs: Float32Array) =>
      couplingBwUvp({ source: x, target: pairs, d, jointCovariance }).bwUvp;
    const tail = dual.objectiveHistory.subarray(Math.floor(0.9 * dual.objectiveHistory.length));
    const deviation = (values: Float64Array) =>
      values.reduce((sum, value) => sum + Math.abs(value - 1), 0) / values.length;
    const zeros = new Float64Array(d);
    return {
      d,
      lambda,
      bwUvp: { scones: score(y), barycentricProjection: score(images) },
      dualObjective: {
        final: tail.reduce((sum, value) => sum + value, 0) / tail.length,
        closedForm: entropicGaussianCoupling({
          mean1: zeros,
          covariance1: benchmark.sourceCovariance,
          mean2: zeros,
          covariance2: benchmark.targetCovariance,
          epsilon: lambda,
        }).cost,
      },
      marginals: {
        sourceDeviation: deviation(ratios.source),
        targetDeviation: deviation(ratios.target),
        mass: ratios.mass,
      },
      settings,
      seed,
      benchmarkSeed,
      seconds: {
        dual: dual.seconds,
        projection: projection.seconds,
        sampling: samplingSeconds,
        total: (performance.now() - started) / 1000,
      },
    };
  } finally {
    coupling.dispose();
  }
}

/** The benchmark's two Gaussians as float32 samplers. */
function benchmarkSamplers(benchmark: GaussianBenchmark): {
  source: DistributionSampler;
  target: DistributionSampler;
} {
  const { d } = benchmark;
  return {
    source: {
      d,
      sample: ({ count, random }) => Float32Array.from(benchmark.sampleSource(count, random).data),
    },
    target: {
      d,
      sample: ({ count, random }) => Float32Array.from(benchmark.sampleTarget(count, random).data),
    },
  };
}
