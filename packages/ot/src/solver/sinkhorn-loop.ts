import type { PreparedKernel } from '../backend/sinkhorn-backend.js';
import { MomentumController, type MomentumReport } from './lehmann-momentum.js';

/** What the solver reports at every marginal-error check. */
export interface SinkhornProgress {
  /** Iterations done so far (one g update and one f update each). */
  readonly iteration: number;
  /** The L1 column-marginal error `||P^T 1 - b||_1` of the current potentials. */
  readonly error: number;
  /** The epsilon in use. */
  readonly epsilon: number;
  /** The momentum weight in use (1 before `momentumStart`). */
  readonly momentum: number;
  /**
   * Copies of the potentials (f, g) after `iteration` iterations, in the geometry's cost (O(n + m)
   * per call). A solve warm-started from them (`initialPotentials`, same epsilon, momentum not yet
   * started) repeats the remaining iterations exactly: this is how checkpoints are taken.
   */
  potentials(): { readonly f: Float64Array; readonly g: Float64Array };
}

/** @internal Inputs of the iteration loop, on reduced potentials (see `Geometry`). */
export interface SinkhornLoopInput {
  readonly kernel: PreparedKernel;
  readonly logA: Float64Array;
  readonly logB: Float64Array;
  readonly b: Float64Array;
  /** Epsilon at iteration k; constant from `scheduleSteps` on. */
  readonly epsilonAt: (iteration: number) => number;
  readonly scheduleSteps: number;
  /** Reduced potentials, updated in place. */
  readonly f: Float64Array;
  readonly g: Float64Array;
  readonly threshold: number;
  readonly maxIterations: number;
  readonly innerIterations: number;
  readonly momentumStart: number;
  /**
   * Ask the kernel for exact passes (bypassing a kept copy coarser than float32, see
   * `PreparedKernel.entryPrecision`). @default false
   */
  readonly exact?: boolean | undefined;
  /** No error check (hence no stop) before this iteration. @default 0 */
  readonly minimumIterations?: number | undefined;
  readonly onProgress?: ((progress: SinkhornProgress) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Maps reduced potentials to the geometry's (`f = f~ + u`) for progress reports. @default copies */
  readonly expandPotentials?:
    | ((f: Float64Array, g: Float64Array) => { f: Float64Array; g: Float64Array })
    | undefined;
}

/** @internal What the loop returns. */
export interface SinkhornLoopResult {
  readonly iterations: number;
  readonly errors: readonly number[];
  readonly converged: boolean;
  readonly diverged: boolean;
  readonly momentum: MomentumReport;
}

/**
 * Log-domain Sinkhorn iterations [cuturi2013; peyre2019, Sec. 4.4], g then f (Gauss-Seidel) as in
 * OTT-JAX [cuturi2022ott], on reduced potentials:
 *
 *   g~_j <- eps log b_j - eps LSE_i((f~_i + K_ij) / eps),
 *   f~_i <- eps log a_i - eps LSE_j((g~_j + K_ij) / eps),
 *
 * with Lehmann over-relaxation `new = (1 - w) old + w update` from `momentumStart` on
 * [lehmann2022] (w estimated once; abandoned, from the previous check's potentials, if the error
 * rises: see `MomentumController`). Every `innerIterations` iterations the column-marginal error of the current
 * potentials is read off the g update for free: after an f update,
 * `(P^T 1)_j = b_j exp((g~_j - g~new_j) / eps)`, so
 * `err = sum_j b_j |exp((g~_j - g~new_j) / eps) - 1|`. The loop stops, before applying that g
 * update, when `err < threshold` (only once an epsilon schedule has reached its target), when the
 * error is NaN or infinite after the first iteration (diverged), or after `maxIterations`.
 */
export async function runSinkhornLoop(input: SinkhornLoopInput): Promise<SinkhornLoopResult> {
  const {
    kernel,
    logA,
    logB,
    b,
    epsilonAt,
    scheduleSteps,
    f,
    g,
    threshold,
    maxIterations,
    innerIterations,
    momentumStart,
  } = input;
  const gUpdate = new Float64Array(g.length);
  const fUpdate = new Float64Array(f.length);
  const errors: number[] = [];
  const momentum = new MomentumController({ start: momentumStart, innerIterations });
  const exact = input.exact === true;
  const columnUpdate = async (epsilon: number) => {
    await kernel.logSumExp({ side: 'columns', offsets: f, epsilon, out: gUpdate, exact });
    for (let j = 0; j < g.length; j += 1)
      gUpdate[j] = epsilon * (logB[j] as number) - (gUpdate[j] as number);
  };
  // The error is meaningful once f~ was computed at the final epsilon (or is the initial state).
  const firstCheck = Math.max(
    scheduleSteps === 0 ? 0 : scheduleSteps + 1,
    input.minimumIterations ?? 0,
  );
  for (let iteration = 0; iteration < maxIterations; iteration += 1) {
    const epsilon = epsilonAt(iteration);
    await columnUpdate(epsilon);

    if (iteration % innerIterations === 0 && iteration >= firstCheck) {
      const error = columnMarginalError(b, g, gUpdate, epsilon);
      errors.push(error);
      const restored = momentum.check({ iteration, errors, f, g }) === 'restored';
      // Back at the previous check's potentials: their g update replaces the pending one.
      if (restored) await columnUpdate(epsilon);
      const expand = input.expandPotentials ?? ((fs, gs) => ({ f: fs.slice(), g: gs.slice() }));
      input.onProgress?.({
        iteration,
        error,
        epsilon,
        momentum: momentum.current,
        potentials: () => expand(f, g),
      });
      input.signal?.throwIfAborted();
      const stop = (converged: boolean): SinkhornLoopResult => ({
        iterations: iteration,
        errors,
        converged,
        diverged: !converged,
        momentum: momentum.report(),
      });
      // At iteration 0 the potentials are the initial guess, which may be far off (an overflowing
      // error there is not a divergence): only a warm start's convergence is decided there.
      if (!restored && !Number.isFinite(error) && iteration > 0) return stop(false);
      if (!restored && error < threshold) return stop(true);
    }
    relax(g, gUpdate, momentum.current);

    await kernel.logSumExp({ side: 'rows', offsets: g, epsilon, out: fUpdate, exact });
    for (let i = 0; i < f.length; i += 1)
      fUpdate[i] = epsilon * (logA[i] as number) - (fUpdate[i] as number);
    relax(f, fUpdate, momentum.current);
  }
  const diverged =
    !f.every((value) => !Number.isNaN(value)) || !g.every((value) => !Number.isNaN(value));
  return {
    iterations: maxIterations,
    errors,
    converged: false,
    diverged,
    momentum: momentum.report(),
  };
}

/** `sum_j b_j |exp((g_j - g'_j) / eps) - 1|` over the columns with positive mass. */
function columnMarginalError(
  b: Float64Array,
  g: Float64Array,
  gUpdate: Float64Array,
  epsilon: number,
): number {
  let error = 0;
  for (let j = 0; j < b.length; j += 1) {
    const weight = b[j] as number;
    if (weight === 0) continue;
    error += weight * Math.abs(Math.exp(((g[j] as number) - (gUpdate[j] as number)) / epsilon) - 1);
  }
  return error;
}

/** `old <- (1 - w) old + w update`; entries of zero mass (-Infinity) are copied, never mixed. */
function relax(old: Float64Array, update: Float64Array, weight: number): void {
  if (weight === 1) {
    old.set(update);
    return;
  }
  for (let k = 0; k < old.length; k += 1) {
    const next = update[k] as number;
    old[k] =
      next === Number.NEGATIVE_INFINITY ? next : (1 - weight) * (old[k] as number) + weight * next;
  }
}
