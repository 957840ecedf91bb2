export type { MarginalRatios, PseudoCoupling } from './coupling/pseudo-coupling.js';
export { createPseudoCoupling } from './coupling/pseudo-coupling.js';
export type {
  DualTrainingResult,
  TrainDualPotentialsOptions,
} from './dual/train-dual-potentials.js';
export { trainDualPotentials } from './dual/train-dual-potentials.js';
export type {
  MlpNetwork,
  MlpNetworkConfig,
  MlpNetworkOptions,
} from './network/mlp-network.js';
export { createMlpNetwork } from './network/mlp-network.js';
export type {
  BarycentricProjectionResult,
  TrainBarycentricProjectionOptions,
} from './projection/train-barycentric-projection.js';
export { trainBarycentricProjection } from './projection/train-barycentric-projection.js';
export type { ChiSquaredRegularizerOptions } from './regularizer/chi-squared-regularizer.js';
export { chiSquaredRegularizer } from './regularizer/chi-squared-regularizer.js';
export { klRegularizer } from './regularizer/kl-regularizer.js';
export type { FDivergenceRegularizer, RegularizerKind } from './regularizer/regularizer.js';
export type { SampleConditionalOptions } from './sample/sample-conditional.js';
export { sampleConditional } from './sample/sample-conditional.js';
export { gaussianTargetScore } from './score/gaussian-target-score.js';
export type { TargetScore } from './score/target-score.js';
export type {
  DenoisingScoreModelResult,
  TrainDenoisingScoreModelOptions,
} from './score/train-denoising-score-model.js';
export { trainDenoisingScoreModel } from './score/train-denoising-score-model.js';
