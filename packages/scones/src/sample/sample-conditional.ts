import {
  createRandomGenerator,
  InvalidArgumentError,
  requireInteger,
  requirePositiveNumber,
} from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs';
import type { PseudoCoupling } from '../coupling/pseudo-coupling.js';
import { requireRows } from '../internal/require-rows.js';
import type { TargetScore } from '../score/target-score.js';

/** Options of {@link sampleConditional}. */
export interface SampleConditionalOptions {
  /** The learned coupling (its compatibility term). */
  readonly coupling: PseudoCoupling;
  /** The target score `s(y, tau)`. */
  readonly targetScore: TargetScore;
  /** The source points `x_i` to condition on, row-major; one sample `y_i ~ pi(. | x_i)` each. */
  readonly x: Float32Array | Float64Array;
  /**
   * Noise levels `tau_1 > ... > tau_N >= 0` of annealed Langevin sampling [song2019]; `[0]` is plain
   * Langevin on the unsmoothed score (SCONES' Gaussian study: "omit annealing"). @default [0]
   */
  readonly noiseLevels?: readonly number[];
  /** Langevin steps per noise level (`T`). @default 1000 */
  readonly stepsPerLevel?: number;
  /**
   * Step size `epsilon` (at the last level; level i uses `epsilon (tau_i / tau_N)^2` when
   * `tau_N > 0`, as Song and Ermon [song2019]). @default 5e-3 (the paper's [daniels2021, Table 7])
   */
  readonly stepSize?: number;
  /** Starting points (row-major, as many rows as `x`). @default N(0, I) draws from `seed` */
  readonly initial?: Float32Array | Float64Array;
  /** Seeds the initial points and the noise (Philox [salmon2011philox]). @default 0 */
  readonly seed?: number;
  /** Called after every step with the (1-based) step over all levels. */
  readonly onStep?: (report: { readonly step: number; readonly total: number }) => void;
}

/**
 * Algorithm 2 of SCONES [daniels2021]: samples `y_i ~ pi(y | x_i)` of the pseudo-coupling by
 * (annealed) unadjusted Langevin dynamics [roberts1996; song2019] on the conditional score,
 *
 *     y <- y + (epsilon_i / 2) (s(y, tau_i) + grad_y log M(V(x, y))) + sqrt(epsilon_i) z,   z ~ N(0, I),
 *
 * `stepsPerLevel` steps at each level, `epsilon_i = epsilon (tau_i / tau_N)^2` (constant when
 * `tau_N = 0`), all rows at once. The stationary law of the discretised chain is biased by
 * O(epsilon): for a Gaussian conditional of precision `P` its covariance is
 * `(P (I - epsilon P / 4))^{-1}`, so keep `epsilon` well below `4 / ||P||`. Randomness comes only
 * from `seed` (the noise is drawn by Philox, backend-independent). Leaves no tensor behind.
 *
 * @returns The samples, row-major float32 (rows of `x`).
 * @throws {@link InvalidArgumentError} naming the option: `x` / `initial` of the wrong shape,
 * noise levels that are not decreasing and `>= 0`, non-positive steps or step size, a target score
 * of another dimension.
 * @example
 * ```ts
 * const y = await sampleConditional({ coupling, targetScore, x, stepsPerLevel: 500, stepSize: 0.01, seed: 1 });
 * ```
 */
export async function sampleConditional({
  coupling,
  targetScore,
  x,
  noiseLevels = [0],
  stepsPerLevel = 1000,
  stepSize = 5e-3,
  initial,
  seed = 0,
  onStep,
}: SampleConditionalOptions): Promise<Float32Array> {
  const functionName = 'sampleConditional';
  const { d } = coupling;
  if (targetScore?.d !== d) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'targetScore.d',
      message: `must equal the coupling's dimension ${d}`,
      value: targetScore?.d,
    });
  }
  const n = requireRows(x, d, functionName, 'x');
  requireInteger(stepsPerLevel, { functionName, argumentName: 'stepsPerLevel', minimum: 1 });
  requirePositiveNumber(stepSize, { functionName, argumentName: 'stepSize' });
  requireInteger(seed, { functionName, argumentName: 'seed', minimum: 0 });
  if (
    !Array.isArray(noiseLevels) ||
    noiseLevels.length === 0 ||
    noiseLevels.some(
      (level, index) =>
        typeof level !== 'number' ||
        !(level >= 0) ||
        !Number.isFinite(level) ||
        (index > 0 && !(level < (noiseLevels[index - 1] as number))),
    )
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'noiseLevels',
      message: 'must be a non-empty, strictly decreasing list of finite numbers >= 0',
      value: noiseLevels,
    });
  }
  const random = createRandomGenerator({ seed });
  const start =
    initial === undefined
      ? random.split(0).fillNormal(new Float32Array(n * d))
      : Float32Array.from(initial);
  if (initial !== undefined && requireRows(initial, d, functionName, 'initial') !== n) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'initial',
      message: `must hold as many rows as x (${n})`,
      value: initial.length / d,
    });
  }
  const noise = random.split(1);
  const last = noiseLevels.at(-1) as number;
  const total = noiseLevels.length * stepsPerLevel;
  const source = tf.tensor2d(Float32Array.from(x), [n, d]);
  const phiOfX = tf.tidy(() => coupling.phi.apply(source));
  let y = tf.tensor2d(start, [n, d]);
  const draws = new Float32Array(n * d);
  try {
    let step = 0;
    for (const level of noiseLevels) {
      const epsilon = last > 0 ? stepSize * (level / last) ** 2 : stepSize;
      for (let inner = 0; inner < stepsPerLevel; inner += 1) {
        noise.fillNormal(draws);
        const previous = y;
        y = tf.tidy(() => {
          const score = tf.add(
            targetScore.score(previous, level),
            coupling.compatibilityScore(source, previous, phiOfX),
          );
          return tf.add(
            tf.add(previous, tf.mul(score, epsilon / 2)),
            tf.mul(tf.tensor2d(draws, [n, d]), Math.sqrt(epsilon)),
          ) as tf.Tensor2D;
        });
        previous.dispose();
        step += 1;
        onStep?.({ step, total });
        // Yield to the event loop now and then so that progress output and timers run.
        if (step % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    return (await y.data()) as Float32Array;
  } finally {
    y.dispose();
    source.dispose();
    phiOfX.dispose();
  }
}
