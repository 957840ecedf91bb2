import { requirePositiveNumber } from '@sinkflow/core';
import { type GaussianPairOptions, squaredMeanGap, validateGaussianPair } from './gaussian-pair.js';
import { multiply, spectralFunction, symmetricEigen, trace } from './symmetric-matrix.js';

/** Options of {@link entropicGaussianCoupling}. */
export interface EntropicGaussianCouplingOptions extends GaussianPairOptions {
  /**
   * The regularization `eps > 0` of `E ||x - y||^2 + eps KL(pi | mu (x) nu)`, i.e. `2 sigma^2` in
   * Janati et al.'s notation. For the engine's `'sqeuclidean'` cost `1/2 ||x - y||^2` at epsilon
   * `e`, pass `2 e` (and read {@link EntropicGaussianCouplingResult.halfSquaredEuclidean}).
   */
  readonly epsilon: number;
}

/** Entropic OT between two Gaussians: the value, its two parts and the optimal coupling. */
export interface EntropicGaussianCouplingResult {
  readonly d: number;
  /** `eps`, as given (cost `||x - y||^2`). */
  readonly epsilon: number;
  /** `sigma^2 = eps / 2`, Janati et al.'s parameter; also the engine's epsilon for `1/2 ||x - y||^2`. */
  readonly sigmaSquared: number;
  /** `OT_eps = min_pi E_pi ||x - y||^2 + eps KL(pi | mu (x) nu)`. */
  readonly cost: number;
  /** `E_pi ||x - y||^2 = ||m1 - m2||^2 + tr S1 + tr S2 - 2 tr C` at the optimal pi. */
  readonly transportCost: number;
  /** `KL(pi | mu (x) nu)`, the mutual information of the optimal coupling; `cost = transportCost + eps mutualInformation`. */
  readonly mutualInformation: number;
  /**
   * `C = Cov_pi(x, y) = 1/2 S1^(1/2) D S1^(-1/2) - sigma^2 / 2 I`, `d x d` row-major (row: coordinate
   * of x, column: coordinate of y); the optimal pi is `N((m1, m2), [[S1, C], [C^T, S2]])`.
   */
  readonly crossCovariance: Float64Array;
  /**
   * The same problem in the engine's convention (cost `1/2 ||x - y||^2`, epsilon `sigma^2 = eps / 2`,
   * the same coupling): `cost` and `transportCost` are halved. Compare `cost` with Sinkhorn's
   * `regularizedCost + epsilon (H(a) + H(b))` (the KL-to-product form; `H(a) = log n` for uniform
   * weights) and `transportCost` with `transportCostSqEuclidean`.
   */
  readonly halfSquaredEuclidean: {
    readonly epsilon: number;
    readonly cost: number;
    readonly transportCost: number;
  };
}

/**
 * The closed form of entropic OT between two Gaussians (balanced case of Janati, Muzellec, Peyré
 * and Cuturi 2020, Theorem 1 [janati2020]), for the cost `||x - y||^2` regularized by
 * `eps KL(pi | mu (x) nu)`, `eps = 2 sigma^2`:
 *
 *   D     = (4 S1^(1/2) S2 S1^(1/2) + sigma^4 I)^(1/2),
 *   OT_eps = ||m1 - m2||^2 + tr S1 + tr S2 - tr D + d sigma^2 (1 - log(2 sigma^2)) + sigma^2 log det(D + sigma^2 I),
 *   C     = 1/2 S1^(1/2) D S1^(-1/2) - sigma^2 / 2 I,
 *
 * and `KL = 1/2 sum_k log((sqrt(mu_k) + sigma^2) / (2 sigma^2))` over the eigenvalues `mu_k` of
 * `D^2` (so `OT_eps = E ||x - y||^2 + eps KL`). As `eps -> 0`, `OT_eps -> W_2^2` ({@link gaussianW2})
 * and `C -> S1 A` with `A` the Monge map's matrix ({@link gaussianMongeMap}). Both covariances must be
 * positive definite. O(d^3).
 *
 * Conversion to the Sinkhorn engine (`solveSinkhorn({ cost: 'sqeuclidean', epsilon: absoluteEpsilon(e) })`,
 * cost `1/2 ||x - y||^2`): call with `epsilon: 2 e`; the engine's coupling estimates this one, its
 * KL-form value `regularizedCost + e (H(a) + H(b))` estimates `halfSquaredEuclidean.cost`.
 *
 * @throws {@link InvalidArgumentError} as {@link gaussianW2}, when a covariance is not positive
 * definite, or when `epsilon` is not a positive finite number.
 * @example
 * ```ts
 * const result = entropicGaussianCoupling({ mean1: [0], covariance1: [1], mean2: [1], covariance2: [4], epsilon: 2 });
 * result.crossCovariance; // Float64Array [1.5615528128088303] ((sqrt(17) - 1) / 2)
 * result.cost; // 3.817508016489548
 * ```
 */
export function entropicGaussianCoupling({
  mean1,
  covariance1,
  mean2,
  covariance2,
  epsilon,
}: EntropicGaussianCouplingOptions): EntropicGaussianCouplingResult {
  const functionName = 'entropicGaussianCoupling';
  requirePositiveNumber(epsilon, { functionName, argumentName: 'epsilon' });
  const pair = validateGaussianPair({ mean1, covariance1, mean2, covariance2 }, functionName, {
    covariance1: true,
    covariance2: true,
  });
  const { d } = pair;
  const sigmaSquared = epsilon / 2;
  const root = spectralFunction(pair.eigen1, Math.sqrt);
  const inverseRoot = spectralFunction(pair.eigen1, (value) => 1 / Math.sqrt(value));
  const inner = multiply(multiply(root, pair.covariance2, d), root, d);
  for (let k = 0; k < d * d; k += 1) inner[k] = 4 * (inner[k] as number);
  for (let k = 0; k < d; k += 1)
    inner[k * d + k] = (inner[k * d + k] as number) + sigmaSquared * sigmaSquared;
  const innerEigen = symmetricEigen(inner, d);
  const dMatrix = spectralFunction(innerEigen, (value) => Math.sqrt(Math.max(value, 0)));
  let traceD = 0;
  let logDeterminant = 0;
  let mutualInformation = 0;
  for (const value of innerEigen.values) {
    const eigenvalueOfD = Math.sqrt(Math.max(value, 0));
    traceD += eigenvalueOfD;
    logDeterminant += Math.log(eigenvalueOfD + sigmaSquared);
    // log1p keeps digits when sqrt(mu) is close to sigma^2 (nearly independent coupling).
    mutualInformation += 0.5 * Math.log1p((eigenvalueOfD - sigmaSquared) / (2 * sigmaSquared));
  }
  const crossCovariance = multiply(multiply(root, dMatrix, d), inverseRoot, d);
  for (let k = 0; k < d * d; k += 1) crossCovariance[k] = 0.5 * (crossCovariance[k] as number);
  for (let k = 0; k < d; k += 1)
    crossCovariance[k * d + k] = (crossCovariance[k * d + k] as number) - sigmaSquared / 2;
  const meanTerm = squaredMeanGap(pair);
  const traces = trace(pair.covariance1, d) + trace(pair.covariance2, d);
  const cost =
    meanTerm +
    traces -
    traceD +
    d * sigmaSquared * (1 - Math.log(2 * sigmaSquared)) +
    sigmaSquared * logDeterminant;
  const transportCost = meanTerm + traces - 2 * trace(crossCovariance, d);
  return Object.freeze({
    d,
    epsilon,
    sigmaSquared,
    cost,
    transportCost,
    mutualInformation,
    crossCovariance,
    halfSquaredEuclidean: Object.freeze({
      epsilon: sigmaSquared,
      cost: cost / 2,
      transportCost: transportCost / 2,
    }),
  });
}
