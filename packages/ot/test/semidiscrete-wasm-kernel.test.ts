import {
  createPointCloud,
  createRandomGenerator,
  DisposedError,
  InvalidArgumentError,
} from '@sinkflow/core';
import { assertClose } from '@sinkflow/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createPartnerSampler, samplePartners } from '../src/index.js';
import { samplePartnersWith } from '../src/semidiscrete/sample-partners.js';
import {
  type ScorePassRequest,
  type ScoreTargets,
  typescriptScoreKernel,
} from '../src/semidiscrete/semidiscrete-score-pass.js';
import {
  type PreparedWasmScoreKernel,
  prepareWasmScoreKernel,
  prepareWasmScoreKernelSync,
} from '../src/semidiscrete/wasm-score-kernel.js';

// Differential test of the wasm score kernel against the float64 TypeScript reference
// (conventions, 13): the same indices up to float32 ties, sums to float32 accuracy.

interface Shape {
  readonly n: number;
  readonly d: number;
  readonly rows: number;
  readonly capacity: number;
  readonly threads: number;
}

const SHAPES: readonly Shape[] = [
  { n: 50, d: 3, rows: 37, capacity: 64, threads: 1 },
  // Batches larger than the capacity run in chunks (the Gumbel rows keep their keys).
  { n: 301, d: 70, rows: 61, capacity: 24, threads: 1 },
  // Large enough for the thread pool; d = 9 is the first looped tile.
  { n: 2000, d: 9, rows: 300, capacity: 300, threads: 2 },
];

function problem({ n, d, rows }: Shape, seed: number) {
  const random = createRandomGenerator({ seed });
  const targets: ScoreTargets = {
    y: Float64Array.from(random.fillNormal(new Float32Array(n * d))),
    count: n,
    d,
  };
  const x = random.fillNormal(new Float32Array(rows * d));
  // Offsets of the size of the scores, so that the argmax is not the largest norm alone.
  const offsets = Float64Array.from({ length: n }, () => 2 * Math.sqrt(d) * random.uniform());
  return { targets, x, offsets };
}

/** Every wasm index is the reference's, or scores within float32 rounding of its best. */
function expectSameIndices(
  actual: Int32Array,
  expected: Int32Array,
  targets: ScoreTargets,
  x: Float32Array,
  offsets: Float64Array,
  scale: number,
): void {
  let ties = 0;
  for (let i = 0; i < expected.length; i += 1) {
    if (actual[i] === expected[i]) continue;
    const score = (j: number) => {
      let dot = 0;
      for (let k = 0; k < targets.d; k += 1)
        dot += (x[i * targets.d + k] as number) * (targets.y[j * targets.d + k] as number);
      return (offsets[j] as number) + dot;
    };
    expect(Math.abs(score(actual[i] as number) - score(expected[i] as number))).toBeLessThan(
      1e-5 * scale,
    );
    ties += 1;
  }
  expect(ties).toBeLessThanOrEqual(Math.max(1, expected.length / 50));
}

describe('wasm score kernel against the TypeScript reference', () => {
  const prepared: PreparedWasmScoreKernel[] = [];
  afterAll(async () => {
    for (const kernel of prepared) await kernel.dispose();
  });

  for (const shape of SHAPES) {
    const label = `N = ${shape.n}, d = ${shape.d}, ${shape.rows} rows, capacity ${shape.capacity}, ${shape.threads} thread(s)`;
    it(`${label}: argmax, Gumbel-max and soft-max`, async () => {
      const { targets, x, offsets } = problem(shape, shape.n + shape.d);
      const wasm = await prepareWasmScoreKernel(targets, {
        capacity: shape.capacity,
        threads: shape.threads,
      });
      prepared.push(wasm);
      expect(wasm.threads).toBe(shape.threads);
      const { rows, n, d } = shape;
      const scale = 2 * Math.sqrt(d) + d;
      const run = (kernel: typeof typescriptScoreKernel, request: Partial<ScorePassRequest>) => {
        const out = {
          value: new Float64Array(rows),
          index: new Int32Array(rows),
          assignmentSums: new Float64Array(n),
          assignmentSquares: new Float64Array(n),
          expectations: new Float64Array(rows * d),
        };
        kernel(targets, {
          x,
          count: rows,
          offsets,
          mode: 'argmax',
          epsilon: 0,
          ...out,
          ...request,
        } as ScorePassRequest);
        return out;
      };

      // Hard: indices, the max score (float64 at the chosen index) and the cell counts.
      const hard = run(typescriptScoreKernel, {});
      const hardWasm = run(wasm.kernel, {});
      expectSameIndices(hardWasm.index, hard.index, targets, x, offsets, scale);
      assertClose(hardWasm.value, hard.value, { tolerance: { absolute: 1e-5 * scale } });
      const counts = (index: Int32Array) => {
        const out = new Float64Array(n);
        for (const j of index) out[j] = (out[j] as number) + 1;
        return out;
      };
      expect(Array.from(hardWasm.assignmentSums)).toEqual(Array.from(counts(hardWasm.index)));

      // Gumbel-max: the same keyed noise, so the same partners.
      const epsilon = 0.3;
      const gumbel = { seed: 5, rowStart: 11, draw: 2 };
      const noisy = run(typescriptScoreKernel, { epsilon, gumbel, value: undefined });
      const noisyWasm = run(wasm.kernel, { epsilon, gumbel, value: undefined });
      expectSameIndices(noisyWasm.index, noisy.index, targets, x, offsets, scale);
      expect(noisyWasm.index).not.toEqual(hardWasm.index);

      // Soft-max: eps LSE, sum_i pi_ij, sum_i pi_ij^2, sum_j pi_ij y_j.
      const soft = run(typescriptScoreKernel, { mode: 'softmax', epsilon, index: undefined });
      const softWasm = run(wasm.kernel, { mode: 'softmax', epsilon, index: undefined });
      // Float32 scores: |dK| ~ 2^-24 |x| |y| sqrt(d), relative error |dK| / eps in pi.
      const tolerance = { relative: 2e-5 * scale, absolute: 2e-5 * scale };
      assertClose(softWasm.value, soft.value, { tolerance, label: 'value' });
      assertClose(softWasm.assignmentSums, soft.assignmentSums, { tolerance, label: 'sums' });
      assertClose(softWasm.assignmentSquares, soft.assignmentSquares, {
        tolerance,
        label: 'squares',
      });
      assertClose(softWasm.expectations, soft.expectations, { tolerance, label: 'expectations' });
      // The sums are added to what the arrays held.
      const twice = new Float64Array(softWasm.assignmentSums);
      wasm.kernel(targets, {
        x,
        count: rows,
        offsets,
        mode: 'softmax',
        epsilon,
        assignmentSums: twice,
      });
      assertClose(
        twice,
        soft.assignmentSums.map((v) => 2 * v),
        { tolerance },
      );
    });
  }

  it('refuses other targets, and requests after dispose', async () => {
    const shape = SHAPES[0] as Shape;
    const { targets, x, offsets } = problem(shape, 1);
    const wasm = await prepareWasmScoreKernel(targets, { capacity: 8, threads: 1 });
    const request: ScorePassRequest = { x, count: shape.rows, offsets, mode: 'argmax', epsilon: 0 };
    expect(() => wasm.kernel({ ...targets }, request)).toThrow(/targets/);
    await wasm.dispose();
    expect(() => wasm.kernel(targets, request)).toThrow(/disposed/);
    // The synchronous variant (samplePartners) compiles in Node and gives the same indices.
    const synchronous = prepareWasmScoreKernelSync(targets, { capacity: 8 });
    expect(synchronous?.threads).toBe(1);
    const [first, second] = [new Int32Array(shape.rows), new Int32Array(shape.rows)];
    synchronous?.kernel(targets, { ...request, index: first });
    typescriptScoreKernel(targets, { ...request, index: second });
    expect(Array.from(first)).toEqual(Array.from(second));
  });
});

describe('createPartnerSampler', () => {
  for (const epsilon of [0, 0.4]) {
    it(`epsilon = ${epsilon}: the partners and map of the reference, batch after batch (100 rows: samplePartners on wasm; 7: on the reference)`, async () => {
      const random = createRandomGenerator({ seed: 21 });
      const d = 5;
      const y = createPointCloud(random.fillNormal(new Float32Array(1200 * d)), { d });
      const g = Float64Array.from({ length: 1200 }, () => random.uniform());
      const sampler = await createPartnerSampler({ y, g, epsilon, capacity: 48 });
      for (const [rows, seed, draw] of [
        [100, 3, 0],
        [7, 3, 1],
      ] as const) {
        const x = createPointCloud(random.fillNormal(new Float32Array(rows * d)), { d });
        // The float64 reference, samplePartners (wasm, one thread) and the sampler (threads).
        const expected = samplePartnersWith(
          { x, y, g, epsilon, seed, draw },
          typescriptScoreKernel,
        );
        const synchronous = samplePartners({ x, y, g, epsilon, seed, draw });
        const actual = sampler.sample({ x, seed, draw });
        expect(Array.from(actual.indices)).toEqual(Array.from(expected.indices));
        expect(Array.from(synchronous.indices)).toEqual(Array.from(expected.indices));
        assertClose(actual.map, expected.map, {
          precision: 'float32',
          tolerance: { absolute: 1e-4 },
        });
        assertClose(synchronous.map, expected.map, {
          precision: 'float32',
          tolerance: { absolute: 1e-4 },
        });
      }
      await sampler.dispose();
      const x = createPointCloud(new Float32Array(d), { d });
      expect(() => sampler.sample({ x })).toThrow(DisposedError);
    });
  }

  it('names a bad argument', async () => {
    const y = createPointCloud(new Float32Array([0, 1]), { d: 1 });
    const error = await createPartnerSampler({ y, g: [0, 0], capacity: 0 }).catch(
      (caught) => caught,
    );
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argumentName).toBe('capacity');
    const other = await createPartnerSampler({ y, g: [0] }).catch((caught) => caught);
    expect((other as InvalidArgumentError).argumentName).toBe('g');
  });
});
