import { InvalidArgumentError, requireInteger } from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs';
import { requireRows } from '../internal/require-rows.js';
import { pairwiseSquaredDistances, rowSquaredDistances } from '../internal/squared-euclidean.js';
import type { MlpNetwork } from '../network/mlp-network.js';
import type { FDivergenceRegularizer } from '../regularizer/regularizer.js';

/**
 * The per-point marginal ratios of a {@link PseudoCoupling} on samples `x_1..x_n ~ mu`,
 * `y_1..y_m ~ nu`:
 *
 *     source_i = (1/m) sum_j M(V(x_i, y_j))  ~  E_nu M(V(x_i, .)) = (first marginal of pi)(x_i) / mu(x_i),
 *     target_j = (1/n) sum_i M(V(x_i, y_j))  ~  (second marginal of pi)(y_j) / nu(y_j).
 *
 * Both are 1 everywhere for the exact coupling (the dual's first-order conditions
 * [daniels2021, Prop. 2.4]); `mass` is their common mean, the total mass of `pi`.
 *
 * @example
 * ```ts
 * const { source, target, mass } = await coupling.marginalRatios({ x, y });
 * ```
 */
export interface MarginalRatios {
  readonly source: Float64Array;
  readonly target: Float64Array;
  /** `(1 / nm) sum_ij M(V(x_i, y_j))`. */
  readonly mass: number;
}

/**
 * The pseudo-coupling of SCONES [daniels2021, Sec. 3]: neural dual potentials `phi`, `psi` and an
 * f-divergence regularizer define
 *
 *     V(x, y) = phi(x) + psi(y) - ||x - y||^2,     pi(x, y) = M(V(x, y)) mu(x) nu(y),
 *
 * a normalized coupling only when the dual is solved exactly (hence "pseudo"). The conditional
 * score of `pi(y | x)` is `grad_y log M(V(x, y)) + grad_y log nu(y)`; this object supplies the first
 * term ({@link PseudoCoupling.compatibilityScore}), a {@link TargetScore} the second. Tensor methods
 * build graphs (call them inside `tf.tidy`); array methods leave no tensor behind.
 *
 * @example
 * ```ts
 * const { coupling } = await trainDualPotentials({ source, target, regularizer: klRegularizer({ lambda: 4 }) });
 * await coupling.density({ x, y }); // M(V(x_i, y_i)), one per row
 * coupling.dispose();
 * ```
 */
export interface PseudoCoupling {
  /** Dimension of `x` and `y`. */
  readonly d: number;
  readonly regularizer: FDivergenceRegularizer;
  /** The source potential `phi`. */
  readonly phi: MlpNetwork;
  /** The target potential `psi`. */
  readonly psi: MlpNetwork;
  /** `V(x_i, y_j)` for every pair, `[n, m]`; `parameters` (phi's then psi's) replace the variables. */
  pairViolations(x: tf.Tensor2D, y: tf.Tensor2D, parameters?: readonly tf.Tensor[]): tf.Tensor2D;
  /** `V(x_i, y_i)` row by row, `[n, 1]`. */
  rowViolations(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D;
  /** `grad_y log M(V(x_i, y_i))` row by row, `[n, d]`; `phiOfX` (`[n, 1]`) skips re-evaluating phi. */
  compatibilityScore(x: tf.Tensor2D, y: tf.Tensor2D, phiOfX?: tf.Tensor2D): tf.Tensor2D;
  /** `M(V(x_i, y_i))` for paired rows (float64 copy). */
  density(options: {
    readonly x: Float32Array | Float64Array;
    readonly y: Float32Array | Float64Array;
  }): Promise<Float64Array>;
  /** Marginal ratios on samples (see {@link MarginalRatios}), in blocks of `blockSize` rows. */
  marginalRatios(options: {
    readonly x: Float32Array | Float64Array;
    readonly y: Float32Array | Float64Array;
    readonly blockSize?: number;
  }): Promise<MarginalRatios>;
  /**
   * The dual objective `J = mean phi(x_i) + mean psi(y_j) - mean_ij H*(V(x_i, y_j))` on samples,
   * in blocks (float64 accumulation).
   */
  dualObjective(options: {
    readonly x: Float32Array | Float64Array;
    readonly y: Float32Array | Float64Array;
    readonly blockSize?: number;
  }): Promise<number>;
  /** Frees both networks. */
  dispose(): void;
}

/**
 * Wraps two scalar networks and a regularizer into a {@link PseudoCoupling} (the networks must map
 * `R^d` to `R`). {@link trainDualPotentials} returns one; use this to rebuild one from saved weights.
 *
 * @example
 * ```ts
 * const coupling = createPseudoCoupling({ phi, psi, regularizer: klRegularizer({ lambda: 4 }) });
 * ```
 */
export function createPseudoCoupling({
  phi,
  psi,
  regularizer,
}: {
  readonly phi: MlpNetwork;
  readonly psi: MlpNetwork;
  readonly regularizer: FDivergenceRegularizer;
}): PseudoCoupling {
  const d = phi.config.inputDimension;
  const phiCount = phi.parameters.length;
  const pairViolations = (
    x: tf.Tensor2D,
    y: tf.Tensor2D,
    parameters?: readonly tf.Tensor[],
  ): tf.Tensor2D =>
    tf.tidy(() => {
      const phiX = phi.apply(x, parameters?.slice(0, phiCount));
      const psiY = tf.reshape(psi.apply(y, parameters?.slice(phiCount)), [1, y.shape[0]]);
      return tf.sub(tf.add(phiX, psiY), pairwiseSquaredDistances(x, y)) as tf.Tensor2D;
    });
  const rowViolations = (x: tf.Tensor2D, y: tf.Tensor2D, phiOfX?: tf.Tensor2D): tf.Tensor2D =>
    tf.tidy(() => tf.sub(tf.add(phiOfX ?? phi.apply(x), psi.apply(y)), rowSquaredDistances(x, y)));
  const blocks = async (
    x: Float32Array | Float64Array,
    y: Float32Array | Float64Array,
    blockSize: number,
    functionName: string,
    visit: (violations: tf.Tensor2D, rowStart: number) => Promise<void>,
  ) => {
    const n = requireRows(x, d, functionName, 'x');
    const m = requireRows(y, d, functionName, 'y');
    requireInteger(blockSize, { functionName, argumentName: 'blockSize', minimum: 1 });
    const yTensor = tf.tensor2d(Float32Array.from(y), [m, d]);
    try {
      for (let start = 0; start < n; start += blockSize) {
        const rows = Math.min(blockSize, n - start);
        const violations = tf.tidy(() =>
          pairViolations(
            tf.tensor2d(Float32Array.from(x.subarray(start * d, (start + rows) * d)), [rows, d]),
            yTensor,
          ),
        );
        try {
          await visit(violations, start);
        } finally {
          violations.dispose();
        }
      }
    } finally {
      yTensor.dispose();
    }
    return { n, m };
  };
  const coupling: PseudoCoupling = {
    d,
    regularizer,
    phi,
    psi,
    pairViolations,
    rowViolations: (x: tf.Tensor2D, y: tf.Tensor2D) => rowViolations(x, y),
    compatibilityScore(x: tf.Tensor2D, y: tf.Tensor2D, phiOfX?: tf.Tensor2D): tf.Tensor2D {
      return tf.tidy(() => {
        const fixedPhi = phiOfX ?? phi.apply(x);
        const logDensity = (points: tf.Tensor) =>
          tf.sum(regularizer.logCompatibility(rowViolations(x, points as tf.Tensor2D, fixedPhi)));
        return tf.grad(logDensity)(y) as tf.Tensor2D;
      });
    },
    async density({ x, y }) {
      const n = requireRows(x, d, 'PseudoCoupling.density', 'x');
      if (requireRows(y, d, 'PseudoCoupling.density', 'y') !== n) {
        throw new InvalidArgumentError({
          functionName: 'PseudoCoupling.density',
          argumentName: 'y',
          message: `must hold as many rows as x (${n})`,
          value: y.length / d,
        });
      }
      const values = tf.tidy(() =>
        regularizer.compatibility(
          rowViolations(
            tf.tensor2d(Float32Array.from(x), [n, d]),
            tf.tensor2d(Float32Array.from(y), [n, d]),
          ),
        ),
      );
      try {
        return Float64Array.from((await values.data()) as Float32Array);
      } finally {
        values.dispose();
      }
    },
    async marginalRatios({ x, y, blockSize = 1024 }) {
      const n = requireRows(x, d, 'PseudoCoupling.marginalRatios', 'x');
      const m = requireRows(y, d, 'PseudoCoupling.marginalRatios', 'y');
      const source = new Float64Array(n);
      const target = new Float64Array(m);
      await blocks(x, y, blockSize, 'PseudoCoupling.marginalRatios', async (violations, start) => {
        const densities = regularizer.compatibility(violations);
        try {
          const values = (await densities.data()) as Float32Array;
          const rows = values.length / m;
          for (let i = 0; i < rows; i += 1) {
            let sum = 0;
            for (let j = 0; j < m; j += 1) {
              const value = values[i * m + j] as number;
              sum += value;
              target[j] = (target[j] as number) + value;
            }
            source[start + i] = sum / m;
          }
        } finally {
          densities.dispose();
        }
      });
      let mass = 0;
      for (let j = 0; j < m; j += 1) {
        target[j] = (target[j] as number) / n;
        mass += target[j] as number;
      }
      return { source, target, mass: mass / m };
    },
    async dualObjective({ x, y, blockSize = 1024 }) {
      let penalty = 0;
      const { n, m } = await blocks(
        x,
        y,
        blockSize,
        'PseudoCoupling.dualObjective',
        async (violations) => {
          const sum = tf.tidy(() => tf.sum(regularizer.penalty(violations)));
          try {
            penalty += ((await sum.data()) as Float32Array)[0] as number;
          } finally {
            sum.dispose();
          }
        },
      );
      const mean = async (network: MlpNetwork, points: Float32Array | Float64Array) => {
        const values = await network.predict(points);
        let sum = 0;
        for (const value of values) sum += value;
        return sum / values.length;
      };
      return (await mean(phi, x)) + (await mean(psi, y)) - penalty / (n * m);
    },
    dispose() {
      phi.dispose();
      psi.dispose();
    },
  };
  return Object.freeze(coupling);
}
