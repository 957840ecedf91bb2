import { createRandomGenerator, type PointCloud, type RandomGenerator } from '@sinkflow/core';
import {
  type EntropicGaussianCouplingResult,
  entropicGaussianCoupling,
  gaussianMongeMap,
  symmetricEigen,
} from '@sinkflow/ot';
import type { MapBenchmark } from '../benchmark.js';
import { applyMatrix, multiply } from '../internal/dense-matrix.js';
import {
  requireBenchmarkSeed,
  requireCloudOfDimension,
  requireDimension,
  requireSamplingArguments,
} from '../internal/point-cloud-checks.js';
import {
  STREAM_GAUSSIAN_SOURCE_ROTATION,
  STREAM_GAUSSIAN_TARGET_ROTATION,
} from '../internal/stream-ids.js';
import { haarRotation } from './haar-rotation.js';

/**
 * A pair of centred Gaussians `N(0, S0) -> N(0, S1)` with `S = U diag(lambda) U^T`, `lambda =
 * geomspace(1/2, 2, d)` and independent Haar rotations U, as in the synthetic study of SCONES
 * [daniels2021]. The Monge map is linear, `T0(x) = A x` with
 * `A = S0^{-1/2} (S0^{1/2} S1 S0^{1/2})^{1/2} S0^{-1/2}` [peyre2019, Remark 2.31], and the
 * entropic coupling has a closed form [janati2020] ({@link GaussianBenchmark.entropicCoupling}).
 *
 * @example
 * ```ts
 * const benchmark = createGaussianBenchmark({ d: 2 });
 * benchmark.mapMatrix; // Float64Array of 4 entries, symmetric positive definite
 * ```
 */
export interface GaussianBenchmark extends MapBenchmark {
  readonly name: 'gaussian';
  /** `lambda_j = (1/2) 4^{j / (d - 1)}`, j = 0..d-1 (`[1/2]` when d = 1): the spectrum of both covariances. */
  readonly eigenvalues: Float64Array;
  /** S0 = U0 diag(lambda) U0^T, d x d row-major. */
  readonly sourceCovariance: Float64Array;
  /** S1 = U1 diag(lambda) U1^T, d x d row-major. */
  readonly targetCovariance: Float64Array;
  /** A, the symmetric positive definite matrix of T0, d x d row-major. */
  readonly mapMatrix: Float64Array;
  /**
   * The entropic OT coupling between the two Gaussians in closed form (`entropicGaussianCoupling`
   * of `@sinkflow/ot` [janati2020]), for the cost `||x - y||^2` and regularisation
   * `epsilon KL(pi | mu (x) nu)`; for Sinkhorn's `'sqeuclidean'` cost `1/2 ||x - y||^2` at
   * epsilon e pass `2 e`. The ground truth of the entropic problem (the Monge map is its eps -> 0 limit).
   */
  entropicCoupling(options: { readonly epsilon: number }): EntropicGaussianCouplingResult;
}

/**
 * The Gaussian pairs of SCONES' synthetic study [daniels2021] (see {@link GaussianBenchmark}):
 * deterministic given (d, benchmarkSeed), the two rotations from two split Philox streams.
 * `strongConvexity` is the smallest eigenvalue of A. O(d^3) to build.
 *
 * @param options.d - Dimension, 1..1024.
 * @param options.benchmarkSeed - Seeds the rotations. @default 0
 * @throws {@link InvalidArgumentError} for a bad d or seed.
 * @example
 * ```ts
 * const benchmark = createGaussianBenchmark({ d: 16 });
 * benchmark.eigenvalues[0]; // 0.5
 * benchmark.entropicCoupling({ epsilon: 0.1 }).crossCovariance.length; // 256
 * ```
 */
export function createGaussianBenchmark({
  d,
  benchmarkSeed = 0,
}: {
  readonly d: number;
  readonly benchmarkSeed?: number;
}): GaussianBenchmark {
  const functionName = 'createGaussianBenchmark';
  requireDimension(d, { functionName, maximum: 1024 });
  requireBenchmarkSeed(benchmarkSeed, functionName);
  const eigenvalues = Float64Array.from({ length: d }, (_, j) =>
    d === 1 ? 0.5 : 0.5 * 4 ** (j / (d - 1)),
  );
  const root = createRandomGenerator({ seed: benchmarkSeed });
  const sourceRotation = haarRotation({ d, rng: root.split(STREAM_GAUSSIAN_SOURCE_ROTATION) });
  const targetRotation = haarRotation({ d, rng: root.split(STREAM_GAUSSIAN_TARGET_ROTATION) });
  // L = U diag(sqrt(lambda)), so that L z ~ N(0, U diag(lambda) U^T) and S = L L^T.
  const factor = (rotation: Float64Array) =>
    rotation.map((value, index) => value * Math.sqrt(eigenvalues[index % d] as number));
  const sourceFactor = factor(sourceRotation);
  const transpose = (matrix: Float64Array) =>
    Float64Array.from(
      { length: d * d },
      (_, index) => matrix[(index % d) * d + Math.floor(index / d)] as number,
    );
  const sourceCovariance = multiply(sourceFactor, transpose(sourceFactor), d, d, d);
  const targetFactor = factor(targetRotation);
  const targetCovariance = multiply(targetFactor, transpose(targetFactor), d, d, d);
  const zeros = new Float64Array(d);
  const mapMatrix = gaussianMongeMap({
    mean1: zeros,
    covariance1: sourceCovariance,
    mean2: zeros,
    covariance2: targetCovariance,
  }).matrix;

  const sampleSource = (n: number, rng: RandomGenerator): PointCloud => ({
    data: applyMatrix(sourceFactor, rng.fillNormal(new Float64Array(n * d)), n, d),
    n,
    d,
  });

  return Object.freeze({
    name: 'gaussian' as const,
    d,
    benchmarkSeed,
    groundTruth: 'brenier-map' as const,
    strongConvexity: Math.min(...symmetricEigen(mapMatrix, d).values),
    eigenvalues,
    sourceCovariance,
    targetCovariance,
    mapMatrix,
    metadata: {
      description: `Gaussian pair in d = ${d}: N(0, S0) to N(0, S1), S = U diag(geomspace(1/2, 2, d)) U^T with independent Haar rotations; linear Monge map and closed-form entropic coupling`,
      citations: ['daniels2021', 'janati2020', 'mezzadri2007'],
      notes: [
        'Zero means; both covariances share the spectrum geomspace(1/2, 2, d); rotations are Q diag(sign(diag R)) of the QR of a standard normal matrix.',
        'Ground truth: the Monge map x -> A x, and entropicGaussianCoupling of @sinkflow/ot for the entropic problem.',
      ],
    },
    sampleSource(n: number, rng: RandomGenerator): PointCloud {
      requireSamplingArguments(n, rng, 'gaussian.sampleSource');
      return sampleSource(n, rng);
    },
    sampleTarget(n: number, rng: RandomGenerator): PointCloud {
      requireSamplingArguments(n, rng, 'gaussian.sampleTarget');
      const x = sampleSource(n, rng);
      return { data: applyMatrix(mapMatrix, x.data, n, d), n, d };
    },
    transport(x: PointCloud): PointCloud {
      requireCloudOfDimension(x, d, { functionName: 'gaussian.transport', argumentName: 'x' });
      return { data: applyMatrix(mapMatrix, x.data, x.n, d), n: x.n, d };
    },
    potential(x: PointCloud): Float64Array {
      requireCloudOfDimension(x, d, { functionName: 'gaussian.potential', argumentName: 'x' });
      const image = applyMatrix(mapMatrix, x.data, x.n, d);
      const out = new Float64Array(x.n);
      for (let point = 0; point < x.n; point += 1) {
        let value = 0;
        for (let k = 0; k < d; k += 1)
          value += (x.data[point * d + k] as number) * (image[point * d + k] as number);
        out[point] = 0.5 * value;
      }
      return out;
    },
    entropicCoupling({ epsilon }: { readonly epsilon: number }): EntropicGaussianCouplingResult {
      return entropicGaussianCoupling({
        mean1: zeros,
        covariance1: sourceCovariance,
        mean2: zeros,
        covariance2: targetCovariance,
        epsilon,
      });
    },
  });
}
