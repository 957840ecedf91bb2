import { InvalidArgumentError, requireInteger, requirePositiveNumber } from '@sinkflow/core';
import {
  epsilonScheduleSteps,
  finalEpsilon,
  relativeEpsilon,
  resolveEpsilon,
} from '@sinkflow/entropy';
import { summarizeCoupling } from '../problem/coupling-summary.js';
import {
  expandPotentials,
  type PreparedProblem,
  reducePotentials,
} from '../problem/prepared-problem.js';
import { runSinkhornLoop } from './sinkhorn-loop.js';
import type { SinkhornSolveOptions } from './sinkhorn-options.js';
import type { SinkhornSolution } from './sinkhorn-solution.js';

/**
 * @internal Solves entropic OT on a prepared problem: resolves epsilon against `std(C)`, runs
 * the log-domain loop on reduced potentials, then one statistics pass for the output.
 */
export async function solvePrepared(
  problem: PreparedProblem,
  options: SinkhornSolveOptions,
  functionName: string,
): Promise<SinkhornSolution> {
  const started = performance.now();
  const {
    epsilon = relativeEpsilon(0.05),
    threshold = 1e-3,
    maxIterations = 50_000,
    innerIterations = 10,
    momentumStart = 2000,
    initialPotentials,
    onProgress,
    signal,
  } = options;
  requirePositiveNumber(threshold, { functionName, argumentName: 'threshold' });
  requireInteger(maxIterations, { functionName, argumentName: 'maxIterations', minimum: 0 });
  requireInteger(innerIterations, { functionName, argumentName: 'innerIterations', minimum: 1 });
  if (
    !(
      momentumStart === Number.POSITIVE_INFINITY ||
      (Number.isSafeInteger(momentumStart) && momentumStart >= 0)
    )
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'momentumStart',
      message: 'must be a non-negative integer or Infinity',
      value: momentumStart,
    });
  }
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
    typeof epsilon === 'object' &&
    epsilon !== null &&
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
  const loop = await runSinkhornLoop({
    kernel,
    logA,
    logB,
    b: geometry.b,
    epsilonAt: (step) =>
      step >= scheduleSteps ? target : resolveEpsilon(epsilon, { costStd, step }),
    scheduleSteps,
    f: reduced.f,
    g: reduced.g,
    threshold,
    maxIterations,
    innerIterations,
    momentumStart,
    onProgress,
    signal,
    expandPotentials: (reducedF, reducedG) => expandPotentials(problem, reducedF, reducedG),
  });
  const statistics = await kernel.statistics({
    rowPotentials: reduced.f,
    columnPotentials: reduced.g,
    epsilon: target,
  });
  const summary = summarizeCoupling({
    geometry,
    statistics,
    reducedF: reduced.f,
    reducedG: reduced.g,
    epsilon: target,
  });
  const { f, g } = expandPotentials(problem, reduced.f, reduced.g);
  return {
    ...summary,
    f,
    g,
    epsilon: target,
    relativeEpsilon: target / costStd,
    costStd,
    cost: geometry.cost,
    iterations: loop.iterations,
    errors: loop.errors,
    converged: loop.converged,
    diverged: loop.diverged || !Number.isFinite(summary.marginalError),
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
