import { relativeEpsilon } from '@sinkflow/entropy';
import { describe, expect, it } from 'vitest';
import { compileKernels, instantiateKernels } from '../src/backend/wasm/compile-kernels.js';
import { createWasmBackend } from '../src/backend/wasm/create-wasm-backend.js';
import {
  chunksBreakingBound,
  prepareRowChunkedKernel,
  rowChunksFor,
} from '../src/backend/wasm/row-chunked-kernel.js';
import { webAssembly } from '../src/backend/wasm/webassembly-api.js';
import type { PreparedKernel } from '../src/backend.js';
import {
  createJsBackend,
  createSinkhornProblem,
  HALF_BYTES_PER_ENTRY,
  kernelModeChoice,
} from '../src/index.js';
import { fixtureCloud, loadFixture } from './load-fixture.js';
import { maximumDifference, randomClouds, randomVector } from './wasm-reference.js';

// The dense16 mode: the half-precision anchored kernel of scripts/wasm/half-kernel.mjs and
// src/backend/wasm/half-kernel-pass.ts, against POT, the float64 js backend and the online kernel.

const backend = createWasmBackend({ threads: 2, tuning: { parallelThreshold: 0 } });

describe('half-precision storage (the half_test entry point: encode, then decode)', () => {
  it('rounds to nearest within 2^-11 relative for normal halves, 2^-39 absolute below, clamps at 65504', async () => {
    const memory = new webAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
    const exports = instantiateKernels(await compileKernels(), memory);
    const count = 1 << 15;
    const source = new Float32Array(memory.buffer, 0, count);
    const decoded = new Float32Array(memory.buffer, 4 * count, count);
    // Kept values e in [2^-45, 2^3]: stored as half(2^14 e), decoded as 2^-112 half.
    for (let k = 0; k < count; k += 1) source[k] = Math.fround(2 ** (-45 + (48 * k) / count));
    (exports.half_test as (...args: number[]) => void)(0, 4 * count, count);
    let largestRelative = 0;
    let largestAbsolute = 0;
    for (let k = 0; k < count; k += 1) {
      const kept = source[k] as number;
      const back = (decoded[k] as number) * 2 ** (112 - 14);
      if (kept >= 2 ** 1.999) {
        expect(back).toBe(65504 * 2 ** -14);
      } else if (kept >= 2 ** -28) {
        largestRelative = Math.max(largestRelative, Math.abs(back - kept) / kept);
      } else {
        largestAbsolute = Math.max(largestAbsolute, Math.abs(back - kept));
      }
    }
    expect(largestRelative).toBeLessThanOrEqual(2 ** -11);
    expect(largestRelative).toBeGreaterThan(2 ** -12); // the grid is 11 bits, not finer
    expect(largestAbsolute).toBeLessThanOrEqual(2 ** -39 * (1 + 2 ** -10));
  });
});

interface PotCase {
  readonly name: string;
  readonly d: number;
  readonly cost: 'dot' | 'sqeuclidean';
  readonly relativeEpsilon: number;
  readonly x: number[];
  readonly y: number[];
  readonly a: number[] | null;
  readonly b: number[] | null;
  readonly transportCost: number;
  readonly renormalizedEntropy: number;
}

describe('dense16 solves against POT sinkhorn_log (scripts/fixtures/sinkhorn_fixtures.py)', () => {
  const { cases } = loadFixture<{ cases: PotCase[] }>('sinkhorn.json');
  for (const fixture of cases) {
    it(`${fixture.name}: converged, with POT's cost and entropy to the threshold's accuracy`, async () => {
      const problem = await createSinkhornProblem({
        x: fixtureCloud(fixture.x, fixture.d, fixture.a),
        y: fixtureCloud(fixture.y, fixture.d, fixture.b),
        cost: fixture.cost,
        mode: 'dense16',
        backend,
      });
      try {
        const threshold = 1e-3;
        const solution = await problem.solve({
          epsilon: relativeEpsilon(fixture.relativeEpsilon),
          threshold,
        });
        // Converged is decided by the exact float64 statistics pass (online kernel).
        expect(solution.converged).toBe(true);
        expect(solution.mode).toBe('dense16');
        expect(Math.max(solution.marginalError, solution.rowMarginalError)).toBeLessThan(threshold);
        // A coupling within L1 marginal error 1e-3 moves <P, C> by at most 1e-3 max|C - mean|.
        expect(Math.abs(solution.transportCost - fixture.transportCost)).toBeLessThan(
          4 * threshold * Math.max(1, Math.abs(fixture.transportCost)),
        );
        expect(Math.abs(solution.renormalizedEntropy - fixture.renormalizedEntropy)).toBeLessThan(
          1e-2,
        );
      } finally {
        await problem.dispose();
      }
    });
  }
});

describe('dense16 on a sharp coupling (n = 800, d = 16), against the float64 js backend', () => {
  it('converges, and matches the costs, the entropy and the sampled pairs', async () => {
    const { x, y } = randomClouds(800, 700, 16, 5);
    const clouds = {
      x: { data: x, n: 800, d: 16 },
      y: { data: y.map((value) => 0.5 * value + 1), n: 700, d: 16 },
    };
    const epsilon = relativeEpsilon(0.01);
    const threshold = 1e-3;
    const reference = await createSinkhornProblem({ ...clouds, backend: createJsBackend() });
    const half = await createSinkhornProblem({ ...clouds, backend, mode: 'dense16' });
    try {
      const expected = await reference.solve({ epsilon, threshold: 1e-6 });
      const solution = await half.solve({ epsilon, threshold });
      expect(solution.converged).toBe(true);
      expect(Math.max(solution.marginalError, solution.rowMarginalError)).toBeLessThan(threshold);
      expect(Math.abs(solution.transportCost - expected.transportCost)).toBeLessThan(
        threshold * expected.costStd * 4,
      );
      expect(Math.abs(solution.renormalizedEntropy - expected.renormalizedEntropy)).toBeLessThan(
        5e-3,
      );
      // Sampled pairs agree with the reference coupling: the mean cost of 20 000 pairs.
      const pairs = await half.samplePairs({ potentials: solution, count: 20000, seed: 3 });
      const expectedPairs = await reference.samplePairs({
        potentials: expected,
        count: 20000,
        seed: 3,
      });
      const agree = pairs.columns.filter((column, k) => column === expectedPairs.columns[k]);
      expect(agree.length / 20000).toBeGreaterThan(0.9);
    } finally {
      await reference.dispose();
      await half.dispose();
    }
  }, 120_000);
});

describe('the kept matrix, its anchors and its report', () => {
  it('answers passes that follow a solve from the matrix, rebuilds on a new epsilon, and honours exact', async () => {
    const { x, y } = randomClouds(600, 500, 8, 9);
    const kernel = await backend.prepare({ x, y, n: 600, m: 500, d: 8, mode: 'dense16' });
    const online = await backend.prepare({ x, y, n: 600, m: 500, d: 8, mode: 'online' });
    try {
      const f = new Float64Array(600);
      const g = new Float64Array(500);
      const logA = -Math.log(600);
      const logB = -Math.log(500);
      const epsilon = 0.05;
      const check = async (side: 'rows' | 'columns', offsets: Float64Array, out: Float64Array) => {
        const expected = new Float64Array(out.length);
        await online.logSumExp({ side, offsets, epsilon, out: expected });
        expect(maximumDifference(out, expected)).toBeLessThan(epsilon * 2 ** -10);
      };
      for (let iteration = 0; iteration < 30; iteration += 1) {
        const gNew = new Float64Array(500);
        await kernel.logSumExp({ side: 'columns', offsets: f, epsilon, out: gNew });
        await check('columns', f, gNew);
        for (let j = 0; j < 500; j += 1) g[j] = epsilon * logB - (gNew[j] as number);
        const fNew = new Float64Array(600);
        await kernel.logSumExp({ side: 'rows', offsets: g, epsilon, out: fNew });
        await check('rows', g, fNew);
        for (let i = 0; i < 600; i += 1) f[i] = epsilon * logA - (fNew[i] as number);
      }
      const afterSolve = kernel.keptKernelReport?.();
      expect(afterSolve).toBeDefined();
      expect(afterSolve?.keptPasses).toBeGreaterThan(40);
      expect(afterSolve?.builds).toBeLessThan(10);
      // exact: answered online, the matrix untouched.
      const out = new Float64Array(600);
      await kernel.logSumExp({ side: 'rows', offsets: g, epsilon, out, exact: true });
      expect(kernel.keptKernelReport?.().keptPasses).toBe(afterSolve?.keptPasses);
      // A new epsilon: a new matrix.
      await kernel.logSumExp({ side: 'rows', offsets: g, epsilon: 0.07, out });
      expect(kernel.keptKernelReport?.().builds).toBe((afterSolve?.builds ?? 0) + 1);
      expect(kernel.entryPrecision).toBe(2 ** -11);
    } finally {
      await kernel.dispose();
      await online.dispose();
    }
  });

  it('rebuilds when offsets leave the anchor (a column jumps by 40 eps), and stays exact', async () => {
    const { x, y } = randomClouds(300, 200, 4, 2);
    const kernel = await backend.prepare({ x, y, n: 300, m: 200, d: 4, mode: 'dense16' });
    const online = await backend.prepare({ x, y, n: 300, m: 200, d: 4, mode: 'online' });
    try {
      const epsilon = 0.02;
      const g = randomVector(200, 4, 0.01);
      const out = new Float64Array(300);
      const expected = new Float64Array(300);
      await kernel.logSumExp({ side: 'rows', offsets: g, epsilon, out });
      const builds = kernel.keptKernelReport?.().builds ?? 0;
      g[17] = (g[17] as number) + 40 * epsilon;
      await kernel.logSumExp({ side: 'rows', offsets: g, epsilon, out });
      await online.logSumExp({ side: 'rows', offsets: g, epsilon, out: expected });
      expect(maximumDifference(out, expected)).toBeLessThan(epsilon * 2 ** -10);
      expect(kernel.keptKernelReport?.().builds).toBe(builds + 1);
    } finally {
      await kernel.dispose();
      await online.dispose();
    }
  });
});

describe('row chunks: a kept kernel in several memories', () => {
  it('splits rows into the fewest equal blocks that fit', () => {
    expect(rowChunksFor(10, (rows) => rows <= 4)).toEqual([
      { start: 0, count: 4 },
      { start: 4, count: 4 },
      { start: 8, count: 2 },
    ]);
    expect(rowChunksFor(10, () => true)).toEqual([{ start: 0, count: 10 }]);
    expect(() => rowChunksFor(10, () => false)).toThrow(/not even one row/);
  });

  it('judges the partial sums of the columns pass by their share of the combined sum', () => {
    const eps = 1;
    const out = Float64Array.of(0, 0);
    // Exact chunks: nothing to redo.
    const exact = [
      Float64Array.of(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY),
      Float64Array.of(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY),
    ];
    expect(chunksBreakingBound([out, out], exact, out, eps)).toEqual([]);
    // Chunk 0 is imprecise on a column where it holds 1e-6 of the mass: harmless.
    const small = [
      Float64Array.of(Math.log(1e-6 * 0.5), Number.NEGATIVE_INFINITY),
      exact[1] as Float64Array,
    ];
    expect(chunksBreakingBound([out, out], small, out, eps)).toEqual([]);
    // Chunk 1 is off by 10 % of a column's whole mass: it answers again, chunk 0 does not.
    const large = [
      exact[0] as Float64Array,
      Float64Array.of(Math.log(0.1), Number.NEGATIVE_INFINITY),
    ];
    expect(chunksBreakingBound([out, out], large, out, eps)).toEqual([1]);
  });

  it('gives the passes, statistics and samples of one kernel (3 chunks of dense16)', async () => {
    const n = 250;
    const m = 190;
    const d = 6;
    const { x, y } = randomClouds(n, m, d, 4);
    const problem = { x, y, n, m, d, mode: 'dense16' as const };
    const chunked = await prepareRowChunkedKernel(
      problem,
      rowChunksFor(n, (rows) => rows <= 90),
      (part) => backend.prepare(part),
    );
    const online: PreparedKernel = await backend.prepare({ ...problem, mode: 'online' });
    try {
      const epsilon = 0.1;
      for (const [side, length, offsetsLength] of [
        ['rows', n, m],
        ['columns', m, n],
      ] as const) {
        const offsets = randomVector(offsetsLength, 7, 0.2);
        const out = new Float64Array(length);
        const expected = new Float64Array(length);
        await chunked.logSumExp({ side, offsets, epsilon, out });
        await online.logSumExp({ side, offsets, epsilon, out: expected });
        expect(maximumDifference(out, expected)).toBeLessThan(epsilon * 2 ** -10);
      }
      const f = randomVector(n, 8, 0.05).map((value) => value - epsilon * Math.log(n));
      const g = randomVector(m, 9, 0.05).map((value) => value - epsilon * Math.log(m));
      const stats = await chunked.statistics({ rowPotentials: f, columnPotentials: g, epsilon });
      const expectedStats = await online.statistics({
        rowPotentials: f,
        columnPotentials: g,
        epsilon,
      });
      expect(Array.from(stats.rowSums)).toEqual(Array.from(expectedStats.rowSums));
      const rows = Int32Array.from({ length: 100 }, (_, k) => (k * 7) % n);
      const draws = Uint32Array.from({ length: 100 }, (_, k) => k);
      const sampled = new Int32Array(100);
      const expectedSampled = new Int32Array(100);
      await chunked.sampleColumns({
        rows,
        draws,
        columnPotentials: g,
        epsilon,
        seed: 5,
        out: sampled,
      });
      await online.sampleColumns({
        rows,
        draws,
        columnPotentials: g,
        epsilon,
        seed: 5,
        out: expectedSampled,
      });
      expect(Array.from(sampled)).toEqual(Array.from(expectedSampled));
      expect(chunked.keptKernelReport?.().builds).toBeGreaterThanOrEqual(3);
    } finally {
      await chunked.dispose();
      await online.dispose();
    }
  });
});

describe('auto mode: dense, dense16 or online, with the reason', () => {
  const modes = ['dense', 'dense16', 'online'] as const;
  it('keeps float32 K and K^T when they fit, else the half-precision kernel, else online', () => {
    const budget = 12 * 2 ** 30;
    expect(
      kernelModeChoice({ n: 16384, m: 16384, d: 64, memoryBudgetBytes: budget, modes }),
    ).toMatchObject({
      mode: 'dense',
      reason: expect.stringContaining('fit the budget of 12.0 GiB'),
    });
    const large = kernelModeChoice({ n: 65536, m: 65536, d: 64, memoryBudgetBytes: budget, modes });
    expect(large.mode).toBe('dense16');
    expect(large.reason).toContain('32.0 GiB');
    expect(large.reason).toContain('8.0 GiB');
    expect(HALF_BYTES_PER_ENTRY * 65536 * 65536).toBe(8 * 2 ** 30);
    expect(
      kernelModeChoice({ n: 131072, m: 131072, d: 64, memoryBudgetBytes: budget, modes }).mode,
    ).toBe('online');
    // A backend limit on dense (wasm32) moves a fitting budget to dense16.
    expect(
      kernelModeChoice({
        n: 30000,
        m: 30000,
        d: 64,
        memoryBudgetBytes: budget,
        modes,
        maxDenseEntries: 2 ** 29,
      }).mode,
    ).toBe('dense16');
    // Without dense16 in the backend's modes, as before.
    expect(kernelModeChoice({ n: 65536, m: 65536, d: 64, memoryBudgetBytes: budget }).mode).toBe(
      'online',
    );
    expect(kernelModeChoice({ n: 100, m: 100, d: 3, memoryBudgetBytes: budget, modes })).toEqual({
      mode: 'online',
      reason: 'd = 3 < 4: recomputing <x, y> costs less than reading it',
    });
  });

  it('createSinkhornProblem keeps the reason, and refuses a mode the backend lacks', async () => {
    const { x, y } = randomClouds(64, 64, 8, 1);
    const clouds = { x: { data: x, n: 64, d: 8 }, y: { data: y, n: 64, d: 8 } };
    const problem = await createSinkhornProblem({
      ...clouds,
      backend,
      memoryBudgetBytes: 20000,
    });
    try {
      expect(problem.mode).toBe('dense16');
      expect(problem.modeReason).toMatch(/half-precision kernel needs/);
    } finally {
      await problem.dispose();
    }
    await expect(
      createSinkhornProblem({ ...clouds, backend: createJsBackend(), mode: 'dense16' }),
    ).rejects.toMatchObject({ argumentName: 'mode' });
  });
});
