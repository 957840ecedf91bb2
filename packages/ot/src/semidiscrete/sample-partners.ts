import {
  InvalidArgumentError,
  type PointCloud,
  requireInteger,
  validatePointCloud,
} from '@sinkflow/core';
import { synchronousScoreKernel } from './default-score-kernel.js';
import type { ScoreKernel } from './semidiscrete-score-pass.js';
import {
  prepareSemidiscreteTarget,
  type SemidiscreteCost,
  type SemidiscreteTarget,
  scoreOffsets,
} from './semidiscrete-target.js';

/**
 * Options of {@link samplePartners}: the rows `x`, and the problem and dual `g` of a
 * {@link solveSemidiscrete} solution [mousavi2025semidiscrete].
 *
 * @example
 * ```ts
 * const options: SamplePartnersOptions = { x: noise, y, g: solution.g, epsilon: solution.epsilon, seed: 3 };
 * ```
 */
export interface SamplePartnersOptions {
  /** The source points (for instance fresh noise), `count x d`. */
  readonly x: PointCloud;
  /** The N points and weights `b` the dual was fitted on. */
  readonly y: PointCloud;
  /** The fitted dual vector (`solution.g`), length N. */
  readonly g: Float64Array | readonly number[];
  /** The cost `g` was fitted with. @default 'dot' */
  readonly cost?: SemidiscreteCost | undefined;
  /** The absolute epsilon `g` was fitted at (`solution.epsilon`); 0 for the hard problem. @default 0 */
  readonly epsilon?: number | undefined;
  /** Seed of the Gumbel noise (epsilon > 0). @default 0 */
  readonly seed?: number | undefined;
  /** Which draw: another `draw` gives independent partners for the same rows. @default 0 */
  readonly draw?: number | undefined;
}

/**
 * What {@link samplePartners} returns: partners `j(x)` and the map `E[y | x]`
 * [mousavi2025semidiscrete].
 *
 * @example
 * ```ts
 * const { indices, map } = samplePartners({ x: noise, y, g }); // map: rows y_{indices[i]}
 * ```
 */
export interface SampledPartners {
  /** For each row `x_i`, the index `j` of its partner. */
  readonly indices: Int32Array;
  /**
   * The entropic map `E[y | x_i] = sum_j pi_j(x_i) y_j` (`count x d`, float64) when epsilon > 0;
   * for the hard problem the partner itself, `y_{indices[i]}`.
   */
  readonly map: Float64Array;
}

/**
 * Exact partners for given source points under a fitted semidiscrete dual `g`
 * [mousavi2025semidiscrete]:
 * - epsilon = 0: `j(x) = argmax_j (g_j - C(x, y_j))`, the Laguerre cell that holds `x`;
 * - epsilon > 0: `j ~ pi(x)`, `pi_j(x) ∝ b_j exp((g_j - C(x, y_j)) / eps)`, drawn exactly by
 *   Gumbel-max [gumbel1954], `j = argmax_j (g_j - C(x, y_j)) / eps + log b_j + G(seed, i, j, draw)`
 *   with the counter-based noise of `@sinkflow/core` (row `i` of `x`); and the entropic map
 *   `E[y | x] = sum_j pi_j(x) y_j` (the barycentric projection).
 *
 * The score pass runs on the WebAssembly SIMD kernels on the calling thread (this function is
 * synchronous; the float64 TypeScript pass where the host has no WebAssembly with shared memory),
 * with the N points loaded for this call; {@link createPartnerSampler} gives the same partners on
 * all threads, with the points loaded once for many batches. Partners equal those of the float64
 * reference up to float32 ties of the scores.
 *
 * @throws {@link InvalidArgumentError} naming the bad argument.
 * @example
 * ```ts
 * const solution = await solveSemidiscrete({ y, epsilon: absoluteEpsilon(0.1) });
 * const noise = createPointCloud(createRandomGenerator({ seed: 1 }).fillNormal(new Float32Array(4 * y.d)), { d: y.d });
 * const { indices, map } = samplePartners({ x: noise, y, g: solution.g, epsilon: solution.epsilon });
 * indices.length; // 4
 * ```
 */
export function samplePartners(options: SamplePartnersOptions): SampledPartners {
  return samplePartnersWith(options, synchronousScoreKernel);
}

/** {@link samplePartners} on a given score kernel (internal). */
export function samplePartnersWith(
  options: SamplePartnersOptions,
  kernel: ScoreKernel,
): SampledPartners {
  const functionName = 'samplePartners';
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options',
      message: 'must be an options object',
      value: options,
    });
  }
  const { x, y, g, cost = 'dot', epsilon = 0, seed = 0, draw = 0 } = options;
  const dual = prepareDual({ y, g, cost, epsilon }, functionName);
  return sampleWithDual(kernel, dual, { x, seed, draw }, functionName);
}

/** The target, epsilon and score offsets of a fitted dual, checked (internal). */
export interface PreparedDual {
  readonly target: SemidiscreteTarget;
  readonly epsilon: number;
  readonly offsets: Float64Array;
}

/** Checks `y`, `g`, `cost` and `epsilon` and computes the score offsets `h` (internal). */
export function prepareDual(
  {
    y,
    g,
    cost,
    epsilon,
  }: {
    readonly y: PointCloud;
    readonly g: Float64Array | readonly number[];
    readonly cost: SemidiscreteCost;
    readonly epsilon: number;
  },
  functionName: string,
): PreparedDual {
  const target = prepareSemidiscreteTarget(y, cost, functionName);
  if (
    !(g instanceof Float64Array || Array.isArray(g)) ||
    g.length !== target.count ||
    !Array.from(g).every((value) => Number.isFinite(value))
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'g',
      message: `must hold ${target.count} finite numbers (one per point of y)`,
      value: g,
    });
  }
  if (!(typeof epsilon === 'number' && Number.isFinite(epsilon) && epsilon >= 0)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'epsilon',
      message: 'must be a finite number >= 0 (the absolute epsilon of the solution)',
      value: epsilon,
    });
  }
  const offsets = scoreOffsets(
    target,
    Float64Array.from(g),
    epsilon,
    new Float64Array(target.count),
  );
  return { target, epsilon, offsets };
}

/** Partners (and the map) of the rows `x` under a prepared dual (internal). */
export function sampleWithDual(
  kernel: ScoreKernel,
  { target, epsilon, offsets }: PreparedDual,
  { x, seed, draw }: { readonly x: PointCloud; readonly seed: number; readonly draw: number },
  functionName: string,
): SampledPartners {
  validatePointCloud(x, { functionName, argumentName: 'x' });
  if (x.d !== target.d) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'x.d',
      message: `must equal y.d = ${target.d}`,
      value: x.d,
    });
  }
  requireInteger(seed, { functionName, argumentName: 'seed', minimum: 0 });
  requireInteger(draw, { functionName, argumentName: 'draw', minimum: 0, maximum: 0xffffffff });
  const indices = new Int32Array(x.n);
  const map = new Float64Array(x.n * target.d);
  kernel(target, {
    x: x.data,
    count: x.n,
    offsets,
    mode: 'argmax',
    epsilon,
    index: indices,
    gumbel: epsilon > 0 ? { seed, rowStart: 0, draw } : undefined,
  });
  if (epsilon > 0) {
    kernel(target, { x: x.data, count: x.n, offsets, mode: 'softmax', epsilon, expectations: map });
  } else {
    for (let i = 0; i < x.n; i += 1) {
      const j = indices[i] as number;
      map.set(target.y.subarray(j * target.d, (j + 1) * target.d), i * target.d);
    }
  }
  return Object.freeze({ indices, map });
}
