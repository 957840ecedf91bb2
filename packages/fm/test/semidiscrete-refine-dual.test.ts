import { createPartnerSampler, solveSemidiscrete } from '@sinkflow/ot';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSemidiscretePairSource,
  type PairSource,
  standardNormalSampler,
} from '../src/index.js';

// refineDual: the dual goes on with its fit on every chunk of training noise. 1-D, 50 points,
// a deliberately short fit (so refining has something to do), chunks of 256 pairs.
const N = 50;
const points = Float32Array.from({ length: N }, (_, j) => -2 + (4 * (j + 0.5)) / N);
const data = { data: points, n: N, d: 1 };
const fit = { maxSteps: 20, batchSize: 256, evaluateEvery: 1000, evaluationSize: 4096 };
const base = {
  source: standardNormalSampler({ d: 1 }),
  data,
  fit,
  samplesPerChunk: 256,
  seed: 4,
} as const;
const opened: PairSource[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((pairs) => pairs.dispose()));
});
const open = (options: Parameters<typeof createSemidiscretePairSource>[0]) => {
  const pairs = createSemidiscretePairSource(options);
  opened.push(pairs);
  return pairs;
};
const shortFit = () => solveSemidiscrete({ y: data, ...fit, seed: 1 });

describe('createSemidiscretePairSource({ refineDual })', { timeout: 60_000 }, () => {
  it("pairs each chunk as a refining partner sampler fed the chunks' noise in order", async () => {
    const solution = await shortFit();
    const dual = { g: solution.g, epsilon: 0, state: solution.state };
    const refined = open({ ...base, dual, refineDual: true });
    await refined.start();
    const sampler = await createPartnerSampler({
      y: data,
      g: solution.g,
      refine: { state: solution.state },
    });
    const unrefined = await createPartnerSampler({ y: data, g: solution.g });
    let differ = 0;
    for (let chunk = 0; chunk < 8; chunk += 1) {
      const { x0, x1 } = await refined.next({ count: 256 });
      const by = sampler.sample({ x: { data: x0, n: 256, d: 1 } }).indices;
      expect(Array.from(x1)).toEqual(Array.from(by, (j) => points[j]));
      const fixed = unrefined.sample({ x: { data: x0, n: 256, d: 1 } }).indices;
      if (by.some((j, i) => j !== fixed[i])) differ += 1;
    }
    await sampler.dispose();
    await unrefined.dispose();
    // The first chunk is paired by the fitted dual itself; later ones by the refined dual.
    expect(differ).toBeGreaterThan(0);
    const report = refined.statistics().semidiscreteFit;
    expect(report).toMatchObject({ origin: 'given', steps: 0 });
    // Eight chunks used, and at most one more paired ahead (prefetch).
    expect(report?.refinedSteps).toBeGreaterThanOrEqual(8);
    expect(report?.refinedSteps).toBeLessThanOrEqual(9);
  });

  it('resumes from a checkpoint taken inside a chunk, with chunks paired ahead, to the same pairs', async () => {
    const first = open({ ...base, refineDual: true });
    await first.start();
    await first.next({ count: 600 }); // chunks 0, 1 and 88 pairs of chunk 2; chunk 3 prepared
    const state = first.getState();
    expect(state.extra.refineStep).toBe(20 + 2);
    const expected = await first.next({ count: 1000 });
    const resumed = open({ ...base, refineDual: true });
    await resumed.start({ state });
    const again = await resumed.next({ count: 1000 });
    expect(Array.from(again.x0)).toEqual(Array.from(expected.x0));
    expect(Array.from(again.x1)).toEqual(Array.from(expected.x1));
    expect(resumed.statistics().semidiscreteFit?.refinedSteps).toBe(
      first.statistics().semidiscreteFit?.refinedSteps,
    );
    // Without refineDual the same checkpoint serves its dual as it was at that chunk.
    const plain = open({ ...base });
    await plain.start({ state });
    expect((await plain.next({ count: 100 })).x1).toEqual(again.x1.subarray(0, 100));
  });

  it('refuses what it cannot refine', async () => {
    const solution = await shortFit();
    expect(() => open({ ...base, dual: { g: solution.g, epsilon: 0 }, refineDual: true })).toThrow(
      expect.objectContaining({ argumentName: 'refineDual' }),
    );
    const other = { ...solution.state, gAverage: solution.state.g };
    expect(() =>
      open({ ...base, dual: { g: solution.g, epsilon: 0, state: other }, refineDual: true }),
    ).toThrow(expect.objectContaining({ argumentName: 'dual.state' }));
    expect(() => open({ ...base, refineDual: 'yes' as never })).toThrow(
      expect.objectContaining({ argumentName: 'refineDual' }),
    );
    // A checkpoint of a source that did not refine has no state to go on from.
    const plain = open({ ...base });
    await plain.start();
    await plain.next({ count: 10 });
    const refining = open({ ...base, refineDual: true });
    await expect(refining.start({ state: plain.getState() })).rejects.toMatchObject({
      argumentName: 'refineDual',
    });
    // A given state of another length, or with a NaN, is refused where it is given.
    const short = { ...solution.state, g: solution.state.g.slice(1) };
    expect(() =>
      open({ ...base, dual: { g: solution.g, epsilon: 0, state: short }, refineDual: true }),
    ).toThrow(expect.objectContaining({ argumentName: 'dual.state.g' }));
  });

  it('refuses a forged refinement in a checkpoint when it starts, before pairing anything', async () => {
    const first = open({ ...base, refineDual: true });
    await first.start();
    await first.next({ count: 300 });
    const state = first.getState();
    const forge = async (
      change: (copy: { extra: Record<string, unknown>; arrays: Record<string, unknown> }) => void,
      argumentName: string,
    ) => {
      const copy = {
        ...state,
        extra: { ...state.extra },
        arrays: { ...state.arrays },
      };
      change(copy);
      const resumed = open({ ...base, refineDual: true });
      await expect(resumed.start({ state: copy as typeof state })).rejects.toMatchObject({
        argumentName,
      });
    };
    await forge((copy) => {
      copy.arrays.refineIterate = new Float64Array(N + 1);
    }, 'state.refinement.g');
    await forge((copy) => {
      const moments = Float64Array.from(state.arrays.refineSecondMoment as Float64Array);
      moments[3] = Number.NaN;
      copy.arrays.refineSecondMoment = moments;
    }, 'state.refinement.secondMoment[3]');
    await forge((copy) => {
      copy.extra.refineStep = -1;
    }, 'state.refinement.step');
    await forge((copy) => {
      copy.extra.refineFrom = (state.extra.refineStep as number) + 1;
    }, 'state.extra.refineFrom');
    // The untouched checkpoint still resumes.
    const resumed = open({ ...base, refineDual: true });
    await resumed.start({ state });
    expect((await resumed.next({ count: 10 })).x1).toHaveLength(10);
  });
});
