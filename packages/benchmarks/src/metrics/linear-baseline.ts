import { createRandomGenerator, requireInteger } from '@sinkflow/core';
import { fitGaussian, gaussianMongeMap } from '@sinkflow/ot';
import type { MapBenchmark } from '../benchmark.js';
import { scoreTransportMap, type TransportMapScore } from './score-transport-map.js';

/**
 * The linear baseline of the W2 benchmark [korotin2021] (`score_baseline_maps(..., 'linear')`):
 * fit Gaussians N(m0, S0) to a source sample and N(m1, S1) to a target sample (`fitSampleSize`
 * points each, population covariances), take the Monge map between the fits
 * `T_lin(x) = m1 + A (x - m0)`, `A = S0^{-1/2} (S0^{1/2} S1 S0^{1/2})^{1/2} S0^{-1/2}`
 * (`gaussianMongeMap` of `@sinkflow/ot`), and score it against `transport` on
 * `evaluationSampleSize` fresh source points ({@link scoreTransportMap}), with `Var(target)` the
 * trace of S1. The best any affine map can do is roughly this; an estimated map should beat it.
 * Deterministic given the benchmark and `seed` (three consecutive draws from one generator:
 * source fit, target fit, evaluation).
 *
 * @param options.benchmark - A benchmark with a ground-truth map.
 * @param options.seed - Seeds the three samples. @default 0
 * @param options.fitSampleSize - Points per Gaussian fit. @default 16384 (2^14, the reference's)
 * @param options.evaluationSampleSize - Points scored. @default 4096 (the reference's)
 * @throws {@link InvalidArgumentError} for bad sizes or seed.
 * @example
 * ```ts
 * linearBaselineScore({ benchmark: createGaussianBenchmark({ d: 8 }) }).l2UnexplainedVariance; // ~0 (the map is linear)
 * ```
 */
export function linearBaselineScore({
  benchmark,
  seed = 0,
  fitSampleSize = 2 ** 14,
  evaluationSampleSize = 4096,
}: {
  readonly benchmark: MapBenchmark;
  readonly seed?: number;
  readonly fitSampleSize?: number;
  readonly evaluationSampleSize?: number;
}): TransportMapScore {
  const functionName = 'linearBaselineScore';
  requireInteger(seed, { functionName, argumentName: 'seed', minimum: 0 });
  requireInteger(fitSampleSize, { functionName, argumentName: 'fitSampleSize', minimum: 2 });
  requireInteger(evaluationSampleSize, {
    functionName,
    argumentName: 'evaluationSampleSize',
    minimum: 1,
  });
  const rng = createRandomGenerator({ seed });
  const sourceFit = fitGaussian({ x: benchmark.sampleSource(fitSampleSize, rng) });
  const targetFit = fitGaussian({ x: benchmark.sampleTarget(fitSampleSize, rng) });
  const map = gaussianMongeMap({
    mean1: sourceFit.mean,
    covariance1: sourceFit.covariance,
    mean2: targetFit.mean,
    covariance2: targetFit.covariance,
  });
  const source = benchmark.sampleSource(evaluationSampleSize, rng);
  const { d } = benchmark;
  let targetVariance = 0;
  for (let k = 0; k < d; k += 1) targetVariance += targetFit.covariance[k * d + k] as number;
  return scoreTransportMap({
    source,
    predicted: { data: map.apply(source.data), n: source.n, d },
    expected: benchmark.transport(source),
    targetVariance,
  });
}
