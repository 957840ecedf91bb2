import type { PairSource, PairSourceState, PairSourceStatistics } from '@sinkflow/fm';

/**
 * A pair source over pairs drawn once from a precomputed coupling [klein2025]: row `k` of the
 * stream is `(x0[rows[k]], x1[columns[k]])`, in the order drawn (exact pairs `(i, j) ~ P` are
 * already independent of one another), wrapping round after the last. Its state is the position
 * in the list, so a resumed trainer continues with the next pair.
 *
 * @param options.secondsPerExample - the coupling's Sinkhorn seconds per example, reported in the
 *   statistics (`otSecondsPerExample`).
 * @example
 * ```ts
 * const pairs = createSampledPairSource({ x0, x1, d: 784, rows, columns, renormalizedEntropy: 0.1, secondsPerExample: 1e-4 });
 * ```
 */
export function createSampledPairSource({
  x0,
  x1,
  d,
  rows,
  columns,
  renormalizedEntropy,
  secondsPerExample,
}: {
  readonly x0: Float32Array;
  readonly x1: Float32Array;
  readonly d: number;
  readonly rows: Int32Array;
  readonly columns: Int32Array;
  readonly renormalizedEntropy: number;
  readonly secondsPerExample: number;
}): PairSource {
  let offset = 0;
  let served = 0;
  const statistics = (): PairSourceStatistics => ({
    kind: 'precomputed',
    execution: 'none',
    executionNote: 'pairs drawn once from the saved coupling',
    couplings: 1,
    pairs: served,
    lastRenormalizedEntropy: renormalizedEntropy,
    meanRenormalizedEntropy: renormalizedEntropy,
    otSeconds: secondsPerExample * rows.length,
    otSecondsPerExample: secondsPerExample,
    samplingSeconds: 0,
    allConverged: true,
  });
  return {
    kind: 'precomputed',
    d,
    start: async ({ state } = {}) => {
      offset = state === undefined ? 0 : state.offset % rows.length;
    },
    next: async ({ count }) => {
      const a = new Float32Array(count * d);
      const b = new Float32Array(count * d);
      for (let k = 0; k < count; k += 1) {
        const i = rows[offset] as number;
        const j = columns[offset] as number;
        a.set(x0.subarray(i * d, (i + 1) * d), k * d);
        b.set(x1.subarray(j * d, (j + 1) * d), k * d);
        offset = (offset + 1) % rows.length;
      }
      served += count;
      return { count, d, x0: a, x1: b, couplings: [] };
    },
    getState: (): PairSourceState => ({
      kind: 'precomputed',
      version: 1,
      chunk: 0,
      offset,
      extra: { pairs: rows.length },
      arrays: {},
    }),
    statistics,
    dispose: async () => {},
  };
}
