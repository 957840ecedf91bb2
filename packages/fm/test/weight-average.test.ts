import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npyArray } from '@sinkflow/core';
import { writeNpyFile } from '@sinkflow/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFlowMatchingTrainer,
  createIndependentPairSource,
  createMlpVelocityModel,
  type NamedWeight,
  readCheckpoint,
  resumeFlowMatchingTrainer,
} from '../src/index.js';
import { gaussianSampler, useCpuBackend } from './helpers.js';

// emaDecay: theta_bar_k = beta_k theta_bar_{k-1} + (1 - beta_k) theta_k,
// beta_k = min(beta, (1 + k) / (10 + k)), theta_bar_0 = theta_0 (TensorFlow's
// ExponentialMovingAverage with num_updates), checked against that recursion in float64 on the
// weights the trainer reports after every step.
let scratch = '';
beforeAll(async () => {
  await useCpuBackend();
  scratch = await mkdtemp(join(tmpdir(), 'sinkflow-fm-ema-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const d = 2;
const pairsOf = () =>
  createIndependentPairSource({
    source: gaussianSampler({ d }),
    target: gaussianSampler({ d, mean: 1 }),
    seed: 1,
  });
const modelOf = () => createMlpVelocityModel({ d, hiddenLayers: 1, width: 8, seed: 2 });

describe('createFlowMatchingTrainer({ emaDecay })', () => {
  it('keeps the moving average of the weights, with the warm-up min(beta, (1 + k) / (10 + k))', async () => {
    const model = modelOf();
    const pairs = pairsOf();
    const beta = 0.9;
    const trainer = await createFlowMatchingTrainer({
      model,
      pairs,
      batchSize: 16,
      seed: 3,
      emaDecay: beta,
    });
    expect(trainer.emaDecay).toBe(beta);
    // theta_0, then each step's weights folded in, in float64.
    let expected = (await model.getWeights()).map((weight) => Float64Array.from(weight.data));
    for (let k = 1; k <= 30; k += 1) {
      await trainer.trainStep();
      const betaK = Math.min(beta, (1 + k) / (10 + k));
      const weights = await model.getWeights();
      expected = expected.map((mean, index) =>
        mean.map((value, j) => betaK * value + (1 - betaK) * (weights[index]?.data[j] as number)),
      );
    }
    const averaged = (await trainer.emaWeights()) as readonly NamedWeight[];
    const last = await model.getWeights();
    expect(averaged.map((weight) => weight.name)).toEqual(last.map((weight) => weight.name));
    let largest = 0;
    let moved = 0;
    for (const [index, weight] of averaged.entries()) {
      for (let j = 0; j < weight.data.length; j += 1) {
        const value = expected[index]?.[j] as number;
        largest = Math.max(largest, Math.abs((weight.data[j] as number) - value));
        moved = Math.max(moved, Math.abs(value - (last[index]?.data[j] as number)));
      }
    }
    // float32 recursion against float64: a few ulps of weights of order 1 per step.
    expect(largest).toBeLessThan(2e-6);
    // ... and the average is not the last iterate.
    expect(moved).toBeGreaterThan(1e-4);
    trainer.dispose();
    model.dispose();
    await pairs.dispose();
  });

  it('saves the average with the checkpoint and resumes it exactly', async () => {
    const run = async (steps: number, directory?: string) => {
      const model = modelOf();
      const pairs = pairsOf();
      const trainer = await createFlowMatchingTrainer({
        model,
        pairs,
        batchSize: 16,
        seed: 3,
        emaDecay: 0.95,
      });
      await trainer.train({ steps });
      if (directory !== undefined) await trainer.saveCheckpoint({ directory });
      const weights = await trainer.emaWeights();
      trainer.dispose();
      model.dispose();
      await pairs.dispose();
      return weights;
    };
    const uninterrupted = await run(12);
    const directory = join(scratch, 'resume');
    await run(5, directory);
    const saved = await readCheckpoint({ directory });
    expect(saved.ema).toMatchObject({ decay: 0.95, updates: 5 });
    const pairs = pairsOf();
    const resumed = await resumeFlowMatchingTrainer({ directory, pairs, workers: 1 });
    expect(resumed.emaDecay).toBe(0.95);
    await resumed.train({ steps: 7 });
    const again = await resumed.emaWeights();
    expect(again?.map((weight) => Array.from(weight.data))).toEqual(
      uninterrupted?.map((weight) => Array.from(weight.data)),
    );
    resumed.dispose();
    resumed.model.dispose();
    await pairs.dispose();
  });

  it('keeps none by default, and refuses a bad decay or a forged saved average', async () => {
    const model = modelOf();
    const pairs = pairsOf();
    const plain = await createFlowMatchingTrainer({ model, pairs, batchSize: 16 });
    expect(plain.emaDecay).toBeNull();
    expect(await plain.emaWeights()).toBeNull();
    const directory = join(scratch, 'plain');
    await plain.saveCheckpoint({ directory });
    expect((await readCheckpoint({ directory })).ema).toBeUndefined();
    plain.dispose();
    for (const emaDecay of [0, 1, 1.5, Number.NaN, '0.9']) {
      await expect(
        createFlowMatchingTrainer({ model, pairs, batchSize: 16, emaDecay: emaDecay as number }),
      ).rejects.toMatchObject({ argumentName: 'emaDecay' });
    }
    // A NaN in a saved average is refused on reading, naming the file.
    const averaged = join(scratch, 'nan');
    const trainer = await createFlowMatchingTrainer({ model, pairs, batchSize: 16, emaDecay: 0.9 });
    await trainer.train({ steps: 1 });
    await trainer.saveCheckpoint({ directory: averaged });
    trainer.dispose();
    const [first] = await model.getWeights();
    const poisoned = new Float32Array((first as NamedWeight).data.length).fill(Number.NaN);
    await writeNpyFile(
      join(averaged, 'ema', `${first?.name}.npy`),
      npyArray(poisoned, [...(first as NamedWeight).shape]),
    );
    await expect(readCheckpoint({ directory: averaged })).rejects.toThrow(/ema\/.*holds NaN/);
    model.dispose();
    await pairs.dispose();
  });
});
