import { InvalidArgumentError } from '@sinkflow/core';
import { describe, expect, it } from 'vitest';
import { DEQUANTIZATION_SCALE, scaleImages } from '../src/index.js';

describe('scaleImages', () => {
  it("'centered' maps 0 -> -1 and 255 -> 1 linearly", () => {
    const pixels = Uint8Array.from({ length: 256 }, (_, k) => k);
    const out = scaleImages({ pixels });
    expect(out[0]).toBe(-1);
    expect(out[255]).toBe(1);
    for (let k = 0; k < 256; k += 1) expect(out[k]).toBeCloseTo(k / 127.5 - 1, 6);
  });

  it("'dequantized' puts pixel p uniformly in [(p / 128) - 1, ((p + 1) / 128) - 1], deterministic in the seed", () => {
    const pixels = new Uint8Array(20_000).fill(77);
    const out = scaleImages({ pixels, scaling: 'dequantized', seed: 5 });
    const low = 77 / DEQUANTIZATION_SCALE - 1;
    const high = 78 / DEQUANTIZATION_SCALE - 1;
    let sum = 0;
    for (const value of out) {
      expect(value).toBeGreaterThanOrEqual(low);
      expect(value).toBeLessThanOrEqual(high);
      sum += (value - low) * DEQUANTIZATION_SCALE;
    }
    // The offset u is U[0, 1): mean 1/2 with standard error 1/sqrt(12 * 20000) = 0.002.
    expect(Math.abs(sum / out.length - 0.5)).toBeLessThan(0.01);
    expect(scaleImages({ pixels, scaling: 'dequantized', seed: 5 })).toEqual(out);
    expect(scaleImages({ pixels, scaling: 'dequantized', seed: 6 })).not.toEqual(out);
  });

  it('names the argument at fault', () => {
    const bad = [
      [{ pixels: [1, 2] as unknown as Uint8Array }, 'pixels'],
      [{ pixels: new Uint8Array(1), scaling: 'other' as 'centered' }, 'scaling'],
      [{ pixels: new Uint8Array(1), scaling: 'dequantized' as const }, 'seed'],
    ] as const;
    for (const [options, argumentName] of bad) {
      let caught: unknown;
      try {
        scaleImages(options);
      } catch (error) {
        caught = error;
      }
      expect(InvalidArgumentError.isInstance(caught)).toBe(true);
      expect((caught as InvalidArgumentError).argumentName).toBe(argumentName);
    }
  });
});
