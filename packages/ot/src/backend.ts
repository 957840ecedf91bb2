/**
 * `@sinkflow/ot/backend`: what a backend package needs besides its kernels. The checks every
 * backend's `prepare` and passes run (with the same errors), and the float64 work around a float32
 * soft-max kernel ({@link shiftOffsets}), and the types a backend implements besides
 * `SinkhornBackend` and `KernelMode` (which users name too, and `@sinkflow/ot` exports): the
 * prepared kernel, its problem and its request and result types.
 *
 * @packageDocumentation
 */
export {
  checkEpsilon,
  checkKernelProblem,
  checkRequestLengths,
  checkRowIndices,
} from './backend/check-requests.js';
export { combineLogSumExp } from './backend/combine-log-sum-exp.js';
export { HALF_ENTRY_PRECISION } from './backend/half-precision.js';
export type { ShiftedOffsets, ShiftOffsetsOptions } from './backend/shift-offsets.js';
export { shiftOffsets } from './backend/shift-offsets.js';
export type {
  ConditionalExpectationRequest,
  CouplingStatistics,
  KeptKernelReport,
  KernelProblem,
  KernelSide,
  LogSumExpRequest,
  PreparedKernel,
  SampleColumnsRequest,
  StatisticsRequest,
} from './backend/sinkhorn-backend.js';
