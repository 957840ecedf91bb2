export { BackendUnavailableError } from './errors/backend-unavailable-error.js';
export { DisposedError } from './errors/disposed-error.js';
export { InternalError } from './errors/internal-error.js';
export { InvalidArgumentError } from './errors/invalid-argument-error.js';
export { NpyFormatError } from './errors/npy-format-error.js';
export { NumericalFailureError } from './errors/numerical-failure-error.js';
export { ProtocolError } from './errors/protocol-error.js';
export { hasMarker, SinkflowError } from './errors/sinkflow-error.js';
export type { NpyArray, NpyDtype, NpyTypedArray } from './npy/npy-array.js';
export { npyArray, npyBytesPerElement } from './npy/npy-array.js';
export type { NpyHeader } from './npy/npy-header.js';
export { readNpyHeader } from './npy/npy-header.js';
export type { ParseNpyOptions } from './npy/parse-npy.js';
export { parseNpy } from './npy/parse-npy.js';
export { serializeNpy } from './npy/serialize-npy.js';
export type { PointCloudContext } from './point-cloud/create-point-cloud.js';
export { createPointCloud, validatePointCloud } from './point-cloud/create-point-cloud.js';
export { compensatedSum, normalizeWeights } from './point-cloud/normalize-weights.js';
export type { PointCloud } from './point-cloud/point-cloud.js';
export { pointCloudWeights } from './point-cloud/point-cloud.js';
export type { CounterRowOptions } from './random/counter-random.js';
export {
  counterGumbel,
  counterUniform,
  fillCounterGumbelRow,
  fillCounterUniformRow,
} from './random/counter-random.js';
export { gumbelFromUniform } from './random/gumbel-from-uniform.js';
export { philox4x32, philox4x32Block } from './random/philox.js';
export type { RandomGenerator, RandomGeneratorOptions } from './random/random-generator.js';
export { createRandomGenerator } from './random/random-generator.js';
export type { RandomGeneratorState } from './random/random-generator-state.js';
export { RANDOM_GENERATOR_STATE_VERSION } from './random/random-generator-state.js';
export type { PhiloxKey } from './random/random-key.js';
export { MAXIMUM_USER_DOMAIN } from './random/random-key.js';
export { UNIFORM_MAXIMUM, UNIFORM_MINIMUM, uniformFromBits } from './random/uniform-from-bits.js';
export type { ArgumentContext } from './validation/argument-checks.js';
export {
  requireFiniteNumber,
  requireInteger,
  requireOneOf,
  requirePositiveNumber,
} from './validation/argument-checks.js';
