import { InvalidArgumentError, requireInteger } from '@sinkflow/core';
import type { FeatureMap } from './feature-map.js';
import type { FrechetDistanceResult } from './frechet-distance.js';
import { gaussianFrechet } from './internal/gaussian-frechet.js';
import type { SampleStatistics } from './internal/sample-statistics.js';
import { StreamingMoments } from './internal/streaming-moments.js';
import { requireDimension, requireSamples, type SampleArray } from './internal/validate-arrays.js';

/** Options of {@link featureFrechetDistance}. */
export interface FeatureFrechetDistanceOptions {
  /** First sample (e.g. generated), rows x d, row-major. */
  readonly x: SampleArray;
  /** Second sample (e.g. the data), rows x d. */
  readonly y: SampleArray;
  /** Dimension of an input row. */
  readonly d: number;
  /** The feature extractor (Inception-v3 pool3 for the FID). */
  readonly featureMap: FeatureMap;
  /** Rows passed to `featureMap.extract` at once. @default 256 */
  readonly batchSize?: number;
}

/** What {@link featureFrechetDistance} returns (lower is better). */
export interface FeatureFrechetDistanceResult extends FrechetDistanceResult {
  /** Mean and covariance (`n - 1`) of the features of `x`. */
  readonly statisticsX: SampleStatistics;
  /** Mean and covariance (`n - 1`) of the features of `y`. */
  readonly statisticsY: SampleStatistics;
}

/**
 * The Fréchet distance between the Gaussian fits of the features of two samples [heusel2017]:
 * with `f = featureMap`, `m_x, S_x` the mean and covariance (normalised by `n - 1`, as pytorch-fid's
 * `np.cov`) of `f(x_i)` and likewise for `y`,
 *
 * `FD = ||m_x - m_y||^2 + tr(S_x + S_y - 2 (S_x^{1/2} S_y S_x^{1/2})^{1/2})`.
 *
 * With the Inception-v3 pool3 features of images this is the FID; its weights cannot be bundled,
 * so supply the model as a {@link FeatureMap}. Features are extracted `batchSize` rows at a time
 * and their moments accumulated in float64.
 *
 * @throws {@link InvalidArgumentError} for bad samples (fewer than 2 rows), `d`, `batchSize`, a
 * feature map without a positive integer `featureDimension`, or one that returns the wrong length.
 * @example
 * ```ts
 * const identity: FeatureMap = { featureDimension: 1, extract: (x) => x };
 * const result = await featureFrechetDistance({
 *   x: Float64Array.of(0, 2), y: Float64Array.of(3, 5), d: 1, featureMap: identity,
 * });
 * result.distance; // 9 (means 1 and 4, equal variances 2)
 * ```
 */
export async function featureFrechetDistance({
  x,
  y,
  d,
  featureMap,
  batchSize = 256,
}: FeatureFrechetDistanceOptions): Promise<FeatureFrechetDistanceResult> {
  const functionName = 'featureFrechetDistance';
  requireDimension(d, functionName);
  requireSamples(x, d, { functionName, argumentName: 'x', minimumRows: 2 });
  requireSamples(y, d, { functionName, argumentName: 'y', minimumRows: 2 });
  requireInteger(batchSize, { functionName, argumentName: 'batchSize', minimum: 1 });
  if (
    featureMap === null ||
    typeof featureMap !== 'object' ||
    typeof featureMap.extract !== 'function'
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'featureMap',
      message: 'must be a FeatureMap { featureDimension, extract(x, batch) }',
      value: featureMap,
    });
  }
  const p = requireInteger(featureMap.featureDimension, {
    functionName,
    argumentName: 'featureMap.featureDimension',
    minimum: 1,
  });
  const statisticsX = await featureMoments(x, d, p, featureMap, batchSize);
  const statisticsY = await featureMoments(y, d, p, featureMap, batchSize);
  const distance = gaussianFrechet(
    statisticsX.mean,
    statisticsX.covariance,
    statisticsY.mean,
    statisticsY.covariance,
    functionName,
    { mean1: 'x', covariance1: 'x', mean2: 'y', covariance2: 'y' },
  );
  return { ...distance, statisticsX, statisticsY };
}

async function featureMoments(
  samples: SampleArray,
  d: number,
  p: number,
  featureMap: FeatureMap,
  batchSize: number,
): Promise<SampleStatistics> {
  const n = samples.length / d;
  const moments = new StreamingMoments(p);
  for (let start = 0; start < n; start += batchSize) {
    const batch = Math.min(batchSize, n - start);
    const features = await featureMap.extract(
      samples.subarray(start * d, (start + batch) * d),
      batch,
    );
    if (features === null || typeof features !== 'object' || features.length !== batch * p) {
      throw new InvalidArgumentError({
        functionName: 'featureFrechetDistance',
        argumentName: 'featureMap',
        message: `extract must return batch * featureDimension = ${batch * p} values`,
        value: features,
      });
    }
    moments.add(features, batch);
  }
  return moments.finish();
}
