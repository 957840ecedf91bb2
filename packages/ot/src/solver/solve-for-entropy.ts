import { InvalidArgumentError } from '@sinkflow/core';
import { relativeEpsilon } from '@sinkflow/entropy';
import type { PreparedProblem } from '../problem/prepared-problem.js';
import type { SinkhornSettings } from '../settings/sinkhorn-settings.js';
import { validateSinkhornSettings } from '../settings/validate-sinkhorn-settings.js';
import { reachableEntropyRange } from './reachable-entropy-range.js';
import type { SinkhornSolveOptions } from './sinkhorn-options.js';
import type { SinkhornSolution } from './sinkhorn-solution.js';
import { solveWithSettings } from './solve-prepared.js';
import { UnreachableEntropyError } from './unreachable-entropy-error.js';

/**
 * Options of an entropy-targeted solve: the target and the search (a `Pick` of
 * {@link SinkhornSettings}, defaults in `SINKHORN_DEFAULTS`), and the per-solve options.
 */
export interface SolveForEntropyOptions
  extends Omit<SinkhornSolveOptions, 'epsilon' | 'initialPotentials'>,
    Pick<SinkhornSettings, 'entropyTolerance' | 'initialRelativeEpsilon' | 'maxSolves'> {
  /** The renormalized entropy to reach, in (0, 1); the paper advises 0.1 to 0.2 [klein2025]. */
  readonly targetEntropy: number;
}

/** One solve of the search. */
export interface EntropySearchStep {
  readonly relativeEpsilon: number;
  readonly renormalizedEntropy: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** The whole cost of an entropy search. */
export interface EntropySearchTotals {
  /** Solves run. */
  readonly solves: number;
  /** Sinkhorn iterations over all solves. */
  readonly iterations: number;
  /** Wall-clock seconds of the whole search (every solve and its statistics pass). */
  readonly seconds: number;
}

/** The result of an entropy-targeted solve. */
export interface EntropySolveResult {
  /**
   * The converged solve whose E is closest to the target (the last one when `reached`). When no
   * solve converged, the last solve that did not diverge, with `converged: false` (and `reached`
   * false): a non-converged candidate is never preferred to a converged one.
   */
  readonly solution: SinkhornSolution;
  /** True when `solution` converged and `|E - target| <= tolerance`. */
  readonly reached: boolean;
  /** The target asked for. */
  readonly targetEntropy: number;
  /** The renormalized entropies couplings of this problem can have (see {@link UnreachableEntropyError}). */
  readonly range: { readonly min: number; readonly max: number };
  /** Every solve, in order. */
  readonly steps: readonly EntropySearchStep[];
  /** Solves, iterations and seconds of the whole search. */
  readonly search: EntropySearchTotals;
}

/**
 * @internal Finds the relative epsilon whose coupling has renormalized entropy `target`
 * [klein2025]: E grows monotonically with epsilon (from 0 for the OT permutation to 1 for the
 * independent coupling), so the search brackets `log(relative epsilon)` by factors of 4, then
 * refines by the Illinois variant of regula falsi on `(log r, E)`, warm-starting every solve from
 * the potentials of the previous one. A solve that did not converge (or diverged) counts as E below
 * the target (epsilon too small) and is never kept as the answer. Targets outside the reachable
 * range throw {@link UnreachableEntropyError} before any solve.
 */
export async function solveForEntropyPrepared(
  problem: PreparedProblem,
  options: SolveForEntropyOptions,
  functionName: string,
): Promise<EntropySolveResult> {
  const { onProgress, signal } = options;
  const settings = validateSinkhornSettings(
    {
      targetEntropy: options.targetEntropy,
      entropyTolerance: options.entropyTolerance,
      initialRelativeEpsilon: options.initialRelativeEpsilon,
      maxSolves: options.maxSolves,
      threshold: options.threshold,
      maxIterations: options.maxIterations,
      innerIterations: options.innerIterations,
      momentumStart: options.momentumStart,
    },
    functionName,
  );
  const {
    targetEntropy,
    entropyTolerance: tolerance,
    initialRelativeEpsilon,
    maxSolves,
  } = settings;
  if (targetEntropy === null) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'targetEntropy',
      message: 'must be a number in (0, 1)',
      value: options.targetEntropy,
    });
  }

  const started = performance.now();
  const range = reachableEntropyRange(problem);
  if (!(targetEntropy >= range.min.value && targetEntropy < range.max.value)) {
    const tooLow = targetEntropy < range.min.value;
    throw new UnreachableEntropyError({
      functionName,
      targetEntropy,
      range: { min: range.min.value, max: range.max.value },
      reason: tooLow ? range.min.reason : range.max.reason,
    });
  }

  const steps: EntropySearchStep[] = [];
  let best: SinkhornSolution | undefined;
  let lastUsable: SinkhornSolution | undefined;
  let last: SinkhornSolution | undefined;
  let iterations = 0;
  const distance = (solution: SinkhornSolution) =>
    Math.abs(solution.renormalizedEntropy - targetEntropy);
  const evaluate = async (logRelative: number): Promise<number> => {
    const solution = await solveWithSettings(
      problem,
      { ...settings, epsilon: relativeEpsilon(Math.exp(logRelative)), targetEntropy: null },
      { initialPotentials: lastUsable, onProgress, signal },
      functionName,
    );
    iterations += solution.iterations;
    last = solution;
    if (!solution.diverged) lastUsable = solution;
    steps.push({
      relativeEpsilon: solution.relativeEpsilon,
      renormalizedEntropy: solution.renormalizedEntropy,
      iterations: solution.iterations,
      converged: solution.converged,
    });
    if (!solution.converged) return -targetEntropy;
    if (best === undefined || distance(solution) < distance(best)) best = solution;
    return solution.renormalizedEntropy - targetEntropy;
  };
  const done = () => best !== undefined && distance(best) <= tolerance;
  const result = (): EntropySolveResult => {
    return {
      // Every solve ran at least once, so `last` is set; it is kept only when all diverged.
      solution: (best ?? lastUsable ?? last) as SinkhornSolution,
      reached: done(),
      targetEntropy,
      range: { min: range.min.value, max: range.max.value },
      steps,
      search: { solves: steps.length, iterations, seconds: (performance.now() - started) / 1000 },
    };
  };

  // Bracket: [low, high] in log relative epsilon with gap(low) < 0 < gap(high).
  let low = Math.log(initialRelativeEpsilon);
  let lowGap = await evaluate(low);
  let high = low;
  let highGap = lowGap;
  const step = Math.log(4);
  while (!done() && steps.length < maxSolves && (lowGap > 0 || highGap < 0)) {
    if (lowGap > 0) {
      high = low;
      highGap = lowGap;
      low -= step;
      lowGap = await evaluate(low);
    } else {
      low = high;
      lowGap = highGap;
      high += step;
      highGap = await evaluate(high);
    }
  }
  // Illinois regula falsi: halve the weight of an end point that is kept twice in a row.
  let side = 0;
  while (!done() && steps.length < maxSolves && lowGap < 0 && highGap > 0) {
    const point = (low * highGap - high * lowGap) / (highGap - lowGap);
    const gap = await evaluate(point);
    if (gap < 0) {
      low = point;
      lowGap = gap;
      if (side === -1) highGap /= 2;
      side = -1;
    } else {
      high = point;
      highGap = gap;
      if (side === 1) lowGap /= 2;
      side = 1;
    }
  }
  return result();
}
