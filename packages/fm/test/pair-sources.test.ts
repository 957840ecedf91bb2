import { relativeEpsilon } from '@sinkflow/entropy';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createBatchOtPairSource,
  createExactAssignmentPairSource,
  createIndependentPairSource,
  createPrecomputedCouplingPairSource,
  createSupervisedPairSource,
  type PairBatch,
  type PairSource,
} from '../src/index.js';
import { gaussianSampler } from './helpers.js';

const d = 2;
const source = gaussianSampler({ d });
const target = gaussianSampler({ d, mean: 1, scale: 0.5 });
const opened: PairSource[] = [];
const open = async <T extends PairSource>(pairs: T): Promise<T> => {
  opened.push(pairs);
  await pairs.start();
  return pairs;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((pairs) => pairs.dispose()));
});

/** Takes `sizes` batches and concatenates their pairs. */
async function take(pairs: PairSource, sizes: readonly number[]): Promise<number[]> {
  const values: number[] = [];
  for (const count of sizes) {
    const batch: PairBatch = await pairs.next({ count });
    values.push(...batch.x0, ...batch.x1.map((value) => value + 1000));
  }
  return values;
}

/** Mean of 1/2 ||x0 - x1||^2 over a batch. */
function meanCost(batch: PairBatch): number {
  let sum = 0;
  for (let k = 0; k < batch.x0.length; k += 1) {
    sum += 0.5 * ((batch.x0[k] as number) - (batch.x1[k] as number)) ** 2;
  }
  return sum / batch.count;
}

describe('independent and supervised sources', () => {
  it('cut one stream: the pairs do not depend on the batch sizes', async () => {
    const a = await open(createIndependentPairSource({ source, target, chunkSize: 48, seed: 2 }));
    const b = await open(createIndependentPairSource({ source, target, chunkSize: 48, seed: 2 }));
    const first = await a.next({ count: 100 });
    const second = await b.next({ count: 30 });
    const rest = await b.next({ count: 70 });
    expect(Array.from(first.x0)).toEqual([...second.x0, ...rest.x0]);
    expect(Array.from(first.x1)).toEqual([...second.x1, ...rest.x1]);
    expect(first.couplings).toEqual([]);
    expect(a.getState()).toMatchObject({ kind: 'independent', chunk: 2, offset: 4 });
  });

  it('supervised pairs are (x0, T(x0))', async () => {
    const pairs = await open(
      createSupervisedPairSource({
        source,
        map: ({ x }) => x.map((value) => 3 * value + 1),
        chunkSize: 16,
      }),
    );
    const batch = await pairs.next({ count: 20 });
    batch.x0.forEach((value, index) => {
      expect(batch.x1[index]).toBeCloseTo(3 * value + 1, 5);
    });
    expect(pairs.statistics()).toMatchObject({ kind: 'supervised', pairs: 20, execution: 'none' });
  });

  it('restart at a saved state continues the stream exactly', async () => {
    const pairs = await open(createIndependentPairSource({ source, target, chunkSize: 10 }));
    await pairs.next({ count: 13 });
    const state = pairs.getState();
    const expected = await take(pairs, [7, 9]);
    const again = await open(createIndependentPairSource({ source, target, chunkSize: 10 }));
    await again.next({ count: 5 });
    await again.start({ state: JSON.parse(JSON.stringify(state)) });
    expect(await take(again, [7, 9])).toEqual(expected);
    await expect(again.start({ state: { ...state, kind: 'batch-ot' } })).rejects.toThrowError(
      /'state.kind'/,
    );
  });
});

describe('batch-OT by Sinkhorn', () => {
  it('reports E and time per example, couples better than independent pairs, and the worker gives the same pairs as the main thread', async () => {
    const options = {
      source,
      target,
      couplingSize: 64,
      pairsPerCoupling: 32,
      epsilon: relativeEpsilon(0.01),
      seed: 5,
    };
    const viaWorker = await open(createBatchOtPairSource({ ...options, runOn: 'worker' }));
    const viaMain = await open(createBatchOtPairSource({ ...options, runOn: 'main-thread' }));
    const independent = await open(
      createIndependentPairSource({ source, target, chunkSize: 64, seed: 5 }),
    );
    const fromWorker = await viaWorker.next({ count: 48 }); // 1.5 couplings: two reports
    const fromMain = await viaMain.next({ count: 48 });
    expect(viaWorker.statistics().execution).toBe('worker');
    expect(viaMain.statistics().execution).toBe('main-thread');
    expect(Array.from(fromWorker.x0)).toEqual(Array.from(fromMain.x0));
    expect(Array.from(fromWorker.x1)).toEqual(Array.from(fromMain.x1));
    expect(fromWorker.couplings.map((report) => report.chunk)).toEqual([0, 1]);
    const report = fromWorker.couplings[0];
    expect(report?.converged).toBe(true);
    expect(report?.renormalizedEntropy).toBeGreaterThan(0);
    expect(report?.renormalizedEntropy).toBeLessThan(0.9);
    expect(report?.secondsPerExample).toBeCloseTo((report?.seconds ?? 0) / 64, 12);
    const stats = viaWorker.statistics();
    expect(stats).toMatchObject({ couplings: 2, pairs: 48, allConverged: true });
    expect(stats.meanRenormalizedEntropy).toBeGreaterThan(0);
    // a sharp coupling pairs nearby points: lower cost than independent pairs
    expect(meanCost(fromWorker)).toBeLessThan(
      0.9 * meanCost(await independent.next({ count: 48 })),
    );
  });

  it('reaches a target renormalized entropy and resumes with the same pairs', async () => {
    const options = {
      source,
      target,
      couplingSize: 48,
      targetEntropy: 0.3,
      entropyTolerance: 0.01,
      runOn: 'main-thread' as const,
      seed: 9,
    };
    const pairs = await open(createBatchOtPairSource(options));
    const first = await pairs.next({ count: 60 });
    for (const report of first.couplings) {
      expect(Math.abs(report.renormalizedEntropy - 0.3)).toBeLessThanOrEqual(0.01);
    }
    const state = pairs.getState();
    expect(state.extra.initialRelativeEpsilon).toBeGreaterThan(0);
    const expected = await take(pairs, [50]);
    const resumed = await open(createBatchOtPairSource({ ...options, runOn: 'worker' }));
    await resumed.start({ state });
    expect(await take(resumed, [50])).toEqual(expected);
  });

  it('starts the next search where the last ended, never below the configured start', async () => {
    // E = 0.05 on 48 points: the relative epsilon found is below the default start 0.05, where a
    // cold first solve costs more than descending from 0.05 (nextSearchStart).
    const options = {
      source,
      target,
      couplingSize: 48,
      targetEntropy: 0.05,
      entropyTolerance: 0.01,
      runOn: 'main-thread' as const,
      seed: 9,
    };
    const pairs = await open(createBatchOtPairSource(options));
    const first = await pairs.next({ count: 60 }); // coupling 0 used up, coupling 1 entered
    expect(first.couplings[0]?.relativeEpsilon).toBeLessThan(0.05);
    const state = pairs.getState();
    expect(state.extra.initialRelativeEpsilon).toBe(0.05);
    // A resumed source pairs as the uninterrupted one.
    const expected = await take(pairs, [50]);
    const resumed = await open(createBatchOtPairSource(options));
    await resumed.start({ state });
    expect(await take(resumed, [50])).toEqual(expected);
    // With a configured start below it, the last result is the next start.
    const low = await open(createBatchOtPairSource({ ...options, initialRelativeEpsilon: 1e-4 }));
    const again = await low.next({ count: 60 });
    expect(low.getState().extra.initialRelativeEpsilon).toBe(again.couplings[0]?.relativeEpsilon);
  });

  it('rejects both epsilon and targetEntropy', () => {
    expect(() =>
      createBatchOtPairSource({
        source,
        target,
        couplingSize: 8,
        epsilon: relativeEpsilon(0.1),
        targetEntropy: 0.2,
      }),
    ).toThrowError(/'targetEntropy'/);
  });
});

describe('precomputed coupling', () => {
  it('solves once, streams exact samples, and restores the potentials without solving', async () => {
    const options = {
      source,
      target,
      couplingSize: 256,
      samplesPerChunk: 40,
      epsilon: relativeEpsilon(0.02),
      seed: 3,
    };
    const pairs = await open(createPrecomputedCouplingPairSource(options));
    const stats = pairs.statistics();
    expect(stats).toMatchObject({ kind: 'precomputed', couplings: 1, allConverged: true });
    expect(stats.otSecondsPerExample).toBeCloseTo(stats.otSeconds / 256, 12);
    const batch = await pairs.next({ count: 50 });
    expect(batch.couplings).toEqual([]);
    const state = pairs.getState();
    expect(state.arrays.f).toHaveLength(256);
    const expected = await take(pairs, [70]);
    const restored = createPrecomputedCouplingPairSource(options);
    opened.push(restored);
    await restored.start({ state });
    expect(await take(restored, [70])).toEqual(expected);
    // the restored source did not solve again: it keeps the original solve's facts
    expect(restored.statistics().otSeconds).toBe(stats.otSeconds);
    expect(restored.statistics().lastRenormalizedEntropy).toBe(stats.lastRenormalizedEntropy);
  });
});

describe('exact assignment', () => {
  it('pairs each x0 with its optimal partner: no swap of two pairs lowers the cost', async () => {
    const pairs = await open(createExactAssignmentPairSource({ source, target, couplingSize: 24 }));
    const batch = await pairs.next({ count: 24 });
    expect(batch.couplings[0]).toMatchObject({ n: 24, renormalizedEntropy: 0, converged: true });
    const cost = (i: number, j: number) =>
      0.5 *
      (((batch.x0[2 * i] as number) - (batch.x1[2 * j] as number)) ** 2 +
        ((batch.x0[2 * i + 1] as number) - (batch.x1[2 * j + 1] as number)) ** 2);
    for (let i = 0; i < 24; i += 1) {
      for (let j = i + 1; j < 24; j += 1) {
        expect(cost(i, i) + cost(j, j)).toBeLessThanOrEqual(cost(i, j) + cost(j, i) + 1e-4);
      }
    }
    expect(batch.couplings[0]?.transportCostSqEuclidean).toBeCloseTo(meanCost(batch), 4);
  });
});
