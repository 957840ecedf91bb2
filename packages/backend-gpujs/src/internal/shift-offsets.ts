/**
 * Offsets below `max h - 1e30` are floored there: exp(-1e30 / eps) is exactly zero in float32
 * for any epsilon below 1e29, so `-Infinity` (a zero weight) contributes nothing, as it must, and
 * the kernels never see an infinity.
 */
const FLOOR = -1e30;

/** Offsets ready for a float32 kernel, or the value that fills the whole output instead. */
export type ShiftedOffsets =
  | { readonly kind: 'shifted'; readonly shift: number; readonly values: Float32Array }
  | { readonly kind: 'fill'; readonly value: number };

/**
 * Shifts offsets by their maximum in float64 before rounding them to float32:
 * `h'_j = max(h_j - max_k h_k, -1e30)`. Kernels then see values of the scale of `K` (the
 * maximum maps to 0) instead of `|h|`, which may be far larger than epsilon (potentials of 500
 * at eps = 1e-3 would lose 4 digits in float32), and the caller adds `max h` back in float64.
 *
 * When the maximum is not finite every output is known without a kernel: `NaN` (an offset is
 * NaN: NaN in, NaN out), `-Infinity` (all offsets are: every sum is empty) or `+Infinity`.
 */
export function shiftOffsets(offsets: Float64Array): ShiftedOffsets {
  let shift = Number.NEGATIVE_INFINITY;
  for (const value of offsets) {
    if (Number.isNaN(value)) return { kind: 'fill', value: Number.NaN };
    if (value > shift) shift = value;
  }
  if (!Number.isFinite(shift)) return { kind: 'fill', value: shift };
  const values = new Float32Array(offsets.length);
  for (let k = 0; k < offsets.length; k += 1) {
    values[k] = Math.max((offsets[k] as number) - shift, FLOOR);
  }
  return { kind: 'shifted', shift, values };
}
