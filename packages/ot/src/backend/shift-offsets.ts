/**
 * Offsets `h` (potentials, float64) prepared for a float32 soft-max kernel, or the answer every
 * output has without a kernel:
 * - `'finite'`: `top = max_j h_j` is finite and `values` holds the shifted offsets;
 * - `'empty'`: every offset is `-Infinity` (zero mass): every sum is empty (LSE `-Infinity`);
 * - `'invalid'`: an offset is NaN or `+Infinity`; `value` is NaN when one is NaN, else `+Infinity`.
 */
export type ShiftedOffsets =
  | { readonly kind: 'finite'; readonly top: number; readonly values: Float32Array }
  | { readonly kind: 'empty' }
  | { readonly kind: 'invalid'; readonly value: number };

/** How {@link shiftOffsets} writes the shifted offsets. */
export interface ShiftOffsetsOptions {
  /** Offsets are clamped below at this value (after the shift, before the division). @default -Infinity */
  readonly floor?: number;
  /** The shifted offsets are divided by this (`epsilon` for kernels that take `h / eps`). @default 1 */
  readonly divisor?: number;
  /** Length of the output: entries past `offsets.length` are `padding`. @default offsets.length */
  readonly length?: number;
  /** The value of the padding entries. @default floor */
  readonly padding?: number;
  /** Write the float32 values here (e.g. a view of a wasm memory). @default a new Float32Array */
  readonly out?: Float32Array;
  /** Also write the unrounded float64 values here. @default undefined */
  readonly out64?: Float64Array;
}

/**
 * The shared float64 work before a float32 soft-max kernel: finds `top = max_j h_j`, then writes
 *
 *     h'_j = max(h_j - top, floor) / divisor,   padded with `padding`,
 *
 * computed in float64 and only then rounded to float32. Subtracting the maximum keeps the large
 * part of `h` (potentials of hundreds of eps) exact in float64: the kernel sees `h'_j <= 0`, small
 * for every term that matters, and the caller adds `top` back in float64. A `-Infinity` offset
 * stays `-Infinity` (or `floor`). When `top` is not finite nothing is written (see
 * {@link ShiftedOffsets}).
 *
 * @param offsets - The offsets `h` of the pass (float64).
 * @param options - Floor, divisor, padding and targets ({@link ShiftOffsetsOptions}).
 * @returns The kind of the offsets, `top` and the float32 values.
 * @example
 * ```ts
 * shiftOffsets(new Float64Array([500, 499]), { divisor: 0.5, length: 4 });
 * // { kind: 'finite', top: 500, values: Float32Array [0, -2, -Infinity, -Infinity] }
 * ```
 */
export function shiftOffsets(
  offsets: Float64Array,
  options: ShiftOffsetsOptions = {},
): ShiftedOffsets {
  let top = Number.NEGATIVE_INFINITY;
  let nan = false;
  for (let j = 0; j < offsets.length; j += 1) {
    const value = offsets[j] as number;
    if (value > top) top = value;
    else if (Number.isNaN(value)) nan = true;
  }
  if (nan) return { kind: 'invalid', value: Number.NaN };
  if (top === Number.POSITIVE_INFINITY) return { kind: 'invalid', value: top };
  if (top === Number.NEGATIVE_INFINITY) return { kind: 'empty' };
  const {
    floor = Number.NEGATIVE_INFINITY,
    divisor = 1,
    length = offsets.length,
    padding = floor,
    out64,
  } = options;
  const values = options.out ?? new Float32Array(length);
  for (let j = 0; j < offsets.length; j += 1) {
    const value = Math.max((offsets[j] as number) - top, floor) / divisor;
    values[j] = value;
    if (out64 !== undefined) out64[j] = value;
  }
  values.fill(padding, offsets.length, length);
  out64?.fill(padding, offsets.length, length);
  return { kind: 'finite', top, values };
}
