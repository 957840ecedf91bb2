import { createRandomGenerator, InvalidArgumentError, requireInteger } from '@sinkflow/core';

/**
 * Dequantized pixels `y = (p + u) / DEQUANTIZATION_SCALE - 1` live on a grid of width
 * `1 / DEQUANTIZATION_SCALE` = 2/256: a density `q(y)` over d dimensions gives the discrete pixels
 * `log P(p) >= log q(y) - d log DEQUANTIZATION_SCALE`, so bits per dimension
 * `= -log2 q(y) / d + log2(DEQUANTIZATION_SCALE)` = `-log2 q(y) / d + 7` [theis2016].
 */
export const DEQUANTIZATION_SCALE = 128;

/** How {@link scaleImages} maps 8-bit pixels to floats. */
export type ImageScaling = 'centered' | 'dequantized';

/**
 * 8-bit pixels `p in {0, ..., 255}` as float32 in [-1, 1], row-major as given:
 *
 * - `'centered'`: `y = p / 127.5 - 1` (0 -> -1, 255 -> 1), the usual flow-matching input;
 * - `'dequantized'`: `y = (p + u) / 128 - 1` with `u ~ U[0, 1)` drawn from the seeded Philox
 *   generator of `@sinkflow/core`, in [-1, 1] (float32 rounding): a continuous density on these values gives the
 *   bits per dimension of the discrete data (see {@link DEQUANTIZATION_SCALE}) [theis2016].
 *
 * @param options.pixels - The pixels (for example `parseIdx(...).data` of an `idx3-ubyte` file).
 * @param options.scaling - @default 'centered'
 * @param options.seed - Seed of the dequantization noise (a safe integer >= 0); required for `'dequantized'`.
 * @throws {@link InvalidArgumentError} naming `pixels`, `scaling` or `seed`.
 * @example
 * ```ts
 * scaleImages({ pixels: new Uint8Array([0, 255, 51]) }); // Float32Array [-1, 1, -0.6]
 * ```
 */
export function scaleImages({
  pixels,
  scaling = 'centered',
  seed,
}: {
  readonly pixels: Uint8Array;
  readonly scaling?: ImageScaling;
  readonly seed?: number;
}): Float32Array {
  const functionName = 'scaleImages';
  if (!(pixels instanceof Uint8Array)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'pixels',
      message: 'must be a Uint8Array of 8-bit pixels',
      value: pixels,
    });
  }
  const out = new Float32Array(pixels.length);
  if (scaling === 'centered') {
    for (let k = 0; k < pixels.length; k += 1) out[k] = (pixels[k] as number) / 127.5 - 1;
    return out;
  }
  if (scaling !== 'dequantized') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'scaling',
      message: "must be 'centered' or 'dequantized'",
      value: scaling,
    });
  }
  requireInteger(seed, { functionName, argumentName: 'seed', minimum: 0 });
  const random = createRandomGenerator({ seed: seed as number });
  for (let k = 0; k < pixels.length; k += 1) {
    out[k] = ((pixels[k] as number) + random.uniform()) / DEQUANTIZATION_SCALE - 1;
  }
  return out;
}
