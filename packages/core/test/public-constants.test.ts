import { describe, expect, it } from 'vitest';
import {
  counterGumbel,
  counterUniform,
  createRandomGenerator,
  InvalidArgumentError,
  MAXIMUM_USER_DOMAIN,
  npyArray,
  npyBytesPerElement,
  RANDOM_GENERATOR_STATE_VERSION,
  readNpyHeader,
  serializeNpy,
} from '../src/index.js';

describe('public constants of @sinkflow/core, used as API', () => {
  it('npyBytesPerElement gives the data size of a serialized array of each dtype', () => {
    const cases = [
      npyArray(new Float32Array(6), [2, 3]),
      npyArray(new Float64Array(6), [3, 2]),
      npyArray(new Int32Array(6), [6]),
    ];
    for (const array of cases) {
      const bytes = serializeNpy(array);
      const header = readNpyHeader(bytes);
      expect(bytes.byteLength - header.dataOffset).toBe(6 * npyBytesPerElement[array.dtype]);
    }
    expect(npyBytesPerElement).toEqual({ float32: 4, float64: 8, int32: 4 });
  });

  it('RANDOM_GENERATOR_STATE_VERSION is the version a saved state carries and must carry', () => {
    const generator = createRandomGenerator({ seed: 42 });
    generator.uniform();
    const state = generator.getState();
    expect(state.version).toBe(RANDOM_GENERATOR_STATE_VERSION);
    const restored = createRandomGenerator({ state });
    expect(restored.uniform()).toBe(generator.uniform());
    const foreign = {
      ...state,
      version: RANDOM_GENERATOR_STATE_VERSION + 1,
    } as unknown as typeof state;
    expect(() => createRandomGenerator({ state: foreign })).toThrow(InvalidArgumentError);
  });

  it('MAXIMUM_USER_DOMAIN is the largest domain the keyed draws accept', () => {
    const u = counterUniform(7, 1, 2, 3, MAXIMUM_USER_DOMAIN);
    expect(u).toBeGreaterThan(0);
    expect(u).toBeLessThan(1);
    expect(u).not.toBe(counterUniform(7, 1, 2, 3));
    expect(Number.isFinite(counterGumbel(7, 1, 2, 3, MAXIMUM_USER_DOMAIN))).toBe(true);
    expect(() => counterUniform(7, 1, 2, 3, MAXIMUM_USER_DOMAIN + 1)).toThrow(InvalidArgumentError);
  });
});
