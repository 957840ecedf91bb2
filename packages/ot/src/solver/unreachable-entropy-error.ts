import { hasMarker, InvalidArgumentError } from '@sinkflow/core';

const symbol = Symbol.for('sinkflow.error.UnreachableEntropyError');

/**
 * Thrown by `solveForEntropy` before any solve when the target renormalized entropy lies outside
 * the range that couplings of this problem can have [klein2025]:
 *
 * - every coupling of `a` and `b` has `max(H(a), H(b)) <= H(P) <= H(a) + H(b)`, so
 *   `E >= 2 max(H(a), H(b)) / (H(a) + H(b)) - 1 = |H(a) - H(b)| / (H(a) + H(b))` (for uniform
 *   weights and `n != m`, `|log n - log m| / log(n m)`);
 * - when the cost is separable, `C_ij = u_i + v_j` (for the dot cost: the centred clouds span
 *   orthogonal subspaces, for example all points of `y` equal), every epsilon gives the
 *   independent coupling: `E = 1`.
 *
 * `range` is the interval `[min, max]` of reachable values; an `InvalidArgumentError` naming
 * `targetEntropy`, so the command line reports it as bad input (exit 2).
 *
 * @example
 * ```ts
 * try { await problem.solveForEntropy({ targetEntropy: 0.05 }); }
 * catch (error) { if (UnreachableEntropyError.isInstance(error)) console.log(error.range); }
 * // { min: 0.1, max: 1 } for n = 1000 uniform points against m = 100
 * ```
 */
export class UnreachableEntropyError extends InvalidArgumentError {
  readonly [symbol] = true;
  /** The reachable renormalized entropies, `min <= E <= max`. */
  readonly range: { readonly min: number; readonly max: number };

  constructor({
    functionName,
    targetEntropy,
    range,
    reason,
  }: {
    readonly functionName: string;
    readonly targetEntropy: number;
    readonly range: { readonly min: number; readonly max: number };
    readonly reason: string;
  }) {
    super({
      functionName,
      argumentName: 'targetEntropy',
      message: `cannot be reached: couplings of these clouds have renormalized entropy in [${formatEntropy(range.min)}, ${formatEntropy(range.max)}] (${reason})`,
      value: targetEntropy,
    });
    this.name = 'UnreachableEntropyError';
    this.range = Object.freeze({ ...range });
  }

  /** True when `value` is an {@link UnreachableEntropyError} from any copy of `@sinkflow/ot`. */
  static override isInstance(value: unknown): value is UnreachableEntropyError {
    return hasMarker(value, symbol);
  }
}

const formatEntropy = (value: number): string => String(Number(value.toPrecision(6)));
