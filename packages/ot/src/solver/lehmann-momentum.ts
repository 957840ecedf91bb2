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
  /** The weight w of the last attempt (estimated once when it started); 1 when none started. */
  readonly weight: number;
  /** The iteration from which the last attempt applied w, or null when momentum never ran. */
  readonly startedAt: number | null;
  /**
   * The iteration at which the last attempt was abandoned (the error stopped being finite, or made
   * no new low for {@link MOMENTUM_PATIENCE_CHECKS} checks): the solver then went back to the
   * potentials of the lowest error and continued with w = 1. Null when it ran to the end.
   */
  readonly abandonedAt: number | null;
  /** How many times momentum started (a later attempt follows each abandonment, see below). */
  readonly attempts: number;
  /** What happened, one sentence per abandoned attempt; null when nothing was abandoned. */
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
 * - the weight is estimated **once** per attempt, at the first check at or after the attempt's
 *   start where the plain error decreased, from the decay of the last two plain errors, and then
 *   kept (re-estimating it at every check, from errors that momentum itself perturbs, lets a
 *   rising error keep w near 2 and diverge);
 * - while momentum runs, the potentials with the lowest error so far are kept (O(n + m)). A fixed
 *   w > 1 may raise the error for a few checks before it decays; when the error stops being finite,
 *   or when {@link MOMENTUM_PATIENCE_CHECKS} checks pass without a new lowest error, the loop goes
 *   back to the kept potentials and continues with w = 1;
 * - an abandoned attempt started at iteration s is retried from iteration 2 s, with a weight
 *   estimated afresh from plain iterations: far from the solution the error decay is not yet the
 *   asymptotic rate that Lehmann's weight assumes, closer to it the same weight works. Attempts
 *   at s, 2 s, 4 s, ... cost at most 50 checks each, log2(maxIterations / s) of them.
 *
 * Momentum therefore never makes a solve that converges without it diverge.
 */
export class MomentumController {
  private readonly innerIterations: number;
  private nextStart: number;
  private weight = 1;
  private attempts = 0;
  private startedAt: number | null = null;
  private abandonedAt: number | null = null;
  private active = false;
  private readonly notes: string[] = [];
  private plainChecks = 0;
  private bestError = Number.POSITIVE_INFINITY;
  private checksSinceBest = 0;
  private bestF: Float64Array | undefined;
  private bestG: Float64Array | undefined;

  constructor({ start, innerIterations }: { start: number; innerIterations: number }) {
    this.nextStart = start;
    this.innerIterations = innerIterations;
  }

  /** The weight to use for the next updates. */
  get current(): number {
    return this.active ? this.weight : 1;
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
    if (!this.active) {
      this.plainChecks += 1;
      if (iteration < this.nextStart || this.plainChecks < 2) return 'continue';
      // No contraction to accelerate yet (the error did not decrease): try again at the next check.
      const weight = lehmannWeight({
        previousError: errors[errors.length - 2] as number,
        error,
        innerIterations: this.innerIterations,
      });
      if (weight === 1) return 'continue';
      this.weight = weight;
      this.active = true;
      this.attempts += 1;
      this.startedAt = iteration;
      this.abandonedAt = null;
      this.bestError = Number.POSITIVE_INFINITY;
      this.keep(error, f, g);
      return 'continue';
    }
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
    const startedAt = this.startedAt as number;
    this.nextStart = 2 * Math.max(startedAt, 1);
    this.notes.push(
      `momentum (w = ${this.weight.toFixed(4)} from iteration ${startedAt}) abandoned at iteration ${iteration}: ${why}; continued with w = 1 from the potentials of that lowest error, next attempt from iteration ${this.nextStart}`,
    );
    this.abandonedAt = iteration;
    this.active = false;
    this.plainChecks = 0;
    return 'restored';
  }

  /** The report for the solution. */
  report(): MomentumReport {
    return {
      weight: this.attempts === 0 ? 1 : this.weight,
      startedAt: this.startedAt,
      abandonedAt: this.abandonedAt,
      attempts: this.attempts,
      note: this.notes.length === 0 ? null : this.notes.join('; '),
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
