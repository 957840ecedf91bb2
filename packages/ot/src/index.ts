export type { PairwiseCostMatrixOptions } from './assignment/pairwise-cost-matrix.js';
export { pairwiseCostMatrix } from './assignment/pairwise-cost-matrix.js';
export type {
  AssignmentResult,
  AssignPointCloudsOptions,
  SolveAssignmentOptions,
} from './assignment/solve-assignment.js';
export { assignPointClouds, solveAssignment } from './assignment/solve-assignment.js';
export type { SinkhornBackendProvider } from './backend/backend-provider.js';
export { jsBackendProvider, wasmBackendProvider } from './backend/builtin-providers.js';
export type {
  BackendCalibration,
  CalibrationShape,
  CalibrationStore,
  StoredCalibration,
} from './backend/calibrate-backends.js';
export { calibrateBackends } from './backend/calibrate-backends.js';
export { defaultBackend, wasmBackendSupported } from './backend/default-backend.js';
export { createJsBackend } from './backend/js/create-js-backend.js';
export type { OptionalBackendProviders } from './backend/optional-providers.js';
export {
  loadOptionalBackendProviders,
  OPTIONAL_BACKEND_PACKAGES,
} from './backend/optional-providers.js';
export type { BackendChoice, ResolveBackendOptions } from './backend/resolve-backend.js';
export { resolveBackend } from './backend/resolve-backend.js';
export type {
  KeptKernelReport,
  KernelMode,
  SinkhornBackend,
} from './backend/sinkhorn-backend.js';
export type { WasmBackendOptions } from './backend/wasm/create-wasm-backend.js';
export { createWasmBackend } from './backend/wasm/create-wasm-backend.js';
export type { SinkhornCheckpoint } from './checkpoint/sinkhorn-checkpoint.js';
export type {
  CheckpointedSolution,
  SolveWithCheckpointsOptions,
} from './checkpoint/solve-with-checkpoints.js';
export { solveWithCheckpoints } from './checkpoint/solve-with-checkpoints.js';
export type {
  SinkhornDivergenceOptions,
  SinkhornDivergenceResult,
} from './divergence/sinkhorn-divergence.js';
export { sinkhornDivergence } from './divergence/sinkhorn-divergence.js';
export type { EmdPointCloudsOptions, EmdResult, SolveEmdOptions } from './emd/solve-emd.js';
export { emdPointClouds, solveEmd } from './emd/solve-emd.js';
export type { SparsePlan } from './emd/sparse-plan.js';
export type {
  EntropicGaussianCouplingOptions,
  EntropicGaussianCouplingResult,
} from './gaussian/entropic-gaussian-coupling.js';
export { entropicGaussianCoupling } from './gaussian/entropic-gaussian-coupling.js';
export type { GaussianFit } from './gaussian/fit-gaussian.js';
export { fitGaussian } from './gaussian/fit-gaussian.js';
export type { GaussianMongeMap } from './gaussian/gaussian-monge-map.js';
export { gaussianMongeMap } from './gaussian/gaussian-monge-map.js';
export type { GaussianPairOptions } from './gaussian/gaussian-pair.js';
export type { GaussianW2Result } from './gaussian/gaussian-w2.js';
export { gaussianW2 } from './gaussian/gaussian-w2.js';
export type { SymmetricEigen } from './gaussian/symmetric-matrix.js';
export { symmetricEigen } from './gaussian/symmetric-matrix.js';
export type { Cost, Geometry, GeometryOptions } from './geometry/point-cloud-geometry.js';
export { createGeometry } from './geometry/point-cloud-geometry.js';
export type { PrincipalComponents } from './geometry/principal-components.js';
export {
  cloudsMean,
  principalComponents,
  projectOnComponents,
} from './geometry/principal-components.js';
export type { TransportPlan1dResult } from './one-dimensional/transport-plan-1d.js';
export { transportPlan1d } from './one-dimensional/transport-plan-1d.js';
export type {
  OneDimensionalOptions,
  Wasserstein1dResult,
} from './one-dimensional/wasserstein-1d.js';
export { wasserstein1d } from './one-dimensional/wasserstein-1d.js';
export type { CouplingSummary } from './problem/coupling-summary.js';
export type { SinkhornProblem, SinkhornProblemOptions } from './problem/create-sinkhorn-problem.js';
export { createSinkhornProblem, solveSinkhorn } from './problem/create-sinkhorn-problem.js';
export type { KernelModeChoice } from './problem/memory-budget.js';
export {
  chooseKernelMode,
  defaultMemoryBudget,
  HALF_BYTES_PER_ENTRY,
  kernelModeChoice,
} from './problem/memory-budget.js';
export type { SampledPairs } from './sampling/sample-pairs.js';
export type {
  PartnerSampler,
  PartnerSamplerOptions,
  SemidiscreteRefinement,
} from './semidiscrete/partner-sampler.js';
export { createPartnerSampler } from './semidiscrete/partner-sampler.js';
export type {
  SampledPartners,
  SamplePartnersOptions,
} from './semidiscrete/sample-partners.js';
export { samplePartners } from './semidiscrete/sample-partners.js';
export type { SemidiscreteState } from './semidiscrete/semidiscrete-state.js';
export { validateSemidiscreteState } from './semidiscrete/semidiscrete-state.js';
export type {
  SemidiscreteCost,
  SemidiscreteSource,
} from './semidiscrete/semidiscrete-target.js';
export type {
  SemidiscreteProgress,
  SemidiscreteSolution,
  SolveSemidiscreteOptions,
} from './semidiscrete/solve-semidiscrete.js';
export { solveSemidiscrete } from './semidiscrete/solve-semidiscrete.js';
export type { SinkhornSettings } from './settings/sinkhorn-settings.js';
export { SINKHORN_DEFAULTS } from './settings/sinkhorn-settings.js';
export type { ValidatedSinkhornSettings } from './settings/validate-sinkhorn-settings.js';
export { validateSinkhornSettings } from './settings/validate-sinkhorn-settings.js';
export type { RandomProjectionsOptions } from './sliced/random-projections.js';
export { randomProjections } from './sliced/random-projections.js';
export type {
  SlicedWassersteinOptions,
  SlicedWassersteinResult,
} from './sliced/sliced-wasserstein.js';
export { slicedWasserstein } from './sliced/sliced-wasserstein.js';
export type { MomentumReport } from './solver/lehmann-momentum.js';
export { lehmannWeight, MOMENTUM_PATIENCE_CHECKS } from './solver/lehmann-momentum.js';
export type { SinkhornProgress } from './solver/sinkhorn-loop.js';
export type { SinkhornSolveOptions } from './solver/sinkhorn-options.js';
export type { CouplingPotentials, SinkhornSolution } from './solver/sinkhorn-solution.js';
export type {
  EntropySearchStep,
  EntropySearchTotals,
  EntropySolveResult,
  SolveForEntropyOptions,
} from './solver/solve-for-entropy.js';
export { UnreachableEntropyError } from './solver/unreachable-entropy-error.js';
