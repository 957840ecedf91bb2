/**
 * The over-relaxation weight of Lehmann et al. [lehmann2022], as OTT-JAX's `Momentum` uses it
 * [cuturi2022ott]: from the ratio of the last two marginal errors, measured `innerIterations`
 * iterations apart,
 *
 *   r = min(err_k / err_{k-1}, 0.99),   w = 2 / (1 + sqrt(1 - r^(1 / innerIterations))).
 *
 * `r^(1/inner)` estimates the per-iteration contraction rate; `w` in [1, 2) is the optimal
 * relaxation for that rate. Updates become `new = (1 - w) old + w update`.
 *
 * @returns the weight; 1 (no momentum) when an error is not positive and finite, or when the
 * error did not decrease (`err_k >= err_{k-1}`: there is no contraction rate to accelerate).
 * @example
 * ```ts
 * lehmannWeight({ previousError: 1e-2, error: 9e-3, innerIterations: 10 }); // about 1.81 (r = 0.9)
 * ```
 */
export function lehmannWeight({
  previousError,
  error,
  innerIterations,
}: {
  readonly previousError: number;
  readonly error: number;
  readonly innerIterations: number;
}): number {
  if (
    !(previousError > 0 && error >= 0) ||
    !Number.isFinite(previousError) ||
    !Number.isFinite(error) ||
    error >= previousError
  )
    return 1;
  const ratio = Math.min(error / previousError, 0.99);
  return 2 / (1 + Math.sqrt(1 - ratio ** (1 / innerIterations)));
}

/** What happened to Lehmann momentum during a solve (part of every {@link SinkhornSolution}). */
export interface MomentumReport {
  /** The weight w estimated once when momentum started; 1 when it never started. */
  readonly weight: number;
  /** The iteration from which w was applied, or null when momentum never ran. */
  readonly startedAt: number | null;
  /**
   * The iteration at which momentum was abandoned (the error stopped being finite, or made no
   * progress for {@link MOMENTUM_PATIENCE_CHECKS} checks): the solver then went back to the
   * potentials of the lowest error and continued with w = 1. Null when it never happened.
   */
  readonly abandonedAt: number | null;
  /** One sentence on what happened, or null when momentum ran (or was off) without incident. */
  readonly note: string | null;
}

/**
 * Checks (of `innerIterations` iterations each) that momentum may go without a new lowest
 * marginal error before it is abandoned. Over-relaxation from a fixed w typically first raises
 * the error (by up to ~10^3 in our sweeps, for ~10 checks) and then decays it monotonically.
 */
export const MOMENTUM_PATIENCE_CHECKS = 50;

/**
 * @internal The momentum policy of the Sinkhorn loop, after Lehmann et al. [lehmann2022] and
 * OTT-JAX's `Momentum` [cuturi2022ott]:
 *
 * - the weight is estimated **once**, at the first error check at or after `start` where the
 *   error decreased, from the decay of the last two errors (re-estimating it at every check, from
 *   errors that momentum itself perturbs, lets a rising error keep w near 2 and diverge);
 * - while momentum runs, the potentials with the lowest error so far are kept (O(n + m)). A fixed
 *   w > 1 may raise the error for a few checks before it decays; when the error stops being finite,
 *   or when {@link MOMENTUM_PATIENCE_CHECKS} checks pass without a new lowest error, the loop goes
 *   back to the kept potentials and continues with w = 1. Momentum can therefore cost at most
 *   that many checks, and never makes a solve that converges without it diverge.
 */
export class MomentumController {
  private readonly start: number;
  private readonly innerIterations: number;
  private weight = 1;
  private estimatedWeight = 1;
  private startedAt: number | null = null;
  private abandonedAt: number | null = null;
  private note: string | null = null;
  private bestError = Number.POSITIVE_INFINITY;
  private checksSinceBest = 0;
  private bestF: Float64Array | undefined;
  private bestG: Float64Array | undefined;

  constructor({ start, innerIterations }: { start: number; innerIterations: number }) {
    this.start = start;
    this.innerIterations = innerIterations;
  }

  /** The weight to use for the next updates. */
  get current(): number {
    return this.weight;
  }

  /**
   * Called at every error check with the errors so far (the last one is `errors.at(-1)`, measured
   * on the current potentials `f`, `g`). Returns `'restored'` when it put the kept potentials
   * back into `f` and `g` (the caller must recompute its pending update), else `'continue'`.
   */
  check({
    iteration,
    errors,
    f,
    g,
  }: {
    readonly iteration: number;
    readonly errors: readonly number[];
    readonly f: Float64Array;
    readonly g: Float64Array;
  }): 'continue' | 'restored' {
    const error = errors[errors.length - 1] as number;
    if (this.startedAt === null) {
      if (iteration < this.start || errors.length < 2) return 'continue';
      // No contraction to accelerate yet (the error did not decrease): try again at the next check.
      const weight = lehmannWeight({
        previousError: errors[errors.length - 2] as number,
        error,
        innerIterations: this.innerIterations,
      });
      if (weight === 1) return 'continue';
      this.weight = weight;
      this.estimatedWeight = weight;
      this.startedAt = iteration;
      this.keep(error, f, g);
      return 'continue';
    }
    if (this.abandonedAt !== null) return 'continue';
    if (Number.isFinite(error) && error < this.bestError) {
      this.keep(error, f, g);
      return 'continue';
    }
    this.checksSinceBest += 1;
    if (Number.isFinite(error) && this.checksSinceBest <= MOMENTUM_PATIENCE_CHECKS)
      return 'continue';
    f.set(this.bestF as Float64Array);
    g.set(this.bestG as Float64Array);
    const why = Number.isFinite(error)
      ? `no new lowest marginal error in ${MOMENTUM_PATIENCE_CHECKS} checks (lowest ${this.bestError.toExponential(3)}, now ${error.toExponential(3)})`
      : `the marginal error became ${error} (lowest ${this.bestError.toExponential(3)})`;
    this.note = `momentum (w = ${this.weight.toFixed(4)} from iteration ${this.startedAt}) abandoned at iteration ${iteration}: ${why}; continued with w = 1 from the potentials of that lowest error`;
    this.abandonedAt = iteration;
    this.weight = 1;
    this.bestF = undefined;
    this.bestG = undefined;
    return 'restored';
  }

  /** The report for the solution. */
  report(): MomentumReport {
    return {
      weight: this.estimatedWeight,
      startedAt: this.startedAt,
      abandonedAt: this.abandonedAt,
      note: this.note,
    };
  }

  private keep(error: number, f: Float64Array, g: Float64Array): void {
    this.bestError = error;
    this.checksSinceBest = 0;
    if (this.bestF === undefined || this.bestG === undefined) {
      this.bestF = f.slice();
      this.bestG = g.slice();
    } else {
      this.bestF.set(f);
      this.bestG.set(g);
    }
  }
}
