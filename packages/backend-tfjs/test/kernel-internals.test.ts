import { counterGumbel, createRandomGenerator, InvalidArgumentError } from '@sinkflow/core';
import { createJsBackend } from '@sinkflow/ot';
import type { KernelProblem } from '@sinkflow/ot/backend';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createTfjsBackend } from '../src/index.js';
import { mergeInto, mergeRowPartials } from '../src/internal/block-partials.js';
import { gumbelArgmax } from '../src/internal/gumbel-argmax.js';

describe('gumbelArgmax', () => {
  it('equals the plain argmax over every column, with or without pruning', () => {
    const random = createRandomGenerator({ seed: 9 });
    const noise = new Float64Array(500);
    for (const spread of [0.1, 10, 100, 1e4]) {
      for (let trial = 0; trial < 20; trial += 1) {
        const scores = Float32Array.from({ length: 500 }, () => spread * random.normal());
        const row = trial * 31;
        let best = 0;
        let bestScore = Number.NEGATIVE_INFINITY;
        for (let j = 0; j < scores.length; j += 1) {
          const score = (scores[j] as number) + counterGumbel(77, row, j, trial);
          if (score > bestScore) {
            bestScore = score;
            best = j;
          }
        }
        expect(gumbelArgmax(scores, 77, row, trial, noise)).toBe(best);
      }
    }
  });

  it('gives column 0 for a row of -Infinity scores, as the reference backend', () => {
    const scores = new Float32Array(4).fill(Number.NEGATIVE_INFINITY);
    expect(gumbelArgmax(scores, 1, 0, 0, new Float64Array(4))).toBe(0);
  });
});

describe('the float64 merge of block partials', () => {
  it('merges (max, sum) pairs into log sum_b s_b exp(m_b), skipping empty blocks', () => {
    const maxima = Float32Array.of(1, -3e38, 4, 2);
    const sums = Float32Array.of(2, 0, 1.5, 3);
    const expected = Math.log(2 * Math.exp(1) + 1.5 * Math.exp(4) + 3 * Math.exp(2));
    expect(mergeRowPartials(maxima, sums, 0, 4)).toBeCloseTo(expected, 12);
    expect(mergeRowPartials(maxima, sums, 1, 1)).toBe(Number.NEGATIVE_INFINITY);
    expect(mergeRowPartials(maxima, Float32Array.of(1, Number.NaN), 0, 2)).toBeNaN();
  });

  it('merges partials across row blocks in any order', () => {
    const running = [new Float64Array(1).fill(Number.NEGATIVE_INFINITY), new Float64Array(1)];
    const [maxima, sums] = running as [Float64Array, Float64Array];
    mergeInto(maxima, sums, 0, 700, 2);
    mergeInto(maxima, sums, 0, -3e38, 0);
    mergeInto(maxima, sums, 0, 710, 1);
    mergeInto(maxima, sums, 0, 690, 4);
    const logSum = (maxima[0] as number) + Math.log(sums[0] as number);
    const expected = 710 + Math.log(1 + 2 * Math.exp(-10) + 4 * Math.exp(-20));
    expect(logSum).toBeCloseTo(expected, 10);
  });
});

describe('the tfjs kernel against the js reference', async () => {
  const random = createRandomGenerator({ seed: 12 });
  const [n, m, d] = [64, 700, 6];
  const x = Float32Array.from({ length: n * d }, () => 0.7 * random.normal());
  const y = Float32Array.from({ length: m * d }, () => 0.7 * random.normal());
  const g = Float64Array.from({ length: m }, () => 0.3 * random.normal());
  const problem: KernelProblem = { x, y, n, m, d, mode: 'online' };
  const tfjs = await createTfjsBackend({ tf, backend: 'wasm', columnBlock: 64, rowBlock: 16 });

  it('draws the same columns as the js backend (same keyed noise)', async () => {
    const count = 2000;
    const rows = Int32Array.from({ length: count }, (_, s) => s % n);
    const draws = Uint32Array.from({ length: count }, (_, s) => Math.floor(s / n));
    const sample = async (backend: typeof tfjs | ReturnType<typeof createJsBackend>) => {
      const kernel = await backend.prepare(problem);
      const out = new Int32Array(2 * count);
      // eps = 0.01 prunes most columns before drawing noise; eps = 0.5 draws whole rows.
      for (const [k, epsilon] of [0.01, 0.5].entries()) {
        await kernel.sampleColumns({
          rows,
          draws,
          columnPotentials: g,
          epsilon,
          seed: 4,
          out: out.subarray(k * count, (k + 1) * count),
        });
      }
      await kernel.dispose();
      return out;
    };
    const [fromTfjs, fromJs] = [await sample(tfjs), await sample(createJsBackend())];
    let differ = 0;
    for (let s = 0; s < 2 * count; s += 1) if (fromTfjs[s] !== fromJs[s]) differ += 1;
    // Only a near tie of two candidates (score gap below float32 rounding) may swap: 0 measured.
    expect(differ).toBeLessThanOrEqual(2);
  });

  it('is accurate at tiny epsilon with offsets of hundreds of epsilon (log-sum-exp, both sides)', async () => {
    const epsilon = 1e-3;
    const offsets = Float64Array.from(
      g,
      (value, j) => 300 * value + (j % 7 === 0 ? Number.NEGATIVE_INFINITY : 0),
    );
    const kernels = [await tfjs.prepare(problem), await createJsBackend().prepare(problem)];
    const [actual, expected] = [new Float64Array(n), new Float64Array(n)];
    await kernels[0]?.logSumExp({ side: 'rows', offsets, epsilon, out: actual });
    await kernels[1]?.logSumExp({ side: 'rows', offsets, epsilon, out: expected });
    for (let i = 0; i < n; i += 1) {
      // float32 K and h - H: about 2^-24 (|h_j - H| + |K_ij|) for the dominant j, whatever the
      // size of H (~300 here); measured 3e-7.
      expect(Math.abs((actual[i] as number) - (expected[i] as number))).toBeLessThan(1e-5);
    }
    for (const kernel of kernels) await kernel?.dispose();
  });

  it('rejects bad requests with InvalidArgumentError naming the argument', async () => {
    const kernel = await tfjs.prepare(problem);
    const attempts: [Promise<unknown>, string][] = [
      [
        kernel.logSumExp({ side: 'rows', offsets: g, epsilon: 0, out: new Float64Array(n) }),
        'epsilon',
      ],
      [
        kernel.logSumExp({ side: 'columns', offsets: g, epsilon: 1, out: new Float64Array(m) }),
        'offsets',
      ],
      [
        kernel.conditionalExpectation({
          rows: Int32Array.of(0),
          columnPotentials: g,
          epsilon: 1,
          values: y,
          width: d,
          out: new Float64Array(1),
        }),
        'out',
      ],
      [
        kernel.sampleColumns({
          rows: Int32Array.of(0),
          draws: new Uint32Array(1),
          columnPotentials: g,
          epsilon: 1,
          seed: -1,
          out: new Int32Array(1),
        }),
        'seed',
      ],
    ];
    for (const [attempt, argumentName] of attempts) {
      const error = await attempt.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).argumentName).toBe(argumentName);
    }
    await expect(tfjs.prepare({ ...problem, x: new Float32Array(3) })).rejects.toThrow(
      /problem\.x/,
    );
    await kernel.dispose();
  });
});
