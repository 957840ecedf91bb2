export { CheckFailedError } from './testing/check-failed-error.js';
export type { CloseComparison, Precision, Tolerance } from './testing/tolerance.js';
export { assertClose, compareClose, machineEpsilon, toleranceFor } from './testing/tolerance.js';
