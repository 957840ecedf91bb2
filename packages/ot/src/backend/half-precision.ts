/**
 * Relative rounding error of one entry of a kept half-precision kernel (`dense16`): IEEE binary16
 * keeps 11 significant bits, so round to nearest is within 2^-11 [ieee754-2019]. Backends report
 * it as `PreparedKernel.entryPrecision`; the solver tightens its loop by half of it and runs exact
 * passes below twice it.
 *
 * @example
 * ```ts
 * HALF_ENTRY_PRECISION; // 0.00048828125
 * ```
 */
export const HALF_ENTRY_PRECISION = 2 ** -11;
