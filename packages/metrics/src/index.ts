export type { BwUvpOptions, BwUvpResult, CouplingBwUvpOptions } from './bw-uvp.js';
export { bwUvp, couplingBwUvp } from './bw-uvp.js';
export type { CurvatureOptions, CurvatureResult } from './curvature.js';
export { curvature } from './curvature.js';
export type { EntropicJointCovarianceOptions } from './entropic-joint-covariance.js';
export { entropicJointCovariance } from './entropic-joint-covariance.js';
export type {
  FeatureFrechetDistanceOptions,
  FeatureFrechetDistanceResult,
} from './feature-frechet-distance.js';
export { featureFrechetDistance } from './feature-frechet-distance.js';
export type { FeatureMap } from './feature-map.js';
export type { FlowMapOptions, PointMap } from './flow-map.js';
export { flowMap } from './flow-map.js';
export type { FrechetDistanceOptions, FrechetDistanceResult } from './frechet-distance.js';
export { frechetDistance } from './frechet-distance.js';
export type {
  Dequantization,
  NegativeLogLikelihoodOptions,
  NegativeLogLikelihoodResult,
  ProductSource,
} from './negative-log-likelihood.js';
export { negativeLogLikelihood } from './negative-log-likelihood.js';
export type { ReconstructionOptions, ReconstructionResult } from './reconstruction.js';
export { reconstruction } from './reconstruction.js';
export type { SampleArray } from './sample-array.js';
export type { SampleStatistics } from './sample-moments.js';
export { sampleMoments } from './sample-moments.js';
export type {
  WassersteinDistanceOptions,
  WassersteinDistanceResult,
} from './wasserstein-distance.js';
export { wassersteinDistance } from './wasserstein-distance.js';
