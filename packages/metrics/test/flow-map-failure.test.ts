import { NumericalFailureError } from '@sinkflow/core';
import { describe, expect, it } from 'vitest';
import { flowMap } from '../src/index.js';

describe('flowMap', () => {
  it('throws a NumericalFailureError naming flowMap when the solver stops before `to`', async () => {
    const blowUp = {
      d: 1,
      evaluate: (_x: Float64Array, _t: number, out: Float64Array) => {
        out[0] = Number.NaN;
      },
    };
    const map = flowMap({ field: blowUp, method: 'euler', steps: 4 });
    const failure = await Promise.resolve()
      .then(() => map(Float64Array.of(1)))
      .catch((error: unknown) => error);
    expect(NumericalFailureError.isInstance(failure)).toBe(true);
    expect((failure as NumericalFailureError).functionName).toBe('flowMap');
    expect((failure as Error).message).toMatch(/^flowMap: the euler solver stopped at t = /);
  });
});
