import {
  createPointCloud,
  createRandomGenerator,
  InvalidArgumentError,
  type PointCloud,
  type RandomGenerator,
  requireInteger,
  requirePositiveNumber,
} from '@sinkflow/core';
import { costStandardDeviation, type Epsilon, resolveEpsilon } from '@sinkflow/entropy';
import { defaultScoreKernel } from './default-score-kernel.js';
import {
  createDualAscent,
  DEFAULT_AVERAGE_DECAY,
  defaultLearningRate,
  requireAverageDecay,
} from './semidiscrete-ascent.js';
import {
  EVALUATION_CHUNK,
  type Evaluation,
  evaluateMarginals,
  isConverged,
} from './semidiscrete-evaluation.js';
import type { ScoreKernel, ScoreKernelProvider } from './semidiscrete-score-pass.js';
import { type SemidiscreteState, validateSemidiscreteState } from './semidiscrete-state.js';
import {
  drawSource,
  prepareSemidiscreteTarget,
  type SemidiscreteCost,
  type SemidiscreteSource,
  type SemidiscreteTarget,
  standardNormalSource,
} from './semidiscrete-target.js';

/** Rows drawn from the source to estimate `std(C)` (the paper's subsample size, `2^14`). */
const COST_STD_SAMPLES = 16_384;

/**
 * What {@link SolveSemidiscreteOptions.onProgress} receives after every evaluation: the chi-square
 * marginal error `sum_j (p_j - b_j)^2 / b_j` of the averaged `g` [mousavi2025semidiscrete].
 *
 * @example
 * ```ts
 * const onProgress = (progress: SemidiscreteProgress) => {
 *   if (progress.step % 1000 === 0) writeFileSync('g.json', JSON.stringify(progress.checkpoint()));
 * };
 * ```
 */
export interface SemidiscreteProgress {
  readonly step: number;
  /** The bias-corrected chi-square marginal error of the averaged `g` (see the solution). */
  readonly marginalError: number;
  /** The Monte-Carlo noise subtracted from the raw estimate. */
  readonly marginalErrorNoise: number;
  /** The standard error of the estimate. */
  readonly marginalErrorStandardError: number;
  /** `E_x[f(x)] + <g, b>` of the averaged `g`, on the evaluation batch. */
  readonly dualObjective: number;
  /** Seconds of the fit so far, those of the calls it resumed from included. */
  readonly seconds: number;
  /** The state at this step, to save and resume from (`initialState`). */
  checkpoint(): SemidiscreteState;
}

/**
 * Options of {@link solveSemidiscrete}: the points, the source, the cost and epsilon of
 * `max_g E_x[f(x)] + <g, b>` [mousavi2025semidiscrete], the optimizer and the stopping rule.
 *
 * @example
 * ```ts
 * const options: SolveSemidiscreteOptions = { y, cost: 'sqeuclidean', epsilon: relativeEpsilon(0.01), seed: 1 };
 * ```
 */
export interface SolveSemidiscreteOptions {
  /** The N points `y_j` with their weights `b` (uniform when absent; every `b_j` must be > 0). */
  readonly y: PointCloud;
  /** The continuous source. @default standard normal noise in `y.d` dimensions */
  readonly source?: SemidiscreteSource | undefined;
  /** `'dot'` (`C = -<x, y>`) or `'sqeuclidean'` (`1/2 ||x - y||^2`). @default 'dot' */
  readonly cost?: SemidiscreteCost | undefined;
  /**
   * 0 for the hard problem, or an absolute or relative {@link Epsilon} (relative to `std(C)`
   * between the source and `y`, estimated on 16 384 source draws). Schedules are refused.
   * @default 0
   */
  readonly epsilon?: Epsilon | 0 | undefined;
  /** Fresh source draws per stochastic gradient. @default 1024 */
  readonly batchSize?: number | undefined;
  /** Adam's step size, in the units of the cost. @default 0.01 std(C) */
  readonly learningRate?: number | undefined;
  /** The decay `beta` of the moving average `gAverage <- beta gAverage + (1 - beta) g`. @default 0.99 */
  readonly averageDecay?: number | undefined;
  /** Stop when the chi-square marginal error is below this. @default 1e-3 */
  readonly threshold?: number | undefined;
  /** Total optimizer steps (counting those of `initialState`). @default 10000 */
  readonly maxSteps?: number | undefined;
  /** Evaluate the marginal error every this many steps. @default 100 */
  readonly evaluateEvery?: number | undefined;
  /**
   * Fresh source draws per evaluation. @default max(65536, 4 sqrt(2 N) / threshold), rounded up
   * to a multiple of 4096 (so that the estimate can resolve the threshold)
   */
  readonly evaluationSize?: number | undefined;
  /** Seed of every random draw (Philox). @default 0 */
  readonly seed?: number | undefined;
  /** Continue from a saved {@link SemidiscreteState} (then `seed` is not used). */
  readonly initialState?: SemidiscreteState | undefined;
  /** Called after every evaluation. */
  readonly onProgress?: ((progress: SemidiscreteProgress) => void) | undefined;
  /** Aborts the solve (the promise rejects with `signal.reason`). */
  readonly signal?: AbortSignal | undefined;
}

/**
 * The result of {@link solveSemidiscrete}: readonly, the same shape for every option. `g` is the
 * fitted dual of `E_x[f(x)] + <g, b>` [mousavi2025semidiscrete].
 *
 * @example
 * ```ts
 * const { g, converged, marginalError, state } = await solveSemidiscrete({ y });
 * ```
 */
export interface SemidiscreteSolution {
  /** The fitted dual vector: the moving average of the iterates (length N). */
  readonly g: Float64Array;
  /** True when the marginal error went below `threshold`. */
  readonly converged: boolean;
  /** The stopping threshold on the chi-square marginal error. */
  readonly threshold: number;
  /** Optimizer steps done in total. */
  readonly steps: number;
  /**
   * `sum_j (p_j - b_j)^2 / b_j` of `g`, with `p_j` the (soft) cell mass, estimated on
   * `evaluationSize` fresh draws and corrected for their noise (never below 0).
   */
  readonly marginalError: number;
  /** The subtracted noise `sum_j Var(p_hat_j) / b_j` (about `(N - 1) / evaluationSize` when hard). */
  readonly marginalErrorNoise: number;
  /**
   * The standard error of `marginalError`: `sqrt(sum_j (2 V_j^2 + 4 (p_j - b_j)^2 V_j) / b_j^2)`,
   * `V_j` the variance of the estimate of `p_j`. Convergence needs it at most `threshold`.
   */
  readonly marginalErrorStandardError: number;
  /** `(step, marginalError)` at every evaluation of this call. */
  readonly errors: readonly { readonly step: number; readonly marginalError: number }[];
  /** `E_x[f(x)] + <g, b>` at the last evaluation (the semidiscrete OT cost at convergence). */
  readonly dualObjective: number;
  /** The absolute epsilon used (0: hard). */
  readonly epsilon: number;
  /** The estimate of `std(C)`. */
  readonly costStd: number;
  readonly cost: SemidiscreteCost;
  /** N and d. */
  readonly n: number;
  readonly d: number;
  /** Seconds of the fit, those of the calls it resumed from (`initialState.seconds`) included. */
  readonly seconds: number;
  /** The final state, to resume from. */
  readonly state: SemidiscreteState;
}

/**
 * Semidiscrete optimal transport [mousavi2025semidiscrete] between a continuous source `mu`
 * (standard normal noise by default) and N weighted points `y_j`: the dual vector `g` in R^N that
 * maximizes
 *
 *     D(g) = E_{x ~ mu}[f(x)] + <g, b>,
 *     f(x) = min_j (C(x, y_j) - g_j)                                  (epsilon = 0),
 *     f(x) = -eps log sum_j b_j exp((g_j - C(x, y_j)) / eps)          (epsilon > 0),
 *
 * by stochastic gradient ascent on fresh draws: the gradient on a batch is `b - mean_i pi(x_i)`,
 * with `pi_j(x)` the indicator of `j = argmin_j (C(x, y_j) - g_j)` (the Laguerre cell of `y_j`) or
 * the soft assignment `b_j exp((g_j - C(x, y_j) - f(x)) / eps)`. Adam takes the steps; the moving
 * average of the iterates is returned. Every `evaluateEvery` steps the chi-square marginal error
 * `sum_j (p_j - b_j)^2 / b_j` of the average (`p_j = E_x[pi_j(x)]`) is estimated on
 * `evaluationSize` fresh draws, minus its Monte-Carlo noise; the solve stops below `threshold`.
 * Non-convergence is data (`converged: false`). The score pass (a batch against all N points)
 * runs on the WebAssembly SIMD kernels of the Sinkhorn backend on all threads where the host has
 * WebAssembly and shared memory (the N points loaded once per solve), else in TypeScript (float64).
 *
 * @throws {@link InvalidArgumentError} naming the bad argument.
 * @example
 * ```ts
 * const y = createPointCloud(Float32Array.from([-1, 0, 1]), { d: 1 });
 * const solution = await solveSemidiscrete({ y, cost: 'sqeuclidean', seed: 0 });
 * solution.converged; // true
 * solution.marginalError; // below 1e-3
 * ```
 */
export async function solveSemidiscrete(
  options: SolveSemidiscreteOptions,
): Promise<SemidiscreteSolution> {
  return solveSemidiscreteWith(options, defaultScoreKernel);
}

/**
 * {@link solveSemidiscrete} on a given score kernel, or a provider that prepares one for the
 * solve's targets (internal: the seam for faster kernels).
 */
export async function solveSemidiscreteWith(
  options: SolveSemidiscreteOptions,
  kernelOrProvider: ScoreKernel | ScoreKernelProvider,
): Promise<SemidiscreteSolution> {
  const functionName = 'solveSemidiscrete';
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options',
      message: 'must be an options object',
      value: options,
    });
  }
  const {
    y,
    cost = 'dot',
    epsilon: epsilonOption = 0,
    batchSize = 1024,
    learningRate: learningRateOption,
    averageDecay = DEFAULT_AVERAGE_DECAY,
    threshold = 1e-3,
    maxSteps = 10_000,
    evaluateEvery = 100,
    evaluationSize: evaluationSizeOption,
    seed = 0,
    initialState,
    onProgress,
    signal,
  } = options;
  const target = prepareSemidiscreteTarget(y, cost, functionName);
  const source = options.source ?? standardNormalSource(target.d);
  if (typeof source !== 'function') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'source',
      message: 'must be a function (count, random) => Float32Array',
      value: source,
    });
  }
  requireInteger(batchSize, { functionName, argumentName: 'batchSize', minimum: 1 });
  requireInteger(maxSteps, { functionName, argumentName: 'maxSteps', minimum: 0 });
  requireInteger(evaluateEvery, { functionName, argumentName: 'evaluateEvery', minimum: 1 });
  requirePositiveNumber(threshold, { functionName, argumentName: 'threshold' });
  // Enough draws for the estimate to resolve the threshold: its noise alone has standard error
  // about sqrt(2 N) / size (hard cells), which must stay below the threshold (with a margin of 4).
  const evaluationSize =
    evaluationSizeOption ??
    Math.max(
      65_536,
      EVALUATION_CHUNK * Math.ceil((4 * Math.sqrt(2 * y.n)) / threshold / EVALUATION_CHUNK),
    );
  requireInteger(evaluationSize, { functionName, argumentName: 'evaluationSize', minimum: 2 });
  requireAverageDecay(averageDecay, functionName, 'averageDecay');
  if (initialState === undefined) {
    requireInteger(seed, { functionName, argumentName: 'seed', minimum: 0 });
  }
  if (learningRateOption !== undefined) {
    requirePositiveNumber(learningRateOption, { functionName, argumentName: 'learningRate' });
  }
  if (
    epsilonOption !== 0 &&
    (typeof epsilonOption !== 'object' ||
      epsilonOption === null ||
      epsilonOption.kind === 'schedule')
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'epsilon',
      message: 'must be 0 (hard) or an absolute or relative epsilon (no schedule)',
      value: epsilonOption,
    });
  }
  const start = performance.now();
  const n = target.count;
  // The kernel holds the N points (and threads) for the whole solve.
  const prepared =
    typeof kernelOrProvider === 'function'
      ? { kernel: kernelOrProvider, dispose: async () => {} }
      : await kernelOrProvider.prepare(
          target,
          Math.max(batchSize, Math.min(EVALUATION_CHUNK, evaluationSize)),
        );
  try {
    return await fitDual(prepared.kernel);
  } finally {
    await prepared.dispose();
  }

  async function fitDual(kernel: ScoreKernel): Promise<SemidiscreteSolution> {
    let state: SemidiscreteState;
    if (initialState === undefined) {
      const root = createRandomGenerator({ seed });
      const costStd = estimateCostStd(target, source, root.split(1), functionName);
      state = {
        version: 1,
        step: 0,
        g: Array.from(startingDual(target)),
        gAverage: Array.from(startingDual(target)),
        firstMoment: new Array<number>(n).fill(0),
        secondMoment: new Array<number>(n).fill(0),
        epsilon: resolveSolverEpsilon(epsilonOption, costStd, functionName),
        costStd,
        random: root.split(0).getState(),
      };
    } else {
      state = validateSemidiscreteState(initialState, n, functionName);
      const epsilon = resolveSolverEpsilon(epsilonOption, state.costStd, functionName);
      if (epsilon !== state.epsilon) {
        throw new InvalidArgumentError({
          functionName,
          argumentName: 'initialState.epsilon',
          message: `was saved at epsilon ${state.epsilon}, but the options resolve to ${epsilon}`,
          value: state.epsilon,
        });
      }
    }
    const epsilon = state.epsilon;
    const learningRate = learningRateOption ?? defaultLearningRate(state.costStd);
    const random = createRandomGenerator({ state: state.random });
    const iterate = createDualAscent({ target, state, epsilon, learningRate, averageDecay });
    const { gAverage } = iterate;
    // Seconds over every call of a resumed fit: those saved in the state, then this call's.
    const earlierSeconds = state.seconds ?? 0;
    const elapsed = () => earlierSeconds + (performance.now() - start) / 1000;
    const snapshot = (): SemidiscreteState => ({
      version: 1,
      ...iterate.saved(),
      epsilon,
      costStd: state.costStd,
      random: random.getState(),
      seconds: elapsed(),
    });
    const evaluate = (): Evaluation =>
      evaluateMarginals(target, kernel, {
        g: gAverage,
        epsilon,
        // Keyed by the step: the same batch whether or not the run was interrupted.
        random: random.split(iterate.step),
        source,
        size: evaluationSize,
        functionName,
      });

    const errors: { step: number; marginalError: number }[] = [];
    let last: Evaluation | undefined;
    let lastStep = -1;
    const record = (evaluation: Evaluation): void => {
      last = evaluation;
      lastStep = iterate.step;
      errors.push({ step: iterate.step, marginalError: evaluation.marginalError });
      onProgress?.({
        step: iterate.step,
        marginalError: evaluation.marginalError,
        marginalErrorNoise: evaluation.noise,
        marginalErrorStandardError: evaluation.standardError,
        dualObjective: evaluation.dualObjective,
        seconds: elapsed(),
        checkpoint: snapshot,
      });
    };
    let converged = false;
    while (iterate.step < maxSteps) {
      signal?.throwIfAborted();
      iterate.advance(
        kernel,
        drawSource(source, batchSize, target.d, random, functionName),
        batchSize,
      );
      if (iterate.step % evaluateEvery === 0) {
        record(evaluate());
        if (isConverged(last as Evaluation, threshold)) {
          converged = true;
          break;
        }
        // Let an abort or other work in through the event loop.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    if (lastStep !== iterate.step) {
      record(evaluate());
      converged = isConverged(last as Evaluation, threshold);
    }
    const final = last as Evaluation;
    const seconds = elapsed();
    return Object.freeze({
      g: Float64Array.from(gAverage),
      converged,
      threshold,
      steps: iterate.step,
      marginalError: final.marginalError,
      marginalErrorNoise: final.noise,
      marginalErrorStandardError: final.standardError,
      errors,
      dualObjective: final.dualObjective,
      epsilon,
      costStd: state.costStd,
      cost,
      n,
      d: target.d,
      seconds,
      state: { ...snapshot(), seconds },
    });
  }
}

/**
 * Where the ascent starts: `g_j = m - 1/2 ||y_j||^2` for the dot cost (`m` the mean of the half
 * squared norms), 0 for the squared Euclidean one. Both start from the Voronoi cells of the
 * points (`argmin_j -<x, y_j> + 1/2 ||y_j||^2 = argmin_j 1/2 ||x - y_j||^2`); with `g = 0` the dot
 * cost would send almost all the mass to the few points of largest norm, and the fit would spend
 * thousands of steps undoing it. The optimum is the same (the two costs differ by `1/2 ||y_j||^2`,
 * which `g` absorbs, and by a term in `x` alone).
 */
function startingDual(target: SemidiscreteTarget): Float64Array {
  const { count, d, y } = target;
  const g = new Float64Array(count);
  if (target.cost !== 'dot') return g;
  let mean = 0;
  for (let j = 0; j < count; j += 1) {
    let norm = 0;
    for (let c = 0; c < d; c += 1) norm += (y[j * d + c] as number) ** 2;
    g[j] = -0.5 * norm;
    mean += 0.5 * norm;
  }
  mean /= count;
  for (let j = 0; j < count; j += 1) g[j] = (g[j] as number) + mean;
  return g;
}

/** `std(C)` between `COST_STD_SAMPLES` source draws and `y` (weights ignored, as OTT-JAX). */
function estimateCostStd(
  target: SemidiscreteTarget,
  source: SemidiscreteSource,
  random: RandomGenerator,
  functionName: string,
): number {
  const x = drawSource(source, COST_STD_SAMPLES, target.d, random, functionName);
  const xCloud = createPointCloud(x, { d: target.d });
  const yCloud = createPointCloud(target.y, { d: target.d });
  return costStandardDeviation(xCloud, yCloud, { cost: target.cost }).standardDeviation;
}

/** 0 for the hard problem, else the absolute epsilon of an absolute or relative value. */
function resolveSolverEpsilon(epsilon: Epsilon | 0, costStd: number, functionName: string): number {
  if (epsilon === 0) return 0;
  try {
    return resolveEpsilon(epsilon, { costStd });
  } catch (error) {
    if (!InvalidArgumentError.isInstance(error)) throw error;
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'epsilon',
      message: error.message,
      value: epsilon,
      cause: error,
    });
  }
}
