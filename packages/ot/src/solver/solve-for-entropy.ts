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
  /**
   * True when the solve converged at the search's `threshold` (both exact marginal errors below
   * it): only such a solve can be the answer. A loose step (see `threshold`) usually has `false`.
   */
  readonly converged: boolean;
  /**
   * The threshold this solve ran to: the search's `threshold`, or the loose threshold of an
   * exploratory step (`min(10 threshold, max(threshold, 1e-2))`), whose E only steers the search.
   */
  readonly threshold: number;
}

/** The whole cost of an entropy search. */
export interface EntropySearchTotals {
  /** Solves run (loose and full), `steps.length`. */
  readonly solves: number;
  /** Sinkhorn iterations over all solves (loose ones included): the sum over `steps`. */
  readonly iterations: number;
  /** Of `solves`, those run to the loose threshold (exploratory steps far from the target). */
  readonly looseSolves: number;
  /** Of `iterations`, those of the loose solves. */
  readonly looseIterations: number;
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
 * The slope `d log E / d log r` (r the relative epsilon) assumed for the second step, before two
 * solves have measured it. `log E` is close to linear in `log r` over the useful range, with a
 * slope that grows with E: `0.6 + 0.7 E` at the mean of the first solve's E and the target fits
 * the benchmark problems (about 0.65 between E = 0.2 and 0.05, 0.9 between 0.15 and 0.6; Gaussian
 * clouds and the piecewise-affine map, d = 16 and 64, `bench/entropy-search.bench.mjs`).
 */
function firstSlope(entropy: number, target: number): number {
  const slope = 0.6 + 0.35 * (entropy + target);
  return Number.isFinite(slope) ? Math.min(MAX_LOG_SLOPE, Math.max(MIN_LOG_SLOPE, slope)) : 1;
}

/** Measured slopes are clamped to this range (a float32 E is noisy; E is monotone in epsilon). */
const MIN_LOG_SLOPE = 0.1;
const MAX_LOG_SLOPE = 4;
/** One step moves `log r` by at most `log 16` (the old bracket moved by `log 4`, one solve each). */
const MAX_LOG_STEP = Math.log(16);
/** A step when nothing has converged yet: epsilon times 4 (a larger epsilon converges faster). */
const UNCONVERGED_LOG_STEP = Math.log(4);
/** `log E` of a coupling with E <= 0 (a permutation at a tiny epsilon) is taken as `log 1e-12`. */
const MIN_ENTROPY = 1e-12;

/** A solve of the search, as the step rule sees it. */
interface SearchPoint {
  /** `log(relative epsilon)`. */
  readonly x: number;
  /** `log E - log target`; undefined when the solve did not converge at its threshold. */
  readonly gap: number | undefined;
  /** True for a solve to the search's full threshold. */
  readonly full: boolean;
}

/**
 * The loose threshold of the exploratory solves: 10x the search's threshold, but not looser than
 * 1e-2 (nor tighter than the threshold itself). At a marginal error of 1e-2 E is within about
 * 1e-3 of its converged value on the benchmark problems, well inside the default tolerance 0.005.
 */
export function looseSearchThreshold(threshold: number): number {
  return Math.min(10 * threshold, Math.max(threshold, 1e-2));
}

/**
 * @internal Finds the relative epsilon whose coupling has renormalized entropy `target`
 * [klein2025]. E grows monotonically with epsilon (from 0 for the OT permutation to 1 for the
 * independent coupling), and `log E` is close to linear in `log r` (r the relative epsilon), so
 * the search is a safeguarded secant method on `(log r, log E - log target)`:
 *
 * - the first solve is at `initialRelativeEpsilon`; the second steps to
 *   `log r1 = log r0 - (log E0 - log target) / s0` with `s0 = 0.6 + 0.35 (E0 + target)` (see
 *   `firstSlope`); later steps take the secant slope of the last two converged solves (clamped to
 *   `[0.1, 4]`); no step moves r by more than a factor 16;
 * - once the target is bracketed (a solve below, a converged solve above), a secant step outside
 *   the bracket is replaced by regula falsi on its ends, and a second step in a row that does not
 *   halve the smallest gap by bisection (the classic safeguards of a secant root finder);
 * - exploratory solves run to a loose threshold ({@link looseSearchThreshold}): only E matters
 *   there. The first loose solve within `tolerance` of the target is re-solved at the full
 *   threshold from its potentials (the paper's warm starts: the same epsilon, so few iterations),
 *   and from then on every solve is at the full threshold;
 * - every solve warm-starts from the potentials of the previous non-diverged one (potentials in
 *   units of cost, the usual epsilon-scaling warm start [cuturi2022ott]).
 *
 * A solve that did not converge (or diverged) counts as E below the target (epsilon too small) and
 * is never kept as the answer; a loose solve is an answer only if its exact marginal errors are
 * already below the full threshold. Targets outside the reachable range throw
 * {@link UnreachableEntropyError} before any solve.
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
    threshold,
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
  const points: SearchPoint[] = [];
  let best: SinkhornSolution | undefined;
  let lastUsable: SinkhornSolution | undefined;
  let last: SinkhornSolution | undefined;
  let iterations = 0;
  let looseSolves = 0;
  let looseIterations = 0;
  const logTarget = Math.log(targetEntropy);
  const distance = (solution: SinkhornSolution) =>
    Math.abs(solution.renormalizedEntropy - targetEntropy);
  /** One solve at `exp(x)` to `solveThreshold`; returns its point. */
  const evaluate = async (x: number, solveThreshold: number): Promise<SearchPoint> => {
    const solution = await solveWithSettings(
      problem,
      {
        ...settings,
        threshold: solveThreshold,
        epsilon: relativeEpsilon(Math.exp(x)),
        targetEntropy: null,
      },
      { initialPotentials: lastUsable, onProgress, signal },
      functionName,
    );
    const full = solveThreshold === threshold;
    iterations += solution.iterations;
    if (!full) {
      looseSolves += 1;
      looseIterations += solution.iterations;
    }
    last = solution;
    if (!solution.diverged) lastUsable = solution;
    // Converged at the search's own threshold: `solution.converged` for a full solve; for a loose
    // one, its exact float64 marginal errors (from the statistics pass) already below `threshold`.
    const convergedAtThreshold =
      solution.converged &&
      (full || (solution.marginalError < threshold && solution.rowMarginalError < threshold));
    steps.push({
      relativeEpsilon: solution.relativeEpsilon,
      renormalizedEntropy: solution.renormalizedEntropy,
      iterations: solution.iterations,
      converged: convergedAtThreshold,
      threshold: solveThreshold,
    });
    if (convergedAtThreshold) {
      if (best === undefined || distance(solution) < distance(best)) best = solution;
    }
    const point: SearchPoint = {
      x,
      gap: solution.converged
        ? Math.log(Math.max(solution.renormalizedEntropy, MIN_ENTROPY)) - logTarget
        : undefined,
      full,
    };
    points.push(point);
    return point;
  };
  const done = () => best !== undefined && distance(best) <= tolerance;
  const result = (): EntropySolveResult => {
    // Every solve ran at least once, so `last` is set; it is kept only when all diverged. A
    // fallback did not converge at the search's threshold, even if it was a loose solve that
    // converged at its own: it says `converged: false`.
    const fallback = (lastUsable ?? last) as SinkhornSolution;
    return {
      solution: best ?? (fallback.converged ? { ...fallback, converged: false } : fallback),
      reached: done(),
      targetEntropy,
      range: { min: range.min.value, max: range.max.value },
      steps,
      search: {
        solves: steps.length,
        iterations,
        looseSolves,
        looseIterations,
        seconds: (performance.now() - started) / 1000,
      },
    };
  };

  // Secant steps in a row that did not halve the smallest |gap| so far: the second such stall
  // inside a bracket gets a bisection step instead, so a bracket keeps shrinking geometrically.
  let stalls = 0;
  /** The next `log r`: a clamped secant step, safeguarded by the bracket (see the TSDoc above). */
  const propose = (fullPhase: boolean): number => {
    // Bracket from the points the current phase trusts: in the full phase only full solves (a
    // loose E can sit on the wrong side of the target by its error); a solve that did not
    // converge is an end below at either threshold (a full one would not converge either).
    let low: SearchPoint | undefined;
    let high: SearchPoint | undefined;
    for (const point of points) {
      const below = point.gap === undefined || point.gap < 0;
      if (below && (point.full || !fullPhase || point.gap === undefined)) {
        if (low === undefined || point.x >= low.x) low = point;
      } else if (!below && (point.full || !fullPhase)) {
        if (high === undefined || point.x <= high.x) high = point;
      }
    }
    const bracketed = low !== undefined && high !== undefined && low.x < high.x;
    // The secant through the latest converged point and the latest other converged point.
    const converged = points.filter((point) => point.gap !== undefined);
    const latest = converged.at(-1);
    let candidate: number;
    if (latest === undefined) {
      // Nothing converged: a larger epsilon (faster to converge, and E is below the target).
      candidate = (points.at(-1) as SearchPoint).x + UNCONVERGED_LOG_STEP;
    } else {
      const other = converged.findLast((point) => Math.abs(point.x - latest.x) > 1e-9);
      let slope = firstSlope(Math.exp((latest.gap as number) + logTarget), targetEntropy);
      if (other !== undefined) {
        const measured = ((latest.gap as number) - (other.gap as number)) / (latest.x - other.x);
        slope = Number.isFinite(measured)
          ? Math.min(MAX_LOG_SLOPE, Math.max(MIN_LOG_SLOPE, measured))
          : slope;
      }
      const move = -(latest.gap as number) / slope;
      candidate = latest.x + Math.max(-MAX_LOG_STEP, Math.min(MAX_LOG_STEP, move));
    }
    if (!bracketed) return candidate;
    const lowX = (low as SearchPoint).x;
    const highX = (high as SearchPoint).x;
    const width = highX - lowX;
    const margin = 0.01 * width;
    const earlier = converged.slice(0, -1).map((point) => Math.abs(point.gap as number));
    const progress =
      latest === undefined ||
      earlier.length === 0 ||
      Math.abs(latest.gap as number) <= 0.5 * Math.min(...earlier);
    stalls = progress ? 0 : stalls + 1;
    if (stalls >= 2) {
      // Two secant steps in a row without halving the gap: bisect the bracket once.
      stalls = 0;
      return 0.5 * (lowX + highX);
    }
    if (candidate > lowX + margin && candidate < highX - margin) return candidate;
    // The secant left the bracket: regula falsi on its ends, or bisection when the low end has no
    // E (it did not converge) or the regula falsi point sits on an end.
    const lowGap = (low as SearchPoint).gap;
    const highGap = (high as SearchPoint).gap as number;
    if (lowGap === undefined) return 0.5 * (lowX + highX);
    const point = (lowX * highGap - highX * lowGap) / (highGap - lowGap);
    return point > lowX + margin && point < highX - margin ? point : 0.5 * (lowX + highX);
  };

  const loose = looseSearchThreshold(threshold);
  let fullPhase = !(loose > threshold);
  let x = Math.log(initialRelativeEpsilon);
  while (steps.length < maxSolves) {
    // The last solve allowed is at the full threshold: only such a solve can be the answer.
    const lastAllowed = steps.length === maxSolves - 1;
    const point = await evaluate(x, fullPhase || lastAllowed ? threshold : loose);
    if (done()) break;
    if (
      !fullPhase &&
      point.gap !== undefined &&
      Math.abs(Math.exp(point.gap + logTarget) - targetEntropy) <= tolerance
    ) {
      // Close enough on a loose solve: the same epsilon at the full threshold, from its potentials.
      fullPhase = true;
      continue;
    }
    x = propose(fullPhase);
  }
  return result();
}
