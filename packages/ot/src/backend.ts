/**
 * `@sinkflow/ot/backend`: what a backend package needs besides its kernels. The checks every
 * backend's `prepare` and passes run (with the same errors), and the float64 work around a float32
 * soft-max kernel ({@link shiftOffsets}). The interface itself (`SinkhornBackend`,
 * `PreparedKernel`, the request types) is exported by `@sinkflow/ot`.
 *
 * @packageDocumentation
 */
export {
  checkEpsilon,
  checkKernelProblem,
  checkRequestLengths,
  checkRowIndices,
} from './backend/check-requests.js';
export type { ShiftedOffsets, ShiftOffsetsOptions } from './backend/shift-offsets.js';
export { shiftOffsets } from './backend/shift-offsets.js';
