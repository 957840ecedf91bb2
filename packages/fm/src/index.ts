export type { IntegrateOptions, IntegrateResult, OdeMethod, VelocityField } from '@sinkflow/ode';
export { integrate, ODE_METHODS } from '@sinkflow/ode';
export type {
  BackendAttempt,
  BackendCandidate,
  BackendSelection,
} from './backend/select-backend.js';
export { selectBackend } from './backend/select-backend.js';
export { readCheckpoint, writeCheckpoint } from './checkpoint/checkpoint-files.js';
export {
  type CheckpointRecovery,
  recoverCheckpoint,
} from './checkpoint/recover-checkpoint.js';
export type {
  CheckpointMetadataValue,
  TrainerCheckpoint,
} from './checkpoint/trainer-checkpoint.js';
export {
  TRAINING_CHECKPOINT_FORMAT,
  TRAINING_CHECKPOINT_VERSION,
} from './checkpoint/trainer-checkpoint.js';
export type { DistributionSampler } from './data/distribution-sampler.js';
export { standardNormalSampler } from './data/distribution-sampler.js';
export { drawPoints, requireSampler } from './data/draw-points.js';
export type { MlpVelocityModelOptions } from './model/create-mlp-velocity-model.js';
export {
  createMlpVelocityModel,
  mlpVelocityModelFromConfig,
} from './model/create-mlp-velocity-model.js';
export type { DenseStackOptions } from './model/dense-stack.js';
export { DenseStack } from './model/dense-stack.js';
export { defaultTimeFrequencies, fourierTimeFeatures } from './model/fourier-time-features.js';
export type {
  Activation,
  MlpVelocityModelConfig,
  NamedWeight,
  VelocityModel,
} from './model/velocity-model.js';
export type { AdamOptimizer, AdamOptions, AdamState } from './optim/adam-optimizer.js';
export { createAdamOptimizer } from './optim/adam-optimizer.js';
export type { TrainWithAdamOptions } from './optim/train-with-adam.js';
export { trainWithAdam } from './optim/train-with-adam.js';
export type { BatchOtPairSourceOptions } from './pairs/batch-ot-pair-source.js';
export { createBatchOtPairSource } from './pairs/batch-ot-pair-source.js';
export type { ExactAssignmentPairSourceOptions } from './pairs/exact-assignment-pair-source.js';
export { createExactAssignmentPairSource } from './pairs/exact-assignment-pair-source.js';
export type { IndependentPairSourceOptions } from './pairs/independent-pair-source.js';
export { createIndependentPairSource } from './pairs/independent-pair-source.js';
export type {
  CouplingReport,
  PairBatch,
  PairSource,
  PairSourceKind,
  PairSourceState,
  PairSourceStatistics,
  SemidiscreteFitReport,
} from './pairs/pair-source.js';
export type { PrecomputedCouplingPairSourceOptions } from './pairs/precomputed-coupling-pair-source.js';
export { createPrecomputedCouplingPairSource } from './pairs/precomputed-coupling-pair-source.js';
export type {
  SemidiscreteDual,
  SemidiscreteFitOptions,
  SemidiscretePairSourceOptions,
} from './pairs/semidiscrete-pair-source.js';
export { createSemidiscretePairSource } from './pairs/semidiscrete-pair-source.js';
export type { SinkhornPairOptions } from './pairs/sinkhorn-pair-options.js';
export type {
  SupervisedPairSourceOptions,
  TransportMap,
} from './pairs/supervised-pair-source.js';
export { createSupervisedPairSource } from './pairs/supervised-pair-source.js';
export { TrainingWorkerError } from './parallel/training-worker-error.js';
export type { TrainingWorkers } from './parallel/training-workers.js';
export type { PathSample, ProbabilityPath } from './path/probability-path.js';
export { straightLinePath } from './path/probability-path.js';
export { createModelVelocityField } from './sample/model-velocity-field.js';
export type { SampleFlowOptions } from './sample/sample-flow.js';
export { sampleFlow } from './sample/sample-flow.js';
export type {
  LogitNormalTimeSampler,
  TimeSampler,
  TimeSamplerDescription,
  UniformTimeSampler,
} from './time/time-sampler.js';
export {
  describeTimeSampler,
  logitNormalTimeSampler,
  timeSamplerFromDescription,
  uniformTimeSampler,
} from './time/time-sampler.js';
export type {
  FlowMatchingTrainer,
  FlowMatchingTrainerOptions,
  StepReport,
  TrainingReport,
} from './train/flow-matching-trainer.js';
export { createFlowMatchingTrainer } from './train/flow-matching-trainer.js';
export { resumeFlowMatchingTrainer } from './train/resume-flow-matching-trainer.js';
export type { WeightAverage } from './train/weight-average.js';
export { requireEmaDecay } from './train/weight-average.js';
