import { BackendUnavailableError, InvalidArgumentError } from '@sinkflow/core';
import { describe, expect, it, vi } from 'vitest';
import { createGpujsBackend } from '../src/index.js';

const n = 6;
const m = 5;
const d = 2;
const x = Float32Array.from({ length: n * d }, (_, k) => Math.sin(k));
const y = Float32Array.from({ length: m * d }, (_, k) => Math.cos(k));

describe('edge cases of the gpu.js backend', async () => {
  const backend = await createGpujsBackend({ mode: 'cpu' });

  it('NaN offsets give NaN, +Infinity offsets give +Infinity', async () => {
    const kernel = await backend.prepare({ x, y, n, m, d, mode: 'online' });
    const out = new Float64Array(n);
    await kernel.logSumExp({
      side: 'rows',
      offsets: Float64Array.of(0, Number.NaN, 0, 0, 0),
      epsilon: 0.1,
      out,
    });
    expect(out.every(Number.isNaN)).toBe(true);
    await kernel.logSumExp({
      side: 'rows',
      offsets: Float64Array.of(0, Number.POSITIVE_INFINITY, 0, 0, 0),
      epsilon: 0.1,
      out,
    });
    expect(out.every((value) => value === Number.POSITIVE_INFINITY)).toBe(true);
    await kernel.dispose();
  });

  it('passes started together run one after the other and agree with passes run alone', async () => {
    const kernel = await backend.prepare({ x, y, n, m, d, mode: 'online' });
    const g = Float64Array.from({ length: m }, (_, j) => 0.1 * j);
    const f = Float64Array.from({ length: n }, (_, i) => -0.1 * i);
    const alone = [new Float64Array(n), new Float64Array(m)] as const;
    await kernel.logSumExp({ side: 'rows', offsets: g, epsilon: 0.1, out: alone[0] });
    await kernel.logSumExp({ side: 'columns', offsets: f, epsilon: 0.1, out: alone[1] });
    const together = [new Float64Array(n), new Float64Array(m)] as const;
    await Promise.all([
      kernel.logSumExp({ side: 'rows', offsets: g, epsilon: 0.1, out: together[0] }),
      kernel.logSumExp({ side: 'columns', offsets: f, epsilon: 0.1, out: together[1] }),
      kernel.statistics({ rowPotentials: f, columnPotentials: g, epsilon: 0.1 }),
    ]);
    expect(together[0]).toEqual(alone[0]);
    expect(together[1]).toEqual(alone[1]);
    await kernel.dispose();
    await kernel.dispose();
  });

  it('rejects bad requests with an InvalidArgumentError naming the argument', async () => {
    const kernel = await backend.prepare({ x, y, n, m, d, mode: 'dense' });
    const cases: [Promise<unknown>, string][] = [
      [
        kernel.logSumExp({
          side: 'rows',
          offsets: new Float64Array(n),
          epsilon: 0.1,
          out: new Float64Array(n),
        }),
        'offsets',
      ],
      [
        kernel.logSumExp({
          side: 'rows',
          offsets: new Float64Array(m),
          epsilon: 0,
          out: new Float64Array(n),
        }),
        'epsilon',
      ],
      [
        kernel.sampleColumns({
          rows: Int32Array.of(0, n),
          draws: new Uint32Array(2),
          columnPotentials: new Float64Array(m),
          epsilon: 0.1,
          seed: 1,
          out: new Int32Array(2),
        }),
        'rows',
      ],
      [
        kernel.conditionalExpectation({
          rows: Int32Array.of(0),
          columnPotentials: new Float64Array(m),
          epsilon: 0.1,
          values: new Float64Array(m * 2 + 1),
          width: 2,
          out: new Float64Array(2),
        }),
        'values',
      ],
    ];
    for (const [request, argumentName] of cases) {
      const error: unknown = await request.catch((e) => e);
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).argumentName).toBe(argumentName);
    }
    await kernel.dispose();
  });

  it('without gpu.js installed, the provider rejects with a BackendUnavailableError', async () => {
    vi.resetModules();
    vi.doMock('gpu.js', () => {
      throw new Error("Cannot find package 'gpu.js'");
    });
    try {
      const { sinkhornBackendProvider } = await import('../src/index.js');
      const error: unknown = await sinkhornBackendProvider.create().catch((e) => e);
      expect(BackendUnavailableError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain("the peer dependency 'gpu.js'");
    } finally {
      vi.doUnmock('gpu.js');
      vi.resetModules();
    }
  });
});
