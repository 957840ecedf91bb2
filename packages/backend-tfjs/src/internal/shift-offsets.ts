/**
 * Offsets ready for a float32 device: `(h_j - H) / eps` with `H = max_j h_j`, computed in float64
 * and only then rounded to float32, and padded with -Infinity. The shift keeps the large part of
 * `h` (potentials of hundreds of eps) exact in float64: the device only sees `h_j - H <= 0`, which
 * is small for every term that matters (`h_j - H >= -2 max |K|` for them), and a -Infinity
 * offset (zero weight) stays -Infinity.
 */
export interface ShiftedOffsets {
  /**
   * `'finite'`: H is finite; `'empty'`: every offset is -Infinity (all sums are 0); `'invalid'`:
   * a NaN or +Infinity offset (the results are NaN, as in the reference backend).
   */
  readonly kind: 'finite' | 'empty' | 'invalid';
  /** H, the largest offset (float64). */
  readonly shift: number;
  /** `(h - H) / eps` in float32, length `paddedLength` (-Infinity beyond `offsets.length`). */
  readonly scaled: Float32Array;
}

export function shiftOffsets(
  offsets: Float64Array,
  epsilon: number,
  paddedLength: number,
): ShiftedOffsets {
  let shift = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < offsets.length; j += 1) {
    const value = offsets[j] as number;
    if (Number.isNaN(value) || value === Number.POSITIVE_INFINITY) {
      return { kind: 'invalid', shift: Number.NaN, scaled: new Float32Array(0) };
    }
    if (value > shift) shift = value;
  }
  if (shift === Number.NEGATIVE_INFINITY) {
    return { kind: 'empty', shift, scaled: new Float32Array(0) };
  }
  const scaled = new Float32Array(paddedLength).fill(Number.NEGATIVE_INFINITY);
  for (let j = 0; j < offsets.length; j += 1) {
    scaled[j] = ((offsets[j] as number) - shift) / epsilon;
  }
  return { kind: 'finite', shift, scaled };
}
