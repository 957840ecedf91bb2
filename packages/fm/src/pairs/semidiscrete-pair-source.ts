import {
  createRandomGenerator,
  InvalidArgumentError,
  type PointCloud,
  requireInteger,
} from '@sinkflow/core';
import type { Epsilon } from '@sinkflow/entropy';
import {
  createPartnerSampler,
  type PartnerSampler,
  type SemidiscreteCost,
  type SemidiscreteSolution,
  type SolveSemidiscreteOptions,
  solveSemidiscrete,
} from '@sinkflow/ot';
import type { DistributionSampler } from '../data/distribution-sampler.js';
import { drawPoints, requireSampler, streamSeed } from '../data/draw-points.js';
import { createStreamPairSource } from '../internal/stream-pair-source.js';
import type { PairSource, PairSourceState } from './pair-source.js';

/** How the dual is fitted (see `SolveSemidiscreteOptions` of `@sinkflow/ot`). */
export type SemidiscreteFitOptions = Pick<
  SolveSemidiscreteOptions,
  | 'batchSize'
  | 'learningRate'
  | 'averageDecay'
  | 'threshold'
  | 'maxSteps'
  | 'evaluateEvery'
  | 'evaluationSize'
>;

/** Options of {@link createSemidiscretePairSource}. */
export interface SemidiscretePairSourceOptions {
  /** `mu_0`, the noise: fresh draws for every chunk, and the source of the dual's fit. */
  readonly source: DistributionSampler;
  /**
   * The N data points (and their weights `b`; uniform when absent): the whole data set. Give
   * either `data`, or `target` and `dataSize` to draw the N points once from a sampler.
   */
  readonly data?: PointCloud;
  /** A sampler of `mu_1` to draw the N points from (stream `split(2^20)` of the seed). */
  readonly target?: DistributionSampler;
  /** N, the points drawn from `target`. */
  readonly dataSize?: number;
  /** The cost of the semidiscrete problem. @default 'dot' */
  readonly cost?: SemidiscreteCost;
  /** 0 for the hard problem (Laguerre cells), else the entropic one (absolute or relative). @default 0 */
  readonly epsilon?: Epsilon | 0;
  /** The fit of the dual (threshold on the chi-square marginal error, steps, batch). */
  readonly fit?: SemidiscreteFitOptions;
  /** Pairs per chunk of the stream (fresh noise each). @default 2048 */
  readonly samplesPerChunk?: number;
  /**
   * Root seed: the fit uses the stream `split(0)`, chunk `k` its noise from `split(2k + 1)` and
   * its Gumbel noise from `split(2k + 2)`. @default 0
   */
  readonly seed?: number;
  /** Called after each evaluation of the fit (its chi-square marginal error). */
  readonly onFitProgress?: (progress: {
    readonly step: number;
    readonly marginalError: number;
  }) => void;
}

/**
 * Semidiscrete flow-matching pairs [mousavi2025semidiscrete]: one dual vector `g` over the whole
 * data set, fitted once by stochastic ascent of `E_x[f(x)] + <g, b>` on fresh noise
 * (`solveSemidiscrete` of `@sinkflow/ot`), then every chunk pairs fresh noise `x ~ mu_0` with
 *
 *   j(x) = argmax_j (g_j - C(x, y_j))                     (epsilon = 0: its Laguerre cell), or
 *   j(x) ~ pi_j(x) ∝ b_j exp((g_j - C(x, y_j)) / eps)     (epsilon > 0, exact Gumbel-max),
 *
 * so no n x n coupling is ever solved and no noise point is reused: the pairs follow the
 * semidiscrete OT coupling between `mu_0` and the data, which batch couplings only approach as
 * their size grows [klein2025]. The fit happens in `start()` (its seconds are the source's OT
 * seconds; `otSecondsPerExample` divides them by N); checkpoints keep `g` (`state.arrays.g`) so a
 * resume does not fit again.
 *
 * @throws {@link InvalidArgumentError} naming the option (a sampler of another dimension than the
 * data, a bad `samplesPerChunk` or `seed`, an asynchronous sampler for the fit).
 * @example
 * ```ts
 * const pairs = createSemidiscretePairSource({ source: standardNormalSampler({ d: 784 }), data: images });
 * await pairs.start(); // fits g
 * const { x0, x1 } = await pairs.next({ count: 256 }); // fresh noise, its data partners
 * ```
 */
export function createSemidiscretePairSource({
  source,
  data: givenData,
  target,
  dataSize,
  cost = 'dot',
  epsilon = 0,
  fit = {},
  samplesPerChunk = 2048,
  seed = 0,
  onFitProgress,
}: SemidiscretePairSourceOptions): PairSource {
  const functionName = 'createSemidiscretePairSource';
  const { d } = requireSampler(source, { functionName, argumentName: 'source' });
  if ((givenData === undefined) === (target === undefined)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'data',
      message: 'give either data (the N points) or target and dataSize (a sampler to draw them)',
    });
  }
  if (
    givenData !== undefined &&
    (givenData === null || typeof givenData !== 'object' || givenData.d !== d)
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'data',
      message: `must be a point cloud of dimension ${d} (the source's)`,
      value: givenData?.d,
    });
  }
  if (target !== undefined) {
    requireSampler(target, { d, functionName, argumentName: 'target' });
    requireInteger(dataSize, { functionName, argumentName: 'dataSize', minimum: 1 });
  }
  requireInteger(samplesPerChunk, { functionName, argumentName: 'samplesPerChunk', minimum: 1 });
  requireInteger(seed, { functionName, argumentName: 'seed', minimum: 0 });
  const root = createRandomGenerator({ seed });
  const n = givenData?.n ?? (dataSize as number);
  let data: PointCloud | undefined = givenData;
  let dual: { readonly g: Float64Array; readonly epsilon: number } | null = null;
  let fitFacts: FitFacts | null = null;
  // The points and the dual, loaded once into the score kernel's memory (wasm, threads).
  let sampler: PartnerSampler | null = null;

  const fitSource = (
    count: number,
    random: Parameters<DistributionSampler['sample']>[0]['random'],
  ) => {
    const points = source.sample({ count, random });
    if (points instanceof Promise) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'source',
        message: 'must sample synchronously to fit the semidiscrete dual',
      });
    }
    return points;
  };

  return createStreamPairSource({
    kind: 'semidiscrete',
    d,
    functionName,
    prefetch: 1,
    async prepare(state, statistics) {
      statistics.execution = 'main-thread';
      if (data === undefined) {
        const points = await drawPoints(target as DistributionSampler, {
          count: n,
          random: root.split(2 ** 20),
          d,
          functionName,
          argumentName: 'target',
        });
        data = { data: points, n, d };
      }
      const saved = state === undefined ? null : savedDual(state, n, functionName);
      if (saved !== null) {
        await sampler?.dispose();
        sampler = null;
        dual = saved.dual;
        fitFacts = saved.fit;
        statistics.addFit(fitFacts);
        return;
      }
      if (dual !== null && fitFacts !== null) {
        statistics.addFit(fitFacts);
        return;
      }
      const solution: SemidiscreteSolution = await solveSemidiscrete({
        y: data,
        source: fitSource,
        cost,
        epsilon,
        seed: streamSeed(root.split(0)),
        ...fit,
        ...(onFitProgress === undefined
          ? {}
          : { onProgress: ({ step, marginalError }) => onFitProgress({ step, marginalError }) }),
      });
      dual = { g: solution.g, epsilon: solution.epsilon };
      fitFacts = { seconds: solution.seconds, examples: n, converged: solution.converged };
      statistics.addFit(fitFacts);
    },
    async submit(index) {
      const x0 = await drawPoints(source, {
        count: samplesPerChunk,
        random: root.split(2 * index + 1),
        d,
        functionName,
        argumentName: 'source',
      });
      const started = performance.now();
      const kept = dual as { readonly g: Float64Array; readonly epsilon: number };
      const points = data as PointCloud;
      sampler ??= await createPartnerSampler({
        y: points,
        g: kept.g,
        cost,
        epsilon: kept.epsilon,
        capacity: samplesPerChunk,
      });
      const { indices } = sampler.sample({
        x: { data: x0, n: samplesPerChunk, d },
        seed: streamSeed(root.split(2 * index + 2)),
      });
      const x1 = new Float32Array(samplesPerChunk * d);
      for (let k = 0; k < samplesPerChunk; k += 1) {
        const j = indices[k] as number;
        for (let c = 0; c < d; c += 1) x1[k * d + c] = points.data[j * d + c] as number;
      }
      const samplingSeconds = (performance.now() - started) / 1000;
      return {
        result: Promise.resolve({
          x0,
          x1,
          count: samplesPerChunk,
          coupling: null,
          samplingSeconds,
        }),
      };
    },
    saveExtra() {
      const kept = dual as { readonly g: Float64Array; readonly epsilon: number };
      const facts = fitFacts as FitFacts;
      return {
        extra: { epsilon: kept.epsilon, fitSeconds: facts.seconds, fitConverged: facts.converged },
        arrays: { g: kept.g },
      };
    },
    async dispose() {
      dual = null;
      await sampler?.dispose();
      sampler = null;
    },
  });
}

/** What the fit cost and whether it met its threshold (kept in checkpoints). */
interface FitFacts {
  readonly seconds: number;
  readonly examples: number;
  readonly converged: boolean;
}

/** The dual kept in a checkpoint: `arrays.g` (length N), `extra.epsilon` and the fit's facts. */
function savedDual(
  state: PairSourceState,
  n: number,
  functionName: string,
): {
  readonly dual: { readonly g: Float64Array; readonly epsilon: number };
  readonly fit: FitFacts;
} {
  const { g } = state.arrays;
  const { epsilon, fitSeconds, fitConverged } = state.extra;
  if (!(g instanceof Float64Array) || g.length !== n || !g.every(Number.isFinite)) {
    throw new InvalidArgumentError({
      functionName: `${functionName}.start`,
      argumentName: 'state.arrays.g',
      message: `must be the fitted dual (finite Float64Array of length ${n})`,
    });
  }
  if (typeof epsilon !== 'number' || !(epsilon >= 0)) {
    throw new InvalidArgumentError({
      functionName: `${functionName}.start`,
      argumentName: 'state.extra.epsilon',
      message: 'must be the absolute epsilon of the fit (>= 0)',
      value: epsilon,
    });
  }
  if (typeof fitSeconds !== 'number' || !(fitSeconds >= 0)) {
    throw new InvalidArgumentError({
      functionName: `${functionName}.start`,
      argumentName: 'state.extra.fitSeconds',
      message: 'must be the seconds of the fit (>= 0)',
      value: fitSeconds,
    });
  }
  return {
    dual: { g, epsilon },
    fit: { seconds: fitSeconds, examples: n, converged: fitConverged === true },
  };
}
