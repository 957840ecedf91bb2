import { InvalidArgumentError } from '@sinkflow/core';
import { epsilonScheduleSteps, finalEpsilon, resolveEpsilon } from '@sinkflow/entropy';
import { summarizeCoupling } from '../problem/coupling-summary.js';
import {
  expandPotentials,
  type PreparedProblem,
  reducePotentials,
} from '../problem/prepared-problem.js';
import { SINKHORN_DEFAULTS } from '../settings/sinkhorn-settings.js';
import {
  type ValidatedSinkhornSettings,
  validateSinkhornSettings,
} from '../settings/validate-sinkhorn-settings.js';
import { runSinkhornLoop, type SinkhornProgress } from './sinkhorn-loop.js';
import type { SinkhornSolveOptions } from './sinkhorn-options.js';
import type { SinkhornSolution } from './sinkhorn-solution.js';

/** How many times a solve whose loop estimate passed, but whose exact error did not, iterates on. */
const MAX_POLISH_ROUNDS = 3;

/** A potential is usable unless NaN or +Infinity (-Infinity is the potential of zero mass). */
const notNaNOrPlusInfinity = (value: number): boolean =>
  !Number.isNaN(value) && value !== Number.POSITIVE_INFINITY;

/**
 * @internal Solves entropic OT on a prepared problem: validates the settings (once, here, where
 * they enter ot), then {@link solveWithSettings}.
 */
export async function solvePrepared(
  problem: PreparedProblem,
  options: SinkhornSolveOptions,
  functionName: string,
): Promise<SinkhornSolution> {
  const { epsilon, threshold, maxIterations, innerIterations, momentumStart } = options;
  const settings = validateSinkhornSettings(
    { epsilon, threshold, maxIterations, innerIterations, momentumStart },
    functionName,
  );
  return solveWithSettings(problem, settings, options, functionName);
}

/** The per-call parts of a solve (not settings). @internal */
export type SolveExtras = Pick<SinkhornSolveOptions, 'initialPotentials' | 'onProgress' | 'signal'>;

/**
 * @internal Solves on validated settings: resolves epsilon against `std(C)` once (a schedule's
 * values are computed before the loop, never per iteration), runs the log-domain loop on reduced
 * potentials, then one statistics pass for the output.
 */
export async function solveWithSettings(
  problem: PreparedProblem,
  settings: ValidatedSinkhornSettings,
  { initialPotentials, onProgress, signal }: SolveExtras,
  functionName: string,
): Promise<SinkhornSolution> {
  const started = performance.now();
  const { threshold, maxIterations, innerIterations, momentumStart } = settings;
  const epsilon = settings.epsilon ?? SINKHORN_DEFAULTS.epsilon;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'onProgress',
      message: 'must be a function',
      value: onProgress,
    });
  }
  signal?.throwIfAborted();
  const { geometry, kernel } = problem;
  const costStd = geometry.costStd;
  if (
    !(costStd > 0) &&
    (epsilon.kind === 'relative' || (epsilon.kind === 'schedule' && epsilon.relative))
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'epsilon',
      message:
        'a relative epsilon needs std(C) > 0, but the cost is constant on these clouds; pass an absolute epsilon',
      value: costStd,
    });
  }
  const target = finalEpsilon(epsilon, { costStd });
  const scheduleSteps = epsilonScheduleSteps(epsilon);
  // The schedule's absolute epsilons, resolved once: the loop only reads them.
  const schedule = Float64Array.from({ length: scheduleSteps }, (_, step) =>
    resolveEpsilon(epsilon, { costStd, step }),
  );
  const reduced =
    initialPotentials === undefined
      ? { f: new Float64Array(geometry.n), g: new Float64Array(geometry.m) }
      : reducePotentials(
          problem,
          { ...initialPotentials, epsilon: target },
          functionName,
          'initialPotentials',
        );
  const logA = geometry.a.map(Math.log);
  const logB = geometry.b.map(Math.log);
  // A kept kernel coarser than float32 (dense16: entries within 2^-11, so each marginal off by at
  // most about 2^-12 on average) shifts the loop's error estimate: the loop stops that much earlier,
  // every pass is exact below twice the entry precision, and polishing always is.
  const entryPrecision = kernel.entryPrecision ?? 0;
  const exact = threshold < 2 * entryPrecision;
  const loopInput = {
    kernel,
    exact,
    logA,
    logB,
    b: geometry.b,
    epsilonAt: (step: number) => (step >= scheduleSteps ? target : (schedule[step] as number)),
    scheduleSteps,
    f: reduced.f,
    g: reduced.g,
    threshold: exact ? threshold : threshold - entryPrecision / 2,
    maxIterations,
    innerIterations,
    momentumStart,
    onProgress,
    signal,
    expandPotentials: (reducedF: Float64Array, reducedG: Float64Array) =>
      expandPotentials(problem, reducedF, reducedG),
  };
  const loop = await runSinkhornLoop(loopInput);
  let { iterations, converged } = loop;
  const errors = [...loop.errors];
  const summarize = async () =>
    summarizeCoupling({
      geometry,
      statistics: await kernel.statistics({
        rowPotentials: reduced.f,
        columnPotentials: reduced.g,
        epsilon: target,
      }),
      reducedF: reduced.f,
      reducedG: reduced.g,
      epsilon: target,
    });
  let summary = await summarize();
  // `converged` is decided by both marginal errors recomputed in float64 by the statistics pass,
  // not by the loop's running estimate (float32 kernels can stop a hair early): when they
  // disagree, iterate on (no momentum) with the loop's threshold scaled down, a few times at most.
  for (let polish = 0; polish < MAX_POLISH_ROUNDS && converged; polish += 1) {
    const exactError = Math.max(summary.marginalError, summary.rowMarginalError);
    if (exactError < threshold || !Number.isFinite(exactError) || iterations >= maxIterations)
      break;
    const more = await runSinkhornLoop({
      ...loopInput,
      epsilonAt: () => target,
      scheduleSteps: 0,
      threshold: threshold * Math.min(0.5, threshold / exactError),
      maxIterations: maxIterations - iterations,
      momentumStart: Number.POSITIVE_INFINITY,
      exact: entryPrecision > 0,
      // At least one plain iteration: the row error (left by a relaxed f update) needs one.
      minimumIterations: 1,
      onProgress:
        onProgress === undefined
          ? undefined
          : (progress: SinkhornProgress) =>
              onProgress({ ...progress, iteration: progress.iteration + iterations }),
    });
    iterations += more.iterations;
    errors.push(...more.errors);
    converged = more.converged;
    summary = await summarize();
  }
  const exactlyConverged =
    converged && summary.marginalError < threshold && summary.rowMarginalError < threshold;
  const finitePotentials =
    reduced.f.every(notNaNOrPlusInfinity) && reduced.g.every(notNaNOrPlusInfinity);
  const diverged =
    loop.diverged ||
    !finitePotentials ||
    !Number.isFinite(summary.marginalError) ||
    !Number.isFinite(summary.rowMarginalError);
  const { f, g } = expandPotentials(problem, reduced.f, reduced.g);
  return {
    ...summary,
    f,
    g,
    epsilon: target,
    relativeEpsilon: target / costStd,
    costStd,
    cost: geometry.cost,
    iterations,
    errors,
    converged: exactlyConverged && !diverged,
    diverged,
    momentum: loop.momentum,
    seconds: (performance.now() - started) / 1000,
    backend: problem.backendName,
    mode: problem.mode,
    n: geometry.n,
    m: geometry.m,
    d: geometry.d,
    pca:
      geometry.pca === undefined
        ? null
        : {
            components: geometry.pca.components,
            explainedVarianceRatio: geometry.pca.explainedVarianceRatio,
          },
  };
}
