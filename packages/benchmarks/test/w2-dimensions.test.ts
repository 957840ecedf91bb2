import { InvalidArgumentError } from '@sinkflow/core';
import { describe, expect, it } from 'vitest';
import { createW2Mix3ToMix10Benchmark, W2_DIMENSIONS } from '../src/index.js';

describe('W2_DIMENSIONS', () => {
  it('lists the published Mix3toMix10 dimensions, and createW2Mix3ToMix10Benchmark refuses others', () => {
    expect([...W2_DIMENSIONS]).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 512]);
    expect(Object.isFrozen(W2_DIMENSIONS)).toBe(true);
    const empty = new Uint8Array(0);
    for (const d of [3, 1024]) {
      expect(() =>
        createW2Mix3ToMix10Benchmark({ d, firstCheckpoint: empty, secondCheckpoint: empty }),
      ).toThrow(InvalidArgumentError);
    }
    // A listed dimension passes the check on d and fails only on the (empty) checkpoint bytes.
    expect(() =>
      createW2Mix3ToMix10Benchmark({
        d: W2_DIMENSIONS[0],
        firstCheckpoint: empty,
        secondCheckpoint: empty,
      }),
    ).toThrow(/firstCheckpoint/);
  });
});
