/**
 * The floor of the shifted offsets of every gpujs pass (`shiftOffsets(h, { floor })` from
 * `@sinkflow/ot/backend`): offsets below `max h - 1e30` are floored there. `exp(-1e30 / eps)` is
 * exactly zero in float32 for any epsilon below 1e29, so `-Infinity` (a zero weight) contributes
 * nothing, as it must, and the kernels never see an infinity.
 */
export const OFFSET_FLOOR = -1e30;
