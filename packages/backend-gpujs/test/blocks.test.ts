import type { SinkhornBackend } from '@sinkflow/ot';
import { backendConformanceCases } from '@sinkflow/ot/testing';
import { describe, expect, it } from 'vitest';
import { planBlocks } from '../src/internal/block-plan.js';
import { loadGpujs } from '../src/internal/gpujs-module.js';
import { prepareGpujsKernel } from '../src/internal/prepare-gpujs-kernel.js';

describe('planBlocks', () => {
  const limits = { maxCells: 64, maxDimension: 8, maxArgumentLength: 256 };
  it('tiles the reduced side and balances padded blocks of kept rows', () => {
    expect(
      planBlocks({ keptCount: 129, reducedCount: 67, tile: 16, limits, dense: false }),
    ).toEqual({
      keptCount: 129,
      reducedCount: 67,
      tile: 16,
      tiles: 5,
      // At most 8 rows per call (the dimension cap; 64 cells / 5 tiles would allow 12):
      // 17 blocks of 8 rows, the last one padded.
      blockRows: 8,
      blockCount: 17,
    });
  });
  it('lengthens the tile when the tiles would not fit along one output dimension', () => {
    const plan = planBlocks({ keptCount: 5, reducedCount: 100, tile: 4, limits, dense: false });
    expect(plan.tiles).toBeLessThanOrEqual(8);
    expect(plan.tile * plan.tiles).toBeGreaterThanOrEqual(100);
  });
  it('keeps a dense block of kernel rows under the argument cap', () => {
    const plan = planBlocks({ keptCount: 40, reducedCount: 33, tile: 256, limits, dense: true });
    expect(plan.blockRows * 33).toBeLessThanOrEqual(256);
    expect(plan.blockRows * plan.blockCount).toBeGreaterThanOrEqual(40);
  });
});

describe('with tiny call caps (many blocks, tiles, column chunks, padding) the backend still conforms', async () => {
  const gpujs = await loadGpujs();
  if (typeof gpujs === 'string') throw new Error(gpujs);
  const limits = { maxCells: 96, maxDimension: 12, maxArgumentLength: 512 };
  for (const mode of ['cpu', 'webasm'] as const) {
    const backend: SinkhornBackend = {
      specificationVersion: 'v1',
      name: `gpujs-${mode}-tiny-calls`,
      prepare: (problem) =>
        prepareGpujsKernel(problem, { gpujs, mode, tile: 5, threads: 1, limits }),
    };
    for (const conformance of backendConformanceCases()) {
      it(`${mode}: ${conformance.name}`, async () => {
        await expect(conformance.run(backend)).resolves.toBeUndefined();
      });
    }
  }
});
