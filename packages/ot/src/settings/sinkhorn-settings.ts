import type { Epsilon } from '@sinkflow/entropy';
import { relativeEpsilon } from '@sinkflow/entropy';

/**
 * The settings of a Sinkhorn solve, owned by `@sinkflow/ot`: every layer above (fm, distributed,
 * scones, the lab) takes a `Pick` of this type and passes it on unchanged, and
 * {@link validateSinkhornSettings} checks it once, where it enters ot.
 *
 * The regularisation is either an {@link Epsilon} (absolute, relative to `std(C)`, or a geometric
 * schedule, from `@sinkflow/entropy`) or a target renormalized entropy
 * `E(P) = 2 H(P) / (H(a) + H(b)) - 1` [klein2025] reached by a search over the relative epsilon.
 */
export interface SinkhornSettings {
  /**
   * The entropic regularisation of `min_P <P, C> - eps H(P)`: absolute, relative to `std(C)`, or
   * a geometric schedule. Give this or `targetEntropy`, not both.
   * @default relativeEpsilon(0.05) when `targetEntropy` is not given
   */
  readonly epsilon?: Epsilon;
  /**
   * Reach this renormalized entropy `E` in (0, 1) instead of a fixed epsilon (the paper advises
   * 0.1 to 0.2 [klein2025]): the relative epsilon is searched (see `solveForEntropy`).
   * @default undefined (solve at `epsilon`)
   */
  readonly targetEntropy?: number;
  /** The entropy search stops when `|E - targetEntropy| <= entropyTolerance`. @default 0.005 */
  readonly entropyTolerance?: number;
  /** The relative epsilon of the entropy search's first solve. @default 0.05 */
  readonly initialRelativeEpsilon?: number;
  /** The entropy search gives up after this many solves. @default 30 */
  readonly maxSolves?: number;
  /** Stop when both marginal errors `||P 1 - a||_1`, `||P^T 1 - b||_1` are below this. @default 1e-3 */
  readonly threshold?: number;
  /** Give up after this many iterations (the paper's setting). @default 50000 */
  readonly maxIterations?: number;
  /** Check the marginal error (and update momentum) every this many iterations. @default 10 */
  readonly innerIterations?: number;
  /**
   * Start Lehmann over-relaxation [lehmann2022] at this iteration: a non-negative integer, or
   * `Infinity` to disable it. @default 2000
   */
  readonly momentumStart?: number;
}

/**
 * The one set of defaults of {@link SinkhornSettings} (OTT-JAX's and the paper's [cuturi2022ott,
 * klein2025]); every package reads its defaults from here.
 */
export const SINKHORN_DEFAULTS = Object.freeze({
  /** `relativeEpsilon(0.05)`: `eps = 0.05 std(C)`. */
  epsilon: Object.freeze(relativeEpsilon(0.05)) as Epsilon,
  /** `|E - target| <= 0.005`. */
  entropyTolerance: 0.005,
  /** The entropy search starts at relative epsilon 0.05. */
  initialRelativeEpsilon: 0.05,
  /** At most 30 solves per entropy search. */
  maxSolves: 30,
  /** Marginal errors below 1e-3. */
  threshold: 1e-3,
  /** 50 000 iterations at most. */
  maxIterations: 50_000,
  /** A marginal-error check every 10 iterations. */
  innerIterations: 10,
  /** Lehmann momentum from iteration 2000 on. */
  momentumStart: 2000,
});
