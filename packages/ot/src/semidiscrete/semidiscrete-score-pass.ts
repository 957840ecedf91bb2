import { fillCounterGumbelRow } from '@sinkflow/core';

/**
 * The N target points of a semidiscrete problem as the score pass reads them: float64 rows and,
 * per point, the offset that turns a dot product into a score. Every cost is written
 * `C(x, y_j) = u(x) + v_j - <x, y_j>` (docs/numerics.md, "The data model"), so the score of point
 * `j` for a row `x` is `s_j(x) = h_j + <x, y_j>` with `h_j = g_j - v_j` (hard) or
 * `h_j = g_j - v_j + eps log b_j` (entropic), and the kernel only ever computes dot products.
 */
export interface ScoreTargets {
  /** `N x d`, row-major, float64. */
  readonly y: Float64Array;
  readonly count: number;
  readonly d: number;
}

/**
 * One score pass over a batch: for each row `x_i` the scores `s_ij = h_j + <x_i, y_j>` against all
 * N points, then per row either
 * - `argmax`: `index[i] = argmax_j s_ij` (or `argmax_j s_ij / eps + G(seed, row, j, draw)` with
 *   Gumbel noise), `value[i] = max_j s_ij`;
 * - `softmax`: `value[i] = eps LSE_j(s_ij / eps)`, and the soft assignment
 *   `pi_ij = exp((s_ij - value[i]) / eps)` is added to `assignmentSums[j]` and, when asked,
 *   `sum_j pi_ij y_j` written to `expectations` (`count x d`).
 */
export interface ScorePassRequest {
  /** The batch, `count x d`, row-major. */
  readonly x: Float32Array | Float64Array;
  readonly count: number;
  /** `h_j`, length N. */
  readonly offsets: Float64Array;
  readonly mode: 'argmax' | 'softmax';
  /** `eps > 0` for `softmax` and for Gumbel-max; ignored by a plain argmax. */
  readonly epsilon: number;
  /** Written for every row: the max score (`argmax`) or `eps LSE` (`softmax`). */
  readonly value?: Float64Array | undefined;
  /** Written for every row in `argmax` mode. */
  readonly index?: Int32Array | undefined;
  /** `argmax` mode: count of rows per point; `softmax`: `sum_i pi_ij`. Added to, length N. */
  readonly assignmentSums?: Float64Array | undefined;
  /** `softmax` mode: `sum_i pi_ij^2`, added to (the variance of the marginal estimate). */
  readonly assignmentSquares?: Float64Array | undefined;
  /** `softmax` mode: `sum_j pi_ij y_j` per row, `count x d`. */
  readonly expectations?: Float64Array | undefined;
  /** `argmax` mode: add `eps G(seed, rowStart + i, j, draw)` (Gumbel-max) to the scores. */
  readonly gumbel?: { readonly seed: number; readonly rowStart: number; readonly draw: number };
}

/**
 * The score kernel: one function so that a faster one (the wasm kernels, on threads) can replace
 * it without touching the solver or the sampler. This one is plain TypeScript; dot products,
 * maxima and log-sum-exp accumulate in float64.
 */
export type ScoreKernel = (targets: ScoreTargets, request: ScorePassRequest) => void;

/** The reference {@link ScoreKernel}: plain TypeScript, float64 accumulation, O(count N d). */
export const typescriptScoreKernel: ScoreKernel = (targets, request) => {
  const { y, count: m, d } = targets;
  const { x, count, offsets, mode, epsilon, value, index, assignmentSums } = request;
  const { assignmentSquares, expectations, gumbel } = request;
  const scores = new Float64Array(m);
  const noise = gumbel === undefined ? undefined : new Float64Array(m);
  for (let i = 0; i < count; i += 1) {
    const rowOffset = i * d;
    let top = Number.NEGATIVE_INFINITY;
    let best = 0;
    for (let j = 0; j < m; j += 1) {
      let dot = 0;
      const columnOffset = j * d;
      for (let k = 0; k < d; k += 1) {
        dot += (x[rowOffset + k] as number) * (y[columnOffset + k] as number);
      }
      const score = (offsets[j] as number) + dot;
      scores[j] = score;
      if (score > top) {
        top = score;
        best = j;
      }
    }
    if (mode === 'argmax') {
      if (gumbel !== undefined && noise !== undefined) {
        fillCounterGumbelRow(noise, {
          seed: gumbel.seed,
          row: gumbel.rowStart + i,
          draw: gumbel.draw,
        });
        let noisyTop = Number.NEGATIVE_INFINITY;
        for (let j = 0; j < m; j += 1) {
          const noisy = (scores[j] as number) / epsilon + (noise[j] as number);
          if (noisy > noisyTop) {
            noisyTop = noisy;
            best = j;
          }
        }
      }
      if (value !== undefined) value[i] = top;
      if (index !== undefined) index[i] = best;
      if (assignmentSums !== undefined) assignmentSums[best] = (assignmentSums[best] as number) + 1;
      continue;
    }
    // Log-sum-exp shifted by the row maximum: every exponent is <= 0, the largest is exactly 0.
    let sum = 0;
    for (let j = 0; j < m; j += 1) {
      const weight = Math.exp(((scores[j] as number) - top) / epsilon);
      scores[j] = weight;
      sum += weight;
    }
    if (value !== undefined) value[i] = top + epsilon * Math.log(sum);
    const inverse = 1 / sum;
    if (expectations !== undefined) expectations.fill(0, rowOffset, rowOffset + d);
    for (let j = 0; j < m; j += 1) {
      const pi = (scores[j] as number) * inverse;
      if (assignmentSums !== undefined) assignmentSums[j] = (assignmentSums[j] as number) + pi;
      if (assignmentSquares !== undefined) {
        assignmentSquares[j] = (assignmentSquares[j] as number) + pi * pi;
      }
      if (expectations !== undefined && pi > 0) {
        const columnOffset = j * d;
        for (let k = 0; k < d; k += 1) {
          expectations[rowOffset + k] =
            (expectations[rowOffset + k] as number) + pi * (y[columnOffset + k] as number);
        }
      }
    }
  }
};

/**
 * A score kernel that holds resources for one set of targets (memory, threads): prepared once per
 * solve for batches of at most `capacity` rows, disposed at its end.
 */
export interface PreparedScoreKernel {
  readonly kernel: ScoreKernel;
  dispose(): Promise<void>;
}

/** Prepares a {@link PreparedScoreKernel} for the targets of one solve (internal seam). */
export interface ScoreKernelProvider {
  prepare(targets: ScoreTargets, capacity: number): Promise<PreparedScoreKernel>;
}
