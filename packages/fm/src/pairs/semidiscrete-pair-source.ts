import {
  createRandomGenerator,
  InvalidArgumentError,
  type PointCloud,
  requireInteger,
} from '@sinkflow/core';
import type { Epsilon } from '@sinkflow/entropy';
import {
  cloudsMean,
  createPartnerSampler,
  type PartnerSampler,
  type PrincipalComponents,
  principalComponents,
  projectOnComponents,
  type SemidiscreteCost,
  type SemidiscreteProgress,
  type SemidiscreteSolution,
  type SemidiscreteState,
  type SolveSemidiscreteOptions,
  solveSemidiscrete,
  validateSemidiscreteState,
} from '@sinkflow/ot';
import type { DistributionSampler } from '../data/distribution-sampler.js';
import { drawPoints, requireSampler, streamSeed } from '../data/draw-points.js';
import { createStreamPairSource } from '../internal/stream-pair-source.js';
import type { PairSource, PairSourceState, SemidiscreteFitReport } from './pair-source.js';
import {
  DualRefinementLog,
  refinementCheckpoint,
  restoredRefinement,
} from './semidiscrete-refinement.js';

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
  | 'initialState'
>;

/**
 * A dual fitted elsewhere (`sinkflow semidiscrete`, an earlier run): `g` over the N points (on the
 * same principal components when `pcaComponents` is set) and its absolute epsilon.
 */
export interface SemidiscreteDual {
  readonly g: Float64Array;
  readonly epsilon: number;
  /** What its fit reached, to report (unknown fields are null when absent). */
  readonly fit?: Partial<SemidiscreteFitReport>;
  /** The fit's final state (`solution.state`): needed to refine the dual (`refineDual`). */
  readonly state?: SemidiscreteState;
}

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
  /**
   * 0 for the hard problem (Laguerre cells), else the entropic one (absolute or relative); not
   * with `dual`, which carries its own. @default 0
   */
  readonly epsilon?: Epsilon | 0;
  /**
   * Score on the k leading principal components of the data (centred at its mean): the cost is
   * computed on `W (x - m)` and `W (y - m)` [klein2025, Sec. 4], the pairs keep the full points.
   * @default undefined (the full dimension)
   */
  readonly pcaComponents?: number;
  /** The fit of the dual (threshold on the chi-square marginal error, steps, batch, a state to resume). */
  readonly fit?: SemidiscreteFitOptions;
  /** A dual fitted before: no fit in `start()`. */
  readonly dual?: SemidiscreteDual;
  /**
   * Go on fitting the dual during training: every chunk's noise also takes one step of the fit
   * (`refine` of `createPartnerSampler`: the solver's own Adam step, with the fit's `learningRate`
   * and `averageDecay`; one more score pass per chunk), so the coupling keeps converging on the
   * noise the flow trains on [mousavi2025semidiscrete]. Needs the fit's state: the source's own
   * fit, a checkpoint of a refining source, or `dual.state`. Checkpoints keep the refined state.
   * @default false
   */
  readonly refineDual?: boolean;
  /** Pairs per chunk of the stream (fresh noise each). @default 2048 */
  readonly samplesPerChunk?: number;
  /**
   * Root seed: the fit uses the stream `split(0)`, chunk `k` its noise from `split(2k + 1)` and
   * its Gumbel noise from `split(2k + 2)`. @default 0
   */
  readonly seed?: number;
  /**
   * Called after each evaluation of the fit (its chi-square marginal error); `checkpoint()` gives
   * a state to save and pass back as `fit.initialState` after an interruption.
   */
  readonly onFitProgress?: (progress: SemidiscreteProgress) => void;
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
 * their size grows [klein2025]. The fit happens in `start()` unless `dual` is given (its seconds
 * are the source's OT seconds; `otSecondsPerExample` divides them by N; what it reached is
 * `statistics().semidiscreteFit`); checkpoints keep `g` (`state.arrays.g`) so a resume does not
 * fit again. With `pcaComponents: k` the cost is computed on the data's k leading principal
 * components (the paper's PCA acceleration [klein2025]; `C(x, y) = -<W(x - m), W(y - m)>`), which
 * makes the score pass d / k times cheaper.
 *
 * @throws {@link InvalidArgumentError} naming the option (a sampler of another dimension than the
 * data, a bad `samplesPerChunk`, `seed`, `pcaComponents` or `dual`, an asynchronous sampler for
 * the fit).
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
  epsilon: epsilonOption,
  pcaComponents,
  fit = {},
  dual: givenDual,
  refineDual = false,
  samplesPerChunk = 2048,
  seed = 0,
  onFitProgress,
}: SemidiscretePairSourceOptions): PairSource {
  const functionName = 'createSemidiscretePairSource';
  const { d } = requireSampler(source, { functionName, argumentName: 'source' });
  const epsilonGiven = epsilonOption !== undefined;
  const epsilon = epsilonOption ?? 0;
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
  if (pcaComponents !== undefined) {
    requireInteger(pcaComponents, {
      functionName,
      argumentName: 'pcaComponents',
      minimum: 1,
      maximum: d,
    });
  }
  const root = createRandomGenerator({ seed });
  const n = givenData?.n ?? (dataSize as number);
  if (givenDual !== undefined) {
    requireDual(givenDual, n, functionName, 'dual');
    const fitted = givenDual.fit?.pcaComponents;
    if (fitted !== undefined && fitted !== null && fitted !== (pcaComponents ?? null)) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'dual.fit.pcaComponents',
        message: `the dual was fitted on ${fitted} principal components, the source scores on ${pcaComponents ?? 'the full dimension'}`,
        value: fitted,
      });
    }
    // The dual carries its epsilon; an explicit one could only disagree (0 with a hard dual is fine).
    if (epsilonGiven && !(epsilon === 0 && givenDual.epsilon === 0)) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'epsilon',
        message: `does not apply with dual (fitted at epsilon ${givenDual.epsilon}): leave it out`,
        value: epsilon,
      });
    }
  }
  if (typeof refineDual !== 'boolean') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'refineDual',
      message: 'must be a boolean',
      value: refineDual,
    });
  }
  if (refineDual && givenDual !== undefined && givenDual.state === undefined) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'refineDual',
      message: "needs the fit's state to go on with it: give dual.state (solution.state)",
    });
  }
  if (refineDual && givenDual?.state !== undefined) {
    validateSemidiscreteState(givenDual.state, givenDual.g.length, functionName, 'dual.state');
  }
  if (
    refineDual &&
    givenDual?.state !== undefined &&
    !givenDual.state.gAverage.every((value, j) => value === givenDual.g[j])
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'dual.state',
      message:
        'is not the state of dual.g (its gAverage must be g: pass solution.g and solution.state)',
    });
  }
  let data: PointCloud | undefined = givenData;
  // The cloud the cost sees: the data, or its principal components (computed once).
  let scored: { readonly cloud: PointCloud; readonly projection: Projection | null } | null = null;
  let dual: { readonly g: Float64Array; readonly epsilon: number } | null = null;
  let fitReport: SemidiscreteFitReport | null = null;
  // The points and the dual, loaded once into the score kernel's memory (wasm, threads).
  let sampler: PartnerSampler | null = null;
  // refineDual: the fit's state before training, the refined states of the chunks prepared, the
  // statistics to report the refined steps to, and a count of starts (a chunk prepared for an
  // earlier start must not step the dual of this one).
  let fitState: SemidiscreteState | null = null;
  let refineFrom = 0;
  let refinement: DualRefinementLog | null = null;
  let refinedStatistics: { updateFit(report: SemidiscreteFitReport): void } | null = null;
  let starts = 0;
  /** The fit's report, with the steps refined once the fit's step count is `step`. */
  const refinedReport = (step: number): SemidiscreteFitReport => {
    const report = fitReport as SemidiscreteFitReport;
    return { ...report, refinedSteps: step - refineFrom };
  };

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
    const projection = scored?.projection ?? null;
    return projection === null ? points : project(points, count, projection);
  };

  /**
   * Refines from `state` on (the dual it holds pairs the first chunk); `from` is the fit's step
   * when training began, so `state.step - from` steps were refined.
   */
  const startRefinement = (state: SemidiscreteState, from = state.step): void => {
    fitState ??= state;
    refineFrom = from;
    dual = { g: Float64Array.from(state.gAverage), epsilon: state.epsilon };
    if (refinement === null) refinement = new DualRefinementLog(state);
    else refinement.reset(state);
    refinedStatistics?.updateFit(refinedReport(state.step));
  };

  return createStreamPairSource({
    kind: 'semidiscrete',
    d,
    functionName,
    prefetch: 1,
    async prepare(state, statistics) {
      statistics.execution = 'main-thread';
      starts += 1;
      refinedStatistics = statistics;
      if (refineDual) {
        // The sampler holds the refined dual of the last run: start from the state restored below.
        await sampler?.dispose();
        sampler = null;
      }
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
      scored ??= scoredCloud(data, pcaComponents);
      const saved =
        state === undefined
          ? null
          : savedDual(state, { n, cost, pcaComponents: pcaComponents ?? 0 }, functionName);
      if (saved !== null) {
        await sampler?.dispose();
        sampler = null;
        dual = saved.dual;
        fitReport = saved.fit;
        statistics.addFit(fitReport);
        if (refineDual) {
          const restored = restoredRefinement(
            state as PairSourceState,
            saved.dual,
            `${functionName}.start`,
          );
          if (restored === null) {
            throw new InvalidArgumentError({
              functionName: `${functionName}.start`,
              argumentName: 'refineDual',
              message: 'the checkpoint was saved by a source that did not refine its dual',
            });
          }
          startRefinement(restored.state, restored.from);
        }
        return;
      }
      if (dual !== null && fitReport !== null) {
        // A new start without a checkpoint: the fitted dual again, unrefined.
        statistics.addFit(fitReport);
        if (refineDual) startRefinement(fitState as SemidiscreteState);
        return;
      }
      const components = {
        pcaComponents: pcaComponents ?? null,
        explainedVarianceRatio: scored.projection?.pca.explainedVarianceRatio ?? null,
      };
      if (givenDual !== undefined) {
        dual = { g: givenDual.g, epsilon: givenDual.epsilon };
        const facts = givenDual.fit ?? {};
        fitReport = {
          n,
          steps: facts.steps ?? 0,
          marginalError: facts.marginalError ?? null,
          marginalErrorStandardError: facts.marginalErrorStandardError ?? null,
          threshold: facts.threshold ?? null,
          // Unknown unless said, or unless the error is known to be below the threshold.
          converged:
            facts.converged ??
            (facts.marginalError != null &&
              facts.threshold != null &&
              facts.marginalError <= facts.threshold),
          seconds: facts.seconds ?? 0,
          epsilon: givenDual.epsilon,
          ...components,
          origin: 'given',
        };
        statistics.addFit(fitReport);
        if (refineDual) startRefinement(givenDual.state as SemidiscreteState);
        return;
      }
      const solution: SemidiscreteSolution = await solveSemidiscrete({
        y: scored.cloud,
        source: fitSource,
        cost,
        epsilon,
        seed: streamSeed(root.split(0)),
        ...fit,
        ...(onFitProgress === undefined ? {} : { onProgress: onFitProgress }),
      });
      dual = { g: solution.g, epsilon: solution.epsilon };
      fitReport = {
        n,
        steps: solution.steps,
        marginalError: solution.marginalError,
        marginalErrorStandardError: solution.marginalErrorStandardError,
        threshold: solution.threshold,
        converged: solution.converged,
        seconds: solution.seconds,
        epsilon: solution.epsilon,
        ...components,
        origin: 'fit',
      };
      statistics.addFit(fitReport);
      if (refineDual) startRefinement(solution.state);
    },
    async submit(index) {
      const start = starts;
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
      const { cloud, projection } = scored as NonNullable<typeof scored>;
      // A chunk prepared for an earlier start (a restart while it waited) must neither step nor
      // install the dual of this one.
      const stale = () => start !== starts;
      if (sampler === null) {
        const created = await createPartnerSampler({
          y: cloud,
          g: kept.g,
          cost,
          epsilon: kept.epsilon,
          capacity: samplesPerChunk,
          ...(refinement === null
            ? {}
            : {
                refine: {
                  state: refinement.current(null),
                  learningRate: fit.learningRate,
                  averageDecay: fit.averageDecay,
                },
              }),
        });
        if (stale()) await created.dispose();
        else sampler = created;
      }
      if (stale() || sampler === null) throw new Error('a chunk of an earlier start');
      const before = refinement?.beforeChunk(index, sampler);
      const x = projection === null ? x0 : project(x0, samplesPerChunk, projection);
      const { indices } = sampler.sample({
        x: { data: x, n: samplesPerChunk, d: cloud.d },
        seed: streamSeed(root.split(2 * index + 2)),
      });
      const x1 = new Float32Array(samplesPerChunk * d);
      for (let k = 0; k < samplesPerChunk; k += 1) {
        const j = indices[k] as number;
        for (let c = 0; c < d; c += 1) x1[k * d + c] = points.data[j * d + c] as number;
      }
      const samplingSeconds = (performance.now() - started) / 1000;
      // The chunk took one step of the fit (no second copy of the sampler's state to count it).
      if (before !== undefined) refinedStatistics?.updateFit(refinedReport(before.step + 1));
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
    entered(index) {
      refinement?.entered(index);
    },
    saveExtra({ chunk }) {
      const kept = dual as { readonly g: Float64Array; readonly epsilon: number };
      const report = fitReport as SemidiscreteFitReport;
      const base = {
        epsilon: kept.epsilon,
        fitSeconds: report.seconds,
        fitConverged: report.converged,
        fit: JSON.stringify(report),
        cost,
        pcaComponents: pcaComponents ?? 0,
      };
      if (refinement === null) return { extra: base, arrays: { g: kept.g } };
      // The dual the chunk at the position was paired with, and the fit's state then.
      const refined = refinement.stateAt(chunk, sampler);
      const saved = refinementCheckpoint(refined, refineFrom);
      return {
        extra: { ...base, ...saved.extra },
        arrays: { g: Float64Array.from(refined.gAverage), ...saved.arrays },
      };
    },
    async dispose() {
      dual = null;
      await sampler?.dispose();
      sampler = null;
    },
  });
}

/** The data mean and the principal components the cost is computed on. */
interface Projection {
  readonly mean: Float64Array;
  readonly pca: PrincipalComponents;
}

/** The data as the cost sees it: itself, or its coordinates on `k` principal components. */
function scoredCloud(
  data: PointCloud,
  k: number | undefined,
): { readonly cloud: PointCloud; readonly projection: Projection | null } {
  if (k === undefined) return { cloud: data, projection: null };
  const { n } = data;
  const mean = cloudsMean([data]);
  const pca = principalComponents([data], mean, k);
  const reduced = projectOnComponents(data.data, n, mean, pca);
  return {
    cloud: {
      data: reduced,
      n,
      d: k,
      ...(data.weights === undefined ? {} : { weights: data.weights }),
    },
    projection: { mean, pca },
  };
}

/** `W (x - m)` for the rows of a sample of the source. */
function project(points: Float32Array, count: number, { mean, pca }: Projection): Float32Array {
  return projectOnComponents(points, count, mean, pca);
}

/** Checks a dual over N points: a finite `g` of length N and an epsilon >= 0. */
function requireDual(
  dual: { readonly g: unknown; readonly epsilon: unknown },
  n: number,
  functionName: string,
  argumentName: string,
): void {
  const { g, epsilon } = dual ?? {};
  if (!(g instanceof Float64Array) || g.length !== n || !g.every(Number.isFinite)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}.g`,
      message: `must be the fitted dual (finite Float64Array of length ${n})`,
    });
  }
  if (typeof epsilon !== 'number' || !(epsilon >= 0) || !Number.isFinite(epsilon)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}.epsilon`,
      message: 'must be the absolute epsilon of the fit (>= 0)',
      value: epsilon,
    });
  }
}

/** The dual kept in a checkpoint: `arrays.g` (length N), `extra.epsilon` and the fit's report. */
function savedDual(
  state: PairSourceState,
  expected: {
    readonly n: number;
    readonly cost: SemidiscreteCost;
    /** 0: the full dimension. */
    readonly pcaComponents: number;
  },
  functionName: string,
): {
  readonly dual: { readonly g: Float64Array; readonly epsilon: number };
  readonly fit: SemidiscreteFitReport;
} {
  const { n } = expected;
  const { g } = state.arrays;
  const { epsilon, fitSeconds, fitConverged, fit } = state.extra;
  requireDual({ g, epsilon }, n, `${functionName}.start`, 'state.arrays');
  // A dual is only valid for the cost and components it was fitted with.
  for (const key of ['cost', 'pcaComponents'] as const) {
    const saved = state.extra[key];
    if (saved !== undefined && saved !== expected[key]) {
      throw new InvalidArgumentError({
        functionName: `${functionName}.start`,
        argumentName: `state.extra.${key}`,
        message: `the checkpoint's dual was fitted with ${key} ${JSON.stringify(saved)}, the source has ${JSON.stringify(expected[key])}`,
        value: saved,
      });
    }
  }
  if (typeof fitSeconds !== 'number' || !(fitSeconds >= 0)) {
    throw new InvalidArgumentError({
      functionName: `${functionName}.start`,
      argumentName: 'state.extra.fitSeconds',
      message: 'must be the seconds of the fit (>= 0)',
      value: fitSeconds,
    });
  }
  const report = parseFitReport(fit);
  return {
    dual: { g: g as Float64Array, epsilon: epsilon as number },
    fit: {
      n,
      steps: report.steps ?? 0,
      marginalError: report.marginalError ?? null,
      marginalErrorStandardError: report.marginalErrorStandardError ?? null,
      threshold: report.threshold ?? null,
      converged: fitConverged === true,
      seconds: fitSeconds,
      epsilon: epsilon as number,
      pcaComponents: report.pcaComponents ?? null,
      explainedVarianceRatio: report.explainedVarianceRatio ?? null,
      origin: 'checkpoint',
    },
  };
}

/** The numeric fields of a saved fit report (JSON text); anything else is dropped. */
function parseFitReport(text: unknown): Partial<Record<keyof SemidiscreteFitReport, number>> {
  if (typeof text !== 'string') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  const out: Partial<Record<keyof SemidiscreteFitReport, number>> = {};
  if (parsed === null || typeof parsed !== 'object') return out;
  for (const key of [
    'steps',
    'marginalError',
    'marginalErrorStandardError',
    'threshold',
    'pcaComponents',
    'explainedVarianceRatio',
  ] as const) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value === 'number' && Number.isFinite(value)) out[key] = value;
  }
  return out;
}
